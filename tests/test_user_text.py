"""User text: cleaned before matching, and echoed back so it can neither ping nor format."""

import pytest

from bot.matching import MAX_QUERY_CHARS
from bot.user_text import MAX_ECHO_CHARS, clean, echo


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("  rtx \t\n pro  ", "rtx pro"),
        ("hua\x00wei", "hua wei"),
        ("\u202ehuawei", "huawei"),
        ("h\u200b20", "h 20"),
        ("e" + "\u0301" * 50, "e\u0301\u0301"),
    ],
)
def test_clean_drops_control_characters_and_stacked_marks(typed: str, cleaned: str) -> None:
    assert clean(typed) == cleaned


def test_clean_caps_the_length() -> None:
    assert len(clean("word " * 10_000)) <= MAX_QUERY_CHARS


@pytest.mark.parametrize("hostile", ["@everyone", "<@123>", "**bold**", "`code`", "||x||"])
def test_echo_puts_user_text_in_one_closed_code_span(hostile: str) -> None:
    shown = echo(hostile)
    assert shown.startswith("`") and shown.endswith("`")
    assert shown.count("`") == 2


def test_echo_is_short_and_says_that_for_nothing() -> None:
    assert len(echo("x" * 500)) == MAX_ECHO_CHARS + 2
    assert echo("\x00 \t") == "that"
