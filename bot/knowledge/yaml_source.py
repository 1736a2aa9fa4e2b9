"""Reading a knowledge file as YAML safely, remembering the line of every field.

Only plain data is built (PyYAML's safe constructors): no tag can construct a Python object.
Aliases are refused outright, which also rules out "billion laughs" expansion, and nesting is
capped, so a hostile file costs no more to read than its size.

Files are read with libyaml (PyYAML's C parser) when it is installed: most of the cost of a
load was PyYAML's pure-Python parser. The C parser composes the same nodes, with the same line
marks, but cannot refuse aliases or deep nesting while it composes; so its nodes are checked
as they are walked, and any file it fails on or we refuse is read again with the pure-Python
loader, which gives every error exactly as before. Errors are rare; their cost does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_DEPTH = 32
_TEXT_TAG = "tag:yaml.org,2002:str"

Path_ = tuple[str | int, ...]


class YamlFileError(ValueError):
    """A file is not a readable knowledge document; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class YamlDocument:
    """Plain data and the line each field path starts on."""

    data: Any
    lines: dict[Path_, int]

    def line_of(self, path: Path_) -> int | None:
        """The line of a field, or of its nearest parent that exists in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def field_name(self, path: Path_) -> str:
        """A field path as an admin reads it: `entries[3] (rtx-pro).aliases[1]`."""
        parts: list[str] = []
        node: Any = self.data
        for step in path:
            if isinstance(step, int):
                label = f"[{step}]"
                node = node[step] if isinstance(node, list) and step < len(node) else None
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" ({node['id']})"
                parts.append(label)
            else:
                parts.append(f".{step}" if parts else step)
                node = node.get(step) if isinstance(node, dict) else None
        return "".join(parts)


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlFileError(
                "YAML aliases (*name) are not allowed; write the value out", _line(mark)
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlFileError(f"nesting is deeper than {MAX_DEPTH} levels", _line(mark))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _RefusedError(Exception):
    """The fast path found something to refuse; the careful path says what, with its line."""


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document into plain data; raise YamlFileError with a line on any fault."""
    if _CLoader is not None:
        try:
            return _parse_with_libyaml(text)
        except _RefusedError:
            pass
    return _parse_carefully(text)


_CLoader: type | None = getattr(yaml, "CSafeLoader", None)


def _parse_with_libyaml(text: str) -> YamlDocument:
    """The C parser's nodes, walked once for lines, duplicate keys, aliases and depth."""
    assert _CLoader is not None
    loader = _CLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            raise _RefusedError from None
        if node is None:
            raise _RefusedError
        lines: dict[Path_, int] = {}
        _walk_fast(node, (), lines, set(), 1)
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError:
            raise _RefusedError from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _walk_fast(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], seen: set[int], depth: int
) -> None:
    """_record_lines without messages: refuse (for the careful path) anything it would refuse.

    An alias composes to the very node its anchor named, so a node met twice is an alias.
    """
    if depth > MAX_DEPTH or id(node) in seen:
        raise _RefusedError
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TEXT_TAG:
                raise _RefusedError
            key = key_node.value
            if key in keys or id(key_node) in seen:
                raise _RefusedError
            keys.add(key)
            seen.add(id(key_node))
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk_fast(value_node, (*path, key), lines, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_fast(item, (*path, index), lines, seen, depth + 1)


def _parse_carefully(text: str) -> YamlDocument:
    """The pure-Python loader, refusing aliases and deep nesting as it composes."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlFileError("the file is empty; it needs article, entries and statements", 1)
        lines: dict[Path_, int] = {}
        _record_lines(node, (), lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        raise YamlFileError(f"YAML syntax: {problem}", _line(mark)) from None
    except yaml.YAMLError as error:
        raise YamlFileError(f"YAML error: {error}") from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _record_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, _line(node.start_mark))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TEXT_TAG:
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "this key"
                raise YamlFileError(
                    f"'{shown}' is not a field name; field names are words such as 'summary'",
                    _line(key_node.start_mark),
                )
            key = key_node.value
            if key in seen:
                raise YamlFileError(
                    f"the key '{key}' appears twice here", _line(key_node.start_mark)
                )
            seen.add(key)
            lines[(*path, key)] = _line(key_node.start_mark)
            _record_lines(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def _line(mark: yaml.Mark | None) -> int | None:
    return mark.line + 1 if mark is not None else None
