"""Load a recipe from YAML and validate it against the schema and the rule table.

Nothing in here raises for a bad recipe: YAML syntax errors, unknown keys, wrong
units and process-window breaches all come back as :class:`Violation` s with a code,
the recipe path, the YAML line and column, a message, a hint and a source.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from anodeline.errors import AnodelineError, RecipeError
from anodeline.recipe.rules import RULES, checked_rules
from anodeline.recipe.rules.schema import BAD_VALUE, DUPLICATE_KEY, MISSING_FIELD, UNKNOWN_KEY, YAML_SYNTAX
from anodeline.recipe.schema import Recipe
from anodeline.recipe.violations import Violation
from anodeline.recipe.yamlsource import SourceMap, join_path, read_yaml


@dataclass(frozen=True)
class Report:
    """The outcome of validating one recipe file."""

    file: str
    recipe: Recipe | None
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.recipe is not None and not any(v.is_error for v in self.violations)

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.is_error)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if not v.is_error)

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.valid, "violations": [v.to_dict() for v in self.violations]}


def _loc_path(loc: Sequence[str | int]) -> str:
    path = ""
    for part in loc:
        path = join_path(path, part)
    return path


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of ``loc`` (for spelling suggestions)."""
    model: Any = Recipe
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        inner = getattr(candidate, "__args__", ())
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return None


def _schema_violation(error: Any, source_map: SourceMap) -> Violation:
    loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
    path = _loc_path(loc)
    line, column = source_map.locate(path)
    kind = error["type"]
    if kind == "extra_forbidden":
        rule = UNKNOWN_KEY
        key = str(loc[-1]) if loc else ""
        model = _model_at(loc)
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(key, known, n=1)
        message = f"unknown key {key!r}"
        hint = f"did you mean {close[0]!r}?" if close else (f"allowed here: {', '.join(known)}" if known else rule.hint)
    elif kind == "missing":
        rule = MISSING_FIELD
        message = f"missing required key {str(loc[-1])!r}" if loc else "missing required key"
        hint = rule.hint
    else:
        rule = BAD_VALUE
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, AnodelineError):
            message, hint = cause.message, cause.hint or rule.hint
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            hint = rule.hint
        if kind in ("model_type", "dict_type") and not path:
            message = "a recipe must be a YAML mapping of keys (recipe, route, base, layers, ...)"
    return Violation(rule.severity, rule.code, path, line, column, message, hint, rule.source)


def _rule_violations(recipe: Recipe, source_map: SourceMap) -> list[Violation]:
    found: list[Violation] = []
    for rule in checked_rules():
        assert rule.check is not None
        for finding in rule.check(recipe):
            line, column = source_map.locate(finding.path)
            found.append(
                Violation(
                    rule.severity, rule.code, finding.path, line, column,
                    finding.message, finding.hint or rule.hint, rule.source,
                )
            )  # fmt: skip
    return found


def validate_text(text: str, file: str = "<recipe>") -> Report:
    """Validate recipe YAML text. Never raises for a bad recipe."""
    document = read_yaml(text)
    violations: list[Violation] = []
    for problem in document.problems:
        rule = YAML_SYNTAX if problem.kind == "syntax" else DUPLICATE_KEY
        violations.append(
            Violation(
                rule.severity,
                rule.code,
                problem.path,
                problem.line,
                problem.column,
                problem.message,
                rule.hint,
                rule.source,
            )
        )
    if document.data is None and any(p.kind == "syntax" for p in document.problems):
        return Report(file, None, tuple(violations))
    data = document.data if document.data is not None else {}
    try:
        recipe = Recipe.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()

        # pydantic also reports a sequence as too short when its only item failed: noise
        def failed_inside(loc: tuple[Any, ...]) -> bool:
            return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)

        errors = [e for e in errors if not (e["type"] == "too_short" and failed_inside(tuple(e["loc"])))]
        violations.extend(_schema_violation(error, document.source_map) for error in errors)
        return Report(file, None, tuple(violations))
    violations.extend(_rule_violations(recipe, document.source_map))
    return Report(file, recipe, tuple(violations))


def validate_file(path: str | Path) -> Report:
    """Validate a recipe file; raises :class:`RecipeError` only when the file cannot be read."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecipeError(f"no such recipe file: {file}", hint="check the path") from None
    except IsADirectoryError:
        raise RecipeError(f"{file} is a directory, not a recipe", hint="pass the .yaml files inside it") from None
    except UnicodeDecodeError as exc:
        raise RecipeError(f"{file} is not UTF-8 text ({exc.reason})", hint="save the recipe as UTF-8") from None
    except OSError as exc:
        raise RecipeError(f"cannot read {file}: {exc.strerror}", hint="check the file's permissions") from None
    return validate_text(text, str(path))


def load_recipe(path: str | Path) -> Recipe:
    """Load a recipe that must be valid (warnings allowed); raises :class:`RecipeError` otherwise."""
    report = validate_file(path)
    if report.recipe is None or not report.valid:
        first = report.errors[0] if report.errors else None
        where = f"{path}:{first.line}:{first.column}" if first else str(path)
        detail = f"{first.code} {first.message}" if first else "invalid recipe"
        raise RecipeError(f"{detail}", hint=(first.hint if first else ""), location=where)
    return report.recipe


def rule_codes() -> list[str]:
    return sorted(RULES)
