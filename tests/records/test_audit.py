"""The audit chain verifies after honest writes and names the first entry after any tamper."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from anodeline.records import AuditHead, BadEntry, RecordsError, Store, TelemetrySample, audit, open_store
from anodeline.records.canonical import canonical_json
from anodeline.records.models import Base
from tests.records.conftest import drop_guards, new_batch, tamper


def _history(s: Store) -> None:
    """Six audited writes: create, start, three steps, telemetry."""
    batch = new_batch(s)
    for i in range(3):
        s.record_step(batch, index=i, action="evacuate", started_sim_s=i, ended_sim_s=i + 1, readings={"p_pa": 1.0})
    s.record_telemetry(batch, [TelemetrySample("chamber4.o2_ppm", 0.5, 0.2)])


def test_an_honest_history_verifies(store: Store) -> None:
    _history(store)
    report = store.verify_chain()
    assert (report.ok, report.entries, report.first_bad) == (True, 6, None)
    assert report.head == store.audit_head()


def test_an_empty_chain_verifies(store: Store) -> None:
    assert store.verify_chain().ok
    assert store.audit_head() is None


def test_the_audit_table_refuses_updates_and_deletes(store: Store) -> None:
    _history(store)
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2"))
    with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE sequence = 2"))


@pytest.mark.parametrize(
    "column",
    ["actor", "kind", "batch_id", "recorded_at", "payload", "prev_hash", "hash"],
)
def test_an_edited_field_names_its_entry(store: Store, column: str) -> None:
    _history(store)
    value = "'{\"index\": 9}'" if column == "payload" else "'f00d'"
    tamper(store, f"UPDATE audit_entries SET {column} = {value} WHERE sequence = 4")
    report = store.verify_chain()
    assert not report.ok
    assert report.first_bad is not None
    assert report.first_bad.sequence == 4


def test_a_deleted_entry_is_named_as_missing(store: Store) -> None:
    _history(store)
    tamper(store, "DELETE FROM audit_entries WHERE sequence = 3")
    report = store.verify_chain()
    assert report.first_bad is not None
    assert (report.ok, report.first_bad.sequence, report.entries) == (False, 3, 2)
    assert "missing" in report.first_bad.reason


def test_swapped_entries_are_caught_at_the_first(store: Store) -> None:
    _history(store)
    tamper(
        store,
        "UPDATE audit_entries SET sequence = -1 WHERE sequence = 2",
        "UPDATE audit_entries SET sequence = 2 WHERE sequence = 5",
        "UPDATE audit_entries SET sequence = 5 WHERE sequence = -1",
    )
    report = store.verify_chain()
    assert report.first_bad is not None
    assert report.first_bad.sequence == 2


def test_truncation_is_caught_only_with_an_external_anchor(store: Store) -> None:
    _history(store)
    anchor = store.audit_head()
    assert anchor is not None
    tamper(store, f"DELETE FROM audit_entries WHERE sequence = {anchor.sequence}")
    assert store.verify_chain().ok  # the inside view cannot tell: see docs/records.md
    report = store.verify_chain(anchor=anchor)
    assert report.first_bad is not None
    assert (report.ok, report.first_bad.sequence) == (False, anchor.sequence)


def test_a_rewritten_chain_differs_from_the_anchor(store: Store) -> None:
    _history(store)
    anchor = store.audit_head()
    assert anchor is not None
    forged = AuditHead(anchor.sequence, "0" * 64)
    report = store.verify_chain(anchor=forged)
    assert report.first_bad is not None
    assert "anchor" in report.first_bad.reason


def test_a_failed_write_leaves_no_audit_entry(store: Store) -> None:
    batch = new_batch(store)
    with pytest.raises(RecordsError):
        store.record_step(batch, index=0, action="move", started_sim_s=5, ended_sim_s=1)
    with pytest.raises(RecordsError):
        store.create_batch(batch_id=batch, recipe_id="r", recipe_snapshot={}, line_snapshot={}, route="x")
    assert store.verify_chain().entries == 2


# ---- properties (SQLite in memory, schema from the models, for speed) ---------------------------

Write = st.one_of(
    st.tuples(st.just("step"), st.text(min_size=1, max_size=8), st.booleans()),
    st.tuples(st.just("telemetry"), st.floats(0, 1e3), st.floats(-1e6, 1e6)),
    st.tuples(st.just("alarm"), st.sampled_from(["O2_HIGH", "H2O_HIGH", "DOOR"]), st.booleans()),
    st.tuples(st.just("item"), st.sampled_from(["substrate", "lithium_foil", "electrode"]), st.booleans()),
)


def _memory_store() -> Store:
    s = open_store("sqlite://")
    Base.metadata.create_all(s.engine)
    return s


def _apply(s: Store, writes: list[tuple[str, object, object]]) -> None:
    batch = new_batch(s)
    for n, (kind, a, b) in enumerate(writes):
        if kind == "step":
            s.record_step(batch, index=n, action=str(a), manual=bool(b), started_sim_s=n, ended_sim_s=n + 1)
        elif kind == "telemetry":
            s.record_telemetry(batch, [TelemetrySample("chamber4.o2_ppm", float(a), float(b))])  # type: ignore[arg-type]
        elif kind == "alarm":
            alarm = s.raise_alarm(batch, sim_s=n, code=str(a), hold=bool(b))
            s.clear_alarm(alarm.alarm_id, sim_s=n + 0.5)
        else:
            s.register_item(f"item-{n}", kind=str(a), air_sensitive=bool(b), batch_id=batch)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=st.lists(Write, max_size=12))
def test_the_chain_verifies_after_any_sequence_of_writes(writes: list[tuple[str, object, object]]) -> None:
    with _memory_store() as s:
        _apply(s, writes)
        report = s.verify_chain()
        assert report.ok
        assert report.head == s.audit_head()


Tamper = st.sampled_from(["edit", "delete", "swap"])
COLUMNS = ["recorded_at", "actor", "kind", "batch_id", "payload", "prev_hash", "hash"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=st.lists(Write, min_size=2, max_size=10), how=Tamper, data=st.data())
def test_any_single_tamper_is_caught_at_the_first_touched_entry(
    writes: list[tuple[str, object, object]], how: str, data: st.DataObject
) -> None:
    with _memory_store() as s:
        _apply(s, writes)
        head = s.audit_head()
        assert head is not None
        n = head.sequence
        drop_guards(s)
        with s.engine.begin() as conn:
            if how == "edit":
                seq = data.draw(st.integers(1, n), label="sequence")
                column = data.draw(st.sampled_from(COLUMNS), label="column")
                old = conn.execute(text(f"SELECT {column} FROM audit_entries WHERE sequence = :s"), {"s": seq}).scalar()
                new = data.draw(st.text(max_size=20).filter(lambda v: v != old), label="value")
                conn.execute(text(f"UPDATE audit_entries SET {column} = :v WHERE sequence = :s"), {"v": new, "s": seq})
                expected = seq
            elif how == "delete":
                expected = data.draw(st.integers(1, n - 1), label="sequence")
                conn.execute(text("DELETE FROM audit_entries WHERE sequence = :s"), {"s": expected})
            else:
                i = data.draw(st.integers(1, n - 1), label="first")
                j = data.draw(st.integers(i + 1, n), label="second")
                for a, b in ((i, -1), (j, i), (-1, j)):
                    conn.execute(text("UPDATE audit_entries SET sequence = :b WHERE sequence = :a"), {"a": a, "b": b})
                expected = i
        report = s.verify_chain()
        assert not report.ok
        assert report.first_bad is not None
        assert report.first_bad.sequence == expected


def test_concurrent_writers_keep_one_unbroken_chain(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    batches = [new_batch(store, f"B-{n}") for n in range(4)]

    def write(batch: str) -> None:
        for i in range(10):
            store.record_step(batch, index=i, action="hold", started_sim_s=i, ended_sim_s=i + 1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, batches))
    report = store.verify_chain()
    assert (report.ok, report.entries) == (True, 4 * 2 + 40)


# ---- the hash covers the payload as stored (issue 9, item 6) -------------------------------------

Text = st.text(max_size=12)
Json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | Text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(Text, inner, max_size=3),
    max_leaves=8,
)


def _previous_version_hash(
    prev: str, seq: int, at: str, actor: str, kind: str, batch: str | None, payload: object
) -> str:
    """The formula of the version before issue 9: the whole entry encoded as canonical JSON."""
    body = {"sequence": seq, "recorded_at": at, "actor": actor, "kind": kind, "batch_id": batch, "payload": payload}
    return hashlib.sha256((prev + canonical_json(body)).encode("utf-8")).hexdigest()


@settings(max_examples=200, deadline=None)
@given(
    seq=st.integers(1, 2**40),
    at=Text,
    actor=Text,
    kind=Text,
    batch=st.none() | Text,
    payload=st.dictionaries(Text, Json),
)
def test_the_hash_of_the_stored_text_is_the_hash_earlier_versions_wrote(
    seq: int, at: str, actor: str, kind: str, batch: str | None, payload: dict[str, object]
) -> None:
    prev = hashlib.sha256(actor.encode()).hexdigest()
    ours = audit.entry_hash(prev, seq, at, actor, kind, batch, canonical_json(payload))
    assert ours == _previous_version_hash(prev, seq, at, actor, kind, batch, payload)


def test_a_database_written_by_the_previous_version_verifies(store: Store) -> None:
    drop_guards(store)
    prev = audit.GENESIS_HASH
    with store.engine.begin() as conn:
        for seq, payload in enumerate([{"sim_s": 0.0}, {"b": [1, 2.5, None], "a": "é\n"}], start=1):
            at = f"2026-11-2{seq}T10:00:00.000000+00:00"
            digest = _previous_version_hash(prev, seq, at, "anodeline", "batch.start", "B-1", payload)
            row = {"s": seq, "at": at, "p": canonical_json(payload), "prev": prev, "h": digest}
            conn.execute(
                text(
                    "INSERT INTO audit_entries (sequence, recorded_at, actor, kind, batch_id, payload, prev_hash, hash)"
                    " VALUES (:s, :at, 'anodeline', 'batch.start', 'B-1', :p, :prev, :h)"
                ),
                row,
            )
            prev = digest
    assert store.verify_chain() == audit.ChainReport(True, 2, None, AuditHead(2, prev))
    new_batch(store)  # and the chain goes on from the old entries
    assert store.verify_chain().ok


def test_verify_neither_parses_nor_encodes_json(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _history(store)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("JSON work during verify")

    monkeypatch.setattr(json, "loads", refuse)
    monkeypatch.setattr(json, "dumps", refuse)
    monkeypatch.setattr(json.JSONEncoder, "encode", refuse)
    monkeypatch.setattr(json.JSONDecoder, "decode", refuse)
    assert store.verify_chain().ok


@pytest.mark.parametrize(
    "payload",
    ['{"sim_s": 0.0}', '{"sim_s":0.0} ', '{"sim_s":0}', '{"sim_s":0.0,"sim_s":0.0}'],
    ids=["spaces", "trailing-space", "same-number", "duplicate-key"],
)
def test_a_payload_edited_to_an_equivalent_text_is_caught(store: Store, payload: str) -> None:
    """Entry 2 is the batch start, payload ``{"sim_s":0.0}``: any other bytes break its hash."""
    _history(store)
    escaped = payload.replace(":", "\\:")  # not a bind parameter of text()
    tamper(store, f"UPDATE audit_entries SET payload = '{escaped}' WHERE sequence = 2")
    report = store.verify_chain()
    assert report.first_bad is not None
    assert (report.ok, report.first_bad.sequence) == (False, 2)


def test_an_inserted_entry_is_named(store: Store) -> None:
    _history(store)
    head = store.audit_head()
    assert head is not None
    tamper(
        store,
        "INSERT INTO audit_entries (sequence, recorded_at, actor, kind, batch_id, payload, prev_hash, hash) VALUES "
        f"({head.sequence + 1}, '2026-11-30T00:00:00+00:00', 'mallory', 'step', 'B-1', '{{}}', '{head.hash}', "
        f"'{'f' * 64}')",
    )
    report = store.verify_chain()
    assert report.first_bad is not None
    assert (report.ok, report.first_bad.sequence) == (False, head.sequence + 1)


def test_a_field_that_is_not_text_is_reported_not_raised() -> None:
    with _memory_store() as s:
        _apply(s, [("step", "evacuate", False)])
        tamper(s, "UPDATE audit_entries SET actor = x'00ff' WHERE sequence = 2")
        report = s.verify_chain()
    assert report.first_bad == BadEntry(2, "a field is not text: it was edited")
