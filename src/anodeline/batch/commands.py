"""ISA-88 commands through the records database: sending one, and the engine's seam that takes them.

:func:`send_command` is what ``anodeline batch hold|restart|stop|abort`` and the web app's
``POST /api/batches/{id}/commands`` both do once the sender is authorised. The running engine asks
for pending commands at each step boundary (and each poll while held) through
:class:`RecordsCommands`: one indexed read. Taking a command commits its outcome with an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anodeline.engine.commands import OperatorCommand
from anodeline.records.commands import CommandRecord, CommandRefusedError, without_controller
from anodeline.records.core import StoreCore
from anodeline.records.status import ENDED


@dataclass(frozen=True)
class CommandSent:
    """A command queued for a batch: what was stored, the status then, and what came of it."""

    batch_id: str
    command: CommandRecord
    status: str
    #: What the command did by itself (no live process ran the batch); None: sent to the process.
    outcome: str | None
    said: str

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch_id, "command": self.command.to_dict(), "status": self.status,
                "outcome": self.outcome}  # fmt: skip


def send_command(store: StoreCore, batch_id: str, *, verb: str, user: str, reason: str) -> CommandSent:
    """Queue ``verb`` by ``user`` (already authorised) for ``batch_id``; a batch no live process
    runs takes it at once (:func:`~anodeline.records.commands.without_controller`).

    Raises :class:`CommandRefusedError` (CMD001) for an ended batch, or a hold/restart nothing runs.
    """
    record = store.get_batch(batch_id)
    shown = store.shown_status(record)
    if shown in ENDED:
        raise CommandRefusedError(batch_id, verb, f"the batch has ended ({shown})", "nothing to command")
    command = store.issue_command(batch_id, verb=verb, user=user, reason=reason)
    lease = store.lease(batch_id)
    if lease is not None and lease.alive():
        said = f"sent to the process running it ({lease.owner}, pid {lease.pid} on {lease.host})"
        return CommandSent(batch_id, command, shown, None, said)
    outcome = without_controller(store, record, command, shown)
    return CommandSent(batch_id, command, shown, outcome, outcome)


class RecordsCommands:
    """Commands queued in ``commands`` for one batch (``anodeline batch hold|restart|stop|abort``)."""

    def __init__(self, store: StoreCore, batch_id: str) -> None:
        self.store, self.batch_id = store, batch_id

    def pending(self) -> Sequence[OperatorCommand]:
        return tuple(
            OperatorCommand(str(c.command_id), c.verb, c.user, c.reason)
            for c in self.store.pending_commands(self.batch_id)
        )

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        self.store.take_command(int(command.ref), outcome=outcome)
