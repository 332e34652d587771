"""Every domain table edited behind the store's back (raw SQL, triggers dropped first) is named by
``verify``; an honest history passes the cross-check on both backends."""

from __future__ import annotations

import pytest

from anodeline.records import ExposureInterval, Store, TelemetrySample, prompts
from anodeline.records.users import UserRecord
from tests.records.conftest import new_batch, tamper

QA = UserRecord("qa1", "Quinn Assurance", "qa", False, "")


def _history(s: Store) -> str:
    """One batch with everything a run writes, finished with its electrode, signed and released."""
    batch = new_batch(s)
    s.register_lot("L-CU", material="Cu foil", supplier="acme")
    s.register_item(f"{batch}/base", kind="base", lot_id="L-CU", batch_id=batch)
    s.register_item(f"{batch}/electrode", kind="electrode", batch_id=batch)
    s.link(f"{batch}/base", f"{batch}/electrode", batch_id=batch)
    samples = [TelemetrySample("o2-4", t, 0.5 + t / 100) for t in (0.0, 10.0, 20.0)]
    s.record_step(batch, index=0, action="evacuate", started_sim_s=0, ended_sim_s=20, arguments={"space": "c4"},
                  readings={"gauge-4": 9.5}, telemetry=samples)  # fmt: skip
    s.record_telemetry(batch, [TelemetrySample("h2o-4", 25.0, 0.4), TelemetrySample("o2-4", 25.0, 0.8)])
    alarm = s.raise_alarm(batch, sim_s=30, code="SUSPEND", message="o2 high", hold=True)
    s.clear_alarm(alarm.alarm_id, sim_s=40)
    s.write(lambda x: prompts.open_prompt(x, batch, step=1, kind="load", instructions="load the cassette",
                                          item=f"{batch}/base", timeout_s=600.0, actor="anodeline"))  # fmt: skip
    s.write(lambda x: prompts.answer(x, batch, 1, answer="refused", user="op1", reason="cassette cracked"))
    s.record_step(batch, index=1, action="deposit", started_sim_s=40, ended_sim_s=90, readings={"qcm": 1.0})
    s.record_exposure(ExposureInterval(f"{batch}/base", "c4", 0, 20, 0.7, 0.4, 12.0, 8.0), batch_id=batch)
    s.finish_batch(batch, sim_s=100, verdict="pass", electrode={"id": f"{batch}/electrode", "sigma25_S_per_cm": 2e-4})
    s.add_user("qa1", full_name="Quinn Assurance", role="qa", password_hash="$argon2id$fake", actor="admin")
    s.sign(batch, user=QA, meaning="release")
    return batch


def test_an_honest_history_passes_every_check(store: Store) -> None:
    _history(store)
    report = store.verify()
    assert report.ok, report.problems
    assert report.rows_checked and report.entries > 10


TAMPERS = [
    ("verdict flipped", "UPDATE batches SET verdict = 'fail'", "batches B-1", "verdict"),
    ("status changed", "UPDATE batches SET status = 'aborted'", "batches B-1", "status"),
    ("recipe snapshot", "UPDATE batches SET recipe_snapshot = '{\"film\":\"x\"}'", "batches B-1", "recipe_snapshot"),
    ("electrode", "UPDATE batches SET electrode = '{\"sigma25_S_per_cm\": 1}'", "batches B-1", "electrode"),
    ("reasons", "UPDATE batches SET reasons = '[\"fine\"]'", "batches B-1", "reasons"),
    ("step outcome", "UPDATE steps SET outcome = 'failed' WHERE \"index\" = 1", "steps B-1/1", "outcome"),
    ("step readings", "UPDATE steps SET readings = '{\"gauge-4\": 1.0}' WHERE \"index\" = 0", "steps B-1/0",
     "readings"),
    ("step deleted", "DELETE FROM steps WHERE \"index\" = 1", "steps B-1/1", "deleted"),
    ("step inserted", "INSERT INTO steps (batch_id, \"index\", action, arguments, manual, started_sim_s, ended_sim_s, "
     "outcome, readings) VALUES ('B-1', 7, 'hold', '{}', false, 1, 2, 'ok', '{}')", "steps B-1/7", "inserted"),
    ("telemetry value", "UPDATE telemetry SET value = 0.1 WHERE channel = 'o2-4' AND sim_s = 10", "telemetry B-1",
     "write 1"),
    ("telemetry deleted", "DELETE FROM telemetry WHERE channel = 'h2o-4'", "telemetry B-1", "rows"),
    ("alarm message", "UPDATE alarms SET message = 'nothing'", "alarms 1", "message"),
    ("alarm never cleared", "UPDATE alarms SET cleared_sim_s = NULL", "alarms 1", "cleared_sim_s"),
    ("lot supplier", "UPDATE lots SET supplier = 'cheapco'", "lots L-CU", "supplier"),
    ("item lot", "UPDATE items SET lot_id = NULL WHERE kind = 'base'", "items B-1/base", "lot_id"),
    ("link deleted", "DELETE FROM item_links", "item_links B-1/base/B-1/electrode", "deleted"),
    ("exposure zeroed", "UPDATE exposures SET max_o2_ppm = 0, max_h2o_ppm = 0, o2_dose_ppm_s = 0, h2o_dose_ppm_s = 0",
     "exposures B-1/base", "not in the audit trail"),
    ("user role", "UPDATE users SET role = 'admin'", "users qa1", "role"),
    ("user password", "UPDATE users SET password_hash = '$argon2id$mine'", "users qa1", "password_hash"),
    ("signature meaning", "UPDATE signatures SET meaning = 'review'", "signatures 1", "meaning"),
    ("prompt refusal made a confirmation", "UPDATE prompts SET answer = 'confirmed', reason = NULL", "prompts 1",
     "answer"),
    ("prompt answered by another", "UPDATE prompts SET user_name = 'op2'", "prompts 1", "user_name"),
    ("prompt deleted", "DELETE FROM prompts", "prompts 1", "deleted"),
]  # fmt: skip


@pytest.mark.parametrize(("sql", "where", "what"), [t[1:] for t in TAMPERS], ids=[t[0] for t in TAMPERS])
def test_each_edit_of_a_domain_table_is_named(store: Store, sql: str, where: str, what: str) -> None:
    _history(store)
    tamper(store, sql)
    report = store.verify()
    assert not report.ok
    assert report.chain.ok  # the audit log itself is intact: only the cross-check sees this
    named = [p for p in report.problems if p.code == "AUD002" and p.where.startswith(where)]
    assert named and any(what in p.reason or what in p.where for p in named), report.problems


def test_a_whole_batch_deleted_is_named(store: Store) -> None:
    _history(store)
    tables = ("prompts", "signatures", "exposures", "item_links", "items", "telemetry", "steps", "alarms")
    tamper(store, *(f"DELETE FROM {t} WHERE batch_id = 'B-1'" for t in tables), "DELETE FROM batches")
    wheres = {p.where for p in store.verify().problems}
    assert "batches B-1" in wheres and "steps B-1/0" in wheres and "telemetry B-1" in wheres


def test_verify_without_rows_skips_the_cross_check(store: Store) -> None:
    _history(store)
    tamper(store, "UPDATE batches SET verdict = 'fail'")
    assert store.verify(rows=False).ok
