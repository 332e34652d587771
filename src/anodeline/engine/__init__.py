"""The execution engine: runs a procedure on devices under interlocks, suspenders and an ISA-88 state table."""

from anodeline.engine.clock import Clock, SimClock, WallClock
from anodeline.engine.errors import DeviceFaultError, IllegalTransitionError
from anodeline.engine.journal import Journal, MemoryJournal, NullJournal
from anodeline.engine.result import ExposureSummary, RunResult
from anodeline.engine.run import run_on_devices, run_procedure
from anodeline.engine.runner import Engine, EngineSettings
from anodeline.engine.states import STATES, TRANSITIONS, BatchStateMachine
from anodeline.engine.suspenders import Suspenders

__all__ = [
    "STATES", "TRANSITIONS", "BatchStateMachine", "Clock", "DeviceFaultError", "Engine", "EngineSettings",
    "ExposureSummary", "IllegalTransitionError", "Journal", "MemoryJournal", "NullJournal", "RunResult", "SimClock",
    "Suspenders", "WallClock", "run_on_devices", "run_procedure",
]  # fmt: skip
