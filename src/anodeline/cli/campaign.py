"""``anodeline campaign plan``: schedule many batches on the campaign's lines, prove the plan air-free.

Heavy modules (the line model, OR-Tools, matplotlib, SimPy) are imported inside the command.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from anodeline.cli.app import app
from anodeline.cli.output import fail, print_json, usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.campaign.errors import CampaignError
    from anodeline.campaign.load import Campaign
    from anodeline.campaign.plan import Plan
    from anodeline.campaign.run import CampaignRun

CAMPAIGNS = "Campaigns"
campaign_app = typer.Typer(help="Plan many batches on one or more lines (docs/campaigns.md).", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign", rich_help_panel=CAMPAIGNS)


def refuse_campaign(path: Path, exc: "CampaignError") -> NoReturn:
    """Every violation on its own located line; exit 2 for an unreadable file, 1 for a refused one."""
    from anodeline.errors import UnreadableInputError

    lines = [f"{path}:{v.line}:{v.column}: {v.code} {v.message}" for v in exc.violations if v.is_error]
    message = "\n".join(lines) if lines else (f"{exc.location}: {exc.message}" if exc.location else exc.message)
    if isinstance(exc, UnreadableInputError):
        usage_error(message, exc.hint)
    fail(message, exc.hint)


def load(path: Path) -> "Campaign":
    from anodeline.campaign.errors import CampaignError
    from anodeline.campaign.load import load_campaign

    try:
        return load_campaign(path)
    except CampaignError as exc:
        refuse_campaign(path, exc)


def _prove(p: "Plan", campaign: "Campaign") -> dict[str, dict[str, object]]:
    """The merged timeline of each line through the verifier; exit 1 with the located refusal if not air-free."""
    from anodeline.campaign.merge import verify_schedule
    from anodeline.cli.lineplan import _placed, _refused

    proofs: dict[str, dict[str, object]] = {}
    for line, (procedure, verdict) in verify_schedule(p.problem, p.schedule, dict(campaign.lines)).items():
        if not verdict.air_free:
            assert verdict.failure is not None
            failure = _placed(procedure, verdict.failure)
            fail(f"the plan is NOT air-free on line {line}: {_refused(procedure, failure)} "
                 f"({procedure.note(failure.step)})", failure.hint)  # fmt: skip
        proofs[line] = {"air_free": True, "steps": verdict.steps}
    return proofs


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.2f} h"


def _print(p: "Plan") -> None:
    from rich.console import Console
    from rich.table import Table

    data = p.to_dict()
    console = Console()
    table = Table(title=f"campaign {data['campaign']}: {len(data['batches'])} batches", show_header=False)
    rows = [
        ("solver", f"{data['solver']}" + (f" ({p.solver_status})" if p.solver_status else "")),
        ("makespan", _hours(data["makespan_s"])),
        ("lower bound", f"{_hours(data['lower_bound_s'])} (bottleneck {data['bottleneck']})"),
        ("gap to the bound", f"{100 * data['gap']:.1f} %"),
        ("FIFO (one batch at a time)", f"{_hours(data['fifo_makespan_s'])} "
                                       f"({100 * (1 - data['makespan_s'] / data['fifo_makespan_s']):.0f} % saved)"),
        ("air-free", ", ".join(f"{line}: {proof['steps']} steps verified" for line, proof in p.air_free.items())),
        ("due misses", ", ".join(f"{m['batch']} +{_hours(m['late_s'])}" for m in data["due_misses"]) or "none"),
    ]  # fmt: skip
    busy = p.schedule.busy_s(p.problem)
    rows.append(("utilisation", ", ".join(f"{name} {100 * seconds / max(data['makespan_s'], 1):.0f} %"
                                          for name, seconds in sorted(busy.items()))))  # fmt: skip
    if p.uncertain is not None:
        u = p.uncertain
        rows.append((f"replay ({u.replications} replications)",
                     f"median {_hours(u.median_s)}, p90 {_hours(u.p90_s)}"))  # fmt: skip
        for order, share in u.meet_due.items():
            rows.append((f"P(meet due) {order}", f"{100 * share:.0f} %"))
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    lines: dict[str, int] = {}
    for b in data["batches"]:
        lines[b["line"]] = lines.get(b["line"], 0) + 1
    console.print("batches per line: " + ", ".join(f"{line} {n}" for line, n in lines.items()))


@campaign_app.command("plan")
def plan_command(
    campaign: Annotated[Path, typer.Argument(help="Campaign YAML file.", show_default=False)],
    solver: Annotated[str, typer.Option("--solver", help="heuristic | cp-sat")] = "heuristic",
    time_limit: Annotated[float, typer.Option("--time-limit", help="CP-SAT's time limit, s.", min=0.1)] = 10.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    gantt: Annotated[Path | None, typer.Option("--gantt", help="Write a Gantt chart (.png or .html).")] = None,
    replications: Annotated[
        int, typer.Option("--replications", help="Replay the plan N times with random durations and faults.", min=0)
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the replications.")] = 0,
) -> None:
    """Schedule a campaign near its bottleneck bound, beside FIFO; prove the interleaved plan air-free.

    Exit 0 when planned and air-free, 1 when the campaign or its plan is refused, 2 for usage errors.
    """
    from anodeline.campaign.plan import SOLVERS

    if solver not in SOLVERS:
        usage_error(f"unknown solver {solver!r}", f"use one of {', '.join(SOLVERS)}")
    if gantt is not None and gantt.suffix.lower() not in (".png", ".html"):
        usage_error(f"--gantt {gantt}: the chart is written as .png or .html", "name the file chart.png or chart.html")
    loaded = load(campaign)
    from dataclasses import replace

    from anodeline.campaign.plan import plan, with_replications
    from anodeline.campaign.replay import Randomness

    result = plan(loaded.problem(), solver, time_limit)
    result = replace(result, air_free=_prove(result, loaded))
    if replications:
        u = loaded.spec.uncertainty
        randomness = Randomness(u.operator_sigma, u.pump_spread, u.fault_rate, u.fault_hold_s)
        result = with_replications(result, randomness, replications, seed)
    if gantt is not None:
        from anodeline.campaign.gantt import write_gantt

        try:
            write_gantt(result, gantt)
        except OSError as exc:
            usage_error(f"cannot write {gantt}: {exc.strerror or exc}", "check the folder exists and is writable")
    if json_output:
        print_json(result.to_dict())
    else:
        _print(result)


@campaign_app.command("run")
def run_command(
    campaign: Annotated[Path, typer.Argument(help="Campaign YAML file.", show_default=False)],
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL (default: $ANODELINE_DB or sqlite:///anodeline.sqlite).", show_default=False
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the twin.")] = 0,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault",
            help="BATCH=FAULT: inject a twin fault into one batch (repeatable; 'anodeline run --list-faults').",
        ),
    ] = None,
) -> None:
    """Plan the campaign, prove it air-free, then run it interleaved on the twin, one record per batch.

    Exit 0 when every batch completed and passed, 1 when a batch failed, was held or the plan is
    refused, 2 for usage errors (an unreadable file, an unknown batch or fault, a database that
    cannot be opened).
    """
    from dataclasses import replace

    from anodeline.cli.access import anchor_head, write_store
    from anodeline.cli.output import EXIT_FAIL
    from anodeline.errors import AnodelineError

    faults: dict[str, list[str]] = {}
    for spec in fault or ():
        batch, sep, what = spec.partition("=")
        if not sep or not batch or not what:
            usage_error(f"--fault {spec!r}: write BATCH=FAULT", "e.g. --fault example-01-003=pump-failure:rotary-4")
        faults.setdefault(batch, []).append(what)
    loaded = load(campaign)
    from anodeline.campaign.plan import plan
    from anodeline.campaign.run import run_campaign

    planned = plan(loaded.problem())
    planned = replace(planned, air_free=_prove(planned, loaded))
    from anodeline.cli.app import describe, settled

    settled()  # a campaign runs for long: the collector back on, the imports frozen
    try:
        store = write_store(db)
    except AnodelineError as exc:
        usage_error(*describe(exc))
    try:
        try:
            result = run_campaign(loaded, planned, store, seed=seed, faults=faults)
        except AnodelineError as exc:
            usage_error(*describe(exc))
        anchor_head(store, f"after campaign run {loaded.name}")
    finally:
        store.close()
    if json_output:
        print_json(result.to_dict())
    else:
        _print_run(result)
    ok = result.status == "complete" and all(b.verdict == "pass" for b in result.batches)
    raise typer.Exit(0 if ok else EXIT_FAIL)


def _print_run(result: "CampaignRun") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"campaign {result.campaign}: {result.status}, {_hours(result.makespan_s)} "
                        f"(planned {_hours(result.planned_makespan_s)})")  # fmt: skip
    for column in ("batch", "line", "record", "start", "end", "status", "verdict"):
        table.add_column(column, no_wrap=True)
    table.add_column("why")
    for b in result.batches:
        table.add_row(b.batch, b.line + (" (re-planned)" if b.replanned else ""), b.record or "-",
                      _hours(b.start_s) if b.start_s is not None else "-",
                      _hours(b.end_s) if b.end_s is not None else "-", b.status, b.verdict or "-",
                      "; ".join(b.reasons[:1]))  # fmt: skip
    console = Console()
    console.print(table)
    console.print(f"records in {result.db}; audit head {result.audit_head}")


@app.command(rich_help_panel=CAMPAIGNS)
def sweep(
    file: Annotated[Path, typer.Argument(help="Sweep YAML file.", show_default=False)],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (default: a local cluster).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Workers of the local cluster.", min=1)] = 2,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Write sweep.csv and plots to this folder.")] = None,
) -> None:
    """Vary line and campaign parameters over a grid or a Latin hypercube; each point planned and replayed on Dask.

    Exit 0 when every point ran, 1 when the sweep or its campaign is refused, 2 for usage errors
    (an unreadable file, an unreachable scheduler).
    """
    from anodeline.campaign.errors import CampaignError
    from anodeline.campaign.sweep import load_sweep, run_sweep, write_report

    try:
        spec = load_sweep(file)
    except CampaignError as exc:
        refuse_campaign(file, exc)
    load(spec.campaign)  # refuse a bad campaign here, with its locations, not on a worker

    def progress(done: int, total: int) -> None:
        typer.echo(f"\r{done}/{total} points", err=True, nl=done == total)

    try:
        rows = run_sweep(spec, scheduler, workers, progress=progress)
    except CampaignError as exc:
        usage_error(exc.message, exc.hint)
    if report is not None:
        write_report(rows, spec, report)
    if json_output:
        print_json({"sweep": spec.name, "points": rows})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"sweep {spec.name}: {len(rows)} points")
    keys = [k for k in rows[0] if k != "bottleneck"] if rows else []
    for key in keys:
        table.add_column(key, justify="right")
    for row in rows:
        table.add_row(*(f"{row[k]:.3g}" if isinstance(row[k], float) else str(row[k]) for k in keys))
    Console().print(table)
