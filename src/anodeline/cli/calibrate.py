"""``anodeline calibrate``: fit the film-property models on the patent data and report LOO errors."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anodeline.cli.app import MODELS, app
from anodeline.cli.output import EXIT_OK, print_json, usage_error

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.chemistry.calibration import CalibrationResult


@app.command(rich_help_panel=MODELS)
def calibrate(
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Directory for parity.png, arrhenius.png, loo.csv and cv.csv.", show_default=False
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="Rewrite the calibration shipped with the package (calibrated.json)."),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Fit σ25, Ea and composition transfer on the patent's data; print leave-one-out and grouped-CV errors.

    The grouped cross-validation (composition family, method, films below 100 °C held out) gives
    coverage_90: the fraction of held-out films inside their 90 % interval.
    """
    from anodeline.chemistry import shipped
    from anodeline.chemistry.calibration import calibrate as run_calibration

    target = shipped.shipped_path() if write else None
    try:
        result = run_calibration(report, target)
    except OSError as exc:
        where = exc.filename or report or target
        usage_error(f"cannot write the report to {where}: {exc.strerror or exc}", "choose a writable directory")
    if json_output:
        print_json(result.as_dict())
    else:
        _print_tables(result)
    raise typer.Exit(EXIT_OK)


def _print_tables(result: "CalibrationResult") -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    loo = Table(title="Leave-one-out over the patent films (Tables 1–5, Example 1)")
    for column in ("id", "method", "target", "T heat [°C]", "σ25 meas", "σ25 LOO", "rel. err", "Ea meas", "Ea LOO"):
        loo.add_column(escape(column), justify="left" if column in ("id", "method", "target") else "right")
    for r in result.samples:
        loo.add_row(
            r.id,
            r.method,
            r.target,
            f"{r.heating_temperature_degc:g}",
            f"{r.sigma25_measured:.2e}",
            f"{r.sigma25_predicted:.2e}",
            f"{r.sigma25_rel_error:+.1%}",
            "" if r.ea_measured is None else f"{r.ea_measured:g}",
            f"{r.ea_predicted:.1f}",
        )
    console.print(loo)

    summary = Table(title="Metrics")
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    summary.add_row("LOO median |rel. error| of σ25", f"{result.loo_sigma25_median_rel_error:.1%}")
    summary.add_row(escape("LOO MAE of Ea [kJ/mol]"), f"{result.loo_ea_mae_kj_per_mol:.2f}")
    summary.add_row(escape("Ea training-mean baseline MAE [kJ/mol]"), f"{result.ea_mean_baseline_mae_kj_per_mol:.2f}")
    worst = max(result.transfer_residuals, key=lambda r: abs(r.residual))
    summary.add_row("largest transfer residual", f"{worst.residual:+.4f} ({worst.element}, Example {worst.example})")
    cv = result.cross_validation
    summary.add_row("grouped CV coverage_90 (pooled)", f"{cv.coverage_90:.3f} (noise widening {cv.widening:g})")
    for path in result.report_files:
        summary.add_row("wrote", str(path))
    console.print(summary)

    groups = Table(title="Grouped cross-validation (a whole group held out, refitted with bootstrap)")
    for column in ("scheme: group", "films", "coverage_90", "median |rel. err|", "RMS ln err"):
        groups.add_column(escape(column), justify="left" if column == "scheme: group" else "right")
    for g in (*cv.scores(lambda r: r.scheme), *cv.scores(lambda r: f"{r.scheme}: {r.group}")):
        groups.add_row(
            escape(g.name), str(g.n), f"{g.coverage_90:.2f}", f"{g.median_abs_rel_error:.1%}", f"{g.rms_ln_error:.3f}"
        )
    console.print(groups)

    params = Table(title="Fitted parameters")
    params.add_column("parameter")
    params.add_column("value", justify="right")
    for name, value in result.parameters.items():
        params.add_row(escape(name), f"{value:.4g}")
    for method, coefficients in result.transfer_parameters.items():
        for name, value in coefficients.items():
            params.add_row(escape(f"transfer retention r[{method}, {name}]"), f"{value:.4g}")
    console.print(params)
