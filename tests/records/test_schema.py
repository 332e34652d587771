"""Migrations build the schema the models describe; connections are set up as promised."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from anodeline.records import DEFAULT_URL, SchemaMissingError, Store, StoreUnavailableError, open_store
from anodeline.records.connection import normalise_url
from anodeline.records.migrate import head_revision, schema_diff


def test_a_migrated_database_matches_the_models(store: Store) -> None:
    assert schema_diff(store.engine) == []
    assert store.schema_revision() == head_revision() == "0006"


def test_migrating_twice_changes_nothing(store: Store) -> None:
    store.migrate()
    assert schema_diff(store.engine) == []


def test_an_unmigrated_database_says_to_migrate(store_url: str) -> None:
    with open_store(store_url) as fresh, pytest.raises(SchemaMissingError, match="migrate"):
        fresh.list_batches()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    with open_store(f"sqlite:///{tmp_path}/wal.sqlite") as s, s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_urls_default_to_a_local_sqlite_file_and_postgres_uses_psycopg3() -> None:
    assert str(normalise_url(None)) == DEFAULT_URL
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_an_unsupported_database_is_refused() -> None:
    with pytest.raises(Exception, match="SQLite and PostgreSQL"):
        open_store("mysql://u@h/db")


def test_an_unreachable_server_names_the_url_but_not_the_password() -> None:
    url = "postgresql://postgres:s3cret@127.0.0.1:1/plant?connect_timeout=1"
    with open_store(url) as s, pytest.raises(StoreUnavailableError) as caught:
        s.list_batches()
    message = str(caught.value)
    assert "127.0.0.1:1/plant" in message and "s3cret" not in message
    assert "database server is running" in message


def test_an_sqlite_file_in_a_missing_folder_is_unavailable(tmp_path: object) -> None:
    with open_store(f"sqlite:///{tmp_path}/no/such/dir/x.sqlite") as s, pytest.raises(StoreUnavailableError):
        s.migrate()


@pytest.mark.parametrize("url", ["postgresql://postgres@[::1", "postgresql://u@h:port/db"])
def test_a_malformed_url_is_a_records_error_not_a_value_error_from_the_parser(url: str) -> None:
    from anodeline.records.errors import RecordsError

    with pytest.raises(RecordsError, match="is not a database URL"):
        open_store(url)
