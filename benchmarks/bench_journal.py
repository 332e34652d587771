"""The write-ahead step journal's cost: Example 1 recorded with and without it, per step.

With it (the product): each step's intent committed before its first command and its ``done`` in
the step's transaction, both with SQLite ``synchronous=FULL`` (an fsync of the WAL per commit),
plus the lease (acquired, renewed from a thread, released). Without it (the baseline, the records
path as before issue 11's engine half): one ``synchronous=NORMAL`` commit per step. Same seeds,
same temporary SQLite file system, median of N; the row is the extra wall time per step.
A second row times the intent's commit alone against the same insert committed with
``synchronous=NORMAL``: the difference is one fsync of the WAL, the disk's figure.
Run: ``.venv/bin/python benchmarks/bench_journal.py [--quick]``. Goal: ≤ 25 ms per step (est.:
one fsync, 5–15 ms on an SSD behind a container's overlay, plus a commit; a step of a real line
takes seconds to hours, so this is under 1 % of the shortest poll period).
"""

from __future__ import annotations

import functools
import sys
import tempfile
from pathlib import Path
from unittest import mock

from harness import EX1, Result, median_s, report

from anodeline.batch import runner
from anodeline.batch.journal import RecordsJournal
from anodeline.batch.runner import run_batch


def measure(quick: bool = False) -> list[Result]:
    repeats = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'journal.sqlite'}"
        steps = run_batch(EX1, db_url=db).steps  # warm imports and model fits
        seeds = iter(range(1, 1000))
        with_journal = median_s(lambda: run_batch(EX1, db_url=db, seed=next(seeds)), repeats)
        plain = functools.partial(RecordsJournal, write_ahead=False)
        with mock.patch.object(runner, "RecordsJournal", plain), mock.patch.object(runner, "LeaseKeeper", _NoLease):
            without = median_s(lambda: run_batch(EX1, db_url=db, seed=next(seeds)), repeats)
        intent_ms = _commit_ms(db, durable=True, repeats=30 if quick else 100)
        normal_ms = _commit_ms(db, durable=False, repeats=30 if quick else 100)
    per_step_ms = (with_journal - without) / steps * 1000.0
    return [
        Result("step journal + lease, per step", "ms", per_step_ms, None, "", higher_is_better=False,
               goal_value=25.0, note=f"Example 1 ({steps} steps): {with_journal:.3f} s with, {without:.3f} s without"),
        Result("step intent commit (synchronous=FULL)", "ms", intent_ms, normal_ms, "same insert, NORMAL",
               higher_is_better=False, note="one journal row per commit; the difference is the WAL's fsync"),
    ]  # fmt: skip


def _commit_ms(db: str, *, durable: bool, repeats: int) -> float:
    """Mean wall time of one step-journal insert committed alone (durable: FULL, else NORMAL)."""
    import time

    from anodeline.records import open_store, stepjournal

    with open_store(db) as store:
        batch = store.list_batches()[0].batch_id
        start = time.perf_counter()
        for index in range(repeats):
            store._plain(
                lambda c, i=index: stepjournal.write(c, batch, index=i, phase="intent", action={}, sim_s=0.0),
                durable=durable,
            )
        return (time.perf_counter() - start) / repeats * 1000.0


class _NoLease:
    """The baseline holds no lease."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> _NoLease:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
