"""``anodeline calc …``: dew/frost point, purge cycles and pump-down time from the command line.

Heavy libraries (pint, scipy) are imported inside the commands so that ``--help`` answers
fast. Every command prints JSON with ``--json``; numbers carry their unit in the key.
"""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from anodeline.cli.app import calc_app
from anodeline.cli.output import print_json, usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.errors import AnodelineError

_JSON = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
_PRESSURE = Annotated[str, typer.Option("--pressure", help="Total gas pressure, e.g. '1 atm' or '101325 Pa'.")]
#: Let arguments such as "-60 degC" through instead of reading them as unknown options.
_NEGATIVE_OK = {"ignore_unknown_options": True}


class Over(StrEnum):
    """What a dew/frost point refers to."""

    ice = "ice"
    water = "water"


def _fail(exc: "AnodelineError", where: str = "", hint: str = "") -> NoReturn:
    usage_error(f"{where}: {exc.message}" if where else exc.message, exc.hint or hint)


def _magnitude(text: str, kind: str, unit: str, where: str) -> float:
    """Parse ``text`` as a ``kind`` and return it in ``unit``; usage error on bad input."""
    from anodeline.errors import UnitError
    from anodeline.units import EXAMPLES, parse_quantity

    try:
        return float(parse_quantity(text, kind).to(unit).magnitude)
    except UnitError as exc:
        _fail(exc, where, f"write a {kind} such as {EXAMPLES.get(kind, '')!r}")


def _positive_pa(text: str, where: str) -> float:
    pressure_pa = _magnitude(text, "pressure", "Pa", where)
    if pressure_pa <= 0.0:
        usage_error(f"{where}: {text!r} is not a positive pressure", "an absolute pressure, e.g. '1 mbar' or '100 Pa'")
    return pressure_pa


def _ppmv(text: str) -> float:
    """A water content: a bare number is ppmv; otherwise a fraction with a unit ('10.7 ppm', '0.001 %')."""
    try:
        value = float(text)
    except ValueError:
        value = _magnitude(text, "fraction", "dimensionless", "PPMV") * 1e6
    if not value > 0.0 or value != value or value == float("inf"):
        usage_error(f"water content {text!r} must be a positive number", "e.g. 10.7 (ppmv) or '10.7 ppm'")
    return value


