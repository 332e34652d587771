"""Rich views of a batch: live progress while it runs, the summary, and the stored record."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from anodeline.batch.runner import BatchReport


def _hms(seconds: float) -> str:
    h, rest = divmod(round(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:d}:{m:02d}:{s:02d}"


class RunProgress:
    """A progress bar of steps with the simulated clock; ``update`` is the engine's progress callback."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("sim {task.fields[sim]}"), TextColumn("{task.fields[action]}"), TimeElapsedColumn(),
            console=console or Console(stderr=True), transient=False,
        )  # fmt: skip
        self._task: Any = None

    def __enter__(self) -> RunProgress:
        self._progress.__enter__()
        self._task = self._progress.add_task("batch", total=None, sim="0:00:00", action="")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        task = self._progress.tasks[0]
        if kind is None and task.total:
            self._progress.update(self._task, completed=task.total, action="done")
        self._progress.__exit__(kind, exc, tb)

    def update(self, sim_s: float, index: int, total: int, action: Any) -> None:
        label = getattr(action, "kind", str(action))
        self._progress.update(self._task, total=total, completed=index, sim=_hms(sim_s), action=label)


def print_report(report: BatchReport, console: Console | None = None) -> None:
    console = console or Console()
    colour = "green" if report.verdict == "pass" else ("yellow" if report.status == "held" else "red")
    console.print(
        f"[bold]batch {report.batch}[/bold] on line {report.line}: [{colour}]{report.status}"
        f"{', ' + report.verdict if report.verdict else ''}[/{colour}]  "
        f"({report.steps} steps, {_hms(report.simulated_seconds)} simulated in {report.wall_seconds:.2f} s)"
    )
    if report.faults:
        console.print(f"faults injected: {', '.join(report.faults)}")
    if report.electrode is not None:
        e = report.electrode
        table = Table(title=f"electrode {e.id}", title_justify="left", show_header=False)
        table.add_column("property")
        table.add_column("value")
        for name, kind, thickness in e.layers:
            table.add_row(f"layer {name} ({kind})", f"{thickness:.3f} µm (measured)")
        table.add_row("composition", "  ".join(f"{el} {x:.3f}" for el, x in sorted(e.composition.items())))
        if e.sigma25_s_per_cm is None or e.ea_kj_per_mol is None:
            table.add_row("σ(25 °C)", e.not_predicted or "σ25 not predicted")
        else:
            chance = "" if e.sigma25_p_meets_spec is None else f", P(≥ spec) {e.sigma25_p_meets_spec:.2f}"
            table.add_row(
                "σ(25 °C)", f"{e.sigma25_s_per_cm:.2e} S/cm (retention {e.conductivity_retention:.4f}{chance})"
            )
            table.add_row("Ea", f"{e.ea_kj_per_mol:.1f} kJ/mol")
            table.add_row("amorphous", "yes" if e.amorphous else "no")
        table.add_row("Li surface film", f"{e.lithium_surface_film_nm:.3f} nm")
        console.print(table)
    if report.cell is not None:
        _print_cell(report.cell.to_dict(), console)
    if report.exposure:
        table = Table(
            "item", "max O2 ppm", "max H2O ppm", "H2O dose ppm·s", title="exposure (unsealed)", title_justify="left"
        )
        for x in report.exposure:
            table.add_row(x.item, f"{x.max_o2_ppm:.3g}", f"{x.max_h2o_ppm:.3g}", f"{x.h2o_dose_ppm_s:.4g}")
        console.print(table)
    for t in report.targets:  # the planned use of each mounted target (docs/models/deposition.md)
        share = max(t.remaining_after, 0.0) / t.capacity
        console.print(
            f"target {t.target_id} on {t.source}: {t.use:.3g} {t.unit} for layer {t.layer} (rate {t.drift:+.1%} over "
            f"it), {share:.0%} of its life left" + (f" [yellow]{t.code}[/yellow]" if t.code else "")
        )
    for reason in report.reasons:
        console.print(f"[{colour}]reason:[/{colour}] {reason}")
    console.print(f"record: batch {report.batch} in {report.db}")
    console.print(f"audit head: {report.audit_head}  (keep it outside the database to detect a rewrite)")
    console.print(f"see it with: anodeline record {report.batch} --db {report.db}")


def _print_cell(cell: dict[str, Any], console: Console) -> None:
    """The twin's cell test beside the volumetric model and the patent's stated values."""
    table = Table("", "measured (twin, PyBaMM)", "volumetric model", "patent (stated)",
                  title=f"cell {cell['id']}", title_justify="left")  # fmt: skip
    model, patent = cell["volumetric_model"], cell["patent"]

    def shown(value: float | None, form: str) -> str:
        return "—" if value is None else format(value, form)

    table.add_row("capacity, Ah", shown(cell["capacity_ah"], ".3f"), shown(model["capacity_ah"], ".3f"),
                  shown(patent["capacity_ah"], ".3g"))  # fmt: skip
    table.add_row("energy, Wh", shown(cell["energy_wh"], ".3f"), shown(model["energy_wh"], ".3f"), "—")
    density = "energy_density_wh_per_l"
    table.add_row("energy density, Wh/L", shown(cell[density], ".0f"), shown(model[density], ".0f"),
                  shown(patent[density], ".0f"))  # fmt: skip
    console.print(table)
    console.print(f"n/p ratio {cell['n_p_ratio']:.2f}" + (f"; {cell['note']}" if cell["note"] else ""))


