"""``anodeline batch hold|restart|stop|abort BATCH --as USER --reason TEXT``: ISA-88 commands.

An operator may hold and stop, an engineer also restart and abort (records/auth.py). A batch a
live process runs gets the command through the records database, taken at its next step boundary
(or poll, while held). A batch no process runs any more — held by an earlier run, or interrupted —
is stopped or aborted by the command itself, in the record; restarting one is ``anodeline resume``.
"""

from pathlib import Path
from typing import Annotated

import typer

from anodeline.cli.access import (
    ANCHOR_LOG,
    AS_HELP,
    CERTS_DEFAULT,
    DB,
    JSON,
    OPCUA_USER,
    acting_user,
    anchor_head,
    equipment_option,
    write_store,
)
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import print_json, usage_error

batch_app = typer.Typer(help="ISA-88 commands to a batch: hold, restart, stop, abort.", no_args_is_help=True)
app.add_typer(batch_app, name="batch", rich_help_panel=BATCHES)

_BATCH = Annotated[str, typer.Argument(help="Batch id (see 'anodeline batches').")]
_AS = Annotated[str, typer.Option("--as", help=AS_HELP)]
_REASON = Annotated[str, typer.Option("--reason", help="Why, in a few words (kept in the audit trail).")]


def _send(verb: str, batch: str, as_user: str, reason: str, db: str | None, json_output: bool, log: str | None) -> None:
    from anodeline.batch.commands import send_command

    if not reason.strip():
        usage_error("--reason is empty", "say why, e.g. --reason 'O2 analyser in chamber 5 to be checked'")
    with write_store(db, create=False) as store:
        store.get_batch(batch)  # an unknown batch is a usage error before anyone is asked for a password
        user = acting_user(store, as_user, verb, batch_id=batch, anchor_log=log)
        try:
            sent = send_command(store, batch, verb=verb, user=user.name, reason=reason)
        finally:
            anchor_head(store, f"batch {verb} {batch} by {user.name}", log)
    if json_output:
        print_json(sent.to_dict())
        return
    typer.echo(f"{verb} {batch} by {user.full_name} ({user.name}, {user.role}): {sent.said}")


@batch_app.command("hold")
def hold(batch: _BATCH, as_user: _AS, reason: _REASON, db: DB = None, json_output: JSON = False,
         anchor_log: ANCHOR_LOG = None) -> None:  # fmt: skip
    """Hold a running batch at its next step boundary (every sensitive item made safe); operator or engineer."""
    _send("hold", batch, as_user, reason, db, json_output, anchor_log)


@batch_app.command("restart")
def restart(batch: _BATCH, as_user: _AS, reason: _REASON, db: DB = None, json_output: JSON = False,
            anchor_log: ANCHOR_LOG = None) -> None:  # fmt: skip
    """Restart a held batch, if the hold's cause has cleared and the rest re-verifies air-free; engineer."""
    _send("restart", batch, as_user, reason, db, json_output, anchor_log)


@batch_app.command("stop")
def stop(batch: _BATCH, as_user: _AS, reason: _REASON, db: DB = None, json_output: JSON = False,
         anchor_log: ANCHOR_LOG = None) -> None:  # fmt: skip
    """Stop a batch in order at its next step boundary, everything made safe; operator or engineer."""
    _send("stop", batch, as_user, reason, db, json_output, anchor_log)


@batch_app.command("abort")
def abort(batch: _BATCH, as_user: _AS, reason: _REASON, db: DB = None, json_output: JSON = False,
          anchor_log: ANCHOR_LOG = None) -> None:  # fmt: skip
    """Abort a batch now: make safe, stop every device, verdict fail; engineer."""
    _send("abort", batch, as_user, reason, db, json_output, anchor_log)


def _twin_speed(speed: float | None) -> float | None:
    """``resume --speed`` for a twin batch: a positive factor (the rest on the wall clock), or None."""
    if speed is not None and not 0.0 < speed <= 100_000.0:
        usage_error(f"--speed {speed:g} is not a positive factor", "e.g. --speed 600 (an hour in 6 s)")
    return speed


