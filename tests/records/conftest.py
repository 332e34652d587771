"""Helpers of the records tests: raw-SQL tampering and a started batch.

The ``store`` / ``store_url`` fixtures (SQLite and PostgreSQL) live in tests/conftest.py.
"""

from __future__ import annotations

from sqlalchemy import text

from anodeline.records import Store


def drop_guards(s: Store) -> None:
    """Remove the append-only triggers, as an administrator with DB access could."""
    with s.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
            conn.execute(text("DROP TRIGGER audit_entries_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change"))


def tamper(s: Store, *statements: str) -> None:
    """Run raw SQL on the store's database behind the repository's back (guards removed first)."""
    drop_guards(s)
    with s.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


def new_batch(s: Store, batch_id: str = "B-1", *, start: bool = True) -> str:
    """A batch of the 'coat a lithium base' route, started at t = 0 s."""
    s.create_batch(
        batch_id=batch_id,
        recipe_id="example-1",
        recipe_snapshot={"film": "57Li2S-38SiS2-5Li3PO4", "thickness_um": 1.0},
        line_snapshot={"spaces": ["room", "chamber4", "apparatus1", "chamber5"]},
        route="coat_lithium_base",
        seed=7,
    )
    if start:
        s.start_batch(batch_id, sim_s=0.0)
    return batch_id


def release(s: Store, batch_id: str, *, qa: str = "qa1") -> None:
    """Finish ``batch_id`` with a pass and release it as a qa user (created if missing)."""
    from anodeline.records.users import UserRecord

    if s.get_batch(batch_id).status in ("created", "running"):
        s.finish_batch(batch_id, sim_s=1000.0, verdict="pass")
    if s.user_credentials(qa) is None:
        s.add_user(qa, full_name="Quinn Assurance", role="qa", password_hash="not-a-real-hash", actor="admin")
    s.sign(batch_id, user=UserRecord(qa, "Quinn Assurance", "qa", False, ""), meaning="release")
