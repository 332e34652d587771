"""Shared fixtures: paths to the shipped examples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PATENT_EXAMPLES = sorted((EXAMPLES / "patent").glob("example-*.yaml"))


@pytest.fixture
def example_01_text() -> str:
    return (EXAMPLES / "patent" / "example-01.yaml").read_text()
