"""The engine's journal, written to the batch-record store as the batch runs.

Each step, alarm and state change is committed before the callback returns, i.e. before
the engine sends the next command (one transaction with its audit entry), so a crash
loses at most the telemetry samples since the last step. Telemetry goes through the
deadband + maximum-interval filter, is buffered, and is written in the step's own
transaction at every step end (one commit per step); :meth:`RecordsJournal.close` writes
what is left and must run before a batch is aborted on an exception. Exposure readings
feed one :class:`ExposureLedger` per item; each interval is written as it closes (the item moved or
was sealed), its own transaction with its audit entry, so a crash loses at most the open ones; the
intervals still open are closed and written when the batch ends.

Write-ahead (``write_ahead=True``, the default): each step's *intent* is committed durably to the
step journal before the engine sends its first command (SQLite ``synchronous=FULL``: the WAL is
fsynced), and its ``done`` row goes in the step's own transaction (fsynced by the next intent; one
lost with the power leaves the step in flight, which resume re-checks from the sensors); see
:mod:`anodeline.records.stepjournal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from anodeline.line.actions import Action
from anodeline.records.core import StoreCore
from anodeline.records.exposure import ExposureInterval, ExposureLedger
from anodeline.records.telemetry import TelemetryRecorder, TelemetrySample

#: Deadband of every channel: 1 % of the reading, at least 0.05 in the channel's unit (est.: the
#: resolution of glove-box O2/H2O analysers and gauges); a reading is kept at least every 5 min.
RELATIVE_DEADBAND = 0.01
ABSOLUTE_DEADBAND = 0.05
MAX_INTERVAL_S = 300.0


class RecordsJournal:
    """Writes what the engine reports into one batch of a :class:`~anodeline.records.core.StoreCore` (either store)."""

    def __init__(
        self, store: StoreCore, batch_id: str, item_ids: Mapping[str, str], *, write_ahead: bool = True
    ) -> None:
        self.store = store
        self.write_ahead = write_ahead
        self.resumed = False  # a warm restart goes on with a batch already started
        self.batch_id = batch_id
        self.item_ids = dict(item_ids)  # procedure item name → records item id
        self.ledgers: dict[str, ExposureLedger] = {}
        self.deposited_um: dict[str, float] = {}
        self.deposited_at: dict[str, float] = {}
        self.intervals: dict[str, list[ExposureInterval]] = {}
        self.states: list[tuple[float, str, str, str]] = []
        self.alarms: list[str] = []
        self.last_sim_s = 0.0
        self._started: dict[int, float] = {}
        self._bands: dict[str, float] = {}  # updated per channel; the recorder reads this same dict
        self._recorder = TelemetryRecorder(max_interval_s=MAX_INTERVAL_S, deadbands=self._bands)
        self._buffer: list[TelemetrySample] = []
        self._stored: dict[str, int] = {}  # item → how many of its ledger's closed intervals are stored

    # ---- engine callbacks ----------------------------------------------------------------------
    def batch_started(self, procedure: Any, seed: int, faults: Iterable[Any]) -> None:
        if not self.resumed:
            self.store.start_batch(self.batch_id, sim_s=0.0)

    def state_changed(self, sim_s: float, old: str, new: str, reason: str) -> None:
        self._advance(sim_s)
        self.states.append((sim_s, old, new, reason))

    @property
    def current_step(self) -> int:
        """The index of the step started last (0 before any): what a prompt opened now belongs to."""
        return next(reversed(self._started), 0)

    def step_started(self, sim_s: float, index: int, action: Action) -> None:
        self._started[index] = sim_s
        if self.write_ahead:  # committed before the engine sends the step's first command
            self.store.journal_intent(self.batch_id, index=index, action=action.to_dict(), sim_s=sim_s)

    def step_finished(
        self, sim_s: float, index: int, action: Action, outcome: str, readings: Mapping[str, float]
    ) -> None:
        self._advance(sim_s)
        # ``interrupted``: a hold cut short by a suspender — the SUSPEND alarm that follows records it, and the
        # step's row is written when the repeated attempt ends; ``redone``: a done step run again on resume (its
        # row is the first run's; the RESUMED alarm names the re-run and why)
        if outcome in ("interrupted", "redone"):
            if self.write_ahead:
                self.store.journal_done(
                    self.batch_id, index=index, action=action.to_dict(), sim_s=sim_s, outcome=outcome
                )
            return
        arguments = {k: v for k, v in action.to_dict().items() if k not in ("action", "manual")}
        buffered, self._buffer = self._buffer, []
        try:  # the samples kept so far and the step: one transaction, committed before the next command
            self.store.record_step(
                self.batch_id, index=index, action=action.kind, started_sim_s=self._started.pop(index, sim_s),
                ended_sim_s=sim_s, outcome=outcome, arguments=arguments, manual=action.manual,
                readings=dict(readings), telemetry=buffered,
                journal=self._done(action) if self.write_ahead else None,
            )  # fmt: skip
        except BaseException:
            self._buffer = buffered + self._buffer  # not written: keep them for close()
            raise

    def telemetry(self, sim_s: float, readings: Mapping[str, float]) -> None:
        self._advance(sim_s)
        kept = self._recorder.offer_poll(sim_s, readings)
        if kept:
            bands = self._bands
            for sample in kept:  # the band follows the last kept reading (percent-of-reading deadband)
                bands[sample.channel] = max(ABSOLUTE_DEADBAND, RELATIVE_DEADBAND * abs(sample.value))
            self._buffer.extend(kept)

    def alarm(self, sim_s: float, code: str, message: str, hold: bool) -> str:
        self._advance(sim_s)
        record = self.store.raise_alarm(self.batch_id, sim_s=sim_s, code=code, message=message, hold=hold)
        self.alarms.append(f"{code}: {message}")
        return str(record.alarm_id)

    def alarm_cleared(self, sim_s: float, alarm_id: str) -> None:
        self._advance(sim_s)
        self.store.clear_alarm(int(alarm_id), sim_s=sim_s)

    def exposure(self, sim_s: float, item: str, space: str, o2_ppm: float, h2o_ppm: float, sealed: bool) -> None:
        ledger = self.ledgers.get(item)
        if ledger is None:
            ledger = self.ledgers[item] = ExposureLedger(self.item_ids.get(item, item))
        ledger.observe(sim_s, space, o2_ppm, h2o_ppm, sealed=sealed)
        if ledger.closed_count != self._stored.get(item, 0):  # an interval closed: store it now
            self._store_closed(item, ledger)

    def deposited(self, sim_s: float, layer: str, item: str, thickness_um: float) -> None:
        self.deposited_um[layer] = thickness_um
        self.deposited_at[layer] = sim_s

    def batch_finished(self, sim_s: float, status: str, reasons: list[str]) -> None:
        self._advance(sim_s)
        self.close()
        for item, ledger in self.ledgers.items():
            self.intervals[item] = ledger.close()
            self._store_closed(item, ledger)

    # ---- helpers ---------------------------------------------------------------------------------
    def _done(self, action: Action) -> dict[str, Any]:
        """The action as journalled at its end; a deposition keeps the film it made (a resume needs it)."""
        data = action.to_dict()
        layer = data.get("layer")
        if action.kind == "deposit" and isinstance(layer, str) and layer in self.deposited_um:
            data["film_um"] = self.deposited_um[layer]
            data["film_at_s"] = self.deposited_at[layer]
        return data

    def _store_closed(self, item: str, ledger: ExposureLedger) -> None:
        """Write the intervals of ``item`` closed since the last call (each with its audit entry)."""
        stored = self._stored.get(item, 0)
        for interval in ledger.closed_since(stored):
            self.store.record_exposure(interval, batch_id=self.batch_id)
            stored += 1
            self._stored[item] = stored

    def close(self) -> None:
        """Write every sample still held: the filter's last sample per channel and the buffer.

        Called at the batch's end, and by the runner before it aborts a batch on an exception
        (the batch must still be running or held to take them).
        """
        self._buffer.extend(self._recorder.flush())
        self.flush_telemetry()

    def flush_telemetry(self) -> None:
        """Write the samples the deadband filter kept since the last flush (one transaction)."""
        if self._buffer:
            buffered, self._buffer = self._buffer, []
            try:
                self.store.record_telemetry(self.batch_id, buffered)
            except BaseException:
                self._buffer = buffered + self._buffer
                raise

    def _advance(self, sim_s: float) -> None:
        self.last_sim_s = max(self.last_sim_s, sim_s)
