"""User text, made safe to match on and to show back."""

from __future__ import annotations

import unicodedata

from bot.engine.matching import MAX_QUERY_CHARS
from bot.engine.reply import Echo, Segment

MAX_ECHO_CHARS = 60
MAX_COMBINING_RUN = 2


def clean(text: str) -> str:
    """Drop control and formatting characters, fold whitespace and cap the length."""
    kept = "".join(
        char if unicodedata.category(char)[0] != "C" else " "
        for char in text[: MAX_QUERY_CHARS * 4]
    )
    # Combining marks stacked on one letter ("zalgo") only cost time; keep a couple per letter.
    result, run = [], 0
    for char in kept:
        run = run + 1 if unicodedata.combining(char) else 0
        if run <= MAX_COMBINING_RUN:
            result.append(char)
    return " ".join("".join(result).split())[:MAX_QUERY_CHARS]


def echo(text: str) -> Segment:
    """User text to show back: short and clean, marked as the user's so no front end renders
    it as markup or lets it ping anyone."""
    text = clean(text)
    if len(text) > MAX_ECHO_CHARS:
        text = text[: MAX_ECHO_CHARS - 1] + "…"
    return Echo(text) if text else "that"
