"""The ``anodeline`` command line. Each module registers its commands on :data:`app`.

Modules are imported in the order their help panels should appear: recipes, models, line, batches.
"""

from __future__ import annotations

from importlib import import_module

from anodeline.cli.app import app

for _module in (
    "validate",
    "predict",
    "calibrate",
    "calc",
    "composition",
    "lineplan",
    "batch",
    "sign",
    "commands",
    "users",
    "campaign",
    "twin",
    "serve",
):
    import_module(f"anodeline.cli.{_module}")


def main() -> None:
    app()


__all__ = ["app", "main"]
