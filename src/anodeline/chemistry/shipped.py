"""The calibration shipped with the package: fitted once, read as plain JSON on every prediction.

``calibrated.json`` beside this module holds everything prediction takes from the fits
(the σ25/Ea parameters of :mod:`anodeline.chemistry.conductivity`, their 200 bootstrap
refits and noise 1-σ of :mod:`anodeline.chemistry.bootstrap`, the leave-one-out Ea band of
:mod:`anodeline.chemistry.properties` and the retention coefficients of
:mod:`anodeline.physics.deposition.transfer`), keyed by the SHA-256 of the dataset they
were fitted on (``data/patent_samples.csv`` as UTF-8 text with ``\\n`` line ends).
``anodeline calibrate --write`` refits and rewrites it; a test checks it equals a fresh fit.

Reading it needs only :mod:`json` and :mod:`hashlib` (no numpy, no scipy). If the file is
missing, unreadable, of another format, or was fitted on another dataset (someone edited
the CSV), :func:`calibration` returns ``None`` with one :class:`StaleCalibrationWarning`
and the models refit: stale parameters are never used silently.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from anodeline.chemistry.dataset import dataset_text

__all__ = [
    "FILE_NAME",
    "FORMAT",
    "StaleCalibrationWarning",
    "calibration",
    "dataset_sha256",
    "dataset_text",
    "parse",
    "sha256_of",
    "shipped_path",
    "warn_stale",
]

#: The shipped file, in the package ``anodeline.chemistry``.
FILE_NAME = "calibrated.json"
#: Layout version of the file; a reader of another version refits (2: adds ``bootstrap``, issue 14).
FORMAT = 2
#: The dataset the fits read, relative to ``anodeline/chemistry``.
DATASET_FILE = "data/patent_samples.csv"


class StaleCalibrationWarning(UserWarning):
    """The shipped calibration cannot be used (absent, unreadable or fitted on other data): refitting."""


def sha256_of(text: str) -> str:
    """SHA-256 (hex) of a dataset's text, with line ends normalised to ``\\n``."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def dataset_sha256() -> str:
    """SHA-256 of the patent dataset the package reads now."""
    return sha256_of(dataset_text())


def shipped_path() -> Path:
    """Where the shipped calibration lives (in the source tree for an editable install)."""
    return Path(str(resources.files("anodeline.chemistry").joinpath(FILE_NAME)))


def warn_stale(reason: str) -> None:
    """Say why the shipped calibration is not used (the caller then refits)."""
    warnings.warn(
        f"{reason}; refitting the film-property models (run 'anodeline calibrate --write')",
        StaleCalibrationWarning,
        stacklevel=3,
    )


def parse(text: str, expected_sha256: str, where: str = FILE_NAME) -> dict[str, Any] | None:
    """The calibration in ``text`` if it is of this format and fitted on the dataset with ``expected_sha256``."""
    try:
        data = json.loads(text)
        fmt = data["format"]
        sha = data["dataset"]["sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        warn_stale(f"{where} cannot be read ({exc})")
        return None
    if fmt != FORMAT:
        warn_stale(f"{where} has format {fmt!r}, this anodeline reads format {FORMAT}")
        return None
    if sha != expected_sha256:
        warn_stale(
            f"{where} was fitted on another dataset (sha256 {str(sha)[:12]}…, "
            f"{DATASET_FILE} is now {expected_sha256[:12]}…)"
        )
        return None
    return dict(data)


@cache
def calibration() -> Mapping[str, Any] | None:
    """The shipped calibration, or ``None`` (warned once) when the models must be refitted."""
    path = shipped_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        warn_stale(f"no shipped calibration at {path} ({exc.strerror or exc})")
        return None
    return parse(text, dataset_sha256(), str(path))
