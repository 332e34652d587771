"""Initial batch-record schema: batches, steps, telemetry, lots, items, genealogy, exposures, alarms, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of models.py's append-only guards: a migration must not change when models do.
SQLITE_GUARDS = (
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
)
POSTGRESQL_GUARDS = (
    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$",
    "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()",
)
SQLITE_GUARDS_DROP = ("DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete")
POSTGRESQL_GUARDS_DROP = (
    "DROP TRIGGER audit_entries_no_change ON audit_entries",
    "DROP FUNCTION audit_entries_append_only()",
)

TABLES = ("item_links", "exposures", "telemetry", "steps", "items", "alarms", "lots", "batches", "audit_entries")


def _guards(create: bool) -> tuple[str, ...]:
    """The append-only triggers of audit_entries for this dialect."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        return SQLITE_GUARDS if create else SQLITE_GUARDS_DROP
    if dialect == "postgresql":
        return POSTGRESQL_GUARDS if create else POSTGRESQL_GUARDS_DROP
    return ()


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_entries_hash")),
    )
    op.create_index(op.f("ix_audit_entries_batch_id"), "audit_entries", ["batch_id"])

    op.create_table(
        "batches",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("recipe_id", sa.String(length=128), nullable=False),
        sa.Column("recipe_snapshot", sa.Text(), nullable=False),
        sa.Column("line_snapshot", sa.Text(), nullable=False),
        sa.Column("route", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("created_sim_s", sa.Float(), nullable=False),
        sa.Column("started_sim_s", sa.Float(), nullable=True),
        sa.Column("ended_sim_s", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
    )
    op.create_index(op.f("ix_batches_recipe_id"), "batches", ["recipe_id"])
    op.create_index(op.f("ix_batches_status"), "batches", ["status"])

    op.create_table(
        "lots",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("material", sa.String(length=64), nullable=False),
        sa.Column("supplier", sa.String(length=128), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lots")),
    )
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("raised_sim_s", sa.Float(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("hold", sa.Boolean(), nullable=False),
        sa.Column("cleared_sim_s", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_alarms_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
    )
    op.create_index(op.f("ix_alarms_batch_id"), "alarms", ["batch_id"])

    op.create_table(
        "items",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("lot_id", sa.String(length=64), nullable=True),
        sa.Column("batch_id", sa.String(length=64), nullable=True),
        sa.Column("air_sensitive", sa.Boolean(), nullable=False),
        sa.Column("created_sim_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_items_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_items_lot_id_lots"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
    )
    op.create_index(op.f("ix_items_batch_id"), "items", ["batch_id"])
    op.create_index(op.f("ix_items_lot_id"), "items", ["lot_id"])

    op.create_table(
        "steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("arguments", sa.Text(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("started_sim_s", sa.Float(), nullable=False),
        sa.Column("ended_sim_s", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("readings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_steps_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_steps")),
        sa.UniqueConstraint("batch_id", "index", name=op.f("uq_steps_batch_id")),
    )
    op.create_table(
        "telemetry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("sim_s", sa.Float(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_telemetry_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telemetry")),
    )
    op.create_index("ix_telemetry_batch_channel_time", "telemetry", ["batch_id", "channel", "sim_s"])

    op.create_table(
        "exposures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=True),
        sa.Column("space", sa.String(length=64), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("max_o2_ppm", sa.Float(), nullable=False),
        sa.Column("max_h2o_ppm", sa.Float(), nullable=False),
        sa.Column("o2_dose_ppm_s", sa.Float(), nullable=False),
        sa.Column("h2o_dose_ppm_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_exposures_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_exposures_item_id_items"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exposures")),
    )
    op.create_index(op.f("ix_exposures_item_id"), "exposures", ["item_id"])

    op.create_table(
        "item_links",
        sa.Column("parent_id", sa.String(length=64), nullable=False),
        sa.Column("child_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_item_links_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["child_id"], ["items.id"], name=op.f("fk_item_links_child_id_items"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["items.id"], name=op.f("fk_item_links_parent_id_items"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("parent_id", "child_id", name=op.f("pk_item_links")),
    )
    op.create_index(op.f("ix_item_links_child_id"), "item_links", ["child_id"])

    for sql in _guards(create=True):
        op.execute(sql)


def downgrade() -> None:
    for sql in _guards(create=False):
        op.execute(sql)
    for table in TABLES:
        op.drop_table(table)
