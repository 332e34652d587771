"""``anodeline users add|list|disable``: the people who may act on batches, and their roles.

The first user of a database must be an ``admin`` and is added without ``--as`` (there is nobody
to authenticate yet); every later change needs ``--as`` an admin, re-authenticated.
"""

import sys
from typing import Annotated

import typer

from anodeline.cli.access import ANCHOR_LOG, AS_HELP, DB, JSON, acting_user, anchor_head, read_store, write_store
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import print_json, usage_error

users_app = typer.Typer(help="Users and roles: operator, engineer, qa, admin.", no_args_is_help=True)
app.add_typer(users_app, name="users", rich_help_panel=BATCHES)


def _new_password(name: str, from_stdin: bool) -> str:
    """The new user's password: one line of stdin, or typed twice on the terminal (not echoed)."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            usage_error(
                "--password-stdin: stdin gave no password", "e.g. printf '%s\\n' \"$PW\" | anodeline users add …"
            )
        return password
    if not sys.stdin.isatty():
        usage_error("no terminal to read the new password from", "use --password-stdin")
    import getpass

    first = getpass.getpass(f"new password for {name}: ")
    if getpass.getpass("again: ") != first:
        usage_error("the two passwords differ [USR003]", "type the same password twice")
    return first


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name (letters, digits, '.', '-', '_').")],
    role: Annotated[str, typer.Option("--role", help="operator, engineer, qa or admin.")],
    full_name: Annotated[
        str | None, typer.Option("--full-name", show_default=False, help="Printed name on signatures (default: NAME).")
    ] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from stdin.")] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", show_default=False, help=AS_HELP + " An admin (not for the first user).")
    ] = None,
    db: DB = None,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Add a user with a role; the password is hashed with Argon2id."""
    from anodeline.records.auth import ROLES, check_password_rules, hash_password

    if role not in ROLES:
        usage_error(f"unknown role {role!r} [USR004]", f"roles: {', '.join(ROLES)}")
    with write_store(db) as store:
        if store.count_users() == 0:
            if role != "admin":
                usage_error("the first user of a database must be an admin [USR004]",
                            f"anodeline users add ADMIN --role admin, then add {name} --as ADMIN")  # fmt: skip
            actor = name
        elif as_user is None:
            usage_error("adding a user needs --as an admin", "anodeline users add NAME --role ROLE --as ADMIN")
        else:
            actor = acting_user(store, as_user, "users", anchor_log=anchor_log).name
        password = _new_password(name, password_stdin)
        check_password_rules(password)
        user = store.add_user(name, full_name=full_name or name, role=role, password_hash=hash_password(password),
                              actor=actor)  # fmt: skip
        anchor_head(store, f"users add {name}", anchor_log)
    typer.echo(f"added {user.name} ({user.full_name}) as {user.role}")


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="Login name.")],
    as_user: Annotated[str, typer.Option("--as", help=AS_HELP + " An admin.")],
    db: DB = None,
    anchor_log: ANCHOR_LOG = None,
) -> None:
    """Disable a user: no more sign-ins or signatures; their past signatures stay."""
    with write_store(db, create=False) as store:
        admin = acting_user(store, as_user, "users", anchor_log=anchor_log)
        enabled_admins = [u for u in store.users() if u.role == "admin" and not u.disabled]
        if [u.name for u in enabled_admins] == [name]:
            usage_error(f"{name!r} is the last enabled admin [USR004]", "add another admin first")
        user = store.disable_user(name, actor=admin.name)
        anchor_head(store, f"users disable {name}", anchor_log)
    typer.echo(f"disabled {user.name} ({user.role})")


@users_app.command("list")
def users_list(db: DB = None, json_output: JSON = False) -> None:
    """List the users with their roles (never their password hashes)."""
    with read_store(db) as store:
        users = store.users()
    rows = [
        {"name": u.name, "full_name": u.full_name, "role": u.role, "disabled": u.disabled, "created_at": u.created_at}
        for u in users
    ]
    if json_output:
        print_json({"users": rows})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "printed name", "role", "status", "since (UTC)")
    for u in users:
        table.add_row(u.name, u.full_name, u.role, "disabled" if u.disabled else "active", u.created_at)
    Console().print(table)
