"""Benchmark: recipes validated per second in-process, and the CLI's wall time.

Goal (issue 2): >= 500 recipes/s in-process; `anodeline --help` < 0.5 s.
Run: `make bench` or `.venv/bin/python benchmarks/bench_validate.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "patent").glob("*.yaml"))
EXE = str(Path(sys.executable).parent / "anodeline")


def in_process(rounds: int = 20) -> None:
    from anodeline.chemistry.composition import parse_mixture
    from anodeline.recipe.validate import validate_text

    texts = [path.read_text() for path in EXAMPLES]
    validate_text(texts[0])  # import and registry start-up are not part of the rate
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            assert validate_text(text).valid
    warm = rounds * len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            parse_mixture.cache_clear()
            assert validate_text(text).valid
    cold = rounds * len(texts) / (time.perf_counter() - start)
    print(f"validate in-process: {warm:,.0f} recipes/s (formula cache warm)")
    print(f"validate in-process: {cold:,.0f} recipes/s (formula cache cleared before each recipe)")


def wall(args: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([EXE, *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    in_process()
    print(f"anodeline --help wall time: {wall(['--help']) * 1000:.0f} ms (median of 5)")
    one = str(EXAMPLES[0])
    print(f"anodeline validate {Path(one).name} wall time: {wall(['validate', one]) * 1000:.0f} ms (median of 5)")
    print(
        f"anodeline validate (all {len(EXAMPLES)}) wall time: {wall(['validate', *map(str, EXAMPLES)]) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
