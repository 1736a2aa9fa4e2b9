"""Checking a knowledge file against its JSON Schema, in sentences an admin can act on.

The schema (bot/knowledge/knowledge.schema.json) is the one editors validate against while an admin
types; this module turns each of its complaints into the field concerned and what to fix.

Most files are valid, and jsonschema spent most of a load's time saying so (it walks every
keyword of every value through several layers of Python). So the schema is also compiled,
once, into plain Python checks that only answer "valid or not"; jsonschema runs only on a
file they reject, to find every error with its path exactly as before. The compiled checks
cover the keywords the schema uses and refuse to compile a schema that uses any other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from bot.knowledge.yaml_source import Path_

SCHEMA_FILE = Path(__file__).resolve().parent / "knowledge.schema.json"


def schema_problems(data: Any) -> list[tuple[Path_, str]]:
    """Every schema violation in a document: the field's path and a sentence saying what to fix."""
    if _conforms()(data):
        return []
    errors = sorted(
        _validator().iter_errors(data), key=lambda e: [_order(s) for s in e.absolute_path]
    )
    return [_explain(error) for error in errors]


def _order(step: str | int) -> tuple[int, str | int]:
    """Sort list positions by number (entries[2] before entries[10]), before field names."""
    return (0, step) if isinstance(step, int) else (1, step)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


