"""Procedures: a recipe compiled for a line into ordered actions, for every claimed route."""

from anodeline.procedure.io import dump, load_procedure, read_procedure
from anodeline.procedure.model import ContainerSpec, ItemSpec, Procedure
from anodeline.procedure.routes import can_run, compile_procedure
from anodeline.procedure.verify import verify_procedure

__all__ = [
    "ContainerSpec", "ItemSpec", "Procedure", "can_run", "compile_procedure", "dump", "load_procedure",
    "read_procedure", "verify_procedure",
]  # fmt: skip
