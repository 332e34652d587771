"""The statement list of the write path: fixed SQL per dialect, run on a DB-API cursor (no SQLAlchemy).

A running batch writes while the equipment waits, so its transactions are kept to the statements
themselves. Both stores run these same statements: the SQLAlchemy store
(:class:`anodeline.records.store.Store`) on the cursor of the connection that holds its
transaction, the sqlite3 store (:class:`anodeline.records.direct.DirectStore`) on its own
connection. Many rows of one kind go in one ``executemany``, PostgreSQL telemetry by ``COPY``.
The logic around the statements (status checks, payloads, audit entries) is in the records
modules that use them (:mod:`.batches`, :mod:`.genealogy`, :mod:`.execution`, :mod:`.commands`,
:mod:`.lease`, :mod:`.stepjournal`), written once for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from anodeline.records.chain import APPEND_LOCK_KEY, ENTRY_COLUMNS, AuditHead, ChainMovedError, EntryRow, Tip
from anodeline.records.status import ACTIVE

_STEP_COLUMNS: Final = ('batch_id', '"index"', "action", "arguments", "manual", "started_sim_s", "ended_sim_s",
                        "outcome", "readings")  # fmt: skip
_STEP_TYPES: Final = ("varchar", "integer", "varchar", "text", "boolean", "float8", "float8", "varchar", "text")
_AUDIT_COLUMNS: Final = ", ".join(ENTRY_COLUMNS)
_ACTIVE_SQL: Final = ", ".join(f"'{status}'" for status in sorted(ACTIVE))
_AUDIT_TYPES: Final = ("integer", "varchar", "varchar", "varchar", "varchar", "text", "varchar", "varchar")
TELEMETRY_COPY: Final = "COPY telemetry (batch_id, channel, sim_s, value) FROM STDIN"
#: The columns of a batch row as :func:`anodeline.records.batches.record_of` reads them.
BATCH_COLUMNS: Final = ("id", "recipe_id", "route", "status", "verdict", "seed", "reasons", "recipe_snapshot",
                        "line_snapshot", "created_sim_s", "started_sim_s", "ended_sim_s", "created_at", "started_at",
                        "ended_at", "procedure_snapshot", "electrode")  # fmt: skip
_ITEM_COLUMNS: Final = "id, kind, lot_id, batch_id, air_sensitive, created_sim_s"
_EXPOSURE_COLUMNS: Final = ("item_id", "batch_id", "space", "start_s", "end_s", "max_o2_ppm", "max_h2o_ppm",
                            "o2_dose_ppm_s", "h2o_dose_ppm_s")  # fmt: skip
_LEASE_COLUMNS: Final = "batch_id, owner, pid, host, acquired_at, expires_at, released"
_COMMAND_COLUMNS: Final = "id, batch_id, verb, user_name, reason, issued_at, taken_at, outcome"
#: SQLAlchemy's storage format of a ``DateTime`` on SQLite (text, UTC without an offset): what the ORM
#: writes and reads, so rows written by either store read back the same.
SQLITE_DATETIME: Final = "%Y-%m-%d %H:%M:%S.%f"


def _values(p: str, n: int) -> str:
    return ", ".join([p] * n)


class Statements:
    """The statements in one dialect's placeholder style (``?`` for sqlite3, ``%s`` for psycopg)."""

    def __init__(self, dialect: str) -> None:
        pg = dialect == "postgresql"
        self.postgresql = pg
        mark = [f"%s::{t}" for t in _STEP_TYPES] if pg else ["?"] * len(_STEP_TYPES)
        p = "%s" if pg else "?"
        lock = " FOR UPDATE" if pg else ""  # SQLite: BEGIN IMMEDIATE already holds the write lock
        returning = " RETURNING id" if pg else ""
        #: A step row, inserted only while its batch is running or held: the status check is part of the
        #: insert (no read per step, and a batch another writer has just ended gets no further steps).
        self.step = (
            f"INSERT INTO steps ({', '.join(_STEP_COLUMNS)}) SELECT {', '.join(mark)} "
            f"WHERE EXISTS (SELECT 1 FROM batches WHERE id = {p} AND status IN ({_ACTIVE_SQL}))" + returning
        )
        if pg:  # the append lock is taken by the insert itself (no round trip of its own), held to the commit
            casts = ", ".join(f"%s::{t}" for t in _AUDIT_TYPES)
            self.audit = (
                f"INSERT INTO audit_entries ({_AUDIT_COLUMNS}) SELECT {casts} "
                f"FROM (SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})) AS append_lock"
            )
        else:  # BEGIN IMMEDIATE already made this transaction the only writer
            self.audit = f"INSERT INTO audit_entries ({_AUDIT_COLUMNS}) VALUES ({_values(p, 8)})"
        self.append_lock = f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})" if pg else ""
        self.audit_head = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1"
        self.telemetry = f"INSERT INTO telemetry (batch_id, channel, sim_s, value) VALUES ({_values(p, 4)})"
        self.status = f"SELECT status FROM batches WHERE id = {p}" + (" FOR SHARE" if pg else "")
        # ---- batches
        self.batch_insert = (
            "INSERT INTO batches (id, recipe_id, recipe_snapshot, line_snapshot, route, status, verdict, seed, "
            "reasons, created_sim_s, created_at, procedure_snapshot) "
            f"VALUES ({_values(p, 12)})"
        )
        self.batch_row = f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches WHERE id = {p}"
        self.batch_row_locked = self.batch_row + lock
        self.batch_rows = f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches ORDER BY created_at, id"
        self.batch_rows_in = (
            f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches WHERE status = {p} ORDER BY created_at, id"
        )
        self.batch_start = f"UPDATE batches SET status = {p}, started_sim_s = {p}, started_at = {p} WHERE id = {p}"
        self.batch_status = f"UPDATE batches SET status = {p} WHERE id = {p}"
        self.batch_finish = (
            f"UPDATE batches SET status = {p}, verdict = {p}, reasons = {p}, ended_sim_s = {p}, ended_at = {p}, "
            f"electrode = COALESCE({p}, electrode) WHERE id = {p}"
        )
        # ---- lots, items, links, exposures
        self.lot_insert = f"INSERT INTO lots (id, material, supplier, note) VALUES ({_values(p, 4)})"
        self.lot_row = f"SELECT id, material, supplier, note FROM lots WHERE id = {p}"
        self.item_insert = f"INSERT INTO items ({_ITEM_COLUMNS}) VALUES ({_values(p, 6)})"
        self.item_row = f"SELECT {_ITEM_COLUMNS} FROM items WHERE id = {p}"
        self.link_insert = f"INSERT INTO item_links (parent_id, child_id, batch_id) VALUES ({_values(p, 3)})"
        self.children = "SELECT parent_id, child_id FROM item_links WHERE parent_id IN ({marks}) ORDER BY child_id"
        self.parents = "SELECT child_id, parent_id FROM item_links WHERE child_id IN ({marks}) ORDER BY parent_id"
        self.used_as_parent = f"SELECT child_id FROM item_links WHERE parent_id = {p} LIMIT 1"
        self.released = f"SELECT id FROM signatures WHERE batch_id = {p} AND meaning = 'release' LIMIT 1"
        self.lot_items = f"SELECT id FROM items WHERE lot_id = {p}"
        self.items_in = f"SELECT {_ITEM_COLUMNS} FROM items WHERE id IN ({{marks}})"
        self.exposures_of = (
            f"SELECT {', '.join(_EXPOSURE_COLUMNS)} FROM exposures WHERE item_id = {p} ORDER BY start_s, id"
        )
        self.exposure_insert = (
            f"INSERT INTO exposures ({', '.join(_EXPOSURE_COLUMNS)}) VALUES ({_values(p, len(_EXPOSURE_COLUMNS))})"
        )
        # ---- targets and their use (revision 0006, records/targets.py)
        target_columns = "id, source, kind, material, capacity, unit, installed_at, removed_at, note"
        self.target_row = f"SELECT {target_columns} FROM targets WHERE id = {p}"
        self.targets_all = f"SELECT {target_columns} FROM targets ORDER BY source, installed_at"
        self.targets_mounted = (
            f"SELECT {target_columns} FROM targets WHERE removed_at IS NULL ORDER BY source, installed_at"
        )
        self.targets_on_source = f"SELECT id FROM targets WHERE source = {p} AND removed_at IS NULL"
        self.target_remove = f"UPDATE targets SET removed_at = {p} WHERE id = {p}"
        self.target_insert = (
            "INSERT INTO targets (id, source, kind, material, capacity, unit, installed_at, removed_at, note) "
            f"VALUES ({_values(p, 7)}, NULL, {p})"
        )
        self.target_used = "SELECT target_id, SUM(amount) FROM target_usage GROUP BY target_id"
        self.target_usage_insert = (
            f"INSERT INTO target_usage (target_id, batch_id, layer, amount, seconds) VALUES ({_values(p, 5)})"
            + (" RETURNING id" if pg else "")
        )
        self.target_usage_of = (
            f"SELECT id, target_id, batch_id, layer, amount, seconds FROM target_usage WHERE target_id = {p} "
            "ORDER BY id"
        )
        self.target_layers_of = f"SELECT layer FROM target_usage WHERE batch_id = {p}"
        # ---- what a batch did (read back)
        self.steps_of = (
            'SELECT batch_id, "index", action, arguments, manual, started_sim_s, ended_sim_s, outcome, readings '
            f'FROM steps WHERE batch_id = {p} ORDER BY "index"'
        )
        self.telemetry_of = (
            f"SELECT channel, sim_s, value FROM telemetry WHERE batch_id = {p} ORDER BY sim_s, channel, id"
        )
        self.telemetry_of_channel = (
            f"SELECT channel, sim_s, value FROM telemetry WHERE batch_id = {p} AND channel = {p} "
            "ORDER BY sim_s, channel, id"
        )
        self.alarms_of = (
            "SELECT id, batch_id, raised_sim_s, code, message, hold, cleared_sim_s FROM alarms "
            f"WHERE batch_id = {p} ORDER BY raised_sim_s, id"
        )
        # ---- alarms
        self.alarm_insert = (
            "INSERT INTO alarms (batch_id, raised_sim_s, code, message, hold, cleared_sim_s) "
            f"VALUES ({_values(p, 5)}, NULL){returning}"
        )
        self.alarm_row = (
            f"SELECT id, batch_id, raised_sim_s, code, message, hold, cleared_sim_s FROM alarms WHERE id = {p}{lock}"
        )
        self.alarm_clear = f"UPDATE alarms SET cleared_sim_s = {p} WHERE id = {p}"
        self.active_holds = (
            f"SELECT id FROM alarms WHERE batch_id = {p} AND hold = {'true' if pg else '1'} AND cleared_sim_s IS NULL"
        )
        # ---- step journal, leases, commands (the engine's operational state)
        self.journal_insert = (
            'INSERT INTO step_journal (batch_id, "index", phase, action, outcome, sim_s, recorded_at) '
            f"VALUES ({_values(p, 7)})"
        )
        self.journal_rows = (
            f'SELECT "index", phase, action, outcome, sim_s, recorded_at FROM step_journal WHERE batch_id = {p} '
            "ORDER BY id"
        )
        self.lease_row = f"SELECT {_LEASE_COLUMNS} FROM leases WHERE batch_id = {p}"
        self.lease_rows = f"SELECT {_LEASE_COLUMNS} FROM leases"
        self.lease_delete = f"DELETE FROM leases WHERE batch_id = {p}"
        self.lease_insert = f"INSERT INTO leases ({_LEASE_COLUMNS}) VALUES ({_values(p, 7)})"
        self.lease_renew = f"UPDATE leases SET expires_at = {p} WHERE batch_id = {p} AND pid = {p} AND NOT released"
        self.lease_release = f"UPDATE leases SET released = {'true' if pg else '1'} WHERE batch_id = {p} AND pid = {p}"
        #: The batch's commands not taken yet, oldest first (columns in ``CommandRecord`` order), polled
        #: by the running engine at every step boundary.
        self.pending_commands = (
            f"SELECT {_COMMAND_COLUMNS} FROM commands WHERE batch_id = {p} AND taken_at IS NULL ORDER BY id"
        )
        self.command_row = f"SELECT {_COMMAND_COLUMNS} FROM commands WHERE id = {p}{lock}"
        self.commands_of = f"SELECT {_COMMAND_COLUMNS} FROM commands WHERE batch_id = {p} ORDER BY id"
        self.command_insert = (
            f"INSERT INTO commands (batch_id, verb, user_name, reason, issued_at) VALUES ({_values(p, 5)}){returning}"
        )
        self.command_take = f"UPDATE commands SET taken_at = {p}, outcome = {p} WHERE id = {p}"

    def timestamp(self, moment: datetime) -> Any:
        """A wall-clock UTC time as the column takes it: SQLAlchemy's text form on SQLite, a datetime on PostgreSQL."""
        return moment if self.postgresql else moment.strftime(SQLITE_DATETIME)

    def marks(self, template: str, count: int) -> str:
        """``template`` with ``{marks}`` replaced by ``count`` placeholders (an ``IN (…)`` list)."""
        return template.replace("{marks}", _values("%s" if self.postgresql else "?", count))


