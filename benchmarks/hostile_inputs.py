"""Benchmark: the hostile-input corpus, each case × each command that reads a file, in a fresh process.

Goal (issue 8, item 9): every case ends in <= 2 s wall and <= 200 MB peak memory, with exit 1 or 2,
one ``error:`` line and no traceback. The cases are those of tests/cli/test_hostile.py. Each run is a
new ``anodeline`` process (Python start-up and imports included); its peak resident memory is the
child's ``ru_maxrss`` from ``os.wait4``. Run: ``.venv/bin/python benchmarks/hostile_inputs.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.cli.test_hostile import CASES, COMMANDS  # noqa: E402 - the one corpus, kept in the tests

LIMIT_S, LIMIT_MB = 2.0, 200.0


def _run(argv: list[str]) -> tuple[int, float, float, float, str]:
    """Exit code, wall and CPU seconds, peak MB and stderr of ``anodeline ARGV`` in a new process."""
    command = [sys.executable, "-c", "from anodeline.cli import main; main()", *argv]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return child.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr


def main() -> int:
    print(f"{'case':20} {'command':9} {'exit':>4} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  ok")
    worst_s = worst_mb = 0.0
    failures = 0
    for case, (make, _expected, _fragment) in CASES.items():
        for command, argv in COMMANDS.items():
            with tempfile.TemporaryDirectory() as tmp:
                path = make(Path(tmp))
                code, wall, cpu, peak, stderr = _run(argv(path, Path(tmp)))
            ok = (code in (1, 2) and "Traceback" not in stderr and wall <= LIMIT_S and peak <= LIMIT_MB) or (
                code == 0 and command == "predict" and case.startswith("gas-")  # predict needs no line
            )
            failures += not ok
            worst_s, worst_mb = max(worst_s, wall), max(worst_mb, peak)
            print(f"{case:20} {command:9} {code:>4} {wall:>7.2f} {cpu:>6.2f} {peak:>8.1f}  {'yes' if ok else 'NO'}")
    print(f"worst: {worst_s:.2f} s, {worst_mb:.1f} MB (limits {LIMIT_S} s, {LIMIT_MB} MB); {failures} over a limit")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
