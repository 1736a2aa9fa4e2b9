"""Per-user rate limiting, so one user cannot flood a channel. Knows nothing of Discord."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

PRUNE_EVERY = 256  # forget idle users now and then, so memory stays flat under a burst


@dataclass
class _Window:
    started: float
    used: int = 0
    noticed: bool = False


@dataclass(frozen=True)
class Verdict:
    """Whether a command may run; when not, how long to wait and whether to say so."""

    allowed: bool
    retry_after: float = 0.0
    notify: bool = False  # only the first refusal in a window is worth a notice


@dataclass
class UserCooldown:
    """At most `rate` commands per user in any window of `per` seconds."""

    rate: int
    per: float
    clock: Callable[[], float] = time.monotonic
    _windows: dict[int, _Window] = field(default_factory=dict)
    _hits: int = 0

    def hit(self, user_id: int) -> Verdict:
        """Count one command by a user and say whether it may run."""
        now = self.clock()
        self._prune(now)
        window = self._windows.get(user_id)
        if window is None or now - window.started >= self.per:
            window = self._windows[user_id] = _Window(now)
        if window.used < self.rate:
            window.used += 1
            return Verdict(True)
        notify = not window.noticed
        window.noticed = True
        return Verdict(False, self.per - (now - window.started), notify)

    def __len__(self) -> int:
        return len(self._windows)

    def _prune(self, now: float) -> None:
        self._hits += 1
        if self._hits % PRUNE_EVERY:
            return
        stale = [user for user, window in self._windows.items() if now - window.started >= self.per]
        for user in stale:
            del self._windows[user]
