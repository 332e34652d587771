"""Steps as JSON over the wire, and UNECE unit ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anodeline.equipment.opcua.codec import decode_action, encode_action, unit_id
from anodeline.line import actions as act

names = st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=12)


@given(space=names, layer=names, target=names, onto=names, thickness=st.floats(0.001, 20.0))
def test_a_deposit_step_round_trips(space: str, layer: str, target: str, onto: str, thickness: float) -> None:
    step = act.Deposit(space, layer, "solid-electrolyte", "sputtering", target, onto, thickness)
    assert decode_action(encode_action(step)) == step


def test_glove_work_round_trips_and_empty_means_none() -> None:
    step = act.Move("base", "box-1")
    assert decode_action(encode_action(step)) == step
    assert decode_action(encode_action(None)) is None


BAD_STEPS = [
    '{"action": "fly"}',
    '{"action": "move", "item": "a"}',
    '{"action": "hold", "space": "x", "seconds": "nan"}',
    "[]",
    '{"action": "move", "item": 3, "to": "b"}',
]


@pytest.mark.parametrize("text", BAD_STEPS)
def test_a_bad_step_is_refused_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        decode_action(text)


def test_unece_unit_ids_pack_the_common_code() -> None:
    assert unit_id("PAL") == (ord("P") << 16) | (ord("A") << 8) | ord("L")  # pascal (OPC 10000-8 §5.6.3)
    assert unit_id("") == -1
