"""``anodeline targets list|install``: the sputter targets and evaporation charges on the line's sources.

A target is mounted on a source named ``APPARATUS/SOURCE`` (``system-1/sputter-gun``); installing a
new one removes the one there before. Its life is kWh of target power (sputtering) or grams of
charge (evaporation, ion plating); each batch's use is recorded by ``run`` and ``list`` shows what
remains (docs/records.md, docs/models/deposition.md).
"""

import math
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from anodeline.cli.access import AS_HELP, DB, JSON, acting_user, anchor_head, read_store, write_store
from anodeline.cli.app import BATCHES, app
from anodeline.cli.output import print_json, usage_error

targets_app = typer.Typer(help="Sputter targets and evaporation charges: life used and left.", no_args_is_help=True)
app.add_typer(targets_app, name="targets", rich_help_panel=BATCHES)

#: unit → (consumable kind, factor to kWh or g)
_UNITS: dict[str, tuple[str, float]] = {
    "kwh": ("sputter-target", 1.0), "wh": ("sputter-target", 1e-3), "mj": ("sputter-target", 1.0 / 3.6),
    "g": ("evaporation-charge", 1.0), "kg": ("evaporation-charge", 1e3), "mg": ("evaporation-charge", 1e-3),
}  # fmt: skip
#: A source that wears no target, or a life that is not one (a usage error, exit 2).
NOT_A_TARGET = "TGT003"
_QUANTITY = re.compile(r"^\s*([-+0-9.eE]+|nan|inf|-inf)\s*([A-Za-z]+)\s*$")
_LINE = Annotated[
    Path | None, typer.Option("--line", help="Line YAML whose sources are checked (default: fig1).", show_default=False)
]


def _capacity(text: str, kind: str) -> float:
    match = _QUANTITY.match(text)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        example = "e.g. --capacity '5 kWh' for a sputter target, --capacity '5 g' for an evaporation charge"
        usage_error(f"--capacity {text!r} is not a number with a unit [{NOT_A_TARGET}]", example)
    if unit[0] != kind:
        want = "kWh" if kind == "sputter-target" else "g"
        usage_error(
            f"--capacity {text!r}: a {kind}'s life is in {want} [{NOT_A_TARGET}]", f"e.g. --capacity '5 {want}'"
        )
    try:
        value = float(match.group(1)) * unit[1]
    except ValueError:
        usage_error(f"--capacity {text!r} is not a number with a unit [{NOT_A_TARGET}]", "e.g. --capacity '5 kWh'")
    if not math.isfinite(value) or value <= 0.0:
        usage_error(f"--capacity {text!r} must be a positive finite life [{NOT_A_TARGET}]", "e.g. --capacity '5 kWh'")
    return value


def _worn_sources(line_path: Path | None) -> dict[str, tuple[str, str]]:
    """``APPARATUS/SOURCE`` → (method, first material) of the line's sources that wear a target or charge."""
    from anodeline.cli.validate import _load_line
    from anodeline.devices import naming
    from anodeline.line.load import default_line_path
    from anodeline.physics.deposition.erosion import kind_for

    line = _load_line(line_path or default_line_path("coat-lithium-base"))
    return {
        naming.source(app_name, src.name): (src.method, src.materials[0])
        for app_name, app_ in line.apparatus.items()
        for src in app_.sources
        if kind_for(src.method) is not None
    }


@targets_app.command("list")
def targets_list(
    db: DB = None,
    all_targets: Annotated[bool, typer.Option("--all", help="Also the targets removed from their source.")] = False,
    json_output: JSON = False,
) -> None:
    """The mounted targets (or all, --all): life, used, remaining."""
    store = read_store(db)
    with store:
        records = store.targets(mounted_only=not all_targets)
    if json_output:
        print_json({"targets": [record.to_dict() for record in records]})
        return
    if not records:
        typer.echo("no targets recorded: anodeline targets install ID --source APPARATUS/SOURCE --material MATERIAL")
        return
    for r in records:
        state = "mounted" if r.mounted else f"removed {r.removed_at[:19] if r.removed_at else ''}"
        typer.echo(
            f"{r.target_id:16} {r.source:24} {r.kind:18} {r.material:24} used {r.used:.3g} of {r.capacity:.3g} "
            f"{r.unit}, {r.remaining_share:.0%} left  {state}"
        )


@targets_app.command("install")
def targets_install(
    target_id: Annotated[str, typer.Argument(help="The target's identity (its serial number).")],
    source: Annotated[
        str, typer.Option("--source", help="APPARATUS/SOURCE it is mounted on, e.g. system-1/sputter-gun.")
    ],
    material: Annotated[str, typer.Option("--material", help="What it is, e.g. 57Li2S-38SiS2-5P2O5 or Li.")],
    capacity: Annotated[
        str | None,
        typer.Option(
            "--capacity",
            show_default=False,
            help="Its life: kWh for a sputter target (default 5 kWh, est.), g for a charge (5 g Li, est.).",
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Free text (supplier, lot).")] = "",
    line: _LINE = None,
    as_user: Annotated[str | None, typer.Option("--as", show_default=False, help=AS_HELP + " Optional.")] = None,
    db: DB = None,
    json_output: JSON = False,
) -> None:
    """Mount a new target or charge on a source; the one there before is removed."""
    from anodeline.physics.deposition.erosion import default_capacity, kind_for

    sources = _worn_sources(line)
    if source not in sources:
        usage_error(f"--source {source!r} is not a sputtering or evaporation source of the line [{NOT_A_TARGET}]",
                    f"the line's worn sources: {', '.join(sorted(sources)) or 'none'}")  # fmt: skip
    method, first_material = sources[source]
    kind = kind_for(method)
    assert kind is not None
    life = _capacity(capacity, kind) if capacity is not None else default_capacity(kind, first_material)
    with write_store(db) as store:
        actor = acting_user(store, as_user, "targets").name if as_user is not None else "anodeline"
        record: Any = store.install_target(
            target_id, source=source, kind=kind, material=material, capacity=life, note=note, actor=actor
        )
        anchor_head(store, f"targets install {target_id[:64]}", None)
    if json_output:
        print_json(record.to_dict())
    else:
        typer.echo(
            f"installed {record.target_id} on {record.source}: {record.kind}, life {record.capacity:g} {record.unit}"
        )
