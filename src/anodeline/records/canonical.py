"""Canonical JSON: sorted keys, no spaces, no NaN — the same bytes on every machine.

The audit chain hashes these bytes, so they must not depend on dict order, locale or
the database's JSON type; snapshots and readings are stored as this text too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from anodeline.records.errors import RecordInputError

#: One encoder for every call (``json.dumps`` with options builds a new one each time).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    """Serialise ``value`` with sorted keys and compact separators; refuse NaN and infinities."""
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError) as exc:
        raise RecordInputError(
            f"value cannot be stored as canonical JSON: {exc}",
            hint="pass plain dicts/lists of str, int, finite float, bool and None (e.g. model.model_dump(mode='json'))",
        ) from exc


def parse_json(text: str) -> Any:
    """Parse JSON text stored by :func:`canonical_json`."""
    return json.loads(text)


def mapping_json(value: Mapping[str, Any] | None) -> str:
    """Canonical JSON of a mapping (``{}`` for None)."""
    return canonical_json(dict(value) if value is not None else {})


def check_time(name: str, sim_s: float) -> float:
    """Return ``sim_s`` as a float if it is a finite, non-negative simulated time in seconds."""
    value = float(sim_s)
    if not math.isfinite(value) or value < 0:
        raise RecordInputError(f"{name} must be a finite time ≥ 0 s, got {sim_s!r}")
    return value
