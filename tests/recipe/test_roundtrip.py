"""Hypothesis: recipes round-trip through YAML, and no input makes the loader raise."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anodeline.recipe.validate import validate_text
from tests.conftest import EXAMPLES
from tests.strategies.recipes import recipe_documents, yaml_values

EX1 = yaml.safe_load((EXAMPLES / "patent" / "example-01.yaml").read_text())
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(recipe_documents())
def test_load_dump_load_gives_the_same_recipe(document: dict[str, Any]) -> None:
    first = validate_text(yaml.safe_dump(document, allow_unicode=True))
    assert first.recipe is not None, first.violations
    dumped = yaml.safe_dump(first.recipe.model_dump(mode="json", exclude_defaults=False), allow_unicode=True)
    second = validate_text(dumped)
    assert second.recipe == first.recipe
    assert [(v.code, v.path) for v in second.violations] == [(v.code, v.path) for v in first.violations]


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    report = validate_text(text)
    assert report.recipe is not None or report.errors


@FAST
@given(yaml_values)
def test_arbitrary_yaml_documents_never_raise(value: Any) -> None:
    report = validate_text(yaml.safe_dump(value))
    assert report.recipe is None and report.errors


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = _replace(node[path[0]], path[1:], value)
    return copy


@FAST
@given(st.sampled_from(_paths(EX1)), yaml_values)
def test_mutated_example_never_raises_and_reports_a_location(path: tuple[Any, ...], value: Any) -> None:
    report = validate_text(yaml.safe_dump(_replace(EX1, path, value)))
    for violation in report.violations:
        assert violation.line >= 1 and violation.column >= 1
        assert violation.code and violation.message and violation.hint
