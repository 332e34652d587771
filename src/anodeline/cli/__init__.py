"""The ``anodeline`` command line. Each module registers its commands on :data:`app`.

Modules are imported in the order their help panels should appear: recipes, models, line, batches.
"""

from __future__ import annotations

import gc
from importlib import import_module

from anodeline.cli.app import app

for _module in (
    "validate",
    "predict",
    "calibrate",
    "sensitivity",
    "doe",
    "calc",
    "composition",
    "lineplan",
    "batch",
    "sign",
    "commands",
    "prompts",
    "users",
    "targets",
    "campaign",
    "twin",
    "serve",
):
    import_module(f"anodeline.cli.{_module}")


def main() -> None:
    """The ``anodeline`` script: the collector stays off until the command has imported what it needs
    (:func:`anodeline.cli.app.settled`)."""
    gc.disable()
    app()


__all__ = ["app", "main"]
