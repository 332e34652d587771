"""The engine's :class:`~anodeline.engine.commands.Commands` seam on the records database.

The running engine asks for pending commands at each step boundary (and each poll while held):
one indexed read. Taking a command commits its outcome with an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from anodeline.engine.commands import OperatorCommand
from anodeline.records import Store


class RecordsCommands:
    """Commands queued in ``commands`` for one batch (``anodeline batch hold|restart|stop|abort``)."""

    def __init__(self, store: Store, batch_id: str) -> None:
        self.store, self.batch_id = store, batch_id

    def pending(self) -> Sequence[OperatorCommand]:
        return tuple(
            OperatorCommand(str(c.command_id), c.verb, c.user, c.reason)
            for c in self.store.pending_commands(self.batch_id)
        )

    def taken(self, command: OperatorCommand, outcome: str) -> None:
        self.store.take_command(int(command.ref), outcome=outcome)