@app.command(rich_help_panel=BATCHES)
def resume(
    batch: _BATCH,
    as_user: _AS,
    db: DB = None,
    cold: Annotated[
        bool, typer.Option("--cold", help="Abandon safely instead: make-safe, items quarantined, batch aborted.")
    ] = False,
    json_output: JSON = False,
    anchor_log: ANCHOR_LOG = None,
    devices: Annotated[
        str | None,
        equipment_option(
            "--devices", "The OPC UA endpoint, if not the one the batch ran on (a batch run on equipment)."
        ),
    ] = None,
    bindings: Annotated[
        list[Path] | None,
        equipment_option("--bindings", "Bindings file(s), if not those the batch ran with; repeatable."),
    ] = None,
    certs: Annotated[
        Path | None,
        equipment_option(
            "--certs",
            "This client's certificate and the trusted servers; the server must be the one recorded.",
            CERTS_DEFAULT,
        ),
    ] = None,
    user: OPCUA_USER = None,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            show_default="the recorded speed",
            rich_help_panel="Equipment",
            help="Clock seconds per wall second of the equipment (a twin server's --speed; 1 on hardware); for a "
            "twin batch, run the rest on the wall clock at N x real time (with --operator manual its manual steps "
            "become prompts).",
        ),
    ] = None,
    operator: Annotated[
        str | None,
        typer.Option(
            "--operator",
            show_default="manual on equipment, else simulated",
            help="Who confirms where the item of a step in flight that moved one is: 'simulated' (the twin's "
            "ground truth) or 'manual' (a prompt a person answers with 'anodeline confirm'; --refuse abandons).",
        ),
    ] = None,
    prompt_timeout: Annotated[
        float,
        typer.Option("--prompt-timeout", help="Wall seconds a person has to answer; then the batch is abandoned."),
    ] = 1800.0,
) -> None:
    """Warm restart of an interrupted batch (its process died): reconcile, re-verify, go on; engineer.

    A batch run on equipment resumes on the same equipment (connected again from its record).
    """
    from anodeline.batch.resume import resume_batch
    from anodeline.cli.app import settled
    from anodeline.cli.batch import _operator_choice
    from anodeline.cli.output import EXIT_FAIL
    from anodeline.equipment.record import split_snapshot

    settled()

    with write_store(db, create=False) as store:
        record = store.get_batch(batch)  # an unknown batch is a usage error before anyone is asked for a password
        line_data, recorded = split_snapshot(record.line_data)
        equipment = None
        if recorded is not None:
            from anodeline.cli.equipment import reconnect_equipment

            equipment = reconnect_equipment(line_data, recorded, devices, bindings or [], speed, certs, user)
        elif devices or bindings:
            usage_error(f"batch {batch} ran on the in-process twin", "leave out --devices and --bindings")
        # a twin batch: --speed runs the rest on the wall clock, and with --operator manual puts its manual
        # steps to people too; without it only the location question is asked (on the wall clock itself)
        people = _operator_choice(operator, prompt_timeout, 1.0, recorded is not None)
        twin_speed = None if recorded is not None else _twin_speed(speed)
        try:
            report = resume_batch(
                store, batch, cold=cold, equipment=equipment, operator=people, speed=twin_speed,
                authorize=lambda s: acting_user(s, as_user, "resume", batch_id=batch, anchor_log=anchor_log).name,
            )  # fmt: skip
        finally:
            if equipment is not None:
                equipment.close()
            anchor_head(store, f"resume {batch} by {as_user[:64]}", anchor_log)
    if json_output:
        print_json(report.to_dict())
    else:  # rich only for people (as run)
        from anodeline.cli.run_view import print_report

        print_report(report)
    raise typer.Exit(0 if report.status == "complete" and report.verdict == "pass" else EXIT_FAIL)
