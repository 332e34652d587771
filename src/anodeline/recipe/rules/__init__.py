"""The rule table. Importing this package registers every rule, in code order per topic."""

from anodeline.recipe.rules import (  # noqa: F401 - imported to register their rules
    assembly,
    atmosphere,
    films,
    geometry,
    materials,
    physics,
    route,
    schema,
    thermal,
    uniformity,
)
from anodeline.recipe.rules.base import RULES, Finding, Rule, checked_rules

__all__ = ["RULES", "Finding", "Rule", "checked_rules"]
