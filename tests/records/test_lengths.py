"""Strings longer than their columns are refused before anything is written, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from anodeline.records import Store, open_store
from anodeline.records.errors import RecordInputError
from tests.conftest import EXAMPLES

LONG = "L" * 65  # lot and item ids are VARCHAR(64)


def test_the_written_out_lengths_are_the_models_columns() -> None:
    """records/lengths.py says the sizes without SQLAlchemy; a column added or resized in models.py
    without it fails here."""
    from anodeline.records.lengths import LENGTHS
    from anodeline.records.models import Base

    sized = {
        table.name: {c.name: getattr(c.type, "length", None) for c in table.columns if getattr(c.type, "length", None)}
        for table in Base.metadata.sorted_tables
    }
    assert {name: columns for name, columns in sized.items() if columns} == LENGTHS


def test_a_lot_id_over_its_column_size_is_refused_and_nothing_written(store: Store) -> None:
    with pytest.raises(RecordInputError, match=r"lots.id .* 65 characters long; the store keeps at most 64"):
        store.register_lot(LONG, material="Cu foil")
    with pytest.raises(RecordInputError, match=r"batches\.recipe_id"):
        store.create_batch(recipe_id="r" * 129, recipe_snapshot={}, line_snapshot={}, route="x")
    assert store.list_batches() == []
    assert store.verify_chain().entries == 0


def test_run_with_a_too_long_lot_writes_no_batch_row(store_url: str) -> None:
    from anodeline.cli import app

    example = str(EXAMPLES / "patent" / "example-01.yaml")
    result = CliRunner().invoke(app, ["run", example, "--db", store_url, "--lot", f"substrate={LONG}", "--json"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: lots.id") and "Traceback" not in result.output
    with open_store(store_url) as store:
        store.migrate()
        assert store.list_batches() == []


def test_a_recipe_id_over_its_column_size_is_refused_before_the_batch(tmp_path: Path) -> None:
    from anodeline.cli import app

    text = (EXAMPLES / "patent" / "example-01.yaml").read_text().replace("recipe: example-01", f"recipe: {'r' * 129}")
    recipe = tmp_path / "long.yaml"
    recipe.write_text(text)
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    result = CliRunner().invoke(app, ["run", str(recipe), "--db", db])
    assert result.exit_code == 2 and "batches.recipe_id" in result.stderr, result.output
