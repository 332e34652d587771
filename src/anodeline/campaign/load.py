"""Load a campaign file: its schema, then its recipes and lines, each problem located in the file.

A campaign names recipe and line files by paths relative to itself. Reading it checks, besides
the schema (CPG001–CPG005): that every recipe and line file reads and is valid (CPG006–CPG008),
that some line of the campaign can run each recipe (CPG009), that counts and the operator count
are positive (CPG010, CPG011) and that due dates fall after the start (CPG012). Nothing raises
for a bad campaign but :func:`load_campaign`, whose :class:`CampaignError` carries them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from anodeline.campaign.errors import CampaignError
from anodeline.campaign.operations import BatchTemplate, split
from anodeline.campaign.problem import Batch, Problem
from anodeline.campaign.schema import DAYS, CampaignFile, Shifts
from anodeline.documents import SchemaCode, SchemaCodes, Violation, parse_document
from anodeline.documents.files import read_document
from anodeline.documents.source import SourceMap
from anodeline.documents.violations import Findings, Severity
from anodeline.line.config import Line
from anodeline.recipe.schema import Recipe

_LANGUAGE = "campaign language (docs/campaigns.md)"

_CODES = SchemaCodes(
    model=CampaignFile,
    syntax=SchemaCode("CPG001", "fix the YAML at the line shown", "YAML"),
    duplicate_key=SchemaCode("CPG005", "keep one of the two entries", "YAML"),
    unknown_key=SchemaCode("CPG002", "docs/campaigns.md lists every key", _LANGUAGE),
    missing=SchemaCode("CPG003", "add the key", _LANGUAGE),
    bad_value=SchemaCode("CPG004", "write the value as docs/campaigns.md shows", _LANGUAGE),
    not_a_mapping="a campaign must be a YAML mapping (campaign, lines, orders, ...)",
)


@dataclass(frozen=True)
class LoadedOrder:
    """An order with its recipe read and compiled for every line of the campaign that can run it."""

    recipe: str
    path: Path
    count: int
    due_s: int | None
    priority: int
    templates: Mapping[str, BatchTemplate]
    recipe_model: Recipe | None = None


@dataclass(frozen=True)
class Campaign:
    """A campaign read and checked: its lines, orders and calendar."""

    name: str
    file: str
    spec: CampaignFile
    start: dt.datetime
    lines: Mapping[str, Line]
    orders: tuple[LoadedOrder, ...]

    def with_lines(self, lines: Mapping[str, Line]) -> Campaign:
        """The campaign on other lines: every order compiled again for each line that can run it."""
        from dataclasses import replace

        from anodeline.line.errors import InterlockError, ProcedureError
        from anodeline.procedure.routes import compile_procedure

        orders = []
        for order in self.orders:
            assert order.recipe_model is not None
            templates = {}
            for name, line in lines.items():
                try:
                    templates[name] = split(compile_procedure(order.recipe_model, line), line, order.recipe)
                except (ProcedureError, InterlockError):
                    continue
            orders.append(replace(order, templates=MappingProxyType(templates)))
        return replace(self, lines=MappingProxyType(dict(lines)), orders=tuple(orders))

    def problem(self, *, operators: int | None = None, lines: int | None = None) -> Problem:
        """The scheduling problem: one batch per unit of every order (``lines`` keeps the first n lines)."""
        from anodeline.campaign.setups import changeover_s

        names = tuple(self.lines)[: lines or len(self.lines)]
        batches: list[Batch] = []
        counters: dict[str, int] = {}
        for index, order in enumerate(self.orders):
            options = {ln: t for ln, t in order.templates.items() if ln in names}
            for _ in range(order.count):
                counters[order.recipe] = counters.get(order.recipe, 0) + 1
                batch_id = f"{order.recipe}-{counters[order.recipe]:03d}"
                batches.append(Batch(batch_id, index, order.recipe, MappingProxyType(options), order.due_s,
                                     order.priority))  # fmt: skip
        changeovers: dict[tuple[str, str, str], int] = {}
        for order in self.orders:
            for ln, template in order.templates.items():
                for space in template.families:
                    key = (ln, space, template.gas)
                    if key not in changeovers:
                        changeovers[key] = changeover_s(self.lines[ln], space, template.procedure.policy)
        workers = operators if operators is not None else self.spec.operators
        horizon = _horizon_s(batches, self.spec.shifts)
        return Problem(
            self.name, tuple(batches), names, workers, MappingProxyType(changeovers),
            MappingProxyType({ln: _shared_pumps(self.lines[ln]) for ln in names}),
            off_shift(self.start, self.spec.shifts, horizon) if self.spec.shifts else (),
        )  # fmt: skip


@dataclass(frozen=True)
class CampaignReport(Findings):
    file: str
    campaign: Campaign | None
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.campaign is not None and not self.errors


def _shared_pumps(line: Line) -> frozenset[str]:
    users: dict[str, int] = {}
    for space in line.spaces.values():
        if space.pump:
            users[space.pump] = users.get(space.pump, 0) + 1
    return frozenset(pump for pump, n in users.items() if n > 1)


def _aware(moment: dt.datetime) -> dt.datetime:
    """A naive date-time is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _horizon_s(batches: list[Batch], shifts: Shifts | None) -> int:
    """Long enough for the worst plan (one batch after another, stretched by the shift calendar)."""
    work = sum(min(t.critical_path_s for t in b.options.values()) for b in batches)
    stretch = 1.0
    if shifts is not None:
        hours = _shift_hours(shifts) * len(set(shifts.days))
        stretch = 168.0 / max(hours, 1.0)
    return int(2 * work * stretch) + 14 * 86400