@cache
def _conforms() -> Callable[[Any], bool]:
    """The schema as one Python predicate: true exactly when jsonschema finds no error."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return _Compiler(schema).compile(schema)


Check = Callable[[Any], bool]
# Words that describe a schema without constraining values.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description"})
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
}


def _same(value: Any, expected: Any) -> bool:
    """JSON equality for enum and const: true is not 1, and "1" is not 1."""
    if _TYPES["number"](value) and _TYPES["number"](expected):
        return bool(value == expected)
    return type(value) is type(expected) and bool(value == expected)


class _Compiler:
    """Compiles the keywords this schema uses (JSON Schema 2020-12 meanings) into closures."""

    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Check] = {}

    def compile(self, schema: dict[str, Any]) -> Check:
        checks = [
            self._keyword(keyword, value, schema)
            for keyword, value in schema.items()
            if keyword not in _ANNOTATIONS and keyword not in ("then", "else")
        ]
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def _ref(self, ref: str) -> Check:
        if not ref.startswith("#/"):
            raise ValueError(f"the fast schema check cannot follow the reference {ref!r}")
        if ref not in self._refs:
            target: Any = self._root
            for step in ref[2:].split("/"):
                target = target[step]
            self._refs[ref] = lambda value: compiled(value)  # until compiled, for cycles
            compiled = self.compile(target)
            self._refs[ref] = compiled
        return self._refs[ref]

    def _keyword(self, keyword: str, value: Any, schema: dict[str, Any]) -> Check:
        if keyword == "$ref":
            return self._ref(value)
        if keyword == "type":
            kinds = [_TYPES[name] for name in ([value] if isinstance(value, str) else value)]
            return lambda v: any(kind(v) for kind in kinds)
        if keyword == "properties":
            fields = [(name, self.compile(sub)) for name, sub in value.items()]
            return lambda v: (
                not isinstance(v, dict)
                or all(check(v[name]) for name, check in fields if name in v)
            )
        if keyword == "additionalProperties" and value is False:
            allowed = frozenset(schema.get("properties", {}))
            return lambda v: not isinstance(v, dict) or allowed.issuperset(v)
        if keyword == "required":
            names = tuple(value)
            return lambda v: not isinstance(v, dict) or all(name in v for name in names)
        if keyword == "items":
            item = self.compile(value)
            return lambda v: not isinstance(v, list) or all(item(x) for x in v)
        if keyword == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= value
        if keyword == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= value
        if keyword == "maxLength":
            return lambda v: not isinstance(v, str) or len(v) <= value
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda v: not isinstance(v, str) or search(v) is not None
        if keyword == "enum":
            options = tuple(value)
            return lambda v: any(_same(v, option) for option in options)
        if keyword == "const":
            return lambda v: _same(v, value)
        if keyword == "not":
            negated = self.compile(value)
            return lambda v: not negated(v)
        if keyword in ("allOf", "anyOf", "oneOf"):
            parts = [self.compile(part) for part in value]
            if keyword == "allOf":
                return lambda v: all(part(v) for part in parts)
            if keyword == "anyOf":
                return lambda v: any(part(v) for part in parts)
            return lambda v: sum(1 for part in parts if part(v)) == 1
        if keyword == "if":
            condition = self.compile(value)
            then = self.compile(schema.get("then", {}))
            otherwise = self.compile(schema.get("else", {}))
            return lambda v: then(v) if condition(v) else otherwise(v)
        raise ValueError(f"the fast schema check has no rule for {keyword!r}; add one")


def _explain(error: ValidationError) -> tuple[Path_, str]:
    """Turn a JSON Schema error into the field it concerns and a sentence saying what to fix."""
    path: Path_ = tuple(error.absolute_path)
    validator, value = error.validator, error.validator_value
    if validator == "required":
        missing = [
            name
            for name in value
            if isinstance(error.instance, dict) and name not in error.instance
        ]
        # One error per missing field: name the one this error is about.
        name = next(
            (n for n in missing if repr(n) in error.message), missing[0] if missing else "a field"
        )
        return (*path, name), f"is missing; add '{name}'"
    if validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        allowed = ", ".join(error.schema.get("properties", {}))
        return (
            (*path, extra[0]) if extra else path,
            f"is not a known field (allowed: {allowed}); remove it or fix its spelling",
        )
    if validator == "type":
        quote_it = value == "string" and not isinstance(error.instance, list | dict)
        return (
            path,
            f"must be {_type_phrase(value)}, not {_type_phrase(_json_type(error.instance))}"
            + ("; put it in quotes" if quote_it else ""),
        )
    if validator in ("enum", "const"):
        options = value if validator == "enum" else [value]
        return path, f"must be one of: {', '.join(map(str, options))}"
    if validator in ("minItems", "minLength"):
        return path, "must not be empty"
    if validator == "maxLength":
        return path, f"is longer than {value} characters; shorten it"
    if validator == "pattern" and value.endswith("--$"):
        return path, "must be ticker debris such as 'NVDA--': capital letters, then two dashes"
    if validator == "pattern" and value == "\\S":
        return path, "must not be blank"
    if validator == "pattern" and value.startswith("^https?"):
        return path, "must be a web address starting with https:// or http://"
    if validator == "pattern" and value.startswith("^[0-9]{4}"):
        return path, "must be a date as YYYY-MM-DD in quotes, such as '2025-07-20'"
    if validator == "pattern":
        return (
            path,
            "must be a lowercase id of letters, digits and single hyphens, such as 'rtx-pro'",
        )
    if validator == "not":
        return (*path, "value"), "is only for figures; remove it or set kind: figure"
    return path, error.message


def _type_phrase(name: Any) -> str:
    phrases = {
        "date": "a date",
        "string": "text",
        "array": "a list",
        "object": "a mapping of fields",
        "boolean": "true or false",
        "null": "empty",
        "integer": "a number",
        "number": "a number",
    }
    if isinstance(name, list):
        return " or ".join(phrases.get(n, n) for n in name)
    return phrases.get(name, str(name))


def _json_type(instance: Any) -> str:
    if isinstance(instance, date):
        return "date"  # YAML reads 2025-07-20 as a date unless it is quoted
    for name, kinds in (
        ("boolean", bool),
        ("string", str),
        ("array", list),
        ("object", dict),
        ("null", type(None)),
    ):
        if isinstance(instance, kinds):
            return name
    return "number"
