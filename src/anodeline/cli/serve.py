"""``anodeline serve``: the operator web HMI and HTTP API (FastAPI under uvicorn).

Binds to loopback by default; another address needs ``--tls-cert/--tls-key`` (the session cookie
and passwords must not cross a network in clear). Prints one line, ``serving http://HOST:PORT``,
once it accepts connections, and stops cleanly on SIGTERM or Ctrl-C (open live streams are given a
few seconds to end).
"""

import signal
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.access import ANCHOR_LOG, DB
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import usage_error

#: Seconds open connections (live streams) get to end after SIGTERM.
GRACEFUL_S = 3


@app.command(rich_help_panel=BATCHES)
def serve(
    db: DB = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (0: any free port, printed).")] = 8000,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", show_default=False, help="PEM certificate: serve HTTPS.")
    ] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", show_default=False, help="PEM private key.")] = None,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Serve the operator HMI and the HTTP API (docs/hmi.md): live line, batches, commands, signatures."""
    from anodeline.web.settings import WebSettings, WebSettingsError

    for option, path in (("--tls-cert", tls_cert), ("--tls-key", tls_key)):
        if path is not None and not path.is_file():
            usage_error(f"{option} {path}: no such file", "give the PEM file of the server's certificate and key")
    try:
        settings = WebSettings(db_url=db, host=host, port=port, tls_cert=str(tls_cert) if tls_cert else None,
                               tls_key=str(tls_key) if tls_key else None, anchor_log=anchor_log)  # fmt: skip
    except WebSettingsError as exc:
        usage_error(exc.message, exc.hint)
    if not settings.loopback and not settings.tls:
        usage_error(f"--host {host} is reachable from other machines and the server has no TLS",
                    "give --tls-cert and --tls-key, or keep the default --host 127.0.0.1")  # fmt: skip
    from anodeline.cli.app import settled
    from anodeline.web.app import create_app

    web = create_app(settings)
    settled()  # the server runs for long: the collector back on, the imports frozen
    _warm_plots()
    _run(web, settings)


def _warm_plots() -> None:
    """Import matplotlib in the background: the first batch page's plots then do not wait for it (~1 s)."""
    import threading

    def load() -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot

    threading.Thread(target=load, name="warm-plots", daemon=True).start()


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` (exit 2 when it cannot be had: in use, no such address)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        usage_error(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                    "choose another --port (0: any free port) or stop what uses it")  # fmt: skip
    return sock


def _run(web: Any, settings: Any) -> None:
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                bound = self.servers[0].sockets[0].getsockname() if self.servers else (settings.host, settings.port)
                from dataclasses import replace

                typer.echo(f"serving {replace(settings, port=int(bound[1])).address}")

    config = uvicorn.Config(
        web, host=settings.host, port=settings.port, log_level="warning", access_log=False,
        ssl_certfile=settings.tls_cert, ssl_keyfile=settings.tls_key, timeout_graceful_shutdown=GRACEFUL_S,
        server_header=False, lifespan="off",
    )  # fmt: skip
    # uvicorn re-raises the signal that stopped it once it has shut down; a stop asked for is a clean
    # exit (0), so the handlers it restores and calls are no-ops.
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: None)
    listening = _listen(settings.host, settings.port)
    try:
        Server(config).run(sockets=[listening])
    finally:
        listening.close()
        web.state.web.store.close()
