"""``anodeline prompts`` and ``anodeline confirm BATCH STEP --as USER [--refuse --reason TEXT]``.

With ``run --operator manual`` every manual step of a batch waits for a person (docs/operations.md,
prompts). ``prompts`` lists what waits (read-only: a missing database is exit 2, never created);
``confirm`` answers one, re-authenticating the person like every command that changes a batch
(an operator or an engineer; a wrong password or role is exit 2 and recorded as a refused
attempt). A refusal, with its reason, holds the batch; so does a prompt nobody answers in time.
"""

from datetime import UTC, datetime
from typing import Annotated

import typer

from anodeline.cli.access import ANCHOR_LOG, AS_HELP, DB, JSON, acting_user, anchor_head, read_store, write_store
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import print_json, usage_error


@app.command(rich_help_panel=BATCHES)
def prompts(
    batch: Annotated[str | None, typer.Option("--batch", help="Only this batch's prompts.", show_default=False)] = None,
    all_prompts: Annotated[bool, typer.Option("--all", help="Answered prompts too, with their answers.")] = False,
    db: DB = None,
    json_output: JSON = False,
) -> None:
    """List the manual steps waiting for a person (run --operator manual); answer with 'anodeline confirm'."""
    from anodeline.batch.answers import waiting_prompts
    from anodeline.records import prompts as book

    with read_store(db) as store:
        if batch is not None:
            store.get_batch(batch)  # an unknown batch is a usage error (exit 2)
        # what waits: prompts of batches a live process runs (not of interrupted ones); --all: every one
        rows = store.read(lambda s: book.listed(s, batch)) if all_prompts else waiting_prompts(store, batch)
    if json_output:
        print_json({"prompts": [p.to_dict() for p in rows]})
        return
    if not rows:
        typer.echo("no prompt waits for an answer" if not all_prompts else "no prompts recorded")
        return
    from rich.console import Console
    from rich.table import Table

    now = datetime.now(UTC)
    table = Table("batch", "step", "do", "item", "opened (UTC)", "answer")
    for p in rows:
        if p.answer is None:
            left = (datetime.fromisoformat(p.deadline) - now).total_seconds()
            answer = f"open, {left:.0f} s left" if left > 0 else "open, past its deadline"
        else:
            who = f" by {p.user}" if p.user else ""
            answer = f"{p.answer}{who}" + (f": {p.reason}" if p.reason else "")
        table.add_row(p.batch_id, str(p.step), p.instructions, p.item or "-", p.opened_at[11:19], answer)
    Console().print(table)
    if any(p.answer is None for p in rows):
        typer.echo("answer: anodeline confirm BATCH STEP --as USER   (or --refuse --reason TEXT)")


@app.command(rich_help_panel=BATCHES)
def confirm(
    batch: Annotated[str, typer.Argument(help="Batch id (see 'anodeline prompts').")],
    step: Annotated[int, typer.Argument(help="Step number the prompt is at (see 'anodeline prompts').")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)],
    refuse: Annotated[
        bool, typer.Option("--refuse", help="Refuse the step (it holds the batch); needs --reason.")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the step is refused (or a note on a confirmation).")
    ] = "",
    db: DB = None,
    json_output: JSON = False,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Answer a manual step's prompt: done (default) or --refuse --reason TEXT; operator or engineer."""
    from anodeline.batch.answers import answer_prompt

    if refuse and not reason.strip():
        usage_error("--refuse needs --reason", "say why, e.g. --reason 'the foil is creased'")
    if step < 0:
        usage_error(f"step {step} is not a step number", "'anodeline prompts' shows the step of each prompt")
    answer = "refused" if refuse else "confirmed"
    with write_store(db, create=False) as store:
        store.get_batch(batch)  # an unknown batch is a usage error before anyone is asked for a password
        user = acting_user(store, as_user, "confirm", batch_id=batch, anchor_log=anchor_log)
        try:
            prompt = answer_prompt(store, batch, step, answer=answer, user=user.name, reason=reason)
        finally:
            anchor_head(store, f"confirm {batch} step {step} by {user.name}", anchor_log)
    if json_output:
        print_json(prompt.to_dict())
        return
    verb = "refused" if refuse else "confirmed"
    typer.echo(f"{verb} step {step} of {batch} ({prompt.instructions}) by {user.full_name} ({user.name}, {user.role})")
    if refuse and prompt.kind == "confirm-location":
        typer.echo("  the resume abandons the batch: made safe, its items quarantined (a recorded decision)")
    elif refuse:
        typer.echo("  the batch holds (PROMPT-REFUSED); an engineer restarts it to be asked again, or stop/abort it")
