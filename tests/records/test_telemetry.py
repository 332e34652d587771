"""The telemetry recorder keeps what a glove-box logger would: changes, heartbeats, ends."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anodeline.records import RecordInputError, TelemetryRecorder, TelemetrySample

O2 = "chamber4.o2_ppm"


def test_first_sample_is_always_kept() -> None:
    recorder = TelemetryRecorder(deadband=0.5, max_interval_s=60)
    assert recorder.offer(O2, 0.0, 0.3) == [TelemetrySample(O2, 0.0, 0.3)]


def test_changes_inside_the_deadband_are_dropped() -> None:
    recorder = TelemetryRecorder(deadband=0.5, max_interval_s=60)
    recorder.offer(O2, 0.0, 0.3)
    assert recorder.offer(O2, 1.0, 0.7) == []
    assert recorder.offer(O2, 2.0, 0.9) == [TelemetrySample(O2, 2.0, 0.9)]


def test_a_flat_signal_is_kept_once_per_max_interval() -> None:
    recorder = TelemetryRecorder(deadband=0.5, max_interval_s=10)
    kept = recorder.offer_many(TelemetrySample(O2, float(t), 0.3) for t in range(31))
    assert [s.sim_s for s in kept] == [0.0, 10.0, 20.0, 30.0]


def test_held_back_sample_fills_a_gap_before_a_late_reading() -> None:
    recorder = TelemetryRecorder(deadband=1.0, max_interval_s=10)
    recorder.offer(O2, 0.0, 0.3)
    assert recorder.offer(O2, 8.0, 0.3) == []
    assert [s.sim_s for s in recorder.offer(O2, 15.0, 0.3)] == [8.0]


def test_flush_keeps_the_last_sample_of_each_channel() -> None:
    recorder = TelemetryRecorder(deadband=1.0, max_interval_s=60)
    recorder.offer_many([TelemetrySample(O2, 0.0, 0.1), TelemetrySample("chamber4.h2o_ppm", 0.0, 0.2)])
    recorder.offer(O2, 5.0, 0.1)
    assert recorder.flush() == [TelemetrySample(O2, 5.0, 0.1)]
    assert recorder.flush() == []


def test_per_channel_deadbands_override_the_default() -> None:
    recorder = TelemetryRecorder(deadband=1.0, max_interval_s=60, deadbands={O2: 0.01})
    recorder.offer(O2, 0.0, 0.10)
    assert recorder.offer(O2, 1.0, 0.12) != []


@pytest.mark.parametrize(("t", "v"), [(-1.0, 0.0), (float("nan"), 0.0), (0.0, float("inf"))])
def test_impossible_samples_are_refused(t: float, v: float) -> None:
    with pytest.raises(RecordInputError):
        TelemetryRecorder().offer(O2, t, v)


def test_time_going_back_is_refused() -> None:
    recorder = TelemetryRecorder()
    recorder.offer(O2, 5.0, 0.0)
    with pytest.raises(RecordInputError, match="time went back"):
        recorder.offer(O2, 4.0, 0.0)


def test_a_zero_max_interval_is_refused() -> None:
    with pytest.raises(RecordInputError):
        TelemetryRecorder(max_interval_s=0)


steps = st.lists(
    st.tuples(st.floats(0.0, 30.0), st.floats(-100.0, 100.0)),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(steps=steps, deadband=st.floats(0.0, 50.0), max_interval=st.floats(0.5, 40.0))
def test_first_and_last_are_kept_and_no_gap_exceeds_the_max_interval(
    steps: list[tuple[float, float]], deadband: float, max_interval: float
) -> None:
    recorder = TelemetryRecorder(deadband=deadband, max_interval_s=max_interval)
    raw, t = [], 0.0
    for dt, value in steps:
        t += dt
        raw.append(TelemetrySample(O2, t, value))
    kept = recorder.offer_many(raw) + recorder.flush()
    assert kept[0] == raw[0]
    assert kept[-1] == raw[-1]
    times = [s.sim_s for s in raw]
    for a, b in pairwise(kept):
        assert a.sim_s <= b.sim_s
        # a longer gap is allowed only where the raw samples themselves were that far apart
        if b.sim_s - a.sim_s > max_interval:
            ia = max(i for i, s in enumerate(raw) if s == a)
            assert times[ia + 1] == b.sim_s


@given(
    polls=st.lists(
        st.tuples(
            st.floats(0.0, 400.0),
            st.dictionaries(st.sampled_from(["o2", "h2o", "gauge", "door.position"]), st.floats(-10.0, 10.0),
                            min_size=1),
        ),
        max_size=40,
    ),
    band=st.floats(0.0, 2.0),
)  # fmt: skip
def test_offer_poll_decides_as_offer_channel_by_channel(
    polls: list[tuple[float, dict[str, float]]], band: float
) -> None:
    one_by_one = TelemetryRecorder(deadband=band, max_interval_s=60.0, deadbands={"gauge": band / 2})
    per_poll = TelemetryRecorder(deadband=band, max_interval_s=60.0, deadbands={"gauge": band / 2})
    t = 0.0
    for step, readings in polls:
        t += step
        expected = [s for channel, value in readings.items() for s in one_by_one.offer(channel, t, value)]
        assert per_poll.offer_poll(t, readings) == expected
    assert per_poll.flush() == one_by_one.flush()
