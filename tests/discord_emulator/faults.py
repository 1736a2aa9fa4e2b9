"""Injected REST failures: 429 rate limits and 5xx answers, each for a few requests."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class FaultRule:
    """Answer the next `remaining` requests matching method + path with `status`."""

    method: str
    path_pattern: re.Pattern[str]
    status: int
    remaining: int
    retry_after: float | None = None
    is_global: bool = False

    def take(self, method: str, path: str) -> bool:
        """Consume one use of the rule if it applies to this request."""
        if self.remaining <= 0 or method.upper() != self.method.upper():
            return False
        if not self.path_pattern.fullmatch(path):
            return False
        self.remaining -= 1
        return True


@dataclass
class FaultAnswer:
    """Status, JSON body and headers of an injected failure."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def rate_limit_answer(rule: FaultRule, bucket: str) -> FaultAnswer:
    """A 429 shaped like Discord's: JSON body plus the headers discord.py reads."""
    retry_after = 1.0 if rule.retry_after is None else rule.retry_after
    body = {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": rule.is_global,
    }
    headers = {
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": bucket,
        "X-RateLimit-Scope": "global" if rule.is_global else "user",
        # discord.py treats a 429 without a Via header as a Cloudflare ban and gives up.
        "Via": "1.1 google",
    }
    if rule.is_global:
        headers["X-RateLimit-Global"] = "true"
    return FaultAnswer(429, body, headers)


def fault_answer(rule: FaultRule, bucket: str) -> FaultAnswer:
    """The answer for a triggered rule: a 429 or a generic error with Discord's JSON body."""
    if rule.status == 429:
        return rate_limit_answer(rule, bucket)
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    message = f"{rule.status}: {reason.get(rule.status, 'Error')}"
    headers = {} if rule.retry_after is None else {"Retry-After": str(math.ceil(rule.retry_after))}
    return FaultAnswer(rule.status, {"message": message, "code": 0}, headers)
