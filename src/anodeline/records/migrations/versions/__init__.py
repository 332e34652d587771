"""Alembic revisions of the batch-record store (a package so that wheels ship them)."""
