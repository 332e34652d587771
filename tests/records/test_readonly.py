"""Reading never creates a database: a missing file, an empty database and another schema
revision are each refused with what to do; a migrated database opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from anodeline.records import SchemaMissingError, Store, open_store
from anodeline.records.readonly import DatabaseMissingError, open_existing


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo.sqlite"
    with pytest.raises(DatabaseMissingError, match="no batch-record database") as caught:
        open_existing(f"sqlite:///{path}")
    assert caught.value.rule == "REC001" and not path.exists()


def test_a_database_without_the_schema_is_refused(store_url: str) -> None:
    with open_store(store_url) as s, s.engine.begin() as conn:  # make it exist (SQLite) but stay empty
        conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    with pytest.raises(SchemaMissingError, match="no batch-record schema") as caught:
        open_existing(store_url)
    assert caught.value.rule == "REC002"


def test_an_older_schema_revision_is_refused_with_what_to_do(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(SchemaMissingError, match="revision 0001") as caught:
        open_existing(str(store.url.render_as_string(hide_password=False)))
    assert "creates or migrates" in caught.value.hint


def test_a_migrated_database_opens_for_reading(store: Store) -> None:
    with open_existing(store.url.render_as_string(hide_password=False)) as s:
        assert s.list_batches() == []