def _show(title: str, rows: list[tuple[str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False, expand=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for name, value in rows:
        table.add_row(name, value)
    Console().print(table)


@calc_app.command("dew-point", context_settings=_NEGATIVE_OK)
def dew_point(
    temperature: Annotated[str, typer.Argument(help="Frost (or dew) point, e.g. '-60 degC'.", show_default=False)],
    over: Annotated[Over, typer.Option("--over", help="ice: frost point; water: dew point over water.")] = Over.ice,
    pressure: _PRESSURE = "101325 Pa",
    json_output: _JSON = False,
) -> None:
    """Water content (ppmv) of gas at a frost point (over ice) or a dew point (--over water)."""
    from anodeline.physics.atmosphere import AtmosphereError, dew_point_to_ppmv, frost_point_to_ppmv

    point_degc = _magnitude(temperature, "temperature", "degC", "TEMP")
    pressure_pa = _positive_pa(pressure, "--pressure")
    try:
        convert = frost_point_to_ppmv if over is Over.ice else dew_point_to_ppmv
        ppmv = convert(point_degc, pressure_pa)
    except AtmosphereError as exc:
        _fail(exc, "TEMP")
    key = "frost_point_degc" if over is Over.ice else "dew_point_degc"
    if json_output:
        print_json({key: point_degc, "over": over.value, "pressure_pa": pressure_pa, "ppmv": ppmv})
        return
    name = "frost point (ice)" if over is Over.ice else "dew point (water)"
    _show(
        "water content",
        [(name, f"{point_degc:.2f} °C"), ("pressure", f"{pressure_pa:.6g} Pa"), ("H2O", f"{ppmv:.4g} ppmv")],
    )


@calc_app.command("frost-point")
def frost_point(
    ppmv: Annotated[
        str, typer.Argument(help="Water content: ppmv as a number, or e.g. '10.7 ppm'.", show_default=False)
    ],
    over: Annotated[Over, typer.Option("--over", help="ice: frost point; water: dew point over water.")] = Over.ice,
    pressure: _PRESSURE = "101325 Pa",
    json_output: _JSON = False,
) -> None:
    """Frost point (or, with --over water, dew point) of gas holding PPMV water."""
    from anodeline.physics.atmosphere import AtmosphereError, ppmv_to_dew_point, ppmv_to_frost_point

    water_ppmv = _ppmv(ppmv)
    pressure_pa = _positive_pa(pressure, "--pressure")
    try:
        convert = ppmv_to_frost_point if over is Over.ice else ppmv_to_dew_point
        point_degc = convert(water_ppmv, pressure_pa)
    except AtmosphereError as exc:
        hint = "add --over water for a dew point above 0 °C" if over is Over.ice else exc.hint
        usage_error(f"PPMV: {exc.message}", hint)
    key = "frost_point_degc" if over is Over.ice else "dew_point_degc"
    if json_output:
        print_json({"ppmv": water_ppmv, "over": over.value, "pressure_pa": pressure_pa, key: point_degc})
        return
    name = "frost point (ice)" if over is Over.ice else "dew point (water)"
    _show(
        "frost/dew point",
        [("H2O", f"{water_ppmv:.4g} ppmv"), ("pressure", f"{pressure_pa:.6g} Pa"), (name, f"{point_degc:.2f} °C")],
    )


@calc_app.command("purge")
def purge_cmd(
    low: Annotated[str, typer.Option("--low", help="Pressure pumped down to, e.g. '1 mbar'.", show_default=False)],
    cycles: Annotated[
        int, typer.Option("--cycles", min=0, max=100, help="Evacuate/backfill cycles.", show_default=False)
    ],
    fill_purity: Annotated[str, typer.Option("--fill-purity", help="Fill gas purity, e.g. '99.99 %'.")] = "99.99 %",
    fill_gas: Annotated[str, typer.Option("--fill-gas", help="Fill gas name, e.g. Ar, N2, He.")] = "Ar",
    fill_pressure: Annotated[str, typer.Option("--fill-pressure", help="Backfill pressure.")] = "101325 Pa",
    worst_case: Annotated[
        bool, typer.Option("--worst-case", help="Count the whole impurity budget as O2 and H2O (half each).")
    ] = False,
    json_output: _JSON = False,
) -> None:
    """O2 and H2O left after evacuate/backfill cycles, starting from room air (20 °C, 50 % RH)."""
    from anodeline.chemistry import gases
    from anodeline.physics.atmosphere import HARMFUL_SPLIT, TYPICAL_SPLIT, AtmosphereError, FillGas, room_air
    from anodeline.physics.atmosphere.purge import purge_history

    parts = gases.components(fill_gas)
    if not parts or any(part not in gases.CHAMBER_GASES for part in parts):
        usage_error(
            f"--fill-gas: {fill_gas!r} is not an inert purge gas",
            f"use {', '.join(gases.CHAMBER_GASES)} or a mixture such as Ar+He (dry air is not a purge gas here)",
        )
    fill_gas = "+".join(parts)
    low_pa = _magnitude(low, "pressure", "Pa", "--low")
    if low_pa <= 0.0:
        usage_error(f"--low: {low!r} is not a reachable pressure", "an absolute pressure above zero, e.g. '1 mbar'")
    fill_pa = _positive_pa(fill_pressure, "--fill-pressure")
    purity = _magnitude(fill_purity, "fraction", "dimensionless", "--fill-purity")
    try:
        fill = FillGas.of(fill_gas, purity, HARMFUL_SPLIT if worst_case else TYPICAL_SPLIT)
        states = purge_history(room_air(), fill, low_pa, cycles, fill_pa)
    except AtmosphereError as exc:
        _fail(exc)
    final = states[-1]
    per_cycle = [
        {"cycle": i, "o2_ppm": s.o2_ppm, "h2o_ppm": s.h2o_ppm, "n2_ppm": s.n2_ppm} for i, s in enumerate(states)
    ]
    if json_output:
        data: dict[str, Any] = {
            "fill_gas": fill.gas,
            "fill_purity": fill.purity,
            "low_pa": low_pa,
            "fill_pa": fill_pa,
            "cycles": cycles,
            "o2_ppm": final.o2_ppm,
            "h2o_ppm": final.h2o_ppm,
            "n2_ppm": final.n2_ppm,
            "per_cycle": per_cycle,
        }
        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        "cycle", "O2 ppm", "H2O ppm", "N2 ppm",
        title=f"room air, {low_pa:.4g} Pa / {fill.gas} {purity * 100:.4g} %",
    )  # fmt: skip
    for row in per_cycle:
        table.add_row(str(row["cycle"]), f"{row['o2_ppm']:.3g}", f"{row['h2o_ppm']:.3g}", f"{row['n2_ppm']:.3g}")
    Console().print(table)


@calc_app.command("pumpdown")
def pumpdown_cmd(
    volume: Annotated[str, typer.Option("--volume", help="Chamber volume, e.g. '72 L'.", show_default=False)],
    speed: Annotated[str, typer.Option("--speed", help="Pumping speed, e.g. '12 m^3/h'.", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Target pressure, e.g. '0.1 mbar'.", show_default=False)],
    start: Annotated[str, typer.Option("--from", help="Start pressure.")] = "1013.25 mbar",
    load: Annotated[str, typer.Option("--gas-load", help="Outgassing + leaks, e.g. '1e-3 mbar*L/s'.")] = "0 Pa*m^3/s",
    backing: Annotated[
        str | None,
        typer.Option(
            "--backing-speed",
            help="A high-vacuum pump (turbo) with this backing pump, e.g. '10 m^3/h': two-stage model with "
            "wall outgassing (docs/models/atmosphere.md).",
            show_default=False,
        ),
    ] = None,
    ultimate: Annotated[str, typer.Option("--ultimate", help="Base pressure of the high-vacuum pump.")] = "1e-6 Pa",
    json_output: _JSON = False,
) -> None:
    """Seconds to pump a chamber down: V·dp/dt = Q − S·p, or the two-stage turbo model with --backing-speed."""
    from anodeline.physics.atmosphere import AtmosphereError, pumpdown_time, ultimate_pressure

    volume_m3 = _magnitude(volume, "volume", "m^3", "--volume")
    speed_m3_per_s = _magnitude(speed, "volumetric_flow", "m^3/s", "--speed")
    p_pa = _positive_pa(to, "--to")
    p0_pa = _positive_pa(start, "--from")
    try:
        from anodeline.errors import UnitError
        from anodeline.units import parse_quantity

        load_pa_m3_per_s = float(parse_quantity(load, "power").to("Pa*m^3/s").magnitude)
    except UnitError as exc:
        usage_error(f"--gas-load: {exc.message}", "a gas load is pressure × volume / time, e.g. '1e-3 mbar*L/s'")
    for where, value in (("--volume", volume_m3), ("--speed", speed_m3_per_s)):
        if value <= 0.0:
            usage_error(f"{where} must be positive", "e.g. --volume '72 L' --speed '12 m^3/h'")
    if load_pa_m3_per_s < 0.0:
        usage_error("--gas-load must be >= 0", "e.g. '1e-3 mbar*L/s'")
    try:
        if backing is None:
            seconds = pumpdown_time(volume_m3, speed_m3_per_s, p0_pa, p_pa, load_pa_m3_per_s)
            floor_pa = ultimate_pressure(speed_m3_per_s, load_pa_m3_per_s)
        else:
            from anodeline.physics.atmosphere import PumpSet

            backing_m3_per_s = _magnitude(backing, "volumetric_flow", "m^3/s", "--backing-speed")
            ultimate_pa = _positive_pa(ultimate, "--ultimate")
            pump_set = PumpSet(volume_m3, speed_m3_per_s, ultimate_pa, backing_speed_m3_per_s=backing_m3_per_s)
            seconds = pump_set.time_to(p0_pa, p_pa, load_pa_m3_per_s)
            floor_pa = ultimate_pa + load_pa_m3_per_s / speed_m3_per_s
    except AtmosphereError as exc:
        _fail(exc)
    if json_output:
        print_json(
            {
                "volume_m3": volume_m3,
                "speed_m3_per_s": speed_m3_per_s,
                "from_pa": p0_pa,
                "to_pa": p_pa,
                "gas_load_pa_m3_per_s": load_pa_m3_per_s,
                "ultimate_pressure_pa": floor_pa,
                "backing_speed_m3_per_s": None if backing is None else backing_m3_per_s,
                "seconds": seconds,
            }
        )
        return
    _show(
        "pump-down",
        [
            ("volume", f"{volume_m3:.4g} m³"),
            ("speed", f"{speed_m3_per_s * 3600:.4g} m³/h"),
            ("from → to", f"{p0_pa:.4g} → {p_pa:.4g} Pa"),
            ("ultimate pressure", f"{floor_pa:.3g} Pa"),
            ("time" if backing else "time (ideal)", f"{seconds:.4g} s ({seconds / 60:.3g} min)"),
        ],
    )
