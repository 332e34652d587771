"""Which telemetry samples to keep: deadband plus maximum interval, as glove-box loggers do.

A logger that wrote every 10 Hz O2 reading would bury a batch record in numbers that
say nothing; one that wrote only on change would leave hours without proof that the
reading was still there. The classic compromise (data historians' "exception
deviation" with a "max time" heartbeat) keeps a sample when

* it is the first of its channel,
* its value differs from the last kept one by more than the channel's deadband,
* or the last kept sample is ``max_interval_s`` old;

and, so that no gap between kept samples exceeds ``max_interval_s`` unless the raw
samples themselves were that far apart, the last seen but unkept sample is kept just
before a sample that would open a longer gap. :meth:`TelemetryRecorder.flush` keeps
each channel's last sample, so the end of a run is always recorded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from anodeline.records.errors import RecordInputError


@dataclass(frozen=True, slots=True)
class TelemetrySample:
    """One reading of a channel (``chamber4.o2_ppm``) at a simulated time in seconds."""

    channel: str
    sim_s: float
    value: float


@dataclass(slots=True)
class _ChannelState:
    """A channel's filter state, as plain floats: a :class:`TelemetrySample` is made only for a sample
    that is kept (an engine poll offers some forty readings, about half of them kept)."""

    kept_s: float  # time and value of the last kept sample
    kept_value: float
    last_seen_s: float
    pending_s: float | None = None  # the last seen, unkept sample (None: there is none)
    pending_value: float = 0.0


@dataclass
class TelemetryRecorder:
    """Deadband + maximum-interval filter over many channels; pure, no I/O.

    ``deadband`` is the default absolute band (in the channel's unit), ``deadbands``
    overrides it per channel; ``max_interval_s`` is the longest silence allowed.
    """

    deadband: float = 0.0
    max_interval_s: float = 60.0
    deadbands: Mapping[str, float] = field(default_factory=dict)
    _channels: dict[str, _ChannelState] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        bands = [self.deadband, *self.deadbands.values()]
        if any(not math.isfinite(b) or b < 0 for b in bands):
            raise RecordInputError(f"deadbands must be finite and ≥ 0, got {bands}")
        if not math.isfinite(self.max_interval_s) or self.max_interval_s <= 0:
            raise RecordInputError(f"max_interval_s must be finite and > 0, got {self.max_interval_s!r}")

    def offer(self, channel: str, sim_s: float, value: float) -> list[TelemetrySample]:
        """Feed one reading; return the samples to store now (zero, one or two, in time order)."""
        sample = self._checked(channel, sim_s, value)
        state = self._channels.get(channel)
        if state is None:  # the first of its channel
            self._channels[channel] = _ChannelState(sample.sim_s, sample.value, sample.sim_s)
            return [sample]
        state.last_seen_s = sample.sim_s
        kept: list[TelemetrySample] = []
        if state.pending_s is not None and sample.sim_s - state.kept_s > self.max_interval_s:
            kept.append(TelemetrySample(channel, state.pending_s, state.pending_value))
            state.kept_s, state.kept_value, state.pending_s = state.pending_s, state.pending_value, None
        band = self.deadbands.get(channel, self.deadband)
        if abs(sample.value - state.kept_value) > band or sample.sim_s - state.kept_s >= self.max_interval_s:
            kept.append(sample)
            state.kept_s, state.kept_value, state.pending_s = sample.sim_s, sample.value, None
        else:
            state.pending_s, state.pending_value = sample.sim_s, sample.value
        return kept

    def offer_poll(self, sim_s: float, readings: Mapping[str, float]) -> list[TelemetrySample]:
        """Feed every channel's reading taken at one instant; the samples to store now, channel by channel.

        The same decisions as :meth:`offer` for each ``(channel, value)`` in turn, with the time
        checked once (an engine poll hands over some forty readings at once).
        """
        t = float(sim_s)
        if not 0.0 <= t < math.inf:
            raise RecordInputError(f"telemetry time must be finite and ≥ 0; got t={sim_s!r}")
        channels, max_interval, bands, default = self._channels, self.max_interval_s, self.deadbands, self.deadband
        kept: list[TelemetrySample] = []
        for channel, value in readings.items():
            state = channels.get(channel)
            if state is None or not channel:
                kept.extend(self.offer(channel, t, value))  # the first of its channel (or no name: refused)
                continue
            v = float(value)
            if not -math.inf < v < math.inf or t < state.last_seen_s:
                kept.extend(self.offer(channel, t, value))  # raises the located error
                continue
            state.last_seen_s = t
            last_s = state.kept_s
            pending_s = state.pending_s
            if pending_s is not None and t - last_s > max_interval:
                kept.append(TelemetrySample(channel, pending_s, state.pending_value))
                state.kept_s = last_s = pending_s
                state.kept_value = state.pending_value
                state.pending_s = None
            if abs(v - state.kept_value) > bands.get(channel, default) or t - last_s >= max_interval:
                kept.append(TelemetrySample(channel, t, v))
                state.kept_s, state.kept_value, state.pending_s = t, v, None
            else:
                state.pending_s, state.pending_value = t, v
        return kept

    def offer_many(self, samples: Iterable[TelemetrySample]) -> list[TelemetrySample]:
        """Feed readings in time order; return every sample kept along the way."""
        kept: list[TelemetrySample] = []
        for s in samples:
            kept.extend(self.offer(s.channel, s.sim_s, s.value))
        return kept

    def flush(self) -> list[TelemetrySample]:
        """Keep each channel's last seen sample if it is not kept yet (end of run)."""
        kept = []
        for channel, state in self._channels.items():
            if state.pending_s is not None:
                kept.append(TelemetrySample(channel, state.pending_s, state.pending_value))
                state.kept_s, state.kept_value, state.pending_s = state.pending_s, state.pending_value, None
        return sorted(kept, key=lambda s: (s.sim_s, s.channel))

    def _checked(self, channel: str, sim_s: float, value: float) -> TelemetrySample:
        if not channel:
            raise RecordInputError("a telemetry channel needs a name such as 'chamber4.o2_ppm'")
        t, v = float(sim_s), float(value)
        if not math.isfinite(t) or t < 0 or not math.isfinite(v):
            raise RecordInputError(f"{channel}: time and value must be finite, time ≥ 0; got t={sim_s!r}, v={value!r}")
        state = self._channels.get(channel)
        if state is not None and t < state.last_seen_s:
            raise RecordInputError(
                f"{channel}: time went back from {state.last_seen_s} s to {t} s",
                hint="offer each channel's readings in time order",
            )
        return TelemetrySample(channel, t, v)
