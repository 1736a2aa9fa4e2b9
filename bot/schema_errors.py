"""Checking a knowledge file against its JSON Schema, in sentences an admin can act on.

The schema (bot/knowledge.schema.json) is the one editors validate against while an admin
types; this module turns each of its complaints into the field concerned and what to fix.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from bot.yaml_source import Path_

SCHEMA_FILE = Path(__file__).resolve().parent / "knowledge.schema.json"


def schema_problems(data: Any) -> list[tuple[Path_, str]]:
    """Every schema violation in a document: the field's path and a sentence saying what to fix."""
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
