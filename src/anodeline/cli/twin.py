"""``anodeline twin``: the digital twin as a protocol peer (served over OPC UA), its bindings and users."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anodeline.cli.app import LINE, app
from anodeline.cli.output import usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.line.config import Line

twin_app = typer.Typer(
    help="Serve the digital twin over OPC UA (a PLC to rehearse on) and make its bindings.", no_args_is_help=True
)
app.add_typer(twin_app, name="twin", rich_help_panel=LINE)

CERTS_HELP = "Directory of this application's certificate and of trusted peers (trusted/); made on first use."


def _load_line(path: Path) -> "Line":
    from anodeline.line import load_line

    return load_line(path)


@twin_app.command("serve")
def serve(
    line: Annotated[Path, typer.Argument(help="Line YAML file.", show_default=False)],
    speed: Annotated[float, typer.Option("--speed", help="Twin seconds per wall second.")] = 1.0,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port of the OPC UA endpoint.")] = 4840,
    certs: Annotated[
        Path | None, typer.Option("--certs", help=CERTS_HELP, show_default="$ANODELINE_CERTS or ./opcua-certs")
    ] = None,
    users: Annotated[
        Path | None,
        typer.Option("--users", help="Users file (anodeline twin passwd); without it anonymous sessions are allowed."),
    ] = None,
    allow_insecure: Annotated[
        bool, typer.Option("--allow-insecure", help="Also offer security mode None (never on a plant network).")
    ] = False,
    fault: Annotated[
        list[str] | None, typer.Option("--fault", help="Fault installed at each batch (as 'run --fault'); repeatable.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the twin until a client prepares a batch.")] = 0,
    no_operator: Annotated[
        bool, typer.Option("--no-operator", help="Do not simulate the operator's glove work.")
    ] = False,
    modbus: Annotated[
        str | None,
        typer.Option(
            "--modbus",
            help="Also serve the glove-box part over Modbus TCP at HOST:PORT (no security: loopback by default).",
        ),
    ] = None,
) -> None:
    """Run the twin of LINE in scaled real time and serve every device over OPC UA; prints 'ready ENDPOINT'."""
    import asyncio

    from anodeline.devices.sim.faults import parse_fault
    from anodeline.equipment.opcua.security import default_certs_dir
    from anodeline.equipment.opcua.server import ServeOptions
    from anodeline.equipment.opcua.server import serve as run_server

    if not 0.0 < speed <= 100_000.0:
        usage_error(f"--speed {speed:g} is not a speed", "give twin seconds per wall second, 1 to 100000")
    if not 0 < port < 65536:
        usage_error(f"--port {port} is not a TCP port", "e.g. --port 4840")
    for spec in fault or []:
        parse_fault(spec)  # an unknown fault is a usage error before anything listens
    options = ServeOptions(
        line=_load_line(line),
        host=host,
        port=port,
        speed=speed,
        certs=certs or default_certs_dir(),
        users=users,
        allow_insecure=allow_insecure,
        faults=tuple(fault or ()),
        seed=seed,
        operator=not no_operator,
        modbus=modbus,
    )
    from anodeline.cli.app import settled

    settled()  # the server runs for long: the collector back on, the imports frozen
    try:
        asyncio.run(run_server(options))
    except OSError as exc:
        usage_error(f"cannot serve on {options.endpoint}: {exc.strerror or exc}", "choose another --port or --host")


@twin_app.command("bindings")
def bindings(
    line: Annotated[Path, typer.Argument(help="Line YAML file.", show_default=False)],
    protocol: Annotated[
        str, typer.Option("--protocol", help="opcua (every device) or modbus (the glove-box part).")
    ] = "opcua",
    port: Annotated[int | None, typer.Option("--port", help="TCP port in the endpoint.", show_default=False)] = None,
) -> None:
    """Print the bindings file of the twin of LINE (the starting point for binding a real PLC)."""
    from anodeline.equipment import template

    loaded = _load_line(line)
    if protocol == "opcua":
        document = template.opcua_template(loaded, port=port or template.OPCUA_PORT)
    elif protocol == "modbus":
        document = template.modbus_template(loaded, port=port or template.MODBUS_PORT)
    else:
        usage_error(f"--protocol {protocol!r} is not opcua or modbus", "--protocol opcua")
    typer.echo(template.dump(document), nl=False)


@twin_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="User name.", show_default=False)],
    users: Annotated[Path, typer.Option("--users", help="Users file to add the user to (made if missing).")],
) -> None:
    """Add or replace a user in a users file; the password is read from $ANODELINE_OPCUA_PASSWORD."""
    from anodeline.equipment.opcua.security import PASSWORD_ENV, add_user

    password = os.environ.get(PASSWORD_ENV, "")
    if len(password) < 8:
        usage_error(
            f"${PASSWORD_ENV} must hold the password (8 characters or more)",
            f"{PASSWORD_ENV}=... anodeline twin passwd {name} --users {users}",
        )
    add_user(users, name, password)
    typer.echo(f"user {name!r} saved in {users}")