def print_record(data: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(
        f"[bold]batch {data['batch']}[/bold] recipe {data['recipe']} ({data['route']}) on {data['line']}: "
        f"{data['status']}, verdict {data['verdict']}"
    )
    for reason in data.get("reasons", []):
        console.print(f"reason: {reason}")
    electrode = data.get("electrode")
    if electrode:
        layers = ", ".join(f"{x['name']} {x['thickness_um']:.3f} µm" for x in electrode.get("layers", []))
        if electrode.get("sigma25_S_per_cm") is None:
            console.print(
                f"electrode {electrode['id']}: {layers}; {electrode.get('not_predicted', 'σ25 not predicted')}"
            )
        else:
            console.print(
                f"electrode {electrode['id']}: {layers}; σ25 {electrode['sigma25_S_per_cm']:.2e} S/cm, "
                f"Ea {electrode['ea_kj_per_mol']:.1f} kJ/mol, "
                f"{'amorphous' if electrode['amorphous'] else 'crystalline'}"
            )
        if isinstance(electrode.get("cell"), dict):  # a recipe with an assembly section (batch/cell.py)
            _print_cell(electrode["cell"], console)
    steps = Table("#", "action", "start", "end", "outcome", "arguments", title="steps", title_justify="left")
    for s in data["steps"]:
        args = ", ".join(f"{k}={v}" for k, v in s["arguments"].items())
        steps.add_row(str(s["index"]), s["action"], _hms(s["started_s"]), _hms(s["ended_s"]), s["outcome"], args)
    console.print(steps)
    readings = Table("channel", "unit", "samples", "min", "max", "last", title="readings", title_justify="left")
    for channel, r in data["readings"].items():
        readings.add_row(
            channel, r["unit"], str(r["samples"]), f"{r['min']:.4g}", f"{r['max']:.4g}", f"{r['last']:.4g}"
        )
    console.print(readings)
    for alarm in data["alarms"]:
        console.print(f"alarm {alarm['code']} at {_hms(alarm['raised_s'])}: {alarm['message']}")
    if data["genealogy"]:
        console.print(f"genealogy: {data['genealogy']['electrode']} from lots {', '.join(data['genealogy']['lots'])}")
        cell = data["genealogy"].get("cell")
        if cell:
            console.print(f"genealogy: {cell['id']} from {data['genealogy']['electrode']} and the cell parts")
    exposure = Table(
        "item", "space", "from", "to", "max O2", "max H2O", "H2O dose", title="exposure ledger", title_justify="left"
    )
    for x in data["exposure"]:
        exposure.add_row(
            x["item"], x["space"], _hms(x["start_s"]), _hms(x["end_s"]),
            f"{x['max_o2_ppm']:.3g}", f"{x['max_h2o_ppm']:.3g}", f"{x['h2o_dose_ppm_s']:.4g}",
        )  # fmt: skip
    console.print(exposure)
    if data.get("signatures"):
        signed = Table("printed name", "user", "signed (UTC)", "meaning", "record unchanged", title="signatures",
                       title_justify="left")  # fmt: skip
        for sig in data["signatures"]:
            unchanged = "yes" if sig["content_matches"] else "[red]NO: changed after signing[/red]"
            signed.add_row(sig["printed_name"], sig["user"], sig["signed_at"], sig["meaning_text"], unchanged)
        console.print(signed)
    for c in data.get("commands", []):
        console.print(f"command {c['verb']} by {c['user']} at {c['issued_at'][:19]}Z ({c['reason']}): "
                      f"{c['outcome'] or 'not taken yet'}")  # fmt: skip
    if data.get("prompts"):
        asked = Table("step", "asked", "answer", "by", "answered (UTC)", "reason", title="prompts")
        for p in data["prompts"]:
            asked.add_row(str(p["step"]), p["instructions"], p["answer"] or "open", p["user"] or "-",
                          (p["answered_at"] or "-")[:19], p["reason"] or "-")  # fmt: skip
        console.print(asked)
    console.print(f"released: {'yes' if data.get('released') else 'no'}")
    audit = data["audit"]
    state = "intact" if audit["ok"] else "[red]BROKEN[/red]"
    rows = ", every row checked" if audit.get("rows_checked") else ""
    console.print(f"audit trail: {state}, {audit['entries']} entries{rows}, head {audit['head']}")
    for problem in audit.get("problems", []):
        console.print(f"  [red]{problem['code']}[/red] {problem['where']}: {problem['reason']}")
