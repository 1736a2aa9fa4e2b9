"""User text: cleaned before matching, and echoed back so it can neither ping nor format."""

import pytest

from bot.engine.matching import MAX_QUERY_CHARS
from bot.engine.reply import Echo
from bot.engine.user_text import MAX_ECHO_CHARS, clean, echo


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
def test_echo_marks_user_text_as_the_users_so_no_front_end_renders_it(hostile: str) -> None:
    shown = echo(hostile)
    assert shown == Echo(clean(hostile))


def test_echo_is_short_and_says_that_for_nothing() -> None:
    shown = echo("x" * 500)
    assert isinstance(shown, Echo) and len(shown.text) == MAX_ECHO_CHARS
    assert shown.text.endswith("…")
    assert echo("\x00 \t") == "that"
