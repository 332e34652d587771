"""Read YAML safely while remembering where every value came from.

PyYAML's ``SafeLoader`` composes the node tree (which carries line and column marks)
and constructs plain Python data from it, exactly as ``yaml.safe_load`` does; on the
way we record ``path → (line, column)`` for every mapping key and sequence item so
that a violation at ``layers[0].thickness`` can point at its line. Duplicate keys,
which ``safe_load`` silently overwrites, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

#: libyaml's C parser when PyYAML was built with it (the wheels are): ~5x faster, same safe constructor.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SourceMap:
    """Where each path of a YAML document starts (1-based line and column)."""

    locations: dict[str, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: str) -> tuple[int, int]:
        """The location of ``path``, or of its nearest located ancestor."""
        while True:
            if path in self.locations:
                return self.locations[path]
            if not path:
                return (1, 1) if not self.locations else min(self.locations.values())
            path = parent_path(path)


@dataclass(frozen=True)
class YamlProblem:
    """A syntax error or duplicate key found while reading."""

    kind: str  # "syntax" | "duplicate-key"
    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    source_map: SourceMap
    problems: tuple[YamlProblem, ...]


def join_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: yaml.Node, path: str, locations: dict[str, tuple[int, int]], problems: list[YamlProblem]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = join_path(path, key)
            if key in seen:
                line, column = _mark(key_node)
                problems.append(YamlProblem("duplicate-key", child, line, column, f"key {key!r} appears twice"))
            seen.add(key)
            locations.setdefault(child, _mark(key_node))
            _walk(value_node, child, locations, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join_path(path, index)
            locations.setdefault(child, _mark(item))
            _walk(item, child, locations, problems)


def read_yaml(text: str) -> YamlDocument:
    """Parse one YAML document with the safe loader, keeping locations.

    Never raises for bad YAML: a syntax error comes back as a problem with its mark.
    """
    try:
        loader = _SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character: report where it is
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"character {exc.character!r} is not allowed in YAML"
        return YamlDocument(None, SourceMap(), (YamlProblem("syntax", "", line, column, message),))
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, SourceMap(), ())
        locations: dict[str, tuple[int, int]] = {"": _mark(node)}
        problems: list[YamlProblem] = []
        _walk(node, "", locations, problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        # the construct that is broken (an unclosed bracket, a key without ':') starts at the
        # context mark; the problem mark is where the parser noticed, often a line later
        mark = exc.context_mark or exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        if exc.context_mark and exc.problem_mark and exc.problem_mark.line != exc.context_mark.line:
            message += f" (noticed at line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1})"
        return YamlDocument(None, SourceMap(), (YamlProblem("syntax", "", line, column, message),))
    except yaml.YAMLError as exc:
        return YamlDocument(None, SourceMap(), (YamlProblem("syntax", "", 0, 0, str(exc)),))
    except (ValueError, TypeError, RecursionError) as exc:
        # the safe constructor raises these for e.g. unhashable keys or absurd nesting
        return YamlDocument(None, SourceMap(), (YamlProblem("syntax", "", 0, 0, f"unreadable YAML: {exc}"),))
    finally:
        loader.dispose()
    return YamlDocument(data, SourceMap(locations), tuple(problems))
