"""Does a recipe fit the line it will run on? ``validate --line`` asks before ``plan`` or ``run`` do.

A recipe can be valid on its own and still impossible on a given line: a gas the line has
no supply of, a route the line's apparatus cannot run, a plan the interlocks refuse. These
checks compile the recipe for the line exactly as ``plan`` does and report what refuses it
as located violations (codes ``FIT…``), instead of the error ``plan`` would stop with.
"""

from __future__ import annotations

from dataclasses import dataclass

from anodeline.documents.source import SourceMap
from anodeline.documents.violations import Severity, Violation
from anodeline.line.config import Line
from anodeline.line.errors import InterlockError, ProcedureError
from anodeline.recipe.rules.base import Rule
from anodeline.recipe.schema import Recipe

_SOURCE = "the line file (supplies, apparatus, heater range) and the interlock table, docs/lines.md"

FIT001 = Rule(
    "FIT001", Severity.ERROR, "the line cannot run the recipe's route",
    "The line has no apparatus (or no apparatus with the needed sources or heater range) for a pass of the route.",
    "choose a line whose apparatus can run the route (--line), or change the recipe's route or methods", _SOURCE,
)  # fmt: skip
FIT002 = Rule(
    "FIT002", Severity.ERROR, "an interlock of the line refuses the recipe's plan",
    "Compiling the recipe for the line needs an action the line's interlocks refuse, e.g. backfilling "
    "with a gas the line has no supply of.",
    "use a gas, temperature or route the line supports, or a line that supports them (--line)", _SOURCE,
)  # fmt: skip
FIT003 = Rule(
    "FIT003", Severity.ERROR, "the recipe's plan is not air-free on the line",
    "The procedure compiled for the line fails the air-free verifier at a step.",
    "run 'anodeline verify RECIPE --line LINE' for the step and its atmosphere", _SOURCE,
)  # fmt: skip
FIT004 = Rule(
    "FIT004", Severity.ERROR, "the line has no glove chamber to assemble the cell in",
    "A recipe with an 'assembly' section (claims 7, 23, 39) is assembled in a glove chamber whose gas meets the "
    "assembly's dew point: one with a load port, a supply of the recipe's gas and an H2O or dew-point meter "
    "(Example 1: argon, −60 °C or below). The line has none.",
    "fit a glove chamber with an H2O or dew-point meter and a supply of the recipe's gas, or choose another line "
    "(--line)", "patent Example 1 (cell assembly under argon at a dew point of −60 °C or below); docs/assembly.md",
)  # fmt: skip
FIT_RULES = (FIT001, FIT002, FIT003, FIT004)

#: Where in the recipe an interlock refusal most likely comes from, by the interlock code's prefix.
_PATH_OF = {"GAS": "atmosphere.gas", "HEAT": "layers", "PMP": "deposition.base_pressure", "DEP": "layers"}


@dataclass(frozen=True)
class _Finding:
    path: str
    message: str
    hint: str = ""


def fit_violations(recipe: Recipe, line: Line, source_map: SourceMap) -> list[Violation]:
    """What stops ``recipe`` from running on ``line``, located in the recipe file (empty when it fits)."""
    from anodeline.documents.schema import located
    from anodeline.procedure import can_run, compile_procedure, verify_procedure
    from anodeline.procedure.assembly import AssemblyChamberError, assembly_chamber

    if recipe.assembly is not None:
        try:
            assembly_chamber(line, recipe)
        except AssemblyChamberError as exc:
            finding = _Finding("assembly.dew_point", exc.message, exc.hint)
            return [located(FIT004, finding, source_map)]
    reason = can_run(recipe, line)
    if reason:
        return [located(FIT001, _Finding("route", f"line {line.line!r}: {reason}"), source_map)]
    try:
        procedure = compile_procedure(recipe, line)
        verdict = verify_procedure(procedure, line)
    except InterlockError as exc:
        path = next((p for prefix, p in _PATH_OF.items() if exc.rule.startswith(prefix)), "route")
        message = f"line {line.line!r} refuses it: {exc.rule} {exc.reason}"
        return [located(FIT002, _Finding(path, message, exc.hint), source_map)]
    except ProcedureError as exc:
        return [located(FIT001, _Finding("route", f"line {line.line!r}: {exc.message}", exc.hint), source_map)]
    if not verdict.air_free:
        failure = verdict.failure
        why = f"step {failure.step}: {failure.rule} {failure.reason}" if failure else "a step is refused"
        return [located(FIT003, _Finding("route", f"not air-free on line {line.line!r} ({why})"), source_map)]
    return []
