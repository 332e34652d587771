"""Calibration report of the film-property models: fitted parameters, leave-one-out, grouped CV, plots.

Leave-one-out runs over the independent measurements (Tables 1–5 and Example 1; the
"same as Example 1" rows are copies, not data). For each held-out film the σ25 model and
the Ea compensation line are refitted on the others; the Ea baseline is the mean Ea of
the training films, also recomputed each time.

:func:`calibration_payload` is what the package ships (``calibrated.json``, read by
:mod:`anodeline.chemistry.shipped`); :func:`write_calibration` rewrites it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from anodeline.chemistry import shipped
from anodeline.chemistry.bootstrap import fresh_bootstrap
from anodeline.chemistry.conductivity import LooRow, fresh_parameters, leave_one_out
from anodeline.chemistry.properties import loo_bands
from anodeline.chemistry.validation import CrossValidation, grouped_cross_validation
from anodeline.physics.deposition.transfer import TransferResidual, fit_retention_coefficients, transfer_residuals

#: Samples drawn on the Arrhenius plot: room-temperature, 50 °C and 130 °C sputtering, and a Ge film.
ARRHENIUS_SAMPLES: tuple[str, ...] = ("E01", "T01", "T03", "T27", "T34")


@dataclass(frozen=True)
class CalibrationResult:
    """What :func:`calibrate` measured; :meth:`as_dict` is the ``anodeline calibrate --json`` payload."""

    parameters: dict[str, float]
    transfer_parameters: dict[str, dict[str, float]]
    samples: tuple[LooRow, ...]
    loo_sigma25_median_rel_error: float
    loo_ea_mae_kj_per_mol: float
    ea_mean_baseline_mae_kj_per_mol: float
    transfer_residuals: tuple[TransferResidual, ...]
    report_files: tuple[Path, ...]
    cross_validation: CrossValidation

    def __hash__(self) -> int:
        return hash((self.loo_sigma25_median_rel_error, self.report_files))

    def as_dict(self) -> dict[str, Any]:
        return {
            "loo_sigma25_median_rel_error": self.loo_sigma25_median_rel_error,
            "loo_ea_mae_kj_per_mol": self.loo_ea_mae_kj_per_mol,
            "ea_mean_baseline_mae_kj_per_mol": self.ea_mean_baseline_mae_kj_per_mol,
            "samples": [asdict(row) | {"sigma25_rel_error": row.sigma25_rel_error} for row in self.samples],
            "parameters": {"conductivity": self.parameters, "transfer": self.transfer_parameters},
            "coverage_90": self.cross_validation.coverage_90,
            "cross_validation": self.cross_validation.as_dict(),
            "transfer_residuals": [asdict(r) | {"residual": r.residual} for r in self.transfer_residuals],
            "report_files": [str(path) for path in self.report_files],
        }


def loo_metrics(rows: tuple[LooRow, ...]) -> tuple[float, float, float]:
    """(median |relative error| of σ25, MAE of Ea, MAE of the training-mean Ea baseline)."""
    with_ea = [r for r in rows if r.ea_measured is not None]
    return (
        statistics.median(abs(r.sigma25_rel_error) for r in rows),
        statistics.fmean(abs(r.ea_predicted - (r.ea_measured or 0.0)) for r in with_ea),
        statistics.fmean(abs(r.ea_baseline - (r.ea_measured or 0.0)) for r in with_ea),
    )


def calibration_payload() -> dict[str, Any]:
    """Fit now and return what :mod:`anodeline.chemistry.shipped` ships: parameters, LOO bands, transfer."""
    ln_rms, ea_rms = loo_bands(leave_one_out())
    return {
        "about": (
            "Film-property calibration shipped with anodeline, fitted on the dataset below; "
            "written by 'anodeline calibrate --write', do not edit (docs/models.md)."
        ),
        "format": shipped.FORMAT,
        "dataset": {"file": shipped.DATASET_FILE, "sha256": shipped.dataset_sha256()},
        "conductivity": fresh_parameters().to_json(),
        "bootstrap": fresh_bootstrap().to_json(),
        "loo_bands": {"ln_sigma25_rms": ln_rms, "ea_rms_kj_per_mol": ea_rms},
        "transfer": {method: asdict(c) for method, c in fit_retention_coefficients().items()},
    }


def dumps_calibration(payload: dict[str, Any]) -> str:
    """Deterministic text of a calibration: sorted keys, two-space indent, floats as ``repr`` (round-trip exact)."""
    return json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


#: A refit number within this relative tolerance of the shipped one keeps the shipped value when
#: rewriting: the solver stops at xtol = 1e-8 and another BLAS or scipy moves the last digits
#: (tests/chemistry/test_shipped.py uses the same tolerance), so the file does not churn.
KEEP_REL_TOL = 1e-6


def keep_unchanged(old: Any, new: Any) -> Any:
    """``new`` with every number that equals ``old``'s within :data:`KEEP_REL_TOL` replaced by ``old``'s."""
    if isinstance(new, float) and isinstance(old, float):
        return old if math.isclose(old, new, rel_tol=KEEP_REL_TOL, abs_tol=1e-12) else new
    if isinstance(new, dict) and isinstance(old, dict):
        return {key: keep_unchanged(old[key], value) if key in old else value for key, value in new.items()}
    if isinstance(new, list | tuple) and isinstance(old, list) and len(old) == len(new):
        return [keep_unchanged(a, b) for a, b in zip(old, new, strict=True)]
    return new


def write_calibration(path: Path | None = None) -> Path:
    """Refit and write the calibration to ``path`` (default: the shipped file); returns the path written.

    Numbers equal to the file's present ones within :data:`KEEP_REL_TOL` are kept as they are.
    """
    target = shipped.shipped_path() if path is None else path
    payload = calibration_payload()
    with contextlib.suppress(OSError, ValueError):  # no readable previous file: write the fit as it is
        payload = keep_unchanged(json.loads(target.read_text(encoding="utf-8")), payload)
    text = dumps_calibration(payload)
    with target.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    shipped.calibration.cache_clear()
    return target


def calibrate(report_dir: Path | None = None, write_to: Path | None = None) -> CalibrationResult:
    """Fit, run leave-one-out and grouped CV; with ``report_dir``, write parity.png, arrhenius.png, loo.csv, cv.csv.

    With ``write_to``, also write the calibration there (:func:`write_calibration`).
    """
    rows = leave_one_out()
    median_rel, ea_mae, baseline_mae = loo_metrics(rows)
    files: tuple[Path, ...] = ()
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        files = (
            _write_loo_csv(rows, report_dir / "loo.csv"),
            _parity_plot(rows, (median_rel, ea_mae, baseline_mae), report_dir / "parity.png"),
            _arrhenius_plot(report_dir / "arrhenius.png"),
            _write_cv_csv(grouped_cross_validation(), report_dir / "cv.csv"),
        )
    if write_to is not None:
        files = (*files, write_calibration(write_to))
    return CalibrationResult(
        parameters=fresh_parameters().as_dict(),
        transfer_parameters={m: c.as_dict() for m, c in fit_retention_coefficients().items()},
        samples=rows,
        loo_sigma25_median_rel_error=median_rel,
        loo_ea_mae_kj_per_mol=ea_mae,
        ea_mean_baseline_mae_kj_per_mol=baseline_mae,
        transfer_residuals=transfer_residuals(),
        report_files=files,
        cross_validation=grouped_cross_validation(),
    )


def _write_loo_csv(rows: tuple[LooRow, ...], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "id",
                "method",
                "target",
                "heating_temperature_degc",
                "sigma25_measured_s_per_cm",
                "sigma25_predicted_s_per_cm",
                "sigma25_rel_error",
                "ea_measured_kj_per_mol",
                "ea_predicted_kj_per_mol",
                "ea_baseline_kj_per_mol",
            ]
        )
        for r in rows:
            writer.writerow(
                [
                    r.id,
                    r.method,
                    r.target,
                    f"{r.heating_temperature_degc:g}",
                    f"{r.sigma25_measured:.4g}",
                    f"{r.sigma25_predicted:.4g}",
                    f"{r.sigma25_rel_error:.4f}",
                    "" if r.ea_measured is None else f"{r.ea_measured:g}",
                    f"{r.ea_predicted:.3f}",
                    f"{r.ea_baseline:.3f}",
                ]
            )
    return path


def _write_cv_csv(cv: CrossValidation, path: Path) -> Path:
    """Every held-out film of the grouped cross-validation with its 90 % interval."""
    columns = (
        "scheme", "group", "id", "sigma25_measured_S_per_cm", "sigma25_predicted_S_per_cm",
        "sigma25_interval_90_S_per_cm", "inside_90", "in_domain",
    )  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*columns[:5], "low_90_S_per_cm", "high_90_S_per_cm", *columns[6:]])
        for film in cv.as_dict()["films"]:
            low, high = film["sigma25_interval_90_S_per_cm"]
            writer.writerow(
                [*(film[c] for c in columns[:3]), *(f"{film[c]:.4g}" for c in columns[3:5]), f"{low:.4g}",
                 f"{high:.4g}", film["inside_90"], film["in_domain"]]
            )  # fmt: skip
    return path


def _parity_plot(rows: tuple[LooRow, ...], metrics: tuple[float, float, float], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    median_rel, ea_mae, baseline_mae = metrics
    fig, (ax_s, ax_e) = plt.subplots(1, 2, figsize=(10, 4.5))
    methods = sorted({r.method for r in rows})
    for method in methods:
        mine = [r for r in rows if r.method == method]
        ax_s.scatter([r.sigma25_measured for r in mine], [r.sigma25_predicted for r in mine], label=method, s=18)
        with_ea = [r for r in mine if r.ea_measured is not None]
        ax_e.scatter([r.ea_measured for r in with_ea], [r.ea_predicted for r in with_ea], label=method, s=18)
    low, high = 2e-4, 3e-3
    ax_s.plot([low, high], [low, high], "k--", lw=0.8)
    ax_s.set(xscale="log", yscale="log", xlabel="measured σ25 [S/cm]", ylabel="LOO predicted σ25 [S/cm]")
    for axis in (ax_s.xaxis, ax_s.yaxis):
        axis.set_minor_formatter(NullFormatter())
    ax_s.set_title(f"σ25: LOO median |rel. error| {median_rel:.1%}")
    ax_e.plot([30, 38], [30, 38], "k--", lw=0.8)
    ax_e.set(xlabel="measured Ea [kJ/mol]", ylabel="LOO predicted Ea [kJ/mol]")
    ax_e.set_title(f"Ea: LOO MAE {ea_mae:.2f} vs mean baseline {baseline_mae:.2f} kJ/mol")
    ax_s.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _arrhenius_plot(path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from anodeline.chemistry.dataset import load_patent_samples
    from anodeline.chemistry.properties import predict_film, sigma_at

    by_id = {s.id: s for s in load_patent_samples()}
    temperatures = np.linspace(0.0, 100.0, 21)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for sample_id in ARRHENIUS_SAMPLES:
        s = by_id[sample_id]
        p = predict_film(s.target, s.method, s.deposition_temperature_degc, s.anneal_temperature_degc)
        sigma = [sigma_at(p, float(t)) for t in temperatures]
        label = f"{s.id} {s.method} {s.heating_temperature_degc:g} °C (Ea {p.ea_kj_per_mol:.1f})"
        (line,) = ax.plot(1000.0 / (temperatures + 273.15), sigma, label=label)
        ax.scatter([1000.0 / 298.15], [s.sigma25_s_per_cm], color=line.get_color(), zorder=3)
    ax.set(yscale="log", xlabel="1000/T [1/K]", ylabel="σ [S/cm]", title="σ = σ0·exp(−Ea/RT); dots: measured σ25")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
