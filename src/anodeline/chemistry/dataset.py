"""The patent's measured films as typed rows: Tables 1–5 and the worked Examples 1–16.

Source: CA 2,350,384 C (``shared/seed``), Example 17 / Tables 1–5 (47 samples) and
Examples 1–16. The numbers live in ``data/patent_samples.csv`` (described in
``data/README.md``); this module only reads them into frozen :class:`PatentSample` rows.

Examples 2 and 4–16 report their results as "the same as those in Example 1" (or 9,
4, 11, which chain back to Example 1). They are kept as rows, flagged with
``same_as_example``, so that the process conditions the patent claims to work are on
record, but their σ25 is a copy of Example 1's, not a measurement: :func:`fit_samples`
leaves them out, so a copy never counts as independent data in a fit or in
leave-one-out. Examples 3, 9 and 11 still carry their own measured film compositions.

Temperatures: a sputtered film grew above its stated setpoint (plasma heating,
:mod:`anodeline.physics.deposition.thermal_history`), so ``deposition_temperature_degc`` is
the effective temperature (setpoint + ~20 K at the assumed 100 W, est.) and
``deposition_setpoint_degc`` the patent's figure; other methods keep the setpoint.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Elements whose film atomic fractions the patent reports (Examples 1, 3, 9, 11).
FILM_ELEMENTS: tuple[str, ...] = ("Li", "Si", "S", "P", "O")
#: Room temperature as the patent's tables write it ("Room temperature (25°C)").
ROOM_TEMPERATURE_DEGC = 25.0


@dataclass(frozen=True)
class PatentSample:
    """One film of the patent: process conditions and what was measured on it."""

    id: str
    sample: int | None
    table: int | None
    example: int
    method: str
    target: str
    deposition_temperature_degc: float
    anneal_temperature_degc: float | None
    sigma25_s_per_cm: float
    ea_kj_per_mol: float | None
    film_fractions: dict[str, float] | None
    amorphous: bool | None
    same_as_example: int | None
    note: str
    #: the substrate temperature the patent states (``deposition_temperature_degc`` is the effective one)
    deposition_setpoint_degc: float | None = None

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def heating_temperature_degc(self) -> float:
        """Highest temperature the film saw: max of deposition and anneal temperature."""
        return max(self.deposition_temperature_degc, self.anneal_temperature_degc or self.deposition_temperature_degc)

    @property
    def independent(self) -> bool:
        """True when σ25 is a measurement of this film, not "same as Example n"."""
        return self.same_as_example is None


def _float_or_none(text: str) -> float | None:
    return float(text) if text.strip() else None


def _int_or_none(text: str) -> int | None:
    return int(text) if text.strip() else None


def _row(record: dict[str, str]) -> PatentSample:
    film: dict[str, float] | None = None
    if record["film_li"].strip():
        film = {el: float(record[f"film_{el.lower()}"]) for el in FILM_ELEMENTS}
    amorphous = {"true": True, "false": False}.get(record["amorphous"].strip().lower())
    setpoint = float(record["deposition_temperature_degc"])
    return PatentSample(
        id=record["id"],
        sample=_int_or_none(record["sample"]),
        table=_int_or_none(record["table"]),
        example=int(record["example"]),
        method=record["method"],
        target=record["target"],
        deposition_temperature_degc=effective_degc_at_default_power(record["method"], setpoint),
        anneal_temperature_degc=_float_or_none(record["anneal_temperature_degc"]),
        sigma25_s_per_cm=float(record["sigma25_s_per_cm"]),
        ea_kj_per_mol=_float_or_none(record["ea_kj_per_mol"]),
        film_fractions=film,
        amorphous=amorphous,
        same_as_example=_int_or_none(record["same_as_example"]),
        note=record["note"],
        deposition_setpoint_degc=setpoint,
    )


def effective_degc_at_default_power(method: str, setpoint_degc: float) -> float:
    """The temperature a patent film grew at: its stated setpoint plus plasma heating (sputtering).

    The patent states no sputtering power; the rates model's default (100 W, est.) on Example 1's
    100 × 50 mm foil for a 1 µm film is assumed for every sputtered film, so the fit and
    :func:`anodeline.prediction.predict_recipe` put a film on the same (effective) temperature axis.
    """
    from anodeline.physics.deposition.rates import DEFAULT_PARAMS, deposition_time_s
    from anodeline.physics.deposition.thermal_history import thermal_history

    seconds = deposition_time_s(method, "solid-electrolyte", 1.0, DEFAULT_PARAMS)
    return thermal_history(method, setpoint_degc, DEFAULT_PARAMS.sputtering.power_w, seconds).effective_degc


@cache
def dataset_text() -> str:
    """The text of ``data/patent_samples.csv``: what the fits read (and what the shipped calibration is keyed by)."""
    return resources.files("anodeline.chemistry").joinpath("data/patent_samples.csv").read_text(encoding="utf-8")


@cache
def load_patent_samples() -> tuple[PatentSample, ...]:
    """Every row of ``data/patent_samples.csv``: 47 table samples, then Examples 1–16."""
    return tuple(_row(record) for record in csv.DictReader(dataset_text().splitlines()))


def table_samples() -> tuple[PatentSample, ...]:
    """The 47 samples of Tables 1–5 (Example 17), in sample-number order."""
    return tuple(sorted((s for s in load_patent_samples() if s.sample is not None), key=lambda s: s.sample or 0))


def fit_samples() -> tuple[PatentSample, ...]:
    """Samples whose σ25 is an independent measurement: Tables 1–5 plus Example 1."""
    return tuple(s for s in load_patent_samples() if s.independent)


def composition_samples() -> tuple[PatentSample, ...]:
    """Examples with a measured film composition (1, 3, 9 and 11)."""
    return tuple(s for s in load_patent_samples() if s.film_fractions is not None)
