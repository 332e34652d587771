"""Warm restart: time from ``resume`` to its first command, records lost to a kill, and the journal's cost.

A few ``kill -9`` of Example 1 runs at ``--speed 5000``, each 0.3 s after the run's first step
intent (before the deposition, so the resume is warm and commands the line again), then
``anodeline resume --as erin`` (benchmarks/crash_resume.py does the kills; ``--kills 200`` there
for the issue-11 figure at random moments). Rows:

* resume → first command: from starting the ``resume`` process to the first step intent it commits
  (start-up, argon2 re-authentication, the compile from the snapshots, the twin rebuilt from the
  journal, the lease, the reconciliation and re-verification), median of the kills; the baseline is
  an ``anodeline batches`` process on the same database in the same rounds (start-up, open, read).
  Goal (issue 11): ≤ 2 s on the twin.
* lost or duplicated records: steps committed before the kill missing or doubled after the resume
  (goal 0).
* run alone, also the step journal's cost per step (benchmarks/bench_journal.py: Example 1 with the
  write-ahead journal and lease against the records path without them).

Run: ``.venv/bin/python benchmarks/bench_resume.py [--quick]``.
"""

from __future__ import annotations

import statistics
import sys

from crash_resume import kill_and_resume
from harness import Result, report


def measure(quick: bool = False) -> list[Result]:
    summary = kill_and_resume(2 if quick else 5, delay_s=0.3)
    firsts = summary.first_command_s
    base = statistics.median(summary.batches_process_s)
    outcomes = (
        f"{summary.kills} kills: {summary.interrupted} interrupted, {summary.complete_pass} complete/pass, "
        f"{summary.quarantined} quarantined by decision, audit verify {summary.audit_ok}/{summary.kills}"
    )
    return [
        Result("resume → first command (twin)", "s", statistics.median(firsts) if firsts else float("nan"), base,
               "'anodeline batches' process", higher_is_better=False, goal_value=2.0,
               note=f"p95 {summary.percentile(0.95):.2f} s over {len(firsts)} warm resumes; {outcomes}"),
        Result("records lost or duplicated by kill -9", "records", float(summary.lost + summary.duplicated), None,
               higher_is_better=False, goal_value=0.0,
               note=f"{summary.lost} lost, {summary.duplicated} duplicated; 200 kills: crash_resume.py --kills 200"),
    ]  # fmt: skip


def main() -> None:
    quick = "--quick" in sys.argv
    import bench_journal

    report(measure(quick) + bench_journal.measure(quick))


if __name__ == "__main__":
    main()
