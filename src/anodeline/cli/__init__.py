"""The ``anodeline`` command line. Each module registers its commands on :data:`app`."""

from __future__ import annotations

from anodeline.cli import batch as _batch  # noqa: F401 - registers commands
from anodeline.cli import calc as _calc  # noqa: F401 - registers commands
from anodeline.cli import calibrate as _calibrate  # noqa: F401 - registers commands
from anodeline.cli import composition as _composition  # noqa: F401 - registers commands
from anodeline.cli import lineplan as _lineplan  # noqa: F401 - registers commands
from anodeline.cli import predict as _predict  # noqa: F401 - registers commands
from anodeline.cli import validate as _validate  # noqa: F401 - registers commands
from anodeline.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
