"""Validate request and response bodies against Discord's own OpenAPI 3.1 description.

The spec lives outside the repository (../shared/discord-openapi/openapi.json beside the
repo root); it is read in place, never copied. Without it, validation is disabled and
`disabled_reason` says why, so tests can skip or warn visibly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:discord-openapi"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC_PATH = REPO_ROOT.parent / "shared" / "discord-openapi" / "openapi.json"
MAX_ERRORS_PER_BODY = 10
_WEAK_KEYWORDS = ("type", "enum", "const", "required", "additionalProperties")


def _compile_template(template: str) -> re.Pattern[str]:
    parts = [r"[^/]+" if p.startswith("{") else re.escape(p) for p in template.split("/")]
    return re.compile("/".join(parts))


def _absolute_refs(schema: Any) -> Any:
    """Copy a schema fragment, pointing its local `#/...` refs at the registered spec."""
    if isinstance(schema, dict):
        return {
            k: (SPEC_URI + v if k == "$ref" and v.startswith("#") else _absolute_refs(v))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_absolute_refs(v) for v in schema]
    return schema


def _accept_integer_snowflakes(spec: dict[str, Any]) -> None:
    """Let SnowflakeType also be a JSON integer, in memory only.

    The spec types snowflakes as digit strings, but Discord accepts integers too and
    discord.py sends some ids that way (recipient_id, message_reference.message_id).
    """
    schemas = spec.get("components", {}).get("schemas", {})
    if "SnowflakeType" in schemas:
        as_string = schemas["SnowflakeType"]
        schemas["SnowflakeType"] = {"anyOf": [as_string, {"type": "integer", "minimum": 0}]}


def _leaf(error: ValidationError) -> ValidationError:
    """Descend anyOf/oneOf failures to the branch error that says the most."""
    while error.context:
        # The deepest error is usually the real problem; a wrong-branch `type`/`enum`
        # mismatch at the same depth says less than, say, a maxLength.
        error = max(
            error.context,
            key=lambda e: (
                len(e.absolute_path),
                e.validator not in _WEAK_KEYWORDS,
                e.validator_value != "null",
            ),
        )
    return error


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _describe(error: ValidationError) -> str:
    leaf = _leaf(error)
    where = "/".join(str(p) for p in leaf.absolute_path) or "(body)"
    if leaf.validator in ("required", "additionalProperties", "dependentRequired"):
        # These messages name the property and stay short.
        return f"{where}: {leaf.message}"
    if leaf.validator in ("maxLength", "minLength") and isinstance(leaf.instance, str):
        got = f"length {len(leaf.instance)}"
    elif leaf.validator in ("maxItems", "minItems") and isinstance(leaf.instance, list):
        got = f"{len(leaf.instance)} items"
    else:
        got = _short(leaf.instance)
    return f"{where}: {leaf.validator} {_short(leaf.validator_value)} failed (got {got})"


@dataclass
class Operation:
    """One (template, method) operation of the spec."""

    template: str
    pattern: re.Pattern[str]
    literal_segments: int
    methods: dict[str, dict[str, Any]]


@dataclass
class SpecValidator:
    """Looks up operations by concrete path and validates JSON bodies against them."""

    spec_path: Path
    disabled_reason: str | None = None
    _operations: list[Operation] = field(default_factory=list)
    _registry: Registry | None = None
    _validators: dict[tuple[str, ...], Draft202012Validator | None] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        """True when the spec was loaded and bodies are being validated."""
        return self.disabled_reason is None

    @classmethod
    def load(cls, spec_path: Path | None = None) -> SpecValidator:
        """Load the spec; a missing or unreadable file disables validation with a reason."""
        path = spec_path or DEFAULT_SPEC_PATH
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return cls(path, disabled_reason=f"OpenAPI spec not usable at {path}: {exc}")
        validator = cls(path)
        validator._index(spec)
        return validator

    def _index(self, spec: dict[str, Any]) -> None:
        _accept_integer_snowflakes(spec)
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(SPEC_URI, resource)
        for template, item in spec.get("paths", {}).items():
            literal = sum(1 for p in template.split("/") if p and not p.startswith("{"))
            methods = {m.upper(): op for m, op in item.items() if isinstance(op, dict)}
            self._operations.append(
                Operation(template, _compile_template(template), literal, methods)
            )
        # Prefer the most literal template: ".../messages/@original" over ".../messages/{id}".
        self._operations.sort(key=lambda op: -op.literal_segments)

    def match(self, method: str, path: str) -> str | None:
        """The spec's path template for a concrete API path and method, if it has one."""
        op = self._find(method, path)
        return op.template if op else None

    def _find(self, method: str, path: str) -> Operation | None:
        return next(
            (op for op in self._operations if op.pattern.fullmatch(path) and method in op.methods),
            None,
        )

    def validate_request(self, method: str, path: str, body: Any) -> list[str]:
        """Errors of a JSON request body against the operation's requestBody schema."""
        op = self._find(method, path) if self.enabled else None
        if op is None:
            return []
        content = op.methods[method].get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            return ["operation takes no JSON body"] if body is not None else []
        return self._errors(("req", op.template, method), schema, body)

    def validate_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Errors of a JSON response body against the operation's response schema."""
        op = self._find(method, path) if self.enabled else None
        if op is None or body is None:
            return []
        response = op.methods[method].get("responses", {}).get(str(status), {})
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        return self._errors(("resp", op.template, method, str(status)), schema, body)

    def _errors(self, key: tuple[str, ...], schema: dict[str, Any], body: Any) -> list[str]:
        if key not in self._validators:
            self._validators[key] = Draft202012Validator(
                _absolute_refs(schema), registry=self._registry
            )
        validator = self._validators[key]
        assert validator is not None
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        return [_describe(e) for e in errors[:MAX_ERRORS_PER_BODY]]
