"""The rule table: every check the validator makes, with a stable code and a source.

A rule is data (code, severity, title, description, hint, source) plus an optional
check function. Schema rules (``SCH…``) have no check: the loader reports them. The
table is the single place ``anodeline explain`` and ``docs/rules.md`` are made from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from anodeline.documents.violations import Severity
from anodeline.recipe.schema import Recipe


@dataclass(frozen=True)
class Finding:
    """What a check found: where, what, and (optionally) a fix more precise than the rule's."""

    path: str
    message: str
    hint: str = ""


Check = Callable[[Recipe], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    description: str
    hint: str
    source: str
    check: Check | None = None


RULES: dict[str, Rule] = {}


def register(
    code: str,
    severity: Severity,
    title: str,
    *,
    source: str,
    hint: str,
    description: str = "",
    check: Check | None = None,
) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} registered twice")
    new = Rule(code, severity, title, description or title, hint, source, check)
    RULES[code] = new
    return new


def rule(
    code: str, severity: Severity, title: str, *, source: str, hint: str, description: str = ""
) -> Callable[[Check], Check]:
    """Decorator: register ``check`` as the rule ``code``."""

    def decorate(check: Check) -> Check:
        register(code, severity, title, source=source, hint=hint, description=description, check=check)
        return check

    return decorate


def checked_rules() -> Iterator[Rule]:
    return (item for item in RULES.values() if item.check is not None)
