"""The sqlite3 store (records/direct.py): opened only for a plain SQLite file at the schema's head, it
writes what the SQLAlchemy store writes, under the same contract (BEGIN IMMEDIATE, durable intents,
one audit chain with other writers)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from anodeline.records import ExposureInterval, TelemetrySample, open_store
from anodeline.records.connection import normalise_url
from anodeline.records.core import StoreCore
from anodeline.records.direct import HEAD_REVISION, DirectStore, open_direct, open_run_store
from anodeline.records.errors import BatchStateError, RecordConflictError, RecordNotFoundError
from anodeline.records.store import Store
from anodeline.records.urls import SqliteURL, plain_sqlite_file, shown


def _migrated(path: Path) -> str:
    url = f"sqlite:///{path}"
    with open_store(url) as store:
        store.migrate()
    return url


def test_the_head_constant_is_the_newest_migration() -> None:
    """A new migration without HEAD_REVISION moved fails here (the run would otherwise migrate every time
    — or worse, write a schema it does not know through sqlite3)."""
    from anodeline.records import migrate

    assert HEAD_REVISION == migrate.packaged_head() == migrate.head_revision()
    versions = Path(migrate.__file__).parent / "migrations" / "versions"
    newest = max(p.name for p in versions.glob("[0-9]*.py"))
    assert newest.startswith(HEAD_REVISION + "_")


def test_only_a_plain_sqlite_file_at_head_opens_directly(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    assert open_direct(f"sqlite:///{path}") is None  # no file: the SQLAlchemy store creates it
    sqlite3.connect(path).close()
    assert open_direct(f"sqlite:///{path}") is None  # a file without the schema
    url = _migrated(path)
    direct = open_direct(url)
    assert isinstance(direct, DirectStore)
    assert direct.schema_revision() == HEAD_REVISION
    direct.close()
    with sqlite3.connect(path) as raw:  # an older schema (as if a migration were due)
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
    assert open_direct(url) is None
    for other in (
        "sqlite://",
        "sqlite:///:memory:",
        f"sqlite:///{path}?mode=ro",
        f"sqlite+pysqlite:///{path}",
        "postgresql://postgres@127.0.0.1/x",
        f"sqlite:///{str(path).replace('r.sqlite', 'r%2Esqlite')}",
    ):
        assert open_direct(other) is None, other  # fmt: skip


def test_a_file_that_is_not_a_database_is_left_to_the_sqlalchemy_store(tmp_path: Path) -> None:
    """Hostile files: text, an empty file, a directory — never opened directly; the store that opens
    them says what is wrong (a RecordsError, not a sqlite3 traceback)."""
    from anodeline.records.errors import RecordsError

    text, empty, folder = tmp_path / "notes.sqlite", tmp_path / "empty.sqlite", tmp_path / "dir.sqlite"
    text.write_text("not a database\n" * 100)
    empty.touch()
    folder.mkdir()
    for path in (text, empty, folder):
        assert open_direct(f"sqlite:///{path}") is None, path
    with pytest.raises(RecordsError, match="not a database"):
        open_run_store(f"sqlite:///{text}")


def test_open_run_store_migrates_a_new_database_then_writes_directly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with open_run_store(url) as first:
        assert isinstance(first, Store)
        assert first.schema_revision() == HEAD_REVISION
    with open_run_store(url) as second:
        assert isinstance(second, DirectStore)
    with open_run_store(url, direct=False) as orm:  # users or prompts wanted: the SQLAlchemy store
        assert isinstance(orm, Store)


@pytest.mark.parametrize("path", ["runs/anodeline.sqlite", "/abs/dir/r.sqlite", "rel dir/a b.sqlite", "/x/@y:z.db"])
def test_the_url_is_shown_as_sqlalchemy_shows_it(path: str) -> None:
    url = f"sqlite:///{path}"
    parsed = plain_sqlite_file(url)
    assert parsed == SqliteURL(path)
    assert shown(parsed) == shown(normalise_url(url))
    assert parsed.database == normalise_url(url).database


def _write_a_batch(store: StoreCore) -> str:
    """Every write of a batch's life, as the run path makes them."""
    batch = store.create_batch(batch_id="B-1", recipe_id="example-1", recipe_snapshot={"film": "Li2S", "t": 1.0},
                               line_snapshot={"spaces": ["c4"]}, route="coat_lithium_base", seed=7,
                               procedure_snapshot={"steps": 3}).batch_id  # fmt: skip
    store.register_lot("LOT-1", material="Cu foil", note="lot not stated")
    store.register_item("B-1/base", kind="base", lot_id="LOT-1", batch_id=batch, air_sensitive=True)
    store.register_item("B-1/electrode", kind="electrode", batch_id=batch)
    store.link("B-1/base", "B-1/electrode", batch_id=batch)
    with pytest.raises(RecordConflictError, match="its own ancestor"):
        store.link("B-1/electrode", "B-1/base", batch_id=batch)
    store.start_batch(batch, sim_s=0.0)
    ttl = 10.0
    store.acquire_lease(batch, owner="anodeline", ttl=ttl)
    assert store.renew_lease(batch, ttl=ttl)
    for index in range(3):
        store.journal_intent(batch, index=index, action={"action": "hold", "s": index}, sim_s=10.0 * index)
        samples = [TelemetrySample("c4.o2_ppm", 10.0 * index + k, 0.1 * k) for k in range(4)]
        store.record_step(batch, index=index, action="hold", started_sim_s=10.0 * index, ended_sim_s=10.0 * index + 9,
                          arguments={"s": index}, manual=index == 1, readings={"o2": 0.1}, telemetry=samples,
                          journal={"action": "hold"})  # fmt: skip
        if index == 1:
            alarm = store.raise_alarm(batch, sim_s=19.0, code="SUSPEND", message="o2 high", hold=True)
            assert store.get_batch(batch).status == "held"
            store.journal_done(batch, index=index, action={"action": "hold"}, sim_s=19.0, outcome="interrupted")
            cleared = store.clear_alarm(alarm.alarm_id, sim_s=25.0)
            assert cleared.cleared_sim_s == 25.0 and store.get_batch(batch).status == "running"
    store.record_telemetry(batch, [TelemetrySample("c4.h2o_ppm", 29.0, 0.3)])
    store.record_exposure(ExposureInterval("B-1/base", "c4", 0.0, 29.0, 0.5, 0.4, 3.0, 2.0), batch_id=batch)
    command = store.issue_command(batch, verb="hold", user="otto", reason="look at the gauge")
    assert [c.command_id for c in store.pending_commands(batch)] == [command.command_id]
    taken = store.take_command(command.command_id, outcome="refused: already held")
    assert taken.outcome == "refused: already held" and store.pending_commands(batch) == []
    done = store.finish_batch(batch, sim_s=30.0, verdict="pass", reasons=["ok"], electrode={"id": "B-1/electrode"})
    assert (done.status, done.verdict, done.reasons, done.electrode) == ("completed", "pass", ("ok",),
                                                                         '{"id":"B-1/electrode"}')  # fmt: skip
    store.release_lease(batch)
    with pytest.raises(BatchStateError):
        store.record_step(batch, index=9, action="hold", started_sim_s=31.0, ended_sim_s=32.0)
    with pytest.raises(RecordNotFoundError):
        store.start_batch("B-none", sim_s=0.0)
    with pytest.raises(RecordConflictError, match="refused the write"):
        store.register_lot("LOT-1", material="Cu foil")
    return batch


