"""Users and roles, electronic signatures, and the electrode and procedure kept with each batch.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("batches", sa.Column("procedure_snapshot", sa.Text(), nullable=True))
    op.add_column("batches", sa.Column("electrode", sa.Text(), nullable=True))
    op.create_table(
        "users",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("printed_name", sa.String(length=128), nullable=False),
        sa.Column("meaning", sa.String(length=16), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_signatures_batch_id_batches"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_name"], ["users.name"], name=op.f("fk_signatures_user_name_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signatures")),
        sa.UniqueConstraint("batch_id", "user_name", "meaning", name=op.f("uq_signatures_batch_id")),
    )
    op.create_index(op.f("ix_signatures_batch_id"), "signatures", ["batch_id"])


def downgrade() -> None:
    op.drop_table("signatures")
    op.drop_table("users")
    with op.batch_alter_table("batches") as batch:
        batch.drop_column("electrode")
        batch.drop_column("procedure_snapshot")
