"""Load a recipe from YAML and validate it against the schema and the rule table.

Nothing in here raises for a bad recipe: YAML syntax errors, unknown keys, wrong
units and process-window breaches all come back as :class:`Violation` s with a code,
the recipe path, the YAML line and column, a message, a hint and a source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anodeline.documents import SchemaCode, SchemaCodes, Violation, located, parse_document
from anodeline.documents.files import read_document
from anodeline.documents.violations import Findings
from anodeline.errors import RecipeError
from anodeline.recipe.rules import checked_rules
from anodeline.recipe.rules.schema import (
    BAD_VALUE,
    DUPLICATE_KEY,
    MISSING_FIELD,
    OUT_OF_RANGE,
    UNKNOWN_KEY,
    YAML_SYNTAX,
)
from anodeline.recipe.schema import Recipe


@dataclass(frozen=True)
class Report(Findings):
    """The outcome of validating one recipe file."""

    file: str
    recipe: Recipe | None
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.recipe is not None and not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.valid, "violations": [v.to_dict() for v in self.violations]}


_CODES = SchemaCodes(
    model=Recipe,
    syntax=SchemaCode(YAML_SYNTAX.code, YAML_SYNTAX.hint, YAML_SYNTAX.source),
    duplicate_key=SchemaCode(DUPLICATE_KEY.code, DUPLICATE_KEY.hint, DUPLICATE_KEY.source),
    unknown_key=SchemaCode(UNKNOWN_KEY.code, UNKNOWN_KEY.hint, UNKNOWN_KEY.source),
    missing=SchemaCode(MISSING_FIELD.code, MISSING_FIELD.hint, MISSING_FIELD.source),
    bad_value=SchemaCode(BAD_VALUE.code, BAD_VALUE.hint, BAD_VALUE.source),
    not_a_mapping="a recipe must be a YAML mapping of keys (recipe, route, base, layers, ...)",
    out_of_range=SchemaCode(OUT_OF_RANGE.code, OUT_OF_RANGE.hint, OUT_OF_RANGE.source),
)


def validate_text(text: str, file: str = "<recipe>") -> Report:
    """Validate recipe YAML text. Never raises for a bad recipe."""
    parsed = parse_document(text, _CODES, Recipe)
    violations = parsed.violations
    if parsed.value is not None:
        for rule in checked_rules():
            assert rule.check is not None
            violations.extend(located(rule, finding, parsed.source_map) for finding in rule.check(parsed.value))
    return Report(file, parsed.value, tuple(violations))


def validate_file(path: str | Path) -> Report:
    """Validate a recipe file; raises :class:`RecipeError` only when the file cannot be read."""
    text = read_document(path, "recipe file", RecipeError)
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
