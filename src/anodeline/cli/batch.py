"""``anodeline run``, ``batches``, ``record`` and ``audit verify``: batches on the twin and their records."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import EXIT_FAIL, EXIT_USAGE, print_json, usage_error

audit_app = typer.Typer(help="The tamper-evident audit trail of the batch records.", no_args_is_help=True)
app.add_typer(audit_app, name="audit", rich_help_panel=BATCHES)

DB_HELP = "Database URL: sqlite:///path.sqlite (default: $ANODELINE_DB or sqlite:///anodeline.sqlite) or postgresql://…"
_DB = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
_JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _db(url: str | None) -> str | None:
    return url or os.environ.get("ANODELINE_DB")


def _store(url: str | None) -> Any:
    from anodeline.errors import AnodelineError
    from anodeline.records import open_store

    try:
        store = open_store(_db(url))
        store.migrate()
    except AnodelineError as exc:
        usage_error(f"{exc.message} [{exc.code}]", exc.hint)
    return store


@app.command(rich_help_panel=BATCHES)
def run(
    recipe: Annotated[Path | None, typer.Argument(help="Recipe YAML file.", show_default=False)] = None,
    line: Annotated[Path | None, typer.Option("--line", help="Line YAML (default: the route's shipped line).")] = None,
    db: _DB = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the twin (same seed, same batch).")] = 0,
    fault: Annotated[
        list[str] | None, typer.Option("--fault", help="Inject a fault (repeatable); see --list-faults.")
    ] = None,
    lot: Annotated[
        list[str] | None, typer.Option("--lot", help="ROLE=LOT-ID, e.g. substrate=CU-2611 (repeatable).")
    ] = None,
    list_faults: Annotated[bool, typer.Option("--list-faults", help="List the faults the twin can inject.")] = False,
    max_hours: Annotated[
        float | None,
        typer.Option(
            "--max-hours",
            show_default=False,
            help="Abort (TIMEOUT) a run that takes longer than this many simulated hours "
            "(default: 3 × the procedure's planned duration + one 2 h suspender hold).",
        ),
    ] = None,
    json_output: _JSON = False,
) -> None:
    """Make a recipe's electrode on the digital twin, record the batch, and judge it."""
    from anodeline.errors import AnodelineError

    if list_faults:
        from anodeline.devices.sim.faults import describe_faults

        for name, description, target, when in describe_faults():
            typer.echo(f"{name:16} {description} (target: {target or 'default'}; at: {when or 'default'})")
        typer.echo("syntax: --fault NAME[:TARGET][@SECONDS][*SCALE], e.g. --fault leak:chamber-5@3600")
        return
    lots: dict[str, str] = {}
    for entry in lot or []:
        role, sep, lot_id = entry.partition("=")
        if not sep or not role or not lot_id:
            usage_error(f"--lot {entry!r} is not ROLE=LOT-ID", "e.g. --lot substrate=CU-2611 --lot electrolyte=T-77")
        lots[role.strip()] = lot_id.strip()
    if recipe is None:
        usage_error("missing RECIPE", "anodeline run RECIPE.yaml")
    if max_hours is not None and not 0.0 < max_hours < float("inf"):
        usage_error(f"--max-hours {max_hours:g} is not a positive number of hours", "e.g. --max-hours 24")
    from anodeline.documents.files import read_document
    from anodeline.errors import RecipeError

    try:  # refuse an unreadable file before importing the engine and the twin
        read_document(recipe, "recipe file", RecipeError)
    except RecipeError as exc:
        usage_error(f"{exc.message} [{exc.code}]", exc.hint)
    import gc

    from anodeline.batch.runner import run_batch
    from anodeline.cli.run_view import RunProgress, print_report

    # The imported modules' objects live as long as the process: frozen, the cyclic collector stops
    # rescanning them on each of the batch's collections (results unchanged; ~2 % of a run's CPU).
    gc.freeze()
    try:
        if json_output:
            report = run_batch(
                recipe, line_path=line, db_url=_db(db), seed=seed, faults=fault or (), lots=lots, max_hours=max_hours
            )
        else:
            with RunProgress() as progress:
                report = run_batch(
                    recipe, line_path=line, db_url=_db(db), seed=seed, faults=fault or (), lots=lots,
                    progress=progress.update, max_hours=max_hours,
                )  # fmt: skip
    except AnodelineError as exc:  # the one exit-code table: refused 1, usage or unreadable 2
        from anodeline.cli.app import describe, exit_code_of

        message, hint = describe(exc)
        typer.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)
        raise typer.Exit(exit_code_of(exc)) from None
    if json_output:
        print_json(report.to_dict())
    else:
        print_report(report)
    raise typer.Exit(0 if report.status == "complete" and report.verdict == "pass" else EXIT_FAIL)


