"""Procedure files: export a procedure as YAML/JSON, and read one back with line/column locations.

An exported plan may be edited by an engineer (a custom SOP). Reading never raises for
a bad file: unknown actions, missing or mistyped arguments, numbers that are not finite
or out of range, duplicate names, a policy outside the window's bounds or different from
the line's come back as :class:`~anodeline.documents.violations.Violation` s (codes
``PRC…``) pointing at the key.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from anodeline import window
from anodeline.documents.files import read_document
from anodeline.documents.source import SourceMap, read_yaml
from anodeline.documents.violations import Severity, Violation
from anodeline.line.actions import ACTION_TYPES, Action, action_fields
from anodeline.line.errors import ProcedureError
from anodeline.line.policy import BOUNDS, LINE_KEYS, AirPolicy, line_values, on_line, out_of_bounds
from anodeline.physics.atmosphere.errors import AtmosphereError
from anodeline.physics.atmosphere.state import Atmosphere
from anodeline.procedure.model import ContainerSpec, ItemSpec, Procedure, StepOrigin

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.config import Line

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


#: The range of every number a step carries, by argument name.
STEP_RANGES: dict[str, window.Bound] = {
    "pressure_pa": window.GAS_PRESSURE_PA,
    "thickness_um": window.FILM_THICKNESS_UM,
    "temperature_degc": window.HEATER_SETPOINT_DEGC,
    "seconds": window.STEP_DURATION_S,
    "power_w": window.SOURCE_POWER_W,
}
#: The range of a sealed atmosphere's numbers.
SEALED_RANGES: dict[str, window.Bound] = {
    "pressure_pa": window.GAS_PRESSURE_PA,
    **dict.fromkeys(("o2_ppm", "h2o_ppm", "n2_ppm"), window.Bound(0.0, 1e6, "ppm", "physics (a mole fraction)")),
}


@dataclass
class _Reader:
    source_map: SourceMap
    found: list[Violation] = field(default_factory=list)

    def bad(self, code: str, path: str, message: str, hint: str, source: str = _SOURCE) -> None:
        line, column = self.source_map.locate(path)
        self.found.append(Violation(Severity.ERROR, code, path, line, column, message, hint, source))

    def in_range(self, path: str, value: float, bound: window.Bound) -> bool:
        """Report PRC011 unless ``value`` is finite and inside ``bound``."""
        if bound.contains(value):
            return True
        message = f"{path.rsplit('.', 1)[-1]} = {value!r} is out of range: it must be {bound.text()}"
        self.bad("PRC011", path, message, f"give a value {bound.text()}", bound.source)
        return False


def _number(value: Any) -> float | None:
    """A YAML number as a float (None for text, booleans and ints too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf


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
    if not isinstance(kind, str) or kind not in ACTION_TYPES:
        reader.bad("PRC003", f"{path}.action", f"unknown action {kind!r}", f"use one of {', '.join(ACTION_TYPES)}")
        return None
    wanted = action_fields(kind)
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
            default = ACTION_TYPES[kind].__dataclass_fields__[name].default
            if isinstance(default, str | float | int):
                continue
            reader.bad("PRC005", path, f"{kind} needs {name!r}", f"add {name}: …")
            ok = False
            continue
        value = data[name]
        number = _number(value)
        if typ is float and number is not None:
            args[name] = number
            bound = STEP_RANGES.get(name)
            ok = (bound is None or reader.in_range(f"{path}.{name}", number, bound)) and ok
        elif typ is str and isinstance(value, str):
            args[name] = value
        else:
            reader.bad("PRC006", f"{path}.{name}", f"{name} must be a {typ.__name__}, got {value!r}", "fix the value")
            ok = False
    return ACTION_TYPES[kind](**args) if ok else None


_CONTAINER_HINT = "give name, closed, sealed {gas, pressure_pa, o2_ppm, h2o_ppm} and items"


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be true or false, got {value!r}")
    return value


def _sealed(reader: _Reader, path: str, data: Any) -> Atmosphere | None:
    if not isinstance(data, dict):
        raise TypeError(f"sealed must be a mapping, got {data!r}")
    ok = True
    for key, bound in SEALED_RANGES.items():
        if key in data:
            number = _number(data[key])
            if number is None:
                raise TypeError(f"sealed {key} must be a number, got {data[key]!r}")
            ok = reader.in_range(f"{path}.{key}", number, bound) and ok
    return Atmosphere.from_dict(data) if ok else None


def _items(path: str, data: Any) -> tuple[ItemSpec, ...]:
    if not isinstance(data, list):
        raise TypeError(f"items must be a list, got {data!r}")
    return tuple(
        ItemSpec(str(it["name"]), str(it["kind"]), _flag(it, "sensitive", True), _flag(it, "lithium", False),
                 tuple(str(layer) for layer in it.get("layers", ())))
        for it in data
    )  # fmt: skip


_SENSITIVE_SOURCE = (
    "physics (lithium reacts with O2, H2O and N2; Li2S-based targets and films hydrolyse to H2S); claims 1, 17, 33 "
    "(the base, targets and coated parts are handled without exposure to air)"
)


def _materials(reader: _Reader, data: Any, line: Line | None) -> tuple[ContainerSpec, ...]:
    if data is not None and not isinstance(data, list):
        reader.bad("PRC007", "materials", f"materials must be a list of containers, got {data!r}", _CONTAINER_HINT)
        return ()
    specs: list[ContainerSpec] = []
    containers: set[str] = set()
    items: set[str] = set()
    for index, box in enumerate(data if isinstance(data, list) else []):
        path = f"materials[{index}]"
        try:
            found = len(reader.found)
            sealed = _sealed(reader, f"{path}.sealed", box["sealed"]) if box.get("sealed") else None
            volume_l = _number(box.get("volume_l", ContainerSpec.volume_l))
            if volume_l is None or not 0.0 < volume_l <= MAX_CONTAINER_VOLUME_L:
                raise ValueError(f"volume_l must be in (0, {MAX_CONTAINER_VOLUME_L:g}] L, got {box.get('volume_l')!r}")
            spec = ContainerSpec(str(box["name"]), _items(path, box.get("items", [])), _flag(box, "closed", True),
                                 sealed, str(box.get("space", "")), volume_l)  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError, AtmosphereError) as exc:
            reader.bad("PRC007", path, f"bad container: {exc}", _CONTAINER_HINT)
            continue
        if len(reader.found) > found:
            continue
        if line is not None and spec.space and spec.space not in line.spaces:
            reader.bad("PRC007", f"{path}.space", f"bad container: {spec.space!r} is not a space of line {line.line!r}",
                       f"place it in one of {', '.join(line.spaces)}, or leave space out (the room)")  # fmt: skip
            continue
        if spec.name in containers:
            reader.bad("PRC012", f"{path}.name", f"container {spec.name!r} is declared twice",
                       "give every container its own name")  # fmt: skip
        containers.add(spec.name)
        for number, item in enumerate(spec.items):
            if not item.sensitive and (item.lithium or item.kind == "target" or item.layers):
                reader.bad("PRC014", f"{path}.items[{number}].sensitive",
                           f"item {item.name!r} ({item.kind}{', lithium' if item.lithium else ''}) is declared not "
                           "air-sensitive", "set sensitive: true (lithium, targets and coated parts are sensitive)",
                           _SENSITIVE_SOURCE)  # fmt: skip
            if item.name in items or item.name in containers:
                reader.bad("PRC013", f"{path}.items[{number}].name", f"item {item.name!r} is declared twice",
                           "give every item its own name, different from every container's")  # fmt: skip
            items.add(item.name)
        specs.append(spec)
    for index, box in enumerate(specs):
        if box.name in items:
            reader.bad("PRC013", f"materials[{index}].name", f"container {box.name!r} has the name of an item",
                       "give every item its own name, different from every container's")  # fmt: skip
    return tuple(specs)


