"""``anodeline sign BATCH --meaning review|approve|release --as USER``: an electronic signature.

Re-authenticates the signer (name and password, 21 CFR 11.200(a)), stores the printed name, the
UTC time and the meaning linked to the record's content hash (11.50, 11.70) with its audit entry.
"""

from typing import Annotated

import typer

from anodeline.cli.access import ANCHOR_LOG, AS_HELP, DB, JSON, acting_user, anchor_head, write_store
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import print_json, usage_error


@app.command(rich_help_panel=BATCHES)
def sign(
    batch: Annotated[str, typer.Argument(help="Batch id (see 'anodeline batches').")],
    meaning: Annotated[str, typer.Option("--meaning", help="review, approve or release.")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP)],
    db: DB = None,
    json_output: JSON = False,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Sign a batch record (release: qa only, a completed batch with a passing verdict)."""
    from anodeline.records.signatures import MEANING_TEXT, MEANINGS

    if meaning not in MEANINGS:
        usage_error(f"--meaning {meaning!r} is not a signature meaning", f"meanings: {', '.join(MEANINGS)}")
    with write_store(db, create=False) as store:
        store.get_batch(batch)  # an unknown batch is a usage error before anyone is asked for a password
        user = acting_user(store, as_user, f"sign:{meaning}", batch_id=batch, anchor_log=anchor_log)
        signature = store.sign(batch, user=user, meaning=meaning)
        anchor_head(store, f"sign {batch} {meaning}", anchor_log)
    if json_output:
        print_json({"batch": batch, **signature.to_dict()})
        return
    typer.echo(f"signed {batch}: {MEANING_TEXT[meaning]}")
    typer.echo(f"  by {signature.printed_name} ({signature.user}, {user.role}) at {signature.signed_at}")
    typer.echo(f"  record content SHA-256 {signature.content_sha256}")
