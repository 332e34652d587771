"""``anodeline run --devices``: load the bindings, connect the equipment, or exit 2 with one line saying why."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from anodeline.cli.output import usage_error


def connect_equipment(
    recipe: Path,
    line_path: Path | None,
    endpoint: str | None,
    bindings: list[Path],
    speed: float,
    certs: Path | None,
    user: str | None,
) -> tuple[Any, Any]:
    """The connected equipment of the line and the wall clock to run on (scaled by ``speed``)."""
    from anodeline.engine.clock import WallClock
    from anodeline.equipment.bindings import default_bindings_path
    from anodeline.line import load_line
    from anodeline.line.load import default_line_path
    from anodeline.recipe.validate import load_recipe

    _check_options(endpoint, speed)
    path = line_path or default_line_path(load_recipe(recipe).route)
    line = load_line(path)
    endpoints = {"opcua": endpoint} if endpoint else None
    equipment = _connect(line, bindings or [default_bindings_path(path)], endpoints, speed, certs, user)
    return equipment, WallClock(1.0 / speed)


def reconnect_equipment(
    line_data: dict[str, Any],
    recorded: Any,
    endpoint: str | None,
    bindings: list[Path],
    speed: float | None,
    certs: Path | None,
    user: str | None,
) -> Any:
    """The equipment a batch ran on (``anodeline resume``), from its record; options given override it."""
    from anodeline.line.config import Line

    _check_options(endpoint, speed if speed is not None else recorded.speed)
    files = bindings or list(recorded.bindings)
    missing = [str(f) for f in files if not Path(f).is_file()]
    if missing:
        usage_error(
            f"the bindings file the batch ran with is not here: {missing[0]}",
            "give the bindings again: --bindings FILE (repeatable)",
        )
    endpoints = {**recorded.endpoints, **({"opcua": endpoint} if endpoint else {})}
    line = Line.model_validate(line_data)
    return _connect(line, files, endpoints, speed if speed is not None else recorded.speed, certs, user)


def _check_options(endpoint: str | None, speed: float) -> None:
    from anodeline.equipment.schema import OPCUA_ENDPOINT

    if not 0.0 < speed <= 100_000.0:
        usage_error(
            f"--speed {speed:g} is not a speed", "1 for real hardware; the twin server's --speed for a rehearsal"
        )
    if endpoint is not None and not OPCUA_ENDPOINT.match(endpoint):
        usage_error(
            f"--devices {endpoint!r} is not an OPC UA endpoint", "e.g. --devices opc.tcp://127.0.0.1:4840/anodeline"
        )


def _connect(
    line: Any, files: list[Path], endpoints: dict[str, str] | None, speed: float, certs: Path | None, user: str | None
) -> Any:
    """Load the bindings of ``line`` and connect them, or exit 2 with one line saying why."""
    import logging

    from anodeline.equipment.backend import connect
    from anodeline.equipment.bindings import load_bindings
    from anodeline.equipment.opcua.client import Credentials
    from anodeline.equipment.opcua.security import PASSWORD_ENV, default_certs_dir
    from anodeline.errors import AnodelineError

    password = os.environ.get(PASSWORD_ENV) if user else None
    if user and not password:
        usage_error(f"--user {user} needs the password in ${PASSWORD_ENV}", f"export {PASSWORD_ENV}=...")
    try:
        loaded = load_bindings(files, line)
    except AnodelineError as exc:
        import typer

        from anodeline.cli.app import describe, exit_code_of

        message, hint = describe(exc)
        typer.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)
        raise typer.Exit(exit_code_of(exc)) from None
    credentials = Credentials(certs or default_certs_dir(), user, password)
    logging.getLogger("asyncua").setLevel(logging.ERROR)  # its notices (revised intervals…) are not the user's business
    try:
        return connect(loaded, credentials, speed=speed, endpoints=endpoints)
    except AnodelineError as exc:
        usage_error(f"{exc.message}", exc.hint)
