"""What crosses the wire: actions as JSON (the procedure-file step format), units as UNECE codes.

A structured command (a deposition, the operator's glove work) is a method call with the step
as JSON, ``{"action": "deposit", "space": …, "thickness_um": 5.0, …}``, the same mapping a
procedure file holds (docs/procedures.md); an empty string switches a source off.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from anodeline.line.actions import ACTION_TYPES, Action, action_fields

#: UNECE Recommendation 20 common codes of the engine units (OPC 10000-8 §5.6.3 EUInformation).
UNECE: Final[dict[str, tuple[str, str]]] = {
    "Pa": ("PAL", "Pa"),
    "ppm": ("59", "ppm"),
    "degC": ("CEL", "°C"),
    "um": ("4H", "µm"),
    "nm/s": ("", "nm/s"),
    "": ("C62", "1"),
}
UNECE_NAMESPACE: Final = "http://www.opcfoundation.org/UA/units/un/cefact"


def unit_id(common_code: str) -> int:
    """OPC 10000-8 §5.6.3: the UnitId of a UNECE common code (its characters packed, big-endian)."""
    value = 0
    for char in common_code:
        value = (value << 8) | ord(char)
    return value if common_code else -1


def encode_action(action: Action | None) -> str:
    return "" if action is None else json.dumps(action.to_dict(), sort_keys=True)


def decode_action(text: str) -> Action | None:
    """The action in ``text`` (None for an empty string); ValueError naming what is wrong."""
    if not text.strip():
        return None
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("action") not in ACTION_TYPES:
        raise ValueError(f"not a step: {text[:80]!r}")
    kind = data["action"]
    args: dict[str, Any] = {}
    for name, kind_type in action_fields(kind).items():
        if name not in data:
            raise ValueError(f"step {kind!r} lacks {name!r}")
        value = data[name]
        if kind_type is float:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"step {kind!r}: {name} is not finite")
        elif not isinstance(value, str):
            raise ValueError(f"step {kind!r}: {name} must be a name")
        args[name] = value
    return ACTION_TYPES[kind](**args)
