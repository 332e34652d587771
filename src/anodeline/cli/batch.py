"""``anodeline run``, ``batches``, ``record`` and ``audit verify|anchor``: batches on the twin and their records.

``run`` writes (it creates and migrates the database); the others only read and refuse a missing
database or one without the schema (exit 2).
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.access import (
    ANCHOR_LOG,
    AS_HELP,
    CERTS_DEFAULT,
    OPCUA_USER,
    anchor_head,
    db_url,
    equipment_option,
    read_store,
)
from anodeline.cli.access import DB as _DB
from anodeline.cli.access import JSON as _JSON
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import EXIT_FAIL, EXIT_USAGE, print_json, usage_error

audit_app = typer.Typer(help="The tamper-evident audit trail of the batch records.", no_args_is_help=True)
app.add_typer(audit_app, name="audit", rich_help_panel=BATCHES)
_db = db_url


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
    as_user: Annotated[str | None, typer.Option("--as", help=AS_HELP + " Optional on the twin.")] = None,
    anchor_log: ANCHOR_LOG = None,
    max_hours: Annotated[
        float | None,
        typer.Option(
            "--max-hours",
            show_default=False,
            help="Abort (TIMEOUT) a run that takes longer than this many simulated hours "
            "(default: 3 × the procedure's planned duration + one 2 h suspender hold).",
        ),
    ] = None,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            show_default=False,
            help="Run the twin on the wall clock at N× real time (e.g. --speed 600: an hour in 6 s), as a line "
            "would run, so commands and a crash land mid-batch (default: simulated time, as fast as possible). "
            "With --devices: clock seconds per wall second, the twin server's --speed (default 1: real hardware).",
        ),
    ] = None,
    json_output: _JSON = False,
    operator: Annotated[
        str | None,
        typer.Option(
            "--operator",
            show_default="manual with --devices, else simulated",
            help="Who does the manual steps: 'simulated' (the twin's operator) or 'manual' (prompts a person "
            "answers with 'anodeline confirm'; on the twin it needs --speed).",
        ),
    ] = None,
    prompt_timeout: Annotated[
        float,
        typer.Option("--prompt-timeout", help="Wall seconds a person has to answer a prompt; then the batch holds."),
    ] = 1800.0,
    devices: Annotated[
        str | None,
        equipment_option(
            "--devices", "Run on equipment at this OPC UA endpoint (opc.tcp://HOST:PORT/PATH) instead of the twin."
        ),
    ] = None,
    bindings: Annotated[
        list[Path] | None,
        equipment_option(
            "--bindings", "Bindings file(s) of the line (default: examples/bindings/LINE.opcua.yaml); repeatable."
        ),
    ] = None,
    certs: Annotated[
        Path | None,
        equipment_option(
            "--certs", "This client's certificate and the trusted servers (trusted/); made on first use.", CERTS_DEFAULT
        ),
    ] = None,
    user: OPCUA_USER = None,
) -> None:
    """Make a recipe's electrode on the digital twin (or on equipment: --devices), record the batch, and judge it."""
    from anodeline.errors import AnodelineError

    if list_faults:
        from anodeline.devices.sim.faults import describe_faults

        for name, description, target, when in describe_faults():
            typer.echo(f"{name:16} {description} (target: {target or 'default'}; at: {when or 'default'})")
        typer.echo("syntax: --fault NAME[:TARGET][@SECONDS][*SCALE], e.g. --fault leak:chamber-5@3600")
        return
    from anodeline.batch.materials import LotUsageError, parse_lots

    try:
        lots = parse_lots(lot or [])
    except LotUsageError as exc:
        usage_error(f"{exc.message} [{exc.rule}]", exc.hint)
    if recipe is None:
        usage_error("missing RECIPE", "anodeline run RECIPE.yaml")
    if max_hours is not None and not 0.0 < max_hours < float("inf"):
        usage_error(f"--max-hours {max_hours:g} is not a positive number of hours", "e.g. --max-hours 24")
    if speed is not None and not 0.0 < speed < float("inf"):
        usage_error(f"--speed {speed:g} is not a positive factor", "e.g. --speed 600 (an hour in 6 s)")
    from anodeline.documents.files import read_document
    from anodeline.errors import RecipeError

    try:  # refuse an unreadable file before importing the engine and the twin
        read_document(recipe, "recipe file", RecipeError)
    except RecipeError as exc:
        usage_error(f"{exc.message} [{exc.code}]", exc.hint)
    from anodeline.batch.runner import run_batch
    from anodeline.cli.access import acting_user
    from anodeline.cli.app import settled

    # The imported modules' objects live as long as the process: frozen, the cyclic collector stops
    # rescanning them on each of the batch's collections (results unchanged; ~2 % of a run's CPU).
    settled()

    def authorize(store: Any) -> str:
        assert as_user is not None
        return acting_user(store, as_user, "run", anchor_log=anchor_log).name

    people = _operator_choice(operator, prompt_timeout, speed, devices is not None or bool(bindings))
    equipment, clock = None, None
    if devices is not None or bindings:
        from anodeline.cli.equipment import connect_equipment

        if fault:
            usage_error(
                "--fault is for the twin: inject faults at the server", "anodeline twin serve LINE --fault NAME"
            )
        equipment, clock = connect_equipment(recipe, line, devices, bindings or [], speed or 1.0, certs, user)
    extra: dict[str, Any] = {"equipment": equipment, "clock": clock} if equipment is not None else {}
    extra["operator"] = people
    common: dict[str, Any] = {
        "line_path": line, "db_url": _db(db), "seed": seed, "faults": fault or (), "lots": lots,
        "max_hours": max_hours, "speed": speed if equipment is None else None,
        "authorize": authorize if as_user is not None else None,
        "on_close": lambda store: anchor_head(store, "after run", anchor_log), **extra,
        "on_warning": lambda message: typer.echo(f"warning: {message}", err=True),  # before the batch starts
    }  # fmt: skip
    try:
        if json_output:
            report = run_batch(recipe, **common)
        else:
            from anodeline.cli.run_view import RunProgress

            with RunProgress() as progress:
                report = run_batch(recipe, progress=progress.update, **common)
    except AnodelineError as exc:  # the one exit-code table: refused 1, usage or unreadable 2
        from anodeline.cli.app import describe, exit_code_of

        message, hint = describe(exc)
        typer.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)
        raise typer.Exit(exit_code_of(exc)) from None
    finally:
        if equipment is not None:
            equipment.close()
    if json_output:
        print_json(report.to_dict())
    else:  # rich (≈ 0.2 G instructions) only for people: --json leaves it unimported
        from anodeline.cli.run_view import print_report

        print_report(report)
    raise typer.Exit(0 if report.status == "complete" and report.verdict == "pass" else EXIT_FAIL)


