"""ISA-88 commands sent to a batch from another process, through the records database.

``anodeline batch hold|restart|stop|abort`` inserts a row of ``commands`` (revision 0003) with its
``batch.command`` audit entry (who, when, why); the process running the batch polls the pending ones
(:class:`anodeline.batch.commands.RecordsCommands`) and marks each taken with what it did
(``batch.command.taken``: ``held``, ``restarted``, ``refused: …``). A command on a batch no process
controls any more (held by an earlier process, or interrupted) is taken at once by the command itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from anodeline.records import batches
from anodeline.records.bulk import Tx
from anodeline.records.chain import Tip
from anodeline.records.errors import RecordInputError, RecordNotFoundError, RecordRefusedError
from anodeline.records.values import BatchRecord

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records.core import StoreCore

VERBS = ("hold", "restart", "stop", "abort")


@dataclass(frozen=True)
class CommandRecord:
    command_id: int
    batch_id: str
    verb: str
    user: str
    reason: str
    issued_at: str
    taken_at: str | None
    outcome: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.command_id, "verb": self.verb, "user": self.user, "reason": self.reason,
            "issued_at": self.issued_at, "taken_at": self.taken_at, "outcome": self.outcome,
        }  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def issue(tx: Tx, tip: Tip, batch_id: str, *, verb: str, user: str, reason: str) -> CommandRecord:
    """Queue ``verb`` for ``batch_id`` by ``user`` because ``reason`` (with its audit entry)."""
    if verb not in VERBS:
        raise RecordInputError(f"command {verb!r} is not one of {', '.join(VERBS)}")
    if not reason.strip():
        raise RecordInputError("a command needs a reason", hint="--reason 'why, in a few words'")
    batches.get(tx, batch_id)
    issued = _now()
    command_id = tx.insert_id(tx.sql.command_insert, (batch_id, verb, user, reason, issued))
    batches.append(
        tx, tip, user, "batch.command", batch_id,
        {"command_id": command_id, "verb": verb, "user": user, "reason": reason, "issued_at": issued},
    )  # fmt: skip
    return CommandRecord(command_id, batch_id, verb, user, reason, issued, None, None)


def take(tx: Tx, tip: Tip, command_id: int, *, outcome: str, actor: str) -> CommandRecord:
    """Mark a command taken with ``outcome`` (what the engine, or the command itself, did)."""
    row = tx.one(tx.sql.command_row, (command_id,))
    if row is None:
        raise RecordNotFoundError("command", command_id)
    taken = _now()
    tx.run(tx.sql.command_take, (taken, outcome, command_id))
    record = CommandRecord(*row)
    batches.append(tx, tip, actor, "batch.command.taken", record.batch_id,
                   {"command_id": record.command_id, "taken_at": taken, "outcome": outcome})  # fmt: skip
    return CommandRecord(record.command_id, record.batch_id, record.verb, record.user, record.reason,
                         record.issued_at, taken, outcome)  # fmt: skip


def pending(tx: Tx, batch_id: str) -> list[CommandRecord]:
    """The commands of ``batch_id`` not taken yet, oldest first (polled at every step boundary of a
    running batch; columns in ``CommandRecord``'s order)."""
    return [CommandRecord(*row) for row in tx.all(tx.sql.pending_commands, (batch_id,))]


def listed(tx: Tx, batch_id: str) -> list[CommandRecord]:
    return [CommandRecord(*row) for row in tx.all(tx.sql.commands_of, (batch_id,))]


class CommandRefusedError(RecordRefusedError):
    """The batch cannot take this command now (exit 1)."""

    def __init__(self, batch_id: str, verb: str, why: str, hint: str) -> None:
        super().__init__(f"batch {batch_id!r} cannot take {verb}: {why}", rule="CMD001", hint=hint)


def without_controller(store: StoreCore, batch: BatchRecord, command: CommandRecord, shown: str) -> str:
    """Take ``command`` for a batch no live process runs (held by an earlier run, or interrupted).

    ``stop`` ends it ``stopped`` and ``abort`` ``aborted`` in the record (verdict fail, the command as the reason);
    ``hold`` and ``restart`` are refused (CMD001, recorded as the command's outcome): nothing runs it
    to hold, and restarting a batch whose process is gone is ``anodeline resume``.
    """
    if command.verb in ("stop", "abort"):
        why = f"{command.verb} by {command.user}: {command.reason} (no process was running it: {shown})"
        ended = "stopped" if command.verb == "stop" and batch.status in ("running", "held") else "aborted"
        store.take_command(command.command_id, outcome=f"{command.verb}: recorded {ended}", actor=command.user)
        sim_s = max(t for t in (batch.created_sim_s, batch.started_sim_s, batch.ended_sim_s) if t is not None)
        end = store.stop_batch if ended == "stopped" else store.abort_batch
        end(batch.batch_id, sim_s=sim_s, reasons=[why], actor=command.user)
        return f"{command.verb}: the batch had no running process ({shown}); recorded {ended}"
    hint = "resume it: 'anodeline resume BATCH --as ENGINEER'" if command.verb == "restart" else "nothing runs it"
    outcome = f"refused: no process runs the batch ({shown})"
    store.take_command(command.command_id, outcome=outcome, actor=command.user)
    raise CommandRefusedError(batch.batch_id, command.verb, f"no process runs it ({shown})", hint)
