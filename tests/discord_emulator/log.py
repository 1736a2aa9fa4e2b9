"""Append-only logs of what the client sent, with awaitable look-ups for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

REDACTED = "[redacted]"


@dataclass
class RecordedRequest:
    """One HTTP request the client made, and what the emulator answered."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    time: float
    route: str | None = None
    status: int | None = None
    response: Any = None
    schema_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for failure messages: method, path, query and status."""
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        return f"{self.method} {self.path}{'?' + query if query else ''} -> {self.status}"


@dataclass
class GatewayFrame:
    """One payload the client sent over the gateway websocket (tokens redacted)."""

    connection: int
    op: int
    data: Any
    time: float

    def summary(self) -> str:
        """One line for failure messages."""
        return f"conn#{self.connection} op={self.op} d={str(self.data)[:80]}"


class EventLog(Generic[T]):
    """A list of records that tests can wait on; waiting also sees earlier records."""

    def __init__(self, describe: Callable[[T], str]) -> None:
        self.items: list[T] = []
        self._describe = describe
        self._changed = asyncio.Condition()

    async def append(self, item: T) -> None:
        """Record an item and wake every waiter."""
        async with self._changed:
            self.items.append(item)
            self._changed.notify_all()

    def find(self, predicate: Callable[[T], bool]) -> T | None:
        """The first recorded item matching the predicate, if any."""
        return next((item for item in self.items if predicate(item)), None)

    async def wait_for(self, predicate: Callable[[T], bool], timeout: float, what: str) -> T:
        """Return the first matching item, waiting up to `timeout` seconds for it to arrive."""
        try:
            async with self._changed:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.find(predicate)), timeout
                )
        except TimeoutError:
            raise TimeoutError(self._timeout_message(what, timeout)) from None
        found = self.find(predicate)
        assert found is not None
        return found

    def _timeout_message(self, what: str, timeout: float) -> str:
        lines = [self._describe(item) for item in self.items[-40:]]
        listing = "\n  ".join(lines) if lines else "(nothing)"
        return f"no {what} matched within {timeout:.1f}s; recorded so far:\n  {listing}"
