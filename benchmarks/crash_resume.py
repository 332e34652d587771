"""kill -9 at random moments of Example 1 runs (``run --speed``), then ``resume``: lost records, time to first command.

For each kill: start ``anodeline run`` of Example 1 on the wall clock at ``--speed`` (a run lasts a
few seconds), wait until it has journalled a step, sleep a random time, ``kill -9`` it; check the
batch shows ``interrupted``; count the steps whose end was committed (step journal ``done ok``);
``anodeline resume --as erin --json``; then check: the batch ended complete/pass, or aborted with a
recorded decision (its items quarantined); every step committed before the kill is still in the
record exactly once (lost = committed before − found after; duplicated = a step index twice);
``audit verify`` passes. Time from resume to first command: from starting the ``resume`` process
to the first step intent it commits (wall clock, UTC); beside it, the baseline, an ``anodeline
batches`` process on the same database (start-up, open, read), measured in the same run.

Run: ``.venv/bin/python benchmarks/crash_resume.py [--kills 200] [--speed 5000]``. Goals (issue 11):
0 lost records in ≥ 200 kills; first command ≤ 2 s after resume on the twin.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EX1 = ROOT / "examples" / "patent" / "example-01.yaml"
CLI = [sys.executable, "-c", "from anodeline.cli import main; main()"]
PASSWORDS = {"root": "root-pass-1", "erin": "erin-pass-1"}


def _env(user: str | None = None) -> dict[str, str]:
    env = {**os.environ, "ANODELINE_LEASE_S": "2", "ANODELINE_ANCHOR_LOG": ""}
    if user:
        env["ANODELINE_PASSWORD"] = PASSWORDS[user]
    return env


def _cli(*args: str, user: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=_env(user), input=stdin, check=False)


def _users(db: str) -> None:
    _cli("users", "add", "root", "--role", "admin", "--password-stdin", "--db", db, stdin=PASSWORDS["root"] + "\n")
    _cli("users", "add", "erin", "--role", "engineer", "--password-stdin", "--db", db, "--as", "root",
         user="root", stdin=PASSWORDS["erin"] + "\n")  # fmt: skip


def one(db: str, rng: random.Random, speed: str) -> dict[str, object]:
    from anodeline.records import open_store

    child = subprocess.Popen([*CLI, "run", str(EX1), "--db", db, "--json", "--speed", speed],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())  # fmt: skip
    with open_store(db) as store:
        known = {b.batch_id for b in store.list_batches()}
        end = time.monotonic() + 120.0
        batch = None
        while time.monotonic() < end and child.poll() is None:
            fresh = [b.batch_id for b in store.list_batches() if b.batch_id not in known]
            if fresh and store.step_journal(fresh[0]):
                batch = fresh[0]
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 4.0))
        if child.poll() is not None or batch is None:
            child.wait()
            return {"kind": "finished before the kill"}
        child.send_signal(signal.SIGKILL)
        child.wait()
        shown = store.shown_status(store.get_batch(batch))
        committed = sorted({e.index for e in store.step_journal(batch) if e.phase == "done" and e.outcome == "ok"})
        started = datetime.now(UTC)
        result = _cli("resume", batch, "--as", "erin", "--db", db, "--json", user="erin")
        report = json.loads(result.stdout) if result.stdout.strip() else {}
        journal = store.step_journal(batch)
        after = [e for e in journal if e.phase == "intent" and datetime.fromisoformat(e.recorded_at) > started]
        first_s = (datetime.fromisoformat(after[0].recorded_at) - started).total_seconds() if after else None
        steps = [s.index for s in store.steps(batch)]
        record = store.get_batch(batch)
        verify = _cli("audit", "verify", "--db", db)
        began = time.perf_counter()
        _cli("batches", "--db", db)  # the baseline: a process that starts, opens the store and reads it
        baseline_s = time.perf_counter() - began
        return {
            "kind": "killed",
            "interrupted": shown == "interrupted",
            "lost": len(set(committed) - set(steps)),
            "duplicated": len(steps) - len(set(steps)),
            "status": (record.status, record.verdict),
            "decision": any("quarantined" in r for r in record.reasons),
            "audit_ok": verify.returncode == 0,
            "first_command_s": first_s,
            "batches_process_s": baseline_s,
            "resume_exit": result.returncode,
            "report_status": report.get("status"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--speed", default="5000")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'crash.sqlite'}"
        _users(db)
        while sum(1 for r in rows if r["kind"] == "killed") < args.kills:
            row = one(db, rng, args.speed)
            rows.append(row)
            print(json.dumps(row), flush=True)
    killed = [r for r in rows if r["kind"] == "killed"]
    firsts = [float(r["first_command_s"]) for r in killed if r["first_command_s"] is not None]  # type: ignore[arg-type]
    ok = [r for r in killed if r["status"] == ("completed", "pass") or (r["status"][0] == "aborted" and r["decision"])]  # type: ignore[index]
    print()
    print(f"kills: {len(killed)} (runs that finished first: {len(rows) - len(killed)})")
    print(f"interrupted after the kill: {sum(1 for r in killed if r['interrupted'])}/{len(killed)}")
    print(
        f"lost records: {sum(int(r['lost']) for r in killed)} (goal 0); "  # type: ignore[call-overload]
        f"duplicated: {sum(int(r['duplicated']) for r in killed)}"
    )  # type: ignore[call-overload]
    print(f"ended complete/pass or quarantined by a recorded decision: {len(ok)}/{len(killed)}")
    print(f"audit verify passed: {sum(1 for r in killed if r['audit_ok'])}/{len(killed)}")
    if firsts:
        base = statistics.median(float(r["batches_process_s"]) for r in killed)  # type: ignore[arg-type]
        print(
            f"resume → first command: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s "
            f"(goal ≤ 2 s); baseline 'anodeline batches' process: median {base:.2f} s"
        )


if __name__ == "__main__":
    main()
