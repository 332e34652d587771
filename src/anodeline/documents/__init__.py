"""YAML documents people write (recipes, lines, procedures): reading with locations, and violations.

Every document language of anodeline reports problems the same way: a
:class:`Violation` with a code, the document path (``layers[0].thickness``), the YAML line
and column, a message, a hint and a source. This package holds what they share.
"""

from anodeline.documents.schema import Parsed, SchemaCode, SchemaCodes, located, parse_document, schema_violations
from anodeline.documents.source import SourceMap, YamlDocument, YamlProblem, join_path, parent_path, read_yaml
from anodeline.documents.violations import Severity, Violation

__all__ = [
    "Parsed",
    "SchemaCode",
    "SchemaCodes",
    "Severity",
    "SourceMap",
    "Violation",
    "YamlDocument",
    "YamlProblem",
    "join_path",
    "located",
    "parent_path",
    "parse_document",
    "read_yaml",
    "schema_violations",
]  # fmt: skip
