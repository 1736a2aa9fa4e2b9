"""Answers of emulated endpoints, including Discord's JSON error bodies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reply:
    """A handler's answer; a None body means an empty response (204)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> Reply:
    """Discord's JSON error body: message, numeric code and, for form errors, `errors`."""
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return Reply(status, body)


def field_error(code: str, message: str) -> dict[str, Any]:
    """One entry of Discord's nested `errors` object for an invalid form field."""
    return {"_errors": [{"code": code, "message": message}]}
