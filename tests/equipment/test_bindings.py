"""Bindings files: the shipped ones bind their line; every way a file can be wrong is a located BND error."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.equipment import load_bindings, validate_bindings_text
from anodeline.equipment.bindings import BindingsError, compose, conversion
from anodeline.equipment.template import glovebox_devices, opcua_template
from anodeline.errors import UnreadableInputError
from anodeline.line.config import Line
from tests.conftest import ROOT

LINES = ROOT / "examples" / "bindings"


def _text(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def _codes(text: str, line: Line) -> list[tuple[str, int]]:
    """The errors of ``text`` as the only bindings file of ``line``."""
    _, violations = compose([validate_bindings_text(text, line)], line)
    return [(v.code, v.line) for _, v in violations if v.is_error]


def test_the_shipped_opcua_file_binds_every_device_of_fig1(fig1: Line) -> None:
    bindings = load_bindings([LINES / "fig1.opcua.yaml"], fig1)
    assert len(bindings.files) == 1 and bindings.files[0].protocol == "opcua"
    assert bindings.devices["gauge-4"].channels[0].key == "gauge-4"
    assert bindings.devices["system-1/heater"].command is not None


def test_an_opcua_and_a_modbus_file_compose_into_one_binding_of_the_line(fig1: Line) -> None:
    bindings = load_bindings([LINES / "fig1.deposition.opcua.yaml", LINES / "fig1.modbus.yaml"], fig1)
    assert {f.protocol for f in bindings.files} == {"opcua", "modbus"}
    assert bindings.file_of("o2-4").protocol == "modbus" and bindings.file_of("inlet-2").protocol == "opcua"
    gauge = bindings.devices["gauge-4"].channels[0]
    assert gauge.conversion.to_engine(1013.25) == pytest.approx(101325.0)  # the controller reports mbar


def test_a_device_bound_by_no_file_is_located_in_the_first(fig1: Line) -> None:
    with pytest.raises(BindingsError) as caught:
        load_bindings([LINES / "fig1.modbus.yaml"], fig1)
    assert "BND009" in caught.value.message and "turbo-1" in caught.value.message
    assert caught.value.location.startswith(f"{LINES / 'fig1.modbus.yaml'}:")


def test_a_device_bound_twice_is_located_at_the_second_binding(fig1: Line) -> None:
    with pytest.raises(BindingsError) as caught:
        load_bindings([LINES / "fig1.opcua.yaml", LINES / "fig1.modbus.yaml"], fig1)
    assert "BND010" in caught.value.message
    assert caught.value.location.split(":")[0].endswith("fig1.modbus.yaml")


def test_an_unreadable_file_is_unreadable_input(fig1: Line, tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError):
        load_bindings([tmp_path / "missing.yaml"], fig1)


def _opcua(fig1: Line) -> dict:
    return opcua_template(fig1)


def test_a_wrong_unit_is_refused_at_its_line(fig1: Line) -> None:
    document = _opcua(fig1)
    document["devices"]["gauge-4"]["channels"]["value"]["unit"] = "degC"
    text = _text(document)
    codes = _codes(text, fig1)
    assert [c for c, _ in codes] == ["BND008"]
    assert text.splitlines()[codes[0][1] - 1].strip().startswith("unit:")


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda d: d["devices"].pop("inlet-2"), "BND009"),  # unbound device (one file)
        (lambda d: d["devices"]["rotary-4"]["channels"].pop("fault"), "BND009"),  # unbound channel
        (lambda d: d["devices"].__setitem__("rotary-9", copy.deepcopy(d["devices"]["rotary-4"])), "BND006"),
        (lambda d: d["devices"]["rotary-4"]["channels"].__setitem__("speed", {"node": "s=x"}), "BND007"),
        (lambda d: d["devices"]["o2-4"]["channels"]["value"].pop("unit"), "BND008"),
        (lambda d: d["devices"]["o2-4"]["channels"]["value"].__setitem__("unit", "furlong"), "BND008"),
        (lambda d: d.__setitem__("line", "single-port"), "BND011"),
        (lambda d: d["devices"]["rotary-4"].pop("command"), "BND012"),
        (lambda d: d["devices"]["o2-4"].__setitem__("command", {"write": "s=o2-4.zero"}), "BND012"),
        (lambda d: d["devices"]["operator"].__setitem__("command", {"write": "s=x"}), "BND012"),
        (lambda d: d["devices"]["system-1/heater"]["command"].__setitem__("unit", "Pa"), "BND008"),
        (lambda d: d["devices"]["o2-4"]["channels"]["value"].__setitem__("node", "o2-4"), "BND004"),
        (lambda d: d.__setitem__("endpoint", "http://plc:4840"), "BND004"),
        (lambda d: d.__setitem__("stale_after", "5 kg"), "BND004"),
        (lambda d: d.__setitem__("protocol", "profinet"), "BND004"),
        (lambda d: d.__setitem__("color", "red"), "BND002"),
        (lambda d: d.pop("endpoint"), "BND003"),
    ],
)
def test_each_bad_binding_is_one_located_error(fig1: Line, edit, code: str) -> None:  # type: ignore[no-untyped-def]
    document = _opcua(fig1)
    edit(document)
    found = _codes(_text(document), fig1)
    assert code in [c for c, _ in found], found
    assert all(line > 0 for _, line in found)


def test_two_channels_on_one_node_is_a_warning(fig1: Line) -> None:
    document = _opcua(fig1)
    document["devices"]["o2-5"]["channels"]["value"]["node"] = "s=o2-4.value"
    report = validate_bindings_text(_text(document), fig1)
    assert report.valid and [w.code for w in report.warnings] == ["BND013"]


def test_an_unquoted_on_channel_means_the_on_channel(fig1: Line) -> None:
    text = _text(_opcua(fig1)).replace("'on':", "on:")
    assert "\n      on:" in text
    assert validate_bindings_text(text, fig1).valid


def test_modbus_registers_must_fit_their_table(fig1: Line) -> None:
    text = (LINES / "fig1.modbus.yaml").read_text()
    bad = text.replace(
        "{table: input, address: 0, type: float32, unit: ppm}", "{table: coil, address: 0, type: float32}"
    )
    assert "BND004" in [c for c, _ in _codes(bad, fig1)]
    deposit = yaml.safe_load(text)
    deposit["devices"]["system-1/sputter-gun"] = {"channels": {}, "command": {"table": "holding", "address": 0}}
    assert "BND012" in [c for c, _ in _codes(_text(deposit), fig1)]


def test_the_glove_box_part_is_the_glove_chambers_devices(fig1: Line) -> None:
    part = glovebox_devices(fig1)
    assert {"o2-4", "gauge-5", "purifier-4", "rotary-5", "port-4", "chamber-5/argon"} <= part
    assert not part & {"inlet-2", "outlet-3", "turbo-1", "gauge-1", "system-1/heater", "operator", "mains"}


@settings(max_examples=50, deadline=None)
@given(
    unit=st.sampled_from(["Pa", "mbar", "kPa", "bar", "psi", "torr"]),
    scale=st.floats(1e-3, 1e3),
    offset=st.floats(-10, 10),
    raw=st.floats(-1e4, 1e4),
)
def test_a_conversion_round_trips_and_agrees_with_pint(unit: str, scale: float, offset: float, raw: float) -> None:
    from anodeline.units import Q_

    conv = conversion(unit, "Pa", scale, offset)
    expected = Q_(raw * scale + offset, unit).to("Pa").magnitude
    assert conv.to_engine(raw) == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert conv.to_device(conv.to_engine(raw)) == pytest.approx(raw, rel=1e-9, abs=1e-6)


def test_a_temperature_offset_unit_converts(fig1: Line) -> None:
    assert conversion("degF", "degC").to_engine(212.0) == pytest.approx(100.0)
