"""One namespace of codes: every code raised anywhere in src/ has exactly one registry entry."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from anodeline.codes import CHECKERS, Code, all_codes, checker_of_file, lookup
from tests.conftest import ROOT

SRC = ROOT / "src" / "anodeline"
CODE_LITERAL = re.compile(r"[A-Z]{2,6}\d{3}")
CODE_MENTION = re.compile(r"\b[A-Z]{2,6}\d{3}\b")
#: calls whose string argument at this position is an alarm code (engine, batch)
ALARM_ARGUMENT = {"DeviceFaultError": 0, "_hold": 0, "alarm": 1}


@cache
def _sources() -> tuple[tuple[Path, ast.Module], ...]:
    """Every module of src/ but the registry itself, parsed."""
    paths = [path for path in sorted(SRC.rglob("*.py")) if path.name != "codes.py"]
    return tuple((path, ast.parse(path.read_text(encoding="utf-8"))) for path in paths)


def _literals(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every string constant that is exactly a code (``"DOOR001"``), with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_LITERAL.fullmatch(node.value):
            yield node.lineno, node.value


def _alarm_codes(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Alarm codes: ``DeviceFaultError("X", …)``, ``journal.alarm(t, "X", …)``, ``code="X"`` and ``code: str = "X"``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            position = ALARM_ARGUMENT.get(name)
            if position is not None and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, arg.value
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    yield node.lineno, str(keyword.value.value)
        elif isinstance(node, ast.FunctionDef):
            args = node.args.args + node.args.kwonlyargs
            defaults = [*([None] * (len(node.args.args) - len(node.args.defaults))), *node.args.defaults]
            defaults += node.args.kw_defaults
            for arg, default in zip(args, defaults, strict=True):
                if arg.arg == "code" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                    yield node.lineno, default.value


def _relative(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def test_every_code_literal_in_src_has_one_entry_of_the_checker_that_raises_it() -> None:
    problems = []
    for path, tree in _sources():
        for line, code in _literals(tree):
            entry = lookup(code)
            where = f"{_relative(path)}:{line}"
            if entry is None:
                problems.append(f"{where}: {code} has no entry in anodeline.codes")
            elif checker_of_file(_relative(path)) != entry.checker:
                owner = checker_of_file(_relative(path))
                problems.append(f"{where}: {code} is a {entry.checker} code, raised in a {owner} module")
    assert not problems, "\n".join(problems)


def test_every_code_mentioned_in_src_docs_and_examples_exists() -> None:
    files = [*SRC.rglob("*.py"), *(ROOT / "docs").rglob("*.md"), ROOT / "README.md", *(ROOT / "examples").rglob("*")]
    unknown = {
        f"{path.relative_to(ROOT)}: {code}"
        for path in files
        if path.is_file() and path.suffix in (".py", ".md", ".yaml", ".json")
        for code in CODE_MENTION.findall(path.read_text(encoding="utf-8"))
        if lookup(code) is None
    }
    assert not unknown, "\n".join(sorted(unknown))


def test_every_alarm_code_raised_by_the_engine_has_an_entry() -> None:
    problems = []
    for path, tree in _sources():
        for line, code in _alarm_codes(tree):
            entry = lookup(code)
            if entry is None or entry.checker not in ("engine", "interlock"):
                problems.append(f"{_relative(path)}:{line}: alarm {code!r} has no engine entry")
    assert not problems, "\n".join(problems)


def test_every_entry_is_raised_somewhere() -> None:
    raised = {code for _, tree in _sources() for _, code in (*_literals(tree), *_alarm_codes(tree))}
    stale = [entry.code for entry in all_codes() if entry.code not in raised]
    assert not stale, f"entries nothing raises: {stale}"


def test_no_code_is_defined_by_two_checkers() -> None:
    from anodeline.codes import sources

    seen: dict[str, str] = {}
    clashes = []
    for checker, codes in sources().items():
        for code in codes:
            if code in seen:
                clashes.append(f"{code}: {seen[code]} and {checker}")
            seen[code] = checker
    assert not clashes, "\n".join(clashes)
    assert set(seen) == {entry.code for entry in all_codes()}


def test_the_interlock_codes_do_not_reuse_recipe_codes() -> None:
    from anodeline.line.interlocks import INTERLOCKS
    from anodeline.recipe.rules import RULES

    assert not set(INTERLOCKS) & set(RULES)
    assert lookup("PMP001").checker == "interlock" and lookup("VAC001").checker == "recipe"  # type: ignore[union-attr]


@pytest.mark.parametrize("entry", all_codes(), ids=lambda entry: entry.code)
def test_every_entry_says_what_it_means_how_to_fix_it_and_why(entry: Code) -> None:
    assert entry.checker in CHECKERS
    assert entry.title and entry.description and entry.hint and entry.source
    assert entry.severity in ("error", "warning", "refusal", "abort", "hold")


def test_lookup_is_case_and_space_insensitive() -> None:
    assert lookup(" door002 ") is lookup("DOOR002") is not None
    assert lookup("NOPE999") is None


def test_error_class_categories_do_not_reuse_a_code() -> None:
    """``AnodelineError.code`` names a category of exception (``RECIPE``, ``INTERLOCK``), never a registry code."""
    categories = {
        (path.name, node.value.value)
        for path, tree in _sources()
        for klass in ast.walk(tree)
        if isinstance(klass, ast.ClassDef)
        for node in klass.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets)
        and isinstance(node.value, ast.Constant)
    }
    assert len(categories) > 10
    assert not [f"{name}: {code}" for name, code in categories if lookup(str(code)) is not None]
