"""Snowflake ids shaped like Discord's (timestamp << 22 | counter)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1_420_070_400_000


def snowflake_at(unix_ms: int, increment: int = 0) -> str:
    """Return the snowflake string for a Unix time in milliseconds and a per-ms counter."""
    return str(((unix_ms - DISCORD_EPOCH_MS) << 22) | (increment & 0xFFF))


@dataclass
class SnowflakeFactory:
    """Hands out unique, strictly increasing snowflakes stamped with the current time."""

    _last: int = 0

    def next(self) -> str:
        """Return a fresh snowflake; discord.py derives created_at from it, so use real time."""
        candidate = int(snowflake_at(int(time.time() * 1000)))
        # Several ids in the same millisecond must still be unique and ordered.
        self._last = max(candidate, self._last + 1)
        return str(self._last)


def iso_timestamp(unix_seconds: float | None = None) -> str:
    """Format a time the way Discord does in message timestamps (ISO 8601, UTC offset)."""
    moment = datetime.fromtimestamp(time.time() if unix_seconds is None else unix_seconds, UTC)
    return moment.isoformat(timespec="microseconds")
