"""The exposure ledger integrates O2 and H2O while an item is unsealed, interval by interval."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.records import ExposureLedger, RecordInputError


def test_dose_is_the_trapezoid_of_the_readings() -> None:
    ledger = ExposureLedger("foil-1")
    ledger.observe(0.0, "chamber4", o2_ppm=0.0, h2o_ppm=1.0)
    ledger.observe(10.0, "chamber4", o2_ppm=2.0, h2o_ppm=1.0)
    [interval] = ledger.close()
    assert interval.o2_dose_ppm_s == pytest.approx(10.0)
    assert interval.h2o_dose_ppm_s == pytest.approx(10.0)
    assert (interval.start_s, interval.end_s, interval.max_o2_ppm) == (0.0, 10.0, 2.0)


def test_moving_to_another_space_opens_a_new_interval() -> None:
    ledger = ExposureLedger("foil-1")
    ledger.observe(0.0, "chamber4", 1.0, 0.5)
    ledger.observe(5.0, "apparatus1", 0.1, 0.1)
    ledger.observe(15.0, "apparatus1", 0.1, 0.1)
    first, second = ledger.close()
    assert (first.space, first.end_s, first.o2_dose_ppm_s) == ("chamber4", 5.0, pytest.approx(5.0))
    assert (second.space, second.start_s, second.o2_dose_ppm_s) == ("apparatus1", 5.0, pytest.approx(1.0))


def test_sealed_stretches_add_no_dose() -> None:
    ledger = ExposureLedger("electrode-1")
    ledger.observe(0.0, "chamber5", 1.0, 1.0)
    ledger.observe(10.0, "room", 200_000.0, 10_000.0, sealed=True)
    ledger.observe(100.0, "room", 200_000.0, 10_000.0, sealed=True)
    ledger.observe(110.0, "chamber4", 1.0, 1.0)
    intervals = ledger.close()
    assert [i.space for i in intervals] == ["chamber5", "chamber4"]
    assert ledger.o2_dose_ppm_s == pytest.approx(10.0)
    assert max(i.max_o2_ppm for i in intervals) == 1.0


def test_negative_ppm_and_time_going_back_are_refused() -> None:
    ledger = ExposureLedger("foil-1")
    with pytest.raises(RecordInputError):
        ledger.observe(0.0, "chamber4", -1.0, 0.0)
    ledger.observe(5.0, "chamber4", 0.0, 0.0)
    with pytest.raises(RecordInputError, match="time went back"):
        ledger.observe(4.0, "chamber4", 0.0, 0.0)


readings = st.lists(
    st.tuples(
        st.floats(0.0, 100.0),
        st.sampled_from(["chamber4", "apparatus1", "chamber5"]),
        st.floats(0.0, 1e4),
        st.floats(0.0, 1e4),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(readings=readings)
def test_dose_never_decreases_as_readings_are_appended(readings: list[tuple[float, str, float, float, bool]]) -> None:
    ledger = ExposureLedger("foil-1")
    t, o2_before, h2o_before = 0.0, 0.0, 0.0
    for dt, space, o2, h2o, sealed in readings:
        t += dt
        ledger.observe(t, space, o2, h2o, sealed=sealed)
        assert ledger.o2_dose_ppm_s >= o2_before
        assert ledger.h2o_dose_ppm_s >= h2o_before
        o2_before, h2o_before = ledger.o2_dose_ppm_s, ledger.h2o_dose_ppm_s
    for interval in ledger.close():
        assert interval.start_s <= interval.end_s
        assert interval.o2_dose_ppm_s <= interval.max_o2_ppm * interval.duration_s * (1 + 1e-9) + 1e-9