STATEMENTS: Final = {name: Statements(name) for name in ("sqlite", "postgresql")}


@dataclass(frozen=True)
class Tx:
    """One open transaction on the driver: its cursor, the dialect's statements and its IntegrityError.

    Made by the store that holds the transaction (:meth:`anodeline.records.core.StoreCore._tx`); the
    records modules write through it and never commit.
    """

    cursor: Any
    sql: Statements
    integrity_error: type[Exception]

    def one(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of ``statement`` (None when there is none)."""
        self.cursor.execute(statement, params)
        row = self.cursor.fetchone()
        return None if row is None else tuple(row)

    def all(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(statement, params)
        return [tuple(row) for row in self.cursor.fetchall()]

    def run(self, statement: str, params: Sequence[Any] = ()) -> int:
        """Execute ``statement``; the number of rows it changed."""
        self.cursor.execute(statement, params)
        return int(self.cursor.rowcount)

    def insert_id(self, statement: str, params: Sequence[Any]) -> int:
        """Insert one row and return its id (``RETURNING id`` on PostgreSQL, ``lastrowid`` on SQLite)."""
        self.cursor.execute(statement, params)
        if self.sql.postgresql:
            row = self.cursor.fetchone()
            return int(row[0])
        return int(self.cursor.lastrowid)


def read_tip(tx: Tx) -> Tip:
    """The committed tip, read under the append lock (PostgreSQL advisory lock; SQLite's BEGIN IMMEDIATE)."""
    if tx.sql.postgresql:
        tx.one(tx.sql.append_lock)
    return Tip.of(audit_head(tx))


def audit_head(tx: Tx) -> AuditHead | None:
    """The newest entry's sequence and hash (None for an empty chain)."""
    row = tx.one(tx.sql.audit_head)
    return None if row is None else AuditHead(int(row[0]), str(row[1]))


def inserted_step(tx: Tx, row: Sequence[Any]) -> bool:
    """Insert a step row (``row`` in :data:`_STEP_COLUMNS` order, then the batch id); False if refused."""
    tx.cursor.execute(tx.sql.step, row)
    if tx.sql.postgresql:
        return tx.cursor.fetchone() is not None
    return bool(tx.cursor.rowcount == 1)


def insert_telemetry(tx: Tx, rows: Sequence[tuple[str, str, float, float]]) -> None:
    """Telemetry rows (batch, channel, time, value): ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""
    if tx.sql.postgresql:
        with tx.cursor.copy(TELEMETRY_COPY) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        tx.cursor.executemany(tx.sql.telemetry, rows)


def insert_audit(tx: Tx, rows: Sequence[EntryRow]) -> None:
    """Audit entries from :meth:`~anodeline.records.chain.Tip.entry`; a sequence already taken (another
    writer appended meanwhile) is :class:`~anodeline.records.chain.ChainMovedError`."""
    try:
        if len(rows) == 1:
            tx.cursor.execute(tx.sql.audit, rows[0])
        else:
            tx.cursor.executemany(tx.sql.audit, rows)
    except tx.integrity_error as exc:
        raise ChainMovedError() from exc
