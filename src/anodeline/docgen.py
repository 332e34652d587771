"""Generate the parts of the docs that code can state, so the documentation cannot drift.

- ``docs/rules.md`` from the code registry (:mod:`anodeline.codes`), every code of every checker;
- the numbered step lists in ``docs/procedures.md`` (between ``<!-- steps RECIPE@LINE -->``
  markers) from the compiler.

Run ``python -m anodeline.docgen`` (or ``make docs``); a test fails when a committed file
differs from what this module writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from anodeline.codes import CHECKERS, Code, all_codes

HEADER = """# Codes: rules, interlocks and alarms

Generated from the code registry (`src/anodeline/codes.py`) by `python -m anodeline.docgen`;
do not edit by hand. `anodeline explain CODE` prints one code; `anodeline rules [--checker NAME]`
lists them. Codes are one namespace: each code has exactly one meaning, whichever checker
reports it (a test scans `src/` for codes without an entry here).

Claim numbers refer to CA 2,350,384 C (the patent in `shared/seed`).

Severities: `error` fails the document, `warning` does not; `refusal` is an action the line
will not take (`verify` exits 1 naming the step; `run` holds); `abort` ends a batch after
making it safe; `hold` stops it until the cause clears or a person decides.
"""

#: what every finding of a checker carries, and how the codes are grouped (recipe rules)
INTRO = {
    "recipe": """Every violation carries: severity, code, recipe path (`layers[0].thickness`), YAML line and
column, message, hint and source. Errors make `anodeline validate` exit 1; warnings do not.
Composition rules are checked on the nominal composition of the target.

| group | topic |
|---|---|
| SCH | structure: YAML syntax, keys, types and units |
| THK | film and base thickness windows |
| CMP, MAT, MTH | materials: composition windows, lithium alloys, substrates, deposition methods |
| TMP | heating limits |
| ATM, VAC | atmosphere, gas purity, dew point, vacuum |
| RTE, LAY | route consistency and layer order |
| SPC | acceptance specification |
| PHY | physical sense beyond the claims |
""",
    "line": "LSC codes are the line file's schema (YAML, keys, types, units); LIN codes its topology.\n",
    "procedure": "Each finding points at the file's line and column.\n",
    "transition": "An action that cannot happen at all, whatever the atmosphere (docs/lines.md).\n",
    "interlock": "The interlock table of docs/lines.md: an action the line refuses because it is unsafe.\n",
    "campaign": "CPG codes are the campaign file's (docs/campaigns.md); SWP codes the sweep file's.\n",
    "bindings": "BND001-BND005 are the bindings file's schema; the others check it against the line "
    "(docs/equipment.md). Every problem is found before anything connects.\n",
    "modbus": "Checked when the Modbus backend connects, before a batch is recorded (exit 2). Once a batch runs, "
    "trouble with the link holds it instead (alarms LINK, STALE, NO-ACK).\n",
    "engine": "Alarms of `anodeline run`, stored with the batch record.\n",
    "targets": "The sputter targets and evaporation charges mounted on the sources (`anodeline targets`) against "
    "what a batch's depositions will take from them (docs/models/deposition.md, target erosion). TGT002 stops "
    "`run` before the batch is recorded (exit 1) and makes `validate --line LINE --db URL` exit 1; TGT001 is a "
    "warning; TGT003 is a usage error of `targets install` (exit 2).\n",
    "records": "USR codes are sign-in and roles, SIG signatures and release, LOT the lots a batch is given, AUD the "
    "audit trail (`audit verify`), REC opening a database to read it. Refusals exit 1, except USR001/USR002 "
    "(exit 2, as any failed authentication); errors exit 2, except AUD codes (1: the trail was read and is "
    "broken). See docs/operations.md.\n",
}


def _detail(entry: Code) -> list[str]:
    return [
        f"### {entry.code}",
        "",
        f"**{entry.title}** ({entry.severity})",
        "",
        entry.description,
        "",
        f"- Fix: {entry.hint}",
        f"- Source: {entry.source}",
        "",
    ]


def _anchor(code: str) -> str:
    return code.lower().replace(" ", "-")


def render_rules() -> str:
    """``docs/rules.md``: every code of the registry, grouped by checker."""
    lines = [HEADER, "| checker | codes | reported by |", "|---|---|---|"]
    lines += [
        f"| [{c.title}](#{_anchor(c.title)}) | {len(all_codes(c.name))} | {c.reported_by} |" for c in CHECKERS.values()
    ]
    lines.append("")
    for checker in CHECKERS.values():
        entries = all_codes(checker.name)
        lines += [f"## {checker.title}", "", f"Reported by {checker.reported_by}.", "", INTRO[checker.name]]
        lines += ["| code | severity | rule | source |", "|---|---|---|---|"]
        lines += [f"| [{e.code}](#{_anchor(e.code)}) | {e.severity} | {e.title} | {e.source} |" for e in entries]
        lines.append("")
        for entry in entries:
            lines += _detail(entry)
    return "\n".join(lines)


_STEPS = re.compile(r"(<!-- steps (\S+)@(\S+) [^>]*-->\n)(.*?)(<!-- /steps -->)", re.S)


def render_steps(recipe: str, line: str, root: Path) -> str:
    """The numbered steps of ``examples/patent/RECIPE.yaml`` compiled for ``examples/lines/LINE.yaml``."""
    from anodeline.line import load_line
    from anodeline.procedure import compile_procedure
    from anodeline.recipe.validate import load_recipe

    procedure = compile_procedure(
        load_recipe(root / "examples" / "patent" / f"{recipe}.yaml"),
        load_line(root / "examples" / "lines" / f"{line}.yaml"),
    )
    rows = []
    for index, action in enumerate(procedure.steps):
        args = ", ".join(f"{k}={v}" for k, v in action.to_dict().items() if k not in ("action", "manual"))
        who = " (glove)" if action.glove else (" (operator)" if action.manual else "")
        note = procedure.note(index)
        rows.append(f"{index}. `{action.kind}` {args}{who}" + (f" — {note}" if note else ""))
    return "\n".join(rows) + "\n"


def render_procedures(text: str, root: Path) -> str:
    """``docs/procedures.md`` with every marked step list regenerated."""
    return _STEPS.sub(lambda m: m.group(1) + render_steps(m.group(2), m.group(3), root) + m.group(5), text)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    rules = root / "docs" / "rules.md"
    rules.write_text(render_rules(), encoding="utf-8")
    procedures = root / "docs" / "procedures.md"
    procedures.write_text(render_procedures(procedures.read_text(encoding="utf-8"), root), encoding="utf-8")
    print(f"wrote {rules} and {procedures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
