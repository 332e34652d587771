"""``anodeline run --devices`` refuses bad equipment input with one error line and exit 2, before any batch is recorded.

The same refusals as test_refusals.py, through the command line a person types: an unreachable
endpoint, a wrong password, a server not in the trust list, a client the server does not trust,
a binding to a node the server lacks, a node whose value is not a number or flag.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from anodeline.cli import app
from tests.conftest import PATENT_EXAMPLES
from tests.equipment.opcua.peer import BINDINGS, PASSWORD, SPEED, USER, Peer, free_port

runner = CliRunner()


Options = dict[str, str]  # run's options that differ from a good run's (the key "password": the password given)


def _node(node: str) -> Callable[[Path, Peer], Options]:
    """Bindings whose o2-4 analyser is bound to ``node``."""

    def edit(tmp: Path, _peer: Peer) -> Options:
        document = yaml.safe_load(BINDINGS.read_text(encoding="utf-8"))
        document["devices"]["o2-4"]["channels"]["value"]["node"] = node
        path = tmp / "edited.opcua.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return {"--bindings": str(path)}

    return edit


def _stranger(tmp: Path, peer: Peer) -> Options:
    """A client certificate the server has never seen (the client trusts the server)."""
    certs = tmp / "stranger"
    (certs / "trusted").mkdir(parents=True)
    shutil.copy(peer.certs / "server-cert.der", certs / "trusted" / "server.der")
    return {"--certs": str(certs)}


CASES: dict[str, tuple[Callable[[Path, Peer], Options], str]] = {
    "unreachable endpoint": (
        lambda _t, _p: {"--devices": f"opc.tcp://127.0.0.1:{free_port()}/anodeline"},
        "cannot reach",
    ),
    "wrong password": (lambda _t, _p: {"password": "not the password"}, "refused the user name or password"),
    "untrusted server certificate": (lambda t, _p: {"--certs": str(t / "elsewhere")}, "is not trusted"),
    "untrusted client certificate": (_stranger, "does not trust this client"),
    "binding to a missing node": (_node("s=o2-4.nothing"), "does not have"),
    "value of the wrong type": (_node("s=o2-4.MachineryItemState"), "not a number or flag"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_equipment_input_is_one_error_line_exit_2_and_no_batch(peer: Peer, tmp_path: Path, case: str) -> None:
    make, fragment = CASES[case]
    args = {"--devices": peer.endpoint, "--certs": str(peer.certs), **make(tmp_path, peer)}
    password = args.pop("password", PASSWORD)
    db = tmp_path / "records.sqlite"
    command = ["run", str(PATENT_EXAMPLES[0]), "--speed", str(SPEED), "--user", USER, "--json",
               "--db", f"sqlite:///{db}", *(item for pair in args.items() for item in pair)]  # fmt: skip
    result = runner.invoke(app, command, env={**os.environ, "ANODELINE_OPCUA_PASSWORD": password})
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and fragment in errors[0], result.stderr
    assert result.stdout == ""  # no JSON report: nothing ran
    assert not db.exists()  # nothing recorded: the store is not even created
