"""Load a line configuration from YAML; report every problem with a code and a location.

Nothing here raises for a bad line except :func:`load_line`, which raises a
:class:`~anodeline.line.errors.LineConfigError` carrying the violations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anodeline.documents import SchemaCode, SchemaCodes, Violation, located, parse_document
from anodeline.documents.files import read_document
from anodeline.documents.violations import Findings
from anodeline.line.config import Line
from anodeline.line.errors import LineConfigError
from anodeline.line.rules import LINE_RULES

_LANGUAGE = "line language (docs/lines.md)"


@dataclass(frozen=True)
class LineReport(Findings):
    """The outcome of checking one line file."""

    file: str
    line: Line | None
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.line is not None and not self.errors


_CODES = SchemaCodes(
    model=Line,
    syntax=SchemaCode("LSC001", "fix the YAML at the line shown", "YAML"),
    duplicate_key=SchemaCode("LSC005", "keep one of the two entries", "YAML"),
    unknown_key=SchemaCode("LSC002", "docs/lines.md lists every key", _LANGUAGE),
    missing=SchemaCode("LSC003", "add the key", _LANGUAGE),
    bad_value=SchemaCode("LSC004", "write the value as docs/lines.md shows, with its unit", _LANGUAGE),
    not_a_mapping="a line must be a YAML mapping",
    out_of_range=SchemaCode("LSC006", "give a value inside the range the message states", "physics"),
)


def validate_line_text(text: str, file: str = "<line>") -> LineReport:
    """Check line YAML text against the schema and the topology rules. Never raises."""
    parsed = parse_document(text, _CODES, Line)
    found = parsed.violations
    if parsed.value is not None:
        for rule in LINE_RULES.values():
            found.extend(located(rule, finding, parsed.source_map) for finding in rule.check(parsed.value))
    return LineReport(file, parsed.value, tuple(found))


def validate_line_file(path: str | Path) -> LineReport:
    """Check a line file; raises :class:`LineConfigError` only when it cannot be read."""
    text = read_document(path, "line file", LineConfigError)
    return validate_line_text(text, str(path))


def load_line(path: str | Path) -> Line:
    """Load a line that must be valid (warnings allowed); raises :class:`LineConfigError` otherwise."""
    report = validate_line_file(path)
    if report.line is None or not report.valid:
        first = report.errors[0]
        raise LineConfigError(
            f"{first.code} {first.message}", violations=report.violations, hint=first.hint,
            location=f"{path}:{first.line}:{first.column}",
        )  # fmt: skip
    return report.line


def shipped_lines_dir() -> Path:
    """The folder of the shipped line files (``examples/lines`` of the source tree, or installed data)."""
    from importlib import resources

    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "lines"
        if (candidate / "fig1.yaml").is_file():
            return candidate
    data = resources.files("anodeline") / "data" / "lines"
    return Path(str(data))


def default_line_path(route: str) -> Path:
    """The shipped line a route runs on by default: fig1 (claims 1, 17) or two-apparatus (claim 33)."""
    name = "two-apparatus.yaml" if route == "two-apparatus" else "fig1.yaml"
    return shipped_lines_dir() / name