#: Per table, the columns two stores writing the same batch must agree on (not wall-clock times,
#: lease expiries, audit timestamps and the hashes that cover them).
_COMPARED = {
    "batches": "id, recipe_id, route, status, verdict, seed, reasons, recipe_snapshot, line_snapshot, created_sim_s, "
    "started_sim_s, ended_sim_s, procedure_snapshot, electrode, typeof(created_at), length(created_at), "
    "typeof(started_at), typeof(ended_at)",
    "steps": 'batch_id, "index", action, arguments, manual, started_sim_s, ended_sim_s, outcome, readings',
    "telemetry": "id, batch_id, channel, sim_s, value",
    "lots": "id, material, supplier, note",
    "items": "id, kind, lot_id, batch_id, air_sensitive, created_sim_s",
    "item_links": "parent_id, child_id, batch_id",
    "exposures": "*",
    "alarms": "*",
    "step_journal": 'id, batch_id, "index", phase, action, outcome, sim_s, length(recorded_at)',
    "leases": "batch_id, owner, pid, host, released, typeof(expires_at)",
    "commands": "id, batch_id, verb, user_name, reason, length(issued_at), outcome",
    "audit_entries": "sequence, actor, kind, batch_id, payload, length(recorded_at)",
}


def _rows(path: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(path) as raw:
        rows = {t: raw.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2").fetchall() for t, cols in _COMPARED.items()}
    wall = re.compile(r'"(issued_at|taken_at)":"[^"]+"')  # the commands' wall-clock times in their payloads
    rows["audit_entries"] = [(*r[:4], wall.sub(r'"\1":"…"', r[4]), r[5]) for r in rows["audit_entries"]]
    return rows


def test_both_stores_write_the_same_rows_and_entries(tmp_path: Path) -> None:
    orm_url, direct_url = _migrated(tmp_path / "orm.sqlite"), _migrated(tmp_path / "direct.sqlite")
    with open_store(orm_url) as orm:
        _write_a_batch(orm)
    direct = open_direct(direct_url)
    assert direct is not None
    with direct:
        _write_a_batch(direct)
        assert direct.get_batch("B-1") == direct.list_batches()[0]
        assert direct.audit_head() is not None
    ours, theirs = _rows(tmp_path / "direct.sqlite"), _rows(tmp_path / "orm.sqlite")
    for table in _COMPARED:
        assert ours[table] == theirs[table], table
    assert len(ours["audit_entries"]) == 21 and len(ours["step_journal"]) == 7
    with open_store(direct_url) as orm:  # what sqlite3 wrote reads back through the ORM as it was written
        report = orm.verify()
        assert report.ok and report.rows_checked, report.problems
        assert orm.get_batch("B-1").created_at.tzinfo is not None
        assert [s.manual for s in orm.steps("B-1")] == [False, True, False]
        with open_store(orm_url) as other:
            assert orm.genealogy("B-1/electrode") == other.genealogy("B-1/electrode")
            assert orm.alarms("B-1") == other.alarms("B-1")
            assert orm.exposures("B-1/base") == other.exposures("B-1/base")
            assert orm.telemetry("B-1") == other.telemetry("B-1")
            assert orm.step_journal("B-1")[0].action == other.step_journal("B-1")[0].action


def test_an_intent_is_committed_with_synchronous_full_and_a_step_without(tmp_path: Path) -> None:
    direct = open_direct(_migrated(tmp_path / "r.sqlite"))
    assert direct is not None
    with direct:
        batch = direct.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x").batch_id
        direct.start_batch(batch, sim_s=0.0)
        seen: list[str] = []
        direct._connection.set_trace_callback(seen.append)
        direct.journal_intent(batch, index=0, action={"action": "open"}, sim_s=1.0)
        intent, seen[:] = list(seen), []
        direct.record_step(batch, index=0, action="open", started_sim_s=1.0, ended_sim_s=2.0, journal={})
        step = list(seen)
        direct._connection.set_trace_callback(None)
        assert direct._connection.execute("PRAGMA synchronous").fetchone() == (1,)  # back at NORMAL
    assert intent[:2] == ["PRAGMA synchronous=FULL", "BEGIN IMMEDIATE"]
    assert intent[2].startswith("INSERT INTO step_journal") and intent[3:] == ["COMMIT", "PRAGMA synchronous=NORMAL"]
    assert step[0] == "BEGIN IMMEDIATE" and step[-1] == "COMMIT" and not any("synchronous" in s for s in step)


def test_a_failed_transaction_leaves_nothing_and_the_store_usable(tmp_path: Path) -> None:
    direct = open_direct(_migrated(tmp_path / "r.sqlite"))
    assert direct is not None
    with direct:
        batch = direct.create_batch(recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x").batch_id
        with pytest.raises(RecordConflictError, match="FOREIGN KEY"):  # no such batch: nothing of it is kept
            direct.register_item("i-1", kind="base", batch_id="B-missing")
        assert direct.item("i-1") is None and not direct._connection.in_transaction
        direct.register_item("i-1", kind="base", batch_id=batch)
        assert direct.item("i-1") is not None


def test_writers_of_both_kinds_keep_one_audit_chain(tmp_path: Path) -> None:
    """A DirectStore and a Store on one file, each with its tip in memory, writing in turns: every
    write after the other's collides on the sequence, is retried from the tip read under the lock."""
    url = _migrated(tmp_path / "r.sqlite")
    direct = open_direct(url)
    assert direct is not None
    with direct, open_store(url) as orm:
        for n in range(5):
            for store in (direct, orm):
                store.register_lot(f"LOT-{type(store).__name__}-{n}", material="Cu foil")
        report = orm.verify()
        assert report.ok, report.problems
        head = direct.audit_head()
        assert head is not None and head.sequence == 10 and head == orm.audit_head()