def _shift_hours(shifts: Shifts) -> float:
    start = shifts.start.hour + shifts.start.minute / 60
    end = shifts.end.hour + shifts.end.minute / 60
    return end - start if end > start else end + 24 - start


def off_shift(start: dt.datetime, shifts: Shifts | None, horizon_s: int) -> tuple[tuple[int, int], ...]:
    """The windows [from, to) seconds after ``start`` when no operator works, up to ``horizon_s``."""
    if shifts is None:
        return ()
    on: list[tuple[int, int]] = []
    day = start.date() - dt.timedelta(days=1)
    last = (start + dt.timedelta(seconds=horizon_s)).date()
    while day <= last:
        if DAYS[day.weekday()] in shifts.days:
            begin = dt.datetime.combine(day, shifts.start, tzinfo=start.tzinfo)
            end_day = day if shifts.end > shifts.start else day + dt.timedelta(days=1)
            end = dt.datetime.combine(end_day, shifts.end, tzinfo=start.tzinfo)
            on.append((int((begin - start).total_seconds()), int((end - start).total_seconds())))
        day += dt.timedelta(days=1)
    off: list[tuple[int, int]] = []
    t = 0
    for begin_s, end_s in sorted(on):
        if begin_s > t:
            off.append((t, min(begin_s, horizon_s)))
        t = max(t, end_s)
        if t >= horizon_s:
            break
    if t < horizon_s:
        off.append((t, horizon_s))
    return tuple((a, b) for a, b in off if b > a)


class _Checker:
    def __init__(self, source_map: SourceMap) -> None:
        self.source_map = source_map
        self.found: list[Violation] = []

    def bad(self, code: str, path: str, message: str, hint: str, source: str = _LANGUAGE) -> None:
        line, column = self.source_map.locate(path)
        self.found.append(Violation(Severity.ERROR, code, path, line, column, message, hint, source))


def _load_lines(check: _Checker, spec: CampaignFile, base: Path) -> dict[str, Line]:
    from anodeline.line.errors import LineConfigError
    from anodeline.line.load import validate_line_file

    lines: dict[str, Line] = {}
    for index, name in enumerate(spec.lines):
        path = base / name
        try:
            report = validate_line_file(path)
        except LineConfigError as exc:
            check.bad("CPG008", f"lines[{index}]", f"line file {name!r}: {exc.message}", exc.hint or "check the path "
                      "(relative to the campaign file)")  # fmt: skip
            continue
        if report.line is None or not report.valid:
            first = report.errors[0]
            check.bad("CPG008", f"lines[{index}]", f"line file {name!r} is invalid: {path}:{first.line}:"
                      f"{first.column}: {first.code} {first.message}", "fix the line file")  # fmt: skip
            continue
        if report.line.line in lines:
            check.bad("CPG008", f"lines[{index}]", f"line {report.line.line!r} is listed twice",
                      "list every line once")  # fmt: skip
            continue
        lines[report.line.line] = report.line
    return lines


