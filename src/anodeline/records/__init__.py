"""Batch records: batches, steps, telemetry, genealogy, exposure ledger and a SHA-256 audit chain.

SQLite (one file, the default) for a bench or the twin, PostgreSQL for a plant; the
schema is migrated with Alembic by :meth:`Store.migrate`. See docs/records.md.

The names below are imported on first use (PEP 562): a batch run on a SQLite database already at
the schema's head writes through :class:`~anodeline.records.direct.DirectStore` and never imports
SQLAlchemy, which ``Store``, ``open_store``, ``verify_chain`` and ``prompts`` need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.records import prompts
    from anodeline.records.audit import verify_chain
    from anodeline.records.chain import AuditHead, BadEntry, ChainReport
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
    from anodeline.records.urls import DEFAULT_URL
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

#: Where each public name lives.
_HOMES = {
    "DEFAULT_URL": "urls",
    "AlarmRecord": "values",
    "AuditHead": "chain",
    "BadEntry": "chain",
    "BatchRecord": "values",
    "BatchStateError": "errors",
    "ChainReport": "chain",
    "ExposureInterval": "exposure",
    "ExposureLedger": "exposure",
    "ExposureRecord": "values",
    "Genealogy": "values",
    "GenealogyNode": "values",
    "ItemRecord": "values",
    "LotRecord": "values",
    "RecordConflictError": "errors",
    "RecordInputError": "errors",
    "RecordNotFoundError": "errors",
    "RecordsError": "errors",
    "SchemaMissingError": "errors",
    "StepRecord": "values",
    "Store": "store",
    "StoreUnavailableError": "errors",
    "TelemetryRecorder": "telemetry",
    "TelemetrySample": "telemetry",
    "open_store": "store",
    "verify_chain": "audit",
}

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


def __getattr__(name: str) -> Any:
    if name == "prompts":
        return import_module("anodeline.records.prompts")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'anodeline.records' has no attribute {name!r}")
    value = getattr(import_module(f"anodeline.records.{home}"), name)
    globals()[name] = value
    return value
