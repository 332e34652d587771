"""First use is safe under concurrency: 16 commands migrating one empty database at once all succeed."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from anodeline.records import open_store
from anodeline.records.migrate import head_revision, packaged_head, schema_diff, stored_revision
from tests.conftest import PG_ADMIN, _pg_probe, pg_url

WORKERS = 16


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """A throwaway empty PostgreSQL database for one test (skips when there is no server)."""
    reason = _pg_probe()
    if reason is not None:
        pytest.skip(reason)
    import psycopg

    name = f"anodeline_first_use_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(name, "public")
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _first_use(url: str) -> int:
    with open_store(url) as store:
        store.migrate()
        return len(store.list_batches())


def _all_migrate_at_once(url: str, pool: Executor) -> None:
    with pool:
        results = list(pool.map(_first_use, [url] * WORKERS))  # re-raises the first failure
    assert results == [0] * WORKERS
    with open_store(url) as store:
        assert store.schema_revision() == head_revision()
        assert schema_diff(store.engine) == []


def _processes() -> Executor:
    return ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))


def _threads() -> Executor:
    return ThreadPoolExecutor(WORKERS)


@pytest.mark.postgres
@pytest.mark.parametrize("pool", [_processes, _threads], ids=["processes", "threads"])
def test_sixteen_first_uses_of_an_empty_postgresql_database_all_succeed(fresh_pg_url: str, pool: type) -> None:
    _all_migrate_at_once(fresh_pg_url, pool())


@pytest.mark.parametrize("pool", [_processes, _threads], ids=["processes", "threads"])
def test_sixteen_first_uses_of_a_new_sqlite_file_all_succeed(tmp_path: Path, pool: type) -> None:
    _all_migrate_at_once(f"sqlite:///{tmp_path / 'first.sqlite'}", pool())


def test_the_head_read_from_the_version_files_is_alembics_head() -> None:
    assert packaged_head() == head_revision()


def test_the_stored_revision_is_read_without_alembic(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'r.sqlite'}") as store:
        assert stored_revision(store.engine) is None  # never migrated: no version table
        store.migrate()
        assert stored_revision(store.engine) == store.schema_revision() == head_revision()
        store.migrate()  # at head: nothing to do
        assert schema_diff(store.engine) == []
