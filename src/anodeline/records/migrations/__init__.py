"""Alembic environment of the batch-record store (see ``anodeline.records.migrate``)."""
