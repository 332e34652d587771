"""An index on ``batches.created_at``: the batch list (newest first, a page at a time) reads one page.

Without it PostgreSQL sorts every batch row to return the newest hundred (10,000 batches: ~50 ms on
a loaded machine, the web app's batch list p95 over issue 13's 100 ms goal).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_batches_created_at", "batches", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_batches_created_at", table_name="batches")