def _compile_order(check: _Checker, index: int, recipe_path: Path, name: str,
                   lines: dict[str, Line]) -> tuple[Recipe, dict[str, BatchTemplate]] | None:  # fmt: skip
    from anodeline.errors import RecipeError
    from anodeline.line.errors import InterlockError, ProcedureError
    from anodeline.procedure.routes import compile_procedure
    from anodeline.recipe.validate import validate_file

    where = f"orders[{index}].recipe"
    try:
        report = validate_file(recipe_path)
    except RecipeError as exc:
        check.bad("CPG006", where, f"recipe file {name!r}: {exc.message}", "check the path (relative to the "
                  "campaign file)")  # fmt: skip
        return None
    if report.recipe is None or not report.valid:
        first = report.errors[0]
        check.bad("CPG007", where, f"recipe {name!r} is invalid: {recipe_path}:{first.line}:{first.column}: "
                  f"{first.code} {first.message}", f"'anodeline validate {name}' lists every problem")  # fmt: skip
        return None
    templates: dict[str, BatchTemplate] = {}
    why: list[str] = []
    for line_name, line in lines.items():
        try:
            procedure = compile_procedure(report.recipe, line)
        except (ProcedureError, InterlockError) as exc:
            why.append(f"{line_name}: {exc.message}")
            continue
        templates[line_name] = split(procedure, line, report.recipe.recipe)
    if not templates:
        check.bad("CPG009", where, f"no line of the campaign can run recipe {report.recipe.recipe!r} ("
                  + "; ".join(why) + ")", "add a line that can run it, or change the recipe")  # fmt: skip
        return None
    return report.recipe, templates


def validate_campaign_text(text: str, file: str = "<campaign>", now: dt.datetime | None = None) -> CampaignReport:
    """Check campaign YAML text (paths relative to ``file``'s folder). Never raises for a bad campaign."""
    parsed = parse_document(text, _CODES, CampaignFile)
    if parsed.value is None:
        return CampaignReport(file, None, tuple(parsed.violations))
    spec = parsed.value
    check = _Checker(parsed.source_map)
    check.found.extend(parsed.violations)
    base = Path(file).parent
    if spec.operators < 1:
        check.bad("CPG011", "operators", f"operators = {spec.operators}: a campaign needs at least one operator",
                  "give operators: 1 or more")  # fmt: skip
    start = _aware(spec.start) if spec.start else (now or dt.datetime.now(dt.UTC)).replace(second=0, microsecond=0)
    lines = _load_lines(check, spec, base)
    orders: list[LoadedOrder] = []
    for index, order in enumerate(spec.orders):
        if order.count < 1:
            check.bad("CPG010", f"orders[{index}].count", f"count = {order.count}: an order makes at least one batch",
                      "give count: 1 or more, or remove the order")  # fmt: skip
        due_s = None
        if order.due is not None:
            due_s = int((_aware(order.due) - start).total_seconds())
            if due_s <= 0:
                check.bad(
                    "CPG012",
                    f"orders[{index}].due",
                    f"due {order.due.isoformat()} is not after the campaign's start {start.isoformat()}",
                    "give a due date after the start (start: defaults to now)",
                )
        if not lines:
            continue
        compiled = _compile_order(check, index, base / order.recipe, order.recipe, lines)
        if compiled is not None:
            recipe, templates = compiled
            orders.append(LoadedOrder(recipe.recipe, base / order.recipe, order.count, due_s, order.priority,
                                      MappingProxyType(templates), recipe))  # fmt: skip
    if not lines and not any(v.code == "CPG008" for v in check.found):
        check.bad("CPG008", "lines", "the campaign has no line", "list at least one line file")
    if any(v.is_error for v in check.found):
        return CampaignReport(file, None, tuple(check.found))
    campaign = Campaign(spec.campaign, file, spec, start, MappingProxyType(lines), tuple(orders))
    return CampaignReport(file, campaign, tuple(check.found))


def load_campaign(path: str | Path, now: dt.datetime | None = None) -> Campaign:
    """Load a campaign that must be valid; raises :class:`CampaignError` (with every violation) otherwise."""
    text = read_document(path, "campaign file", CampaignError)
    report = validate_campaign_text(text, str(path), now)
    if report.campaign is None:
        first = report.errors[0]
        raise CampaignError(f"{first.code} {first.message}", violations=report.violations, hint=first.hint,
                            location=f"{path}:{first.line}:{first.column}")  # fmt: skip
    return report.campaign


__all__ = ["Campaign", "CampaignReport", "LoadedOrder", "load_campaign", "validate_campaign_text"]
