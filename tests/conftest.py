"""Shared fixtures: paths to the shipped examples, and a migrated record store per backend.

The PostgreSQL backend needs the server at 127.0.0.1:5432 (trust auth, user postgres);
it is probed once with a 1 s timeout and skipped with the reason when absent. Each
test gets its own schema inside a database created for this test session and dropped
at its end. A test asking for ``store`` or ``store_url`` runs once per backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from anodeline.line.config import Line
from anodeline.line.load import load_line
from anodeline.line.machine import Machine
from anodeline.procedure.model import Procedure
from anodeline.procedure.routes import compile_procedure
from anodeline.recipe.validate import load_recipe
from anodeline.records import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
#: The patent's electrode examples (example-01-cell.yaml, Example 1 through cell assembly, is CELL_EXAMPLE:
#: its run adds a PyBaMM cell test, and it would sort before example-01.yaml).
PATENT_EXAMPLES = sorted(p for p in (EXAMPLES / "patent").glob("example-*.yaml") if not p.stem.endswith("-cell"))
CELL_EXAMPLE = EXAMPLES / "patent" / "example-01-cell.yaml"
LINES = EXAMPLES / "lines"
PATENT = EXAMPLES / "patent"
LINE_NAMES = ("fig1", "single-port", "two-apparatus")


@pytest.fixture
def example_01_text() -> str:
    return (EXAMPLES / "patent" / "example-01.yaml").read_text()


#: libpq conninfo of the admin connection; point ANODELINE_TEST_PG elsewhere (or at a dead port to see the skip).
PG_ADMIN = os.environ.get("ANODELINE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_probe() -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=1):
            return None
    except Exception as exc:  # any failure means "no server here"; the reason goes in the skip
        return f"PostgreSQL ({PG_ADMIN}) unreachable: {str(exc).strip().splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """Name of a fresh database for this test session (skips when there is no server)."""
    reason = _pg_probe()
    if reason is not None:
        pytest.skip(reason)
    import psycopg

    name = f"anodeline_records_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_url(database: str, schema: str) -> str:
    """SQLAlchemy URL of ``schema`` in ``database`` on the admin connection's server."""
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(PG_ADMIN)
    host, port, user = info.get("host", "127.0.0.1"), info.get("port", 5432), info.get("user", "postgres")
    return f"postgresql://{user}@{host}:{port}/{database}?options=-csearch_path%3D{schema}"


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database of the parametrised backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
        return
    import psycopg

    database = request.getfixturevalue("pg_database")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG_ADMIN} dbname={database}", autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield pg_url(database, schema)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store on the parametrised backend."""
    s = open_store(store_url)
    s.migrate()
    yield s
    s.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", BACKENDS, indirect=True)


# ---- the shipped lines, their machines and Example 1's procedure on Fig. 1 --------------------


@pytest.fixture(scope="session")
def fig1() -> Line:
    return load_line(LINES / "fig1.yaml")


@pytest.fixture(scope="session")
def example_1_procedure(fig1: Line) -> Procedure:
    return compile_procedure(load_recipe(PATENT / "example-01.yaml"), fig1)


@pytest.fixture(scope="session")
def fig1_machine(fig1: Line, example_1_procedure: Procedure) -> Machine:
    return Machine(fig1, example_1_procedure.policy)