def _operator_choice(kind: str | None, timeout_s: float, speed: float | None, equipment: bool) -> Any:
    """``--operator`` (default: manual on equipment, simulated on the twin), checked before anything is recorded."""
    from anodeline.batch.operator import OperatorChoice, PromptUsageError

    def notice(prompt: Any) -> None:
        typer.echo(f"prompt: {prompt.batch_id} step {prompt.step}: {prompt.instructions} — answer with "
                   f"'anodeline confirm {prompt.batch_id} {prompt.step} --as USER' by {prompt.deadline[:19]}Z",
                   err=True)  # fmt: skip

    choice = OperatorChoice(kind or ("manual" if equipment else "simulated"), timeout_s, notice)
    try:
        choice.check(speed=speed, equipment=equipment)
    except PromptUsageError as exc:
        usage_error(f"{exc.message} [{exc.rule}]", exc.hint)
    return choice


@app.command(rich_help_panel=BATCHES)
def batches(db: _DB = None, json_output: _JSON = False) -> None:
    """List the batches in the record store, oldest first."""
    from anodeline.records.lease import shown_status

    store = read_store(db)
    with store:
        rows = store.list_batches()
        released = store.released_batches()
        leases = store.leases()
    # a running batch no live process controls (its lease expired, its process gone) is interrupted
    status = {b.batch_id: shown_status(b.status, leases.get(b.batch_id)) for b in rows}
    if json_output:
        print_json(
            {
                "batches": [
                    {**_batch_summary(b), "status": status[b.batch_id], "released": b.batch_id in released}
                    for b in rows
                ]
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("recipe", "route", "status", "verdict", "released", "simulated", "started (UTC)")
    table.add_column("batch", no_wrap=True)
    for b in rows:
        simulated = f"{(b.ended_sim_s or 0.0) / 3600:.2f} h" if b.ended_sim_s is not None else "-"
        started = b.started_at.strftime("%m-%d %H:%M") if b.started_at else "-"
        mark = "yes" if b.batch_id in released else "-"
        table.add_row(b.recipe_id, b.route, status[b.batch_id], b.verdict or "-", mark, simulated, started, b.batch_id)
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
    export: Annotated[
        str | None,
        typer.Option("--export", show_default=False,
                     help="Write the record as 'html' (a self-contained report with plots) or 'csv' (telemetry)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", show_default=False, help="File to write the export to (default: BATCH.html "
                     "or BATCH.csv in the current folder; '-' for stdout)."),
    ] = None,
    anchor_log: ANCHOR_LOG = None,
) -> None:  # fmt: skip
    """Show one batch record: electrode, steps, readings, genealogy, exposure, signatures and audit status."""
    from anodeline.batch.report import batch_record
    from anodeline.records.errors import RecordNotFoundError

    if export is not None and export not in ("html", "csv"):
        usage_error(f"--export {export!r} is not a format", "use --export html or --export csv")
    store = read_store(db)
    with store:
        try:
            data = batch_record(store, batch, anchor_log=anchor_log, telemetry=export is not None)
        except RecordNotFoundError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            typer.echo("hint: 'anodeline batches' lists the batch ids", err=True)
            raise typer.Exit(EXIT_USAGE) from None
    if export is not None:
        from anodeline.batch.export import write_export

        where = write_export(data, export, output)
        typer.echo(f"wrote {where}", err=True)
        return
    if json_output:
        data.pop("telemetry", None)
        print_json(data)
        return
    from anodeline.cli.run_view import print_record

    print_record(data)


@audit_app.command("verify")
def audit_verify(
    db: _DB = None,
    json_output: _JSON = False,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", show_default=False,
                     help="An audit head kept outside the database (HASH or SEQUENCE:HASH, as 'run' printed it)."),
    ] = None,
    anchor_log: ANCHOR_LOG = None,
    rows: Annotated[
        bool, typer.Option("--rows/--no-rows", help="Cross-check every domain row against the audit payloads.")
    ] = True,
) -> None:  # fmt: skip
    """Check the audit trail: the SHA-256 chain, every table row against it, and the anchors kept
    outside the database. Exit 0 if all hold, 1 naming what does not."""
    from anodeline.records.anchors import anchor_path, read_anchors, verify_key

    store = read_store(db)
    with store:
        path = anchor_path(store.url, anchor_log)
        anchors = read_anchors(path) if path is not None else []
        report = store.verify(anchor=anchor, anchors=anchors, rows=rows, anchor_log=str(path) if path else "",
                              public_key=verify_key())  # fmt: skip
    data = report.to_dict()
    data["anchor_log"] = str(path) if path is not None else None
    if json_output:
        print_json(data)
    elif report.ok:
        head = f", head {report.head.sequence}:{report.head.hash}" if report.head else ""
        checked = ["chain"] + (["every table row"] if report.rows_checked else [])
        checked += [f"{report.anchors_checked} anchors ({path})"] if report.anchors_checked else []
        typer.echo(f"audit trail intact: {report.entries} entries{head}; checked {', '.join(checked)}")
        if path is None:
            typer.echo("note: no anchor log (set ANODELINE_ANCHOR_LOG): truncation and rewrites need an anchor",
                       err=True)  # fmt: skip
    else:
        typer.echo(f"audit trail BROKEN: {len(report.problems)} problem(s)", err=True)
        for problem in report.problems:
            typer.echo(f"  {problem}", err=True)
    raise typer.Exit(0 if report.ok else EXIT_FAIL)


