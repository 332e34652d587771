"""Targets and their use per batch in the records (issue 14 item 7): bookkeeping, audit, tampering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from anodeline.records import RecordsError, Store
from anodeline.records import targets as tg
from tests.records.conftest import new_batch, tamper

GUN = "system-1/sputter-gun"
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _install(s: Store, target_id: str = "T-1", capacity: float = 5.0, **kw: object) -> tg.TargetRecord:
    args: dict = {"source": GUN, "kind": "sputter-target", "material": "57Li2S-38SiS2-5P2O5", "capacity": capacity,
                  "actor": "tech1", "now": T0, **kw}  # fmt: skip
    return s.install_target(target_id, **args)


def _history(s: Store) -> str:
    _install(s)
    batch = new_batch(s)
    s.record_target_use(batch, "T-1", layer="electrolyte", amount=0.2, seconds=7200.0, actor="run")
    return batch


def test_a_target_used_by_batches_shows_what_remains(store: Store) -> None:
    _history(store)
    batch2 = new_batch(store, "B-2")
    store.record_target_use(batch2, "T-1", layer="electrolyte", amount=0.3, seconds=9000.0, actor="r")
    (record,) = store.targets()
    assert record.used == pytest.approx(0.5) and record.remaining == pytest.approx(4.5)
    assert record.remaining_share == pytest.approx(0.9) and record.unit == "kWh" and record.mounted
    assert record.charge().rate_factor() == pytest.approx(0.98)
    assert [u.batch_id for u in store.target_usage("T-1")] == ["B-1", "B-2"]


def test_installing_a_new_target_removes_the_old_one_from_its_source(store: Store) -> None:
    _history(store)
    _install(store, "T-2")
    mounted = store.mounted_targets()
    assert mounted[GUN].target_id == "T-2" and mounted[GUN].used == 0.0
    old = next(t for t in store.targets() if t.target_id == "T-1")
    assert not old.mounted and old.used == pytest.approx(0.2)
    assert store.verify().ok


@pytest.mark.parametrize("capacity", [-5.0, 0.0, float("nan"), float("inf"), 1e300])
def test_an_impossible_life_is_refused(store: Store, capacity: float) -> None:
    with pytest.raises(RecordsError, match="must be in"):
        _install(store, capacity=capacity)


@pytest.mark.parametrize("amount", [-0.1, float("nan"), float("inf")])
def test_a_negative_or_non_finite_use_is_refused(store: Store, amount: float) -> None:
    _history(store)
    with pytest.raises(RecordsError, match="zero or positive"):
        store.record_target_use("B-1", "T-1", layer="e", amount=amount, seconds=1.0, actor="r")


def test_a_duplicate_or_unknown_target_is_refused(store: Store) -> None:
    _history(store)
    with pytest.raises(RecordsError, match="already in the records"):
        _install(store)
    with pytest.raises(RecordsError, match="no target"):
        store.record_target_use("B-1", "T-9", layer="e", amount=0.1, seconds=1.0, actor="r")


TAMPERS = [
    ("usage shrunk", "UPDATE target_usage SET amount = 0.01", "target_usage 1", "amount"),
    ("usage deleted", "DELETE FROM target_usage", "target_usage 1", "deleted"),
    ("usage inserted", "INSERT INTO target_usage (target_id, batch_id, layer, amount, seconds) "
     "VALUES ('T-1', 'B-1', 'x', -3, 1)", "target_usage 2", "inserted"),
    ("life stretched", "UPDATE targets SET capacity = 500", "targets T-1", "capacity"),
    ("moved to another source", "UPDATE targets SET source = 'system-1/evaporator'", "targets T-1", "source"),
]  # fmt: skip


@pytest.mark.parametrize(("sql", "where", "what"), [t[1:] for t in TAMPERS], ids=[t[0] for t in TAMPERS])
def test_a_hand_edited_target_or_usage_row_is_named(store: Store, sql: str, where: str, what: str) -> None:
    _history(store)
    assert store.verify().ok
    tamper(store, sql)
    report = store.verify()
    assert not report.ok and report.chain.ok
    named = [p for p in report.problems if p.code == "AUD002" and p.where.startswith(where)]
    assert named and any(what in p.reason or what in p.where for p in named), report.problems


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO target_usage (target_id, batch_id, layer, amount, seconds) VALUES ('T-1', 'B-1', 'x', -3, 1)",
        "UPDATE targets SET capacity = 1e300",
        "UPDATE targets SET capacity = -1",
    ],
)
def test_a_tampered_target_is_not_used_to_plan_a_batch(store: Store, sql: str) -> None:
    """A hand-edited row that would make the physics refuse (negative use, absurd life) says how to find it."""
    _history(store)
    tamper(store, sql)
    (record,) = store.targets()
    with pytest.raises(RecordsError, match="audit verify"):
        record.charge()
    assert not store.verify().ok


def test_a_usage_row_of_1e300_kwh_leaves_nothing(store: Store) -> None:
    _history(store)
    tamper(store, "UPDATE target_usage SET amount = 1e300")
    (record,) = store.targets()
    assert record.remaining == 0.0 and record.charge().rate_factor() == pytest.approx(0.8)
