"""Each command imports only what it uses (issue 9): run it in a fresh interpreter, list sys.modules at exit.

No timings here (they belong to benchmarks/bench_validate.py); what is asserted is which heavy
libraries a command never loads. pint is the unit language of recipes, but the units the shipped
files use are read through ``anodeline.unit_table`` (pint's factors, without pint), so reading
and running them loads no pint; when pint is loaded (another unit), its import probes the bare
``scipy`` package for its version (no subpackage), which is why scipy is checked by its
subpackages (``scipy.optimize``, ``scipy.stats``…).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import LINES, PATENT_EXAMPLES

#: Runs the CLI as the ``anodeline`` script does and prints, at exit, the top-level packages
#: loaded and scipy's public subpackages (its private helpers come with the bare package).
_WRAPPER = """
import atexit, json, sys
def _report():
    names = set(sys.modules)
    tops = sorted({name.split(".")[0] for name in names})
    scipy_subpackages = sorted(n for n in names if n.startswith("scipy.") and not n.split(".")[1].startswith("_")
                               and n.split(".")[1] != "version")
    sys.stderr.write("\\nMODULES " + json.dumps({"top": tops, "scipy": scipy_subpackages}) + "\\n")
atexit.register(_report)
sys.argv = ["anodeline", *sys.argv[1:]]
from anodeline.cli import main
main()
"""

#: Heavy libraries no recipe- or line-checking command needs.
_NEVER = {"sqlalchemy", "alembic", "psycopg", "matplotlib", "simpy"}
#: What ``--help`` (and a sub-command's --help) does not need either (pydantic it does: typer
#: converts parameters with it).
_NOT_FOR_HELP = _NEVER | {"scipy", "pint", "numpy", "pymatgen", "uncertainties", "yaml"}

EX1 = str(PATENT_EXAMPLES[0])


def loaded(*args: str) -> dict[str, list[str]]:
    """The top-level packages and scipy subpackages an ``anodeline ARGS`` process has loaded at its exit."""
    env = {key: value for key, value in os.environ.items() if key != "ANODELINE_DEBUG"}
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)  # fmt: skip
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")), None)
    assert line is not None, f"exit {done.returncode}: {done.stderr[-2000:]}"
    result: dict[str, list[str]] = json.loads(line.removeprefix("MODULES "))
    return result


@pytest.mark.parametrize("args", [("--help",), ("validate", "--help"), ("run", "--help"), ("calc", "purge", "--help")])
def test_help_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    modules = loaded(*args)
    assert not _NOT_FOR_HELP & set(modules["top"]), sorted(_NOT_FOR_HELP & set(modules["top"]))


#: pint and its optional companions: the units of the shipped files are read with anodeline's unit
#: table (``anodeline.unit_table``), so reading and running them imports none of them.
_PINT_EXTRAS = {"pint", "numpy", "uncertainties"}


def test_validate_imports_no_pint_scipy_sqlalchemy_matplotlib_simpy_or_pymatgen() -> None:
    modules = loaded("validate", EX1)
    unwanted = _NEVER | _PINT_EXTRAS | {"pymatgen"}
    assert not unwanted & set(modules["top"]), sorted(unwanted & set(modules["top"]))
    assert modules["scipy"] == []


def test_run_on_a_database_at_head_imports_no_alembic_pint_numpy_or_pymatgen(tmp_path: Path) -> None:
    """Alembic only when a migration is due; compositions without pymatgen; units without pint."""
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    first = loaded("run", EX1, "--db", db)  # a new database: migrated, so Alembic is loaded
    assert "alembic" in first["top"]
    modules = loaded("run", EX1, "--db", db)
    unwanted = {"alembic", "pymatgen", "matplotlib", *_PINT_EXTRAS}
    assert not unwanted & set(modules["top"]), sorted(unwanted & set(modules["top"]))
    assert modules["scipy"] == []
    assert "rich" in modules["top"]  # the progress view and the report, for people


def test_run_json_on_a_sqlite_database_at_head_imports_no_sqlalchemy(tmp_path: Path) -> None:
    """A SQLite file already at the schema's head is written through sqlite3 (records/direct.py): no
    SQLAlchemy (≈ 1.2 G instructions with its ORM and the models); creating it takes SQLAlchemy and Alembic."""
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    first = loaded("run", EX1, "--db", db, "--json")
    assert {"sqlalchemy", "alembic"} <= set(first["top"])
    modules = loaded("run", EX1, "--db", db, "--json")
    unwanted = {"sqlalchemy", "alembic", "psycopg", "greenlet"}
    assert not unwanted & set(modules["top"]), sorted(unwanted & set(modules["top"]))


def test_run_json_imports_no_rich(tmp_path: Path) -> None:
    """``run --json`` is for programs: no progress view, no rich (its import is ~5 % of the run)."""
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    modules = loaded("run", EX1, "--db", db, "--json")
    unwanted = {"rich", "pymatgen", "matplotlib", *_PINT_EXTRAS}
    assert not unwanted & set(modules["top"]), sorted(unwanted & set(modules["top"]))


@pytest.mark.parametrize(
    "args",
    [
        ("validate", EX1, "--line", str(LINES / "fig1.yaml")),
        ("plan", EX1),
        ("verify", EX1),
        ("explain", "SCH004"),
        ("rules",),
    ],
    ids=["validate-line", "plan", "verify", "explain", "rules"],
)
def test_checking_commands_import_no_database_simulator_or_fitting(args: tuple[str, ...]) -> None:
    modules = loaded(*args)
    assert not _NEVER & set(modules["top"]), sorted(_NEVER & set(modules["top"]))
    assert modules["scipy"] == []


def test_reporting_an_escaped_error_imports_no_database_or_twin() -> None:
    code = (
        "import sys\n"
        "from anodeline.cli.app import describe, exit_code_of\n"
        "from anodeline.errors import AnodelineError, UnreadableInputError\n"
        "assert exit_code_of(AnodelineError('x')) == 1 and exit_code_of(UnreadableInputError('x')) == 2\n"
        "assert describe(AnodelineError('x', hint='h')) == ('x [ANODELINE]', 'h')\n"
        "assert describe(ValueError('y'))[0] == 'internal error (ValueError: y)'\n"
        "print(sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not (_NEVER | {"pint", "numpy"}) & set(json.loads(done.stdout.replace("'", '"')))


def test_errors_of_loaded_libraries_keep_their_exit_code() -> None:
    from sqlalchemy.exc import OperationalError

    from anodeline.cli.app import describe, exit_code_of
    from anodeline.devices.sim.faults import FaultError
    from anodeline.records.errors import RecordNotFoundError

    assert exit_code_of(RecordNotFoundError("batch", "B-1")) == 2
    assert exit_code_of(FaultError("no fault 'x'")) == 2
    message, _ = describe(OperationalError("SELECT 1", {}, Exception("locked")))
    assert message.startswith("the batch-record store failed")


def test_pybamm_is_imported_only_by_the_cell_test(tmp_path: Path) -> None:
    """PyBaMM (~2 s to import) is for running a recipe with an assembly section, nothing else."""
    from tests.conftest import CELL_EXAMPLE

    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    for args in (("--help",), ("run", "--help"), ("validate", str(CELL_EXAMPLE)), ("plan", str(CELL_EXAMPLE)),
                 ("run", EX1, "--db", db, "--json")):  # fmt: skip
        assert "pybamm" not in loaded(*args)["top"], args