@app.command(rich_help_panel=BATCHES)
def batches(db: _DB = None, json_output: _JSON = False) -> None:
    """List the batches in the record store, oldest first."""
    store = _store(db)
    with store:
        rows = store.list_batches()
    if json_output:
        print_json({"batches": [_batch_summary(b) for b in rows]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("recipe", "route", "status", "verdict", "simulated", "started (UTC)")
    table.add_column("batch", no_wrap=True)
    for b in rows:
        simulated = f"{(b.ended_sim_s or 0.0) / 3600:.2f} h" if b.ended_sim_s is not None else "-"
        started = b.started_at.strftime("%m-%d %H:%M") if b.started_at else "-"
        table.add_row(b.recipe_id, b.route, b.status, b.verdict or "-", simulated, started, b.batch_id)
    Console().print(table)


def _batch_summary(b: Any) -> dict[str, Any]:
    return {
        "batch": b.batch_id, "recipe": b.recipe_id, "route": b.route, "status": b.status, "verdict": b.verdict,
        "seed": b.seed, "reasons": list(b.reasons), "simulated_seconds": b.ended_sim_s,
        "created_at": b.created_at.isoformat(), "ended_at": b.ended_at.isoformat() if b.ended_at else None,
    }  # fmt: skip


@app.command(rich_help_panel=BATCHES)
def record(
    batch: Annotated[str, typer.Argument(help="Batch id (see 'anodeline batches').")],
    db: _DB = None,
    json_output: _JSON = False,
) -> None:
    """Show one batch record: steps, readings, genealogy, exposure, alarms and audit status."""
    from anodeline.batch.report import batch_record
    from anodeline.records.errors import RecordNotFoundError

    store = _store(db)
    with store:
        try:
            data = batch_record(store, batch)
        except RecordNotFoundError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            typer.echo("hint: 'anodeline batches' lists the batch ids", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    if json_output:
        print_json(data)
        return
    from anodeline.cli.run_view import print_record

    print_record(data)


@audit_app.command("verify")
def audit_verify(db: _DB = None, json_output: _JSON = False) -> None:
    """Recompute the SHA-256 chain of the audit trail: exit 0 if intact, 1 naming the first bad entry."""
    store = _store(db)
    with store:
        report = store.verify_chain()
    data: dict[str, Any] = {"ok": report.ok, "entries": report.entries}
    if report.head is not None:
        data["head"] = {"sequence": report.head.sequence, "hash": report.head.hash}
    if report.first_bad is not None:
        data["first_bad"] = {"sequence": report.first_bad.sequence, "reason": report.first_bad.reason}
    if json_output:
        print_json(data)
    elif report.ok:
        typer.echo(
            f"audit trail intact: {report.entries} entries" + (f", head {report.head.hash}" if report.head else "")
        )
    else:
        bad = report.first_bad
        typer.echo(f"audit trail BROKEN at entry {bad.sequence if bad else '?'}: {bad.reason if bad else ''}", err=True)
    raise typer.Exit(0 if report.ok else EXIT_FAIL)