def _origin(reader: _Reader, position: int, step: dict[str, Any]) -> StepOrigin:
    """The step's own ``index`` in the file (if it has an integer one) and its line:column."""
    index = step.get("index")
    line, column = reader.source_map.locate(f"steps[{position}]")
    return StepOrigin(index if isinstance(index, int) and not isinstance(index, bool) else None, line, column)


def _policy(reader: _Reader, data: Any, line: Line | None) -> AirPolicy:
    """The file's policy, bounded; with a line, what the line decides must be the line's."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        reader.bad("PRC008", "policy", f"bad policy: {data!r} is not a mapping", "keys: " + ", ".join(_POLICY_KEYS))
        return AirPolicy()
    try:
        policy = AirPolicy.from_dict(data)
    except (TypeError, ValueError, OverflowError) as exc:
        reader.bad("PRC008", "policy", f"bad policy: {exc}", "keys: " + ", ".join(_POLICY_KEYS))
        return AirPolicy()
    for key, why in out_of_bounds(policy).items():
        bound = BOUNDS.get(key)
        hint = f"give {key} {bound.text()}" if bound else "use He, N2, Ne, Ar, Kr, a mixture such as Ar+He, or dry-air"
        reader.bad("PRC010", f"policy.{key}" if key in data else "policy", why, hint,
                   bound.source if bound else "claims 10, 11, 26, 27, 42 and 43")  # fmt: skip
    if line is not None:
        decided = line_values(line)
        for key, value in decided.items():
            if key in data and not math.isclose(getattr(policy, key), value, rel_tol=1e-9):
                reader.bad(
                    "PRC009", f"policy.{key}",
                    f"{key} = {getattr(policy, key)!r} differs from line {line.line!r} "
                    f"(policy.{LINE_KEYS[key]}: {value:g})",
                    f"remove {key} (the line decides it) or set it to {value:g}",
                    "the line decides its policy (docs/lines.md); a procedure file cannot loosen it",
                )  # fmt: skip
        policy = on_line(policy, line)
    return policy


_POLICY_KEYS = tuple(AirPolicy.__dataclass_fields__)


def read_procedure(text: str, line: Line | None = None) -> tuple[Procedure | None, tuple[Violation, ...]]:
    """Parse procedure YAML/JSON text; the procedure is None when anything in it is unusable.

    Nothing in the file is trusted: every number must be finite and in its range, names
    unique, the policy within the window's bounds; with ``line``, the policy values the
    line decides must be the line's (and the procedure carries the line's).
    """
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
    policy = _policy(reader, data.get("policy"), line)
    materials = _materials(reader, data.get("materials"), line)
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


def load_procedure(path: str | Path, line: Line | None = None) -> Procedure:
    """Read a procedure file (checked against ``line`` if given); raises :class:`ProcedureError` if unusable."""
    text = read_document(path, "procedure file", ProcedureError)
    procedure, violations = read_procedure(text, line)
    if procedure is None:
        first = violations[0]
        raise ProcedureError(f"{first.code} {first.message}", violations=violations, hint=first.hint,
                             location=f"{path}:{first.line}:{first.column}")  # fmt: skip
    return procedure


def looks_like_procedure(text: str) -> bool:
    """Is this text a procedure (it has a top-level ``steps`` list) rather than a recipe?"""
    data = read_yaml(text).data
    return isinstance(data, dict) and "steps" in data and "layers" not in data
