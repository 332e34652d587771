"""``anodeline serve``: one ``serving`` line when ready, pages and API answering, a clean stop on SIGTERM;
unsafe or impossible options refused with exit 2 before anything listens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from anodeline.cli import app

MAIN = "from anodeline.cli import main; main()"


def test_serve_prints_one_line_when_ready_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    child = subprocess.Popen([sys.executable, "-c", MAIN, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=dict(os.environ))  # fmt: skip
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line.startswith("serving http://127.0.0.1:"), line
        address = line.removeprefix("serving ")
        assert httpx.get(f"{address}/api/me").status_code == 401
        assert httpx.get(f"{address}/openapi.json").json()["info"]["title"] == "anodeline"
        assert httpx.get(f"{address}/line").status_code == 303
        started = time.monotonic()
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=15) == 0
        assert time.monotonic() - started < 10
        out, err = child.communicate()
        assert out.strip() == "" and "Traceback" not in err
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_serve_refuses_a_network_address_without_tls_and_half_a_tls_pair(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    runner = CliRunner()
    exposed = runner.invoke(app, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert exposed.exit_code == 2 and "TLS" in exposed.output
    cert = tmp_path / "cert.pem"
    cert.write_text("not a certificate")
    half = runner.invoke(app, ["serve", "--db", db, "--tls-cert", str(cert)])
    assert half.exit_code == 2 and "go together" in half.output
    missing = runner.invoke(app, ["serve", "--db", db, "--tls-cert", str(cert), "--tls-key", str(tmp_path / "no")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad_port = runner.invoke(app, ["serve", "--db", db, "--port", "70000"])
    assert bad_port.exit_code == 2


def test_serve_on_a_port_in_use_exits_2_saying_so(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'r.sqlite'}", "--port", str(port)])
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1" in result.output
