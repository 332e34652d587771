"""Batch records: batches, steps, telemetry, genealogy, exposure ledger and a SHA-256 audit chain.

SQLite (one file, the default) for a bench or the twin, PostgreSQL for a plant; the
schema is migrated with Alembic by :meth:`Store.migrate`. See docs/records.md.
"""

from __future__ import annotations

from anodeline.records import prompts
from anodeline.records.audit import AuditHead, BadEntry, ChainReport, verify_chain
from anodeline.records.connection import DEFAULT_URL
from anodeline.records.errors import (
    BatchStateError,
    RecordConflictError,
    RecordInputError,
    RecordNotFoundError,
    RecordsError,
    SchemaMissingError,
    StoreUnavailableError,
)
from anodeline.records.exposure import ExposureInterval, ExposureLedger
from anodeline.records.store import Store, open_store
from anodeline.records.telemetry import TelemetryRecorder, TelemetrySample
from anodeline.records.values import (
    AlarmRecord,
    BatchRecord,
    ExposureRecord,
    Genealogy,
    GenealogyNode,
    ItemRecord,
    LotRecord,
    StepRecord,
)

__all__ = [
    "DEFAULT_URL",
    "AlarmRecord",
    "AuditHead",
    "BadEntry",
    "BatchRecord",
    "BatchStateError",
    "ChainReport",
    "ExposureInterval",
    "ExposureLedger",
    "ExposureRecord",
    "Genealogy",
    "GenealogyNode",
    "ItemRecord",
    "LotRecord",
    "RecordConflictError",
    "RecordInputError",
    "RecordNotFoundError",
    "RecordsError",
    "SchemaMissingError",
    "StepRecord",
    "Store",
    "StoreUnavailableError",
    "TelemetryRecorder",
    "TelemetrySample",
    "open_store",
    "prompts",
    "verify_chain",
]
