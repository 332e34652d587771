"""Pydantic validation errors turned into located violations, the same way for every document.

Each document language names its own codes (recipes ``SCH…``, lines ``LSC…``) for three
kinds of schema problem: an unknown key (with a spelling suggestion from the model's
fields), a missing key, and a bad value (wrong type, unit or choice — a unit error keeps
the hint :func:`anodeline.units.parse_quantity` wrote).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from anodeline.documents.source import SourceMap, join_path, read_yaml
from anodeline.documents.violations import Severity, Violation
from anodeline.errors import AnodelineError, QuantityRangeError


@dataclass(frozen=True)
class SchemaCode:
    code: str
    hint: str
    source: str


@dataclass(frozen=True)
class SchemaCodes:
    """The codes a document language reports its YAML and schema problems with."""

    model: type[BaseModel]
    syntax: SchemaCode
    duplicate_key: SchemaCode
    unknown_key: SchemaCode
    missing: SchemaCode
    bad_value: SchemaCode
    not_a_mapping: str  # the message when the document is not a mapping at all
    out_of_range: SchemaCode | None = None  # a quantity outside its range (QuantityRangeError); else bad_value


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Parsed(Generic[M]):
    """A document read and checked against its schema: the model (None if it failed) and what was found."""

    value: M | None
    violations: list[Violation]
    source_map: SourceMap


class _Finding(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def hint(self) -> str: ...


class _Rule(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def hint(self) -> str: ...
    @property
    def source(self) -> str: ...


def located(rule: _Rule, finding: _Finding, source_map: SourceMap) -> Violation:
    """A rule's finding as a violation at its YAML line and column."""
    line, column = source_map.locate(finding.path)
    return Violation(
        rule.severity, rule.code, finding.path, line, column, finding.message, finding.hint or rule.hint, rule.source
    )


def parse_document(text: str, codes: SchemaCodes, model: type[M]) -> Parsed[M]:
    """Read YAML ``text`` safely with locations and validate it as ``model``. Never raises for bad input."""
    document = read_yaml(text)
    violations = []
    for problem in document.problems:
        code = codes.syntax if problem.kind == "syntax" else codes.duplicate_key
        violations.append(
            Violation(
                Severity.ERROR, code.code, problem.path, problem.line, problem.column, problem.message, code.hint,
                code.source,
            )
        )  # fmt: skip
    if document.data is None and any(p.kind == "syntax" for p in document.problems):
        return Parsed(None, violations, document.source_map)
    data = document.data if document.data is not None else {}  # an empty file: every key is missing
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        violations.extend(schema_violations(exc, document.source_map, codes))
        return Parsed(None, violations, document.source_map)
    return Parsed(value, violations, document.source_map)


def _loc_path(loc: Sequence[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, str | int):
            path = join_path(path, part)
    return path


def _inner_model(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``X | None`` or ``tuple[X, ...]``."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
        for sub in getattr(candidate, "__args__", ()):
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return None


def _model_at(root: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model that owns the last key of ``loc`` (for spelling suggestions)."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
        info = fields.get(part)
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _violation(error: Any, source_map: SourceMap, codes: SchemaCodes) -> Violation:
    loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
    path = _loc_path(loc)
    line, column = source_map.locate(path)
    kind = error["type"]
    key = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        code = codes.unknown_key
        model = _model_at(codes.model, loc)
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(key, known, n=1)
        message = f"unknown key {key!r}"
        hint = f"did you mean {close[0]!r}?" if close else (f"allowed here: {', '.join(known)}" if known else code.hint)
    elif kind == "missing":
        code = codes.missing
        message, hint = (f"missing required key {key!r}" if key else "missing required key"), code.hint
    else:
        code = codes.bad_value
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, QuantityRangeError) and codes.out_of_range is not None:
            code = codes.out_of_range
            line, column = source_map.locate(path)
            return Violation(Severity.ERROR, code.code, path, line, column, cause.message, cause.hint or code.hint,
                             cause.source)  # fmt: skip
        if isinstance(cause, AnodelineError):
            message, hint = cause.message, cause.hint or code.hint
        else:
            message, hint = str(error["msg"]).removeprefix("Value error, "), code.hint
        if kind in ("model_type", "dict_type") and not path:
            message = codes.not_a_mapping
    return Violation(Severity.ERROR, code.code, path, line, column, message, hint, code.source)


def schema_violations(exc: ValidationError, source_map: SourceMap, codes: SchemaCodes) -> list[Violation]:
    """Every schema problem of ``exc`` as a located violation."""
    errors = exc.errors()

    def failed_inside(loc: tuple[Any, ...]) -> bool:
        return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)

    # pydantic also reports a sequence as too short when its only item failed: noise
    kept = [e for e in errors if not (e["type"] == "too_short" and failed_inside(tuple(e["loc"])))]
    return [_violation(error, source_map, codes) for error in _without_union_tags(kept, _model_names(codes.model))]


def _model_names(root: type[BaseModel]) -> set[str]:
    """The class names of every model in ``root``'s tree (pydantic puts them in a union member's loc)."""
    names: set[str] = set()
    todo: list[Any] = [root]
    while todo:
        model = todo.pop()
        if model.__name__ in names:
            continue
        names.add(model.__name__)
        todo += [m for info in model.model_fields.values() if (m := _inner_model(info.annotation)) is not None]
    return names


def _without_union_tags(errors: list[Any], models: set[str]) -> list[Any]:
    """Errors of ``X | Y`` fields without pydantic's branch tags: ``initial.GasState.o2`` is ``initial.o2``.

    When the value was a mapping, the errors of a literal branch (``initial.literal['air']``) are dropped.
    """
    out = []
    for error in errors:
        loc = tuple(error["loc"])
        literal = [i for i, part in enumerate(loc) if isinstance(part, str) and part.startswith("literal[")]
        if (
            literal
            and isinstance(error.get("input"), dict)
            and any(tuple(other["loc"][: literal[0]]) == loc[: literal[0]] and other is not error for other in errors)
        ):
            continue
        out.append({**error, "loc": tuple(part for part in loc if part not in models)})
    return out
