"""Procedure files: export a procedure as YAML/JSON, and read one back with line/column locations.

An exported plan may be edited by an engineer (a custom SOP). Reading never raises for
a bad file: unknown actions, missing or mistyped arguments come back as
:class:`~anodeline.documents.violations.Violation` s (codes ``PRC…``) pointing at the step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from anodeline.documents.files import read_document
from anodeline.documents.source import SourceMap, read_yaml
from anodeline.documents.violations import Severity, Violation
from anodeline.line.actions import ACTION_TYPES, Action, action_fields
from anodeline.line.errors import ProcedureError
from anodeline.line.policy import AirPolicy
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import Atmosphere
from anodeline.procedure.model import ContainerSpec, ItemSpec, Procedure, StepOrigin

_SOURCE = "procedure files (docs/procedures.md)"
#: The largest container a glove chamber takes through its port (est.: a 100 L drum).
MAX_CONTAINER_VOLUME_L = 100.0
_STEP_META = {"action", "index", "manual", "note"}


def dump(procedure: Procedure, fmt: str = "yaml") -> str:
    """The procedure as YAML or JSON text."""
    data = procedure.to_dict()
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


@dataclass
class _Reader:
    source_map: SourceMap
    found: list[Violation] = field(default_factory=list)

    def bad(self, code: str, path: str, message: str, hint: str) -> None:
        line, column = self.source_map.locate(path)
        self.found.append(Violation(Severity.ERROR, code, path, line, column, message, hint, _SOURCE))


def _step(reader: _Reader, index: int, data: Any) -> Action | None:
    path = f"steps[{index}]"
    if not isinstance(data, dict) or "action" not in data:
        reader.bad(
            "PRC002",
            path,
            "a step must be a mapping with an 'action' key",
            "write e.g. {action: open_door, door: inlet-2}",
        )
        return None
    kind = data["action"]
    if kind not in ACTION_TYPES:
        reader.bad("PRC003", f"{path}.action", f"unknown action {kind!r}", f"use one of {', '.join(ACTION_TYPES)}")
        return None
    wanted = action_fields(str(kind))
    args: dict[str, Any] = {}
    ok = True
    for key in data:
        if key not in wanted and key not in _STEP_META:
            reader.bad(
                "PRC004", f"{path}.{key}", f"{kind} takes no argument {key!r}", f"its arguments: {', '.join(wanted)}"
            )
            ok = False
    for name, typ in wanted.items():
        if name not in data:
            default = ACTION_TYPES[str(kind)].__dataclass_fields__[name].default
            if isinstance(default, str | float | int):
                continue
            reader.bad("PRC005", path, f"{kind} needs {name!r}", f"add {name}: …")
            ok = False
            continue
        value = data[name]
        if typ is float and isinstance(value, int | float) and not isinstance(value, bool):
            args[name] = float(value)
        elif typ is str and isinstance(value, str):
            args[name] = value
        else:
            reader.bad("PRC006", f"{path}.{name}", f"{name} must be a {typ.__name__}, got {value!r}", "fix the value")
            ok = False
    return ACTION_TYPES[str(kind)](**args) if ok else None


def _materials(reader: _Reader, data: Any) -> tuple[ContainerSpec, ...]:
    specs: list[ContainerSpec] = []
    for index, box in enumerate(data if isinstance(data, list) else []):
        path = f"materials[{index}]"
        try:
            items = tuple(
                ItemSpec(
                    str(it["name"]),
                    str(it["kind"]),
                    bool(it["sensitive"]),
                    bool(it.get("lithium", False)),
                    tuple(it.get("layers", ())),
                )
                for it in box.get("items", ())
            )
            sealed = Atmosphere.from_dict(box["sealed"]) if box.get("sealed") else None
            volume_l = float(box.get("volume_l", ContainerSpec.volume_l))
            if not 0.0 < volume_l <= MAX_CONTAINER_VOLUME_L:
                raise ValueError(f"volume_l must be in (0, {MAX_CONTAINER_VOLUME_L:g}] L, got {volume_l!r}")
            specs.append(ContainerSpec(str(box["name"]), items, bool(box.get("closed", True)), sealed,
                                       str(box.get("space", "")), volume_l))  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError, AtmosphereError) as exc:
            reader.bad(
                "PRC007",
                path,
                f"bad container: {exc}",
                "give name, closed, sealed {gas, pressure_pa, o2_ppm, h2o_ppm} and items",
            )
    return tuple(specs)


def _origin(reader: _Reader, position: int, step: dict[str, Any]) -> StepOrigin:
    """The step's own ``index`` in the file (if it has an integer one) and its line:column."""
    index = step.get("index")
    line, column = reader.source_map.locate(f"steps[{position}]")
    return StepOrigin(index if isinstance(index, int) and not isinstance(index, bool) else None, line, column)


def read_procedure(text: str) -> tuple[Procedure | None, tuple[Violation, ...]]:
    """Parse procedure YAML/JSON text; the procedure is None when any step is unusable."""
    document = read_yaml(text)
    reader = _Reader(document.source_map)
    for p in document.problems:
        reader.found.append(
            Violation(Severity.ERROR, "PRC001", p.path, p.line, p.column, p.message, "fix the YAML", _SOURCE)
        )
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        if not reader.found:
            reader.bad("PRC002", "", "a procedure is a mapping with a 'steps' list", "export one with 'anodeline plan'")
        return None, tuple(reader.found)
    try:
        policy = AirPolicy.from_dict(data.get("policy") or {})
    except (TypeError, ValueError) as exc:
        reader.bad("PRC008", "policy", f"bad policy: {exc}", "keys: " + ", ".join(AirPolicy.__dataclass_fields__))
        policy = AirPolicy()
    materials = _materials(reader, data.get("materials"))
    steps = [_step(reader, index, step) for index, step in enumerate(data["steps"])]
    notes = tuple(str(step.get("note", "")) if isinstance(step, dict) else "" for step in data["steps"])
    if reader.found:
        return None, tuple(reader.found)
    origins = tuple(_origin(reader, index, step) for index, step in enumerate(data["steps"]))
    procedure = Procedure(
        str(data.get("procedure", "custom")), str(data.get("line", "")), str(data.get("route", "")), policy,
        materials, tuple(s for s in steps if s is not None), notes, str(data.get("recipe", "")),
        step_origins=origins,
    )  # fmt: skip
    return procedure, ()


def load_procedure(path: str | Path) -> Procedure:
    """Read a procedure file; raises :class:`ProcedureError` (with the violations) if it is unusable."""
    text = read_document(path, "procedure file", ProcedureError)
    procedure, violations = read_procedure(text)
    if procedure is None:
        first = violations[0]
        raise ProcedureError(f"{first.code} {first.message}", violations=violations, hint=first.hint,
                             location=f"{path}:{first.line}:{first.column}")  # fmt: skip
    return procedure


def looks_like_procedure(text: str) -> bool:
    """Is this text a procedure (it has a top-level ``steps`` list) rather than a recipe?"""
    data = read_yaml(text).data
    return isinstance(data, dict) and "steps" in data and "layers" not in data
