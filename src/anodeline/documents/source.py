"""Read YAML safely while remembering where every value came from.

PyYAML's ``SafeLoader`` composes the node tree (which carries line and column marks)
and constructs plain Python data from it, exactly as ``yaml.safe_load`` does; on the
way we record ``path → (line, column)`` for every mapping key and sequence item so
that a violation at ``layers[0].thickness`` can point at its line. Duplicate keys,
which ``safe_load`` silently overwrites, are reported.

Before any of that, :func:`yaml_refusal` scans the tokens (cheap, linear) and refuses what
no document of ours needs and what makes the composer blow up: anchors and aliases (a
380-byte "billion laughs" expands to gigabytes), more than :data:`MAX_NODES` nodes and
more than :data:`MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

import yaml

#: libyaml's C parser when PyYAML was built with it (the wheels are): ~5x faster, same safe constructor.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The most nodes (scalars and collections) in a document: a shipped procedure has a few thousand.
MAX_NODES: Final = 100_000
#: The deepest nesting of collections: our documents are less than 10 deep.
MAX_DEPTH: Final = 64

_OPENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.FlowSequenceStartToken)  # fmt: skip
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_NODES = (*_OPENS, yaml.ScalarToken, yaml.BlockEntryToken)


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


@dataclass(frozen=True)
class YamlRefusal:
    """Why a YAML text is refused before it is parsed, and where."""

    line: int
    column: int
    message: str
    hint: str


@lru_cache(maxsize=8)  # read_document and read_yaml both ask for the same text
def yaml_refusal(text: str) -> YamlRefusal | None:
    """The first anchor or alias, or the point where the node or depth cap is passed; None if fine.

    A syntax error is not reported here: the parser reports it with its location.
    """
    nodes = depth = 0
    try:
        for token in yaml.scan(text, Loader=_SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                line, column = _mark(token)
                kind = "anchor &" if isinstance(token, yaml.AnchorToken) else "alias *"
                hint = "write the values out in full (anchors and aliases are refused)"
                return YamlRefusal(line, column, f"YAML {kind}{token.value} is not allowed", hint)
            if isinstance(token, _NODES):
                nodes += 1
                if nodes > MAX_NODES:
                    line, column = _mark(token)
                    return YamlRefusal(line, column, f"more than {MAX_NODES} YAML nodes",
                                       "a recipe, line or procedure is far smaller: check the file")  # fmt: skip
            if isinstance(token, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _mark(token)
                    return YamlRefusal(line, column, f"YAML nested more than {MAX_DEPTH} levels deep",
                                       "a recipe, line or procedure is a few levels deep: check the file")  # fmt: skip
            elif isinstance(token, _CLOSES):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:  # libyaml's own cap, 1000
            line, column = exc.problem_mark.line + 1, exc.problem_mark.column + 1
            return YamlRefusal(line, column, f"YAML nested more than {MAX_DEPTH} levels deep",
                               "a recipe, line or procedure is a few levels deep: check the file")  # fmt: skip
        return None  # a syntax error: the parser reports it with its location
    except yaml.YAMLError:
        return None
    return None


def join_path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def parent_path(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _mark(node: yaml.Node | yaml.Token) -> tuple[int, int]:
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

    Never raises for bad YAML: a syntax error, or a refusal by :func:`yaml_refusal`, comes back
    as a problem with its mark.
    """
    refusal = yaml_refusal(text)
    if refusal is not None:
        return YamlDocument(None, SourceMap(), (YamlProblem("syntax", "", refusal.line, refusal.column,
                                                            refusal.message),))  # fmt: skip
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
