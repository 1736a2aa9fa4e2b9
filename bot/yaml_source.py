"""Reading a knowledge file as YAML safely, remembering the line of every field.

Only plain data is built (PyYAML's safe constructors): no tag can construct a Python object.
Aliases are refused outright, which also rules out "billion laughs" expansion, and nesting is
capped, so a hostile file costs no more to read than its size.
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


def parse_yaml(text: str) -> YamlDocument:
    """Parse one YAML document into plain data; raise YamlFileError with a line on any fault."""
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
