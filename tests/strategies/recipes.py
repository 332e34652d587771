"""Hypothesis strategies for recipes: schema-valid recipe documents and arbitrary YAML-able data."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

METHODS = ["sputtering", "vacuum-evaporation", "laser-ablation", "ion-plating"]
TARGETS = [
    "57Li2S-38SiS2-5Li3PO4",
    "57Li2S-38SiS2-5(Li2O-P2O5)",
    "60Li2S-40SiS2",
    "60Li2S-39.5GeS2-0.5Li4SiO4",
    "57Li2S-38SiS2-5Li3PO3.9N0.1",
    "70Li2S-30P2S5",
]


def quantity(low: float, high: float, unit: str) -> st.SearchStrategy[str]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: f"{v!r} {unit}")


@st.composite
def layer(draw: st.DrawFn, kind: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "target": "Li" if kind == "lithium" else draw(st.sampled_from(TARGETS)),
        "method": draw(st.sampled_from(METHODS)),
        "thickness": draw(quantity(0.005, 25.0, draw(st.sampled_from(["um", "nm"])).replace("nm", "um"))),
        "substrate_temperature": draw(quantity(0.0, 250.0, "degC")),
    }
    if draw(st.booleans()):
        data["anneal"] = {"temperature": draw(quantity(20.0, 250.0, "degC")), "duration": draw(quantity(0.0, 5.0, "h"))}
    if draw(st.booleans()):
        data["power"] = draw(quantity(1.0, 500.0, "W"))
    return data


@st.composite
def recipe_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A recipe that passes the schema (its process-window rules may still fail)."""
    route = draw(st.sampled_from(["coat-lithium-base", "lithium-then-electrolyte", "two-apparatus"]))
    layers = []
    if route != "coat-lithium-base" or draw(st.booleans()):
        layers.append(draw(layer("lithium", "lithium")))
    layers.append(draw(layer("solid-electrolyte", "electrolyte")))
    base: dict[str, Any] = {
        "substrate": {
            "material": draw(st.sampled_from(["Cu", "Ni", "Li", "stainless-steel"])),
            "thickness": draw(quantity(0.5, 120.0, "um")),
            "width": draw(quantity(1.0, 300.0, "mm")),
            "length": draw(quantity(1.0, 300.0, "mm")),
        }
    }
    if draw(st.booleans()):
        base["lithium_foil"] = {"material": "Li", "thickness": draw(quantity(1.0, 80.0, "um"))}
    gas = draw(st.sampled_from(["Ar", "He", "N2", "Ar+He", "dry-air", "Kr", "Ne"]))
    atmosphere: dict[str, Any] = {"gas": gas, "purity": draw(quantity(99.9, 100.0, "%"))}
    if gas == "dry-air" or draw(st.booleans()):
        atmosphere["dew_point"] = draw(quantity(-90.0, -30.0, "degC"))
    deposition: dict[str, Any] = {"base_pressure": draw(quantity(1e-7, 1e-3, "Pa"))}
    if draw(st.booleans()):
        deposition["working_pressure"] = draw(quantity(1e-3, 5.0, "Pa"))
    doc: dict[str, Any] = {
        "recipe": draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20)),
        "title": draw(st.text(max_size=40)),
        "route": route,
        "base": base,
        "layers": layers,
        "atmosphere": atmosphere,
        "deposition": deposition,
        "storage": draw(st.sampled_from(["new", "reuse"])),
    }
    if draw(st.booleans()):
        doc["spec"] = {"min_conductivity": draw(quantity(1e-5, 5e-3, "S/cm"))}
    return doc


yaml_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["10 um", "130 degC", "1e-4 Pa", "99.99 %", "1 h", "degC", "um", "-", "Li2S", "(", "1e999 Pa"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
