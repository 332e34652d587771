"""Hand-edited hostile files (tests/corpus/bounds/{recipes,lines,procedures}), each naming what it must raise."""

from __future__ import annotations

from pathlib import Path


def expected(path: Path) -> list[tuple[str, str]]:
    """The ``# expect: CODE path`` lines at the top of a corpus file, as (code, path) pairs."""
    found = []
    for line in path.read_text().splitlines():
        if line.startswith("# expect:"):
            _, _, code, where = line.split()[:4]
            found.append((code, where))
    return found