@audit_app.command("anchor")
def audit_anchor(
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP + " qa or admin.")],
    db: _DB = None,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Record the chain's head in the anchor log after reviewing entries no anodeline command anchored."""
    from anodeline.cli.access import acting_user
    from anodeline.records.anchors import anchor_path

    store = read_store(db)
    with store:
        user = acting_user(store, as_user, "anchor", anchor_log=anchor_log)
        report = store.verify(rows=True)
        if not report.ok:
            for problem in report.problems:
                typer.echo(f"  {problem}", err=True)
            usage_error("the chain or the tables do not verify: nothing anchored", "run 'anodeline audit verify'")
        path = anchor_path(store.url, anchor_log)
        if path is None:
            usage_error("this store has no anchor log", "set ANODELINE_ANCHOR_LOG or give --anchor-log")
        store.record_anchor(user=user.name, note="audit anchor")
        anchor_head(store, f"audit anchor by {user.name}", anchor_log)
        head = store.audit_head()
    typer.echo(f"anchored {head.sequence}:{head.hash} in {path}" if head else "nothing to anchor")


@audit_app.command("keygen")
def audit_keygen(
    path: Annotated[Path, typer.Argument(help="New file for the private key (its public key goes to PATH.pub).")],
) -> None:
    """Make an Ed25519 key pair that signs each anchor line (keep the private key off the database's host)."""
    from anodeline.records.anchors import KEY_ENV, PUBKEY_ENV, make_key_pair

    public = make_key_pair(path)
    typer.echo(f"private key {path} (mode 0600): set {KEY_ENV}={path} where anodeline writes")
    typer.echo(f"public key {public}: set {PUBKEY_ENV}={public} where the audit is verified")
