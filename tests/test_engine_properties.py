"""Whatever a user types, the engine answers, fits Discord, and cannot ping or break formatting.

Property-based: hypothesis generates hundreds of chat lines per property, hostile ones included
(control characters, NUL, right-to-left overrides, combining-mark floods, emoji, mixed scripts,
Discord markup, huge lines).
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.console.render_text import render_text
from bot.discordbot.embeds import (
    render_pages,
)
from bot.engine.commands import COMMANDS, Engine
from bot.engine.matching import MAX_QUERY_CHARS, NameMatcher
from bot.engine.questions import CLOSEST
from bot.engine.reply import Echo, Reply
from bot.engine.user_text import MAX_ECHO_CHARS, clean
from tests.discord_limits import assert_fits_discord

CASES = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
COMMAND_WORDS = [command.name for command in COMMANDS] + ["summary", "PRODUCT", "qoute", "x"]
MARKUP = [
    "@everyone",
    "@here",
    "<@123>",
    "<@!123>",
    "<@&456>",
    "<#789>",
    "`",
    "```",
    "||spoiler||",
    "**bold**",
    "[link](https://example.com)",
    "https://example.com",
    "> quote",
    "\\",
    "*",
    "_",
]
HOSTILE = [
    "\x00",
    "\u202e",
    "\u202d",
    "\u200b",
    "\ufeff",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u0301" * 500,
    "🤖",
    "👩‍💻",
    "华为",
    "黄仁勋",
    "مرحبا",
    "Ω",
    "ｈ２０",
    "\U0010ffff",
]
PIECES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(MARKUP),
    st.sampled_from(HOSTILE),
    st.sampled_from(["huawei", "rtx pro", "H20", "jensen", "china", "export controls"]),
)
ARGUMENTS = st.lists(PIECES, max_size=8).map(" ".join)
CHAT_LINES = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda prefix, command, argument: f"{prefix}{command} {argument}",
        st.sampled_from(["!", "! ", " !", ""]),
        st.sampled_from(COMMAND_WORDS),
        ARGUMENTS,
    ),
    st.builds(
        lambda command, n: f"!{command} " + "huawei " * n,
        st.sampled_from(COMMAND_WORDS),
        st.integers(2_000, 3_000),
    ),
)
# Outside code spans, nothing may ping or link a user, role or channel.
_CODE_SPAN = re.compile(r"`[^`]*`")
_PINGS = re.compile(r"@everyone|@here|<@[!&]?\d+>|<#\d+>")


def discord_texts(reply: Reply) -> list[str]:
    """Everything the Discord front end shows of a reply, page by page (Discord Markdown)."""
    texts = []
    for page in render_pages(reply):
        for embed in page.embeds:
            texts += [embed.title or "", embed.description or "", embed.footer.text or ""]
            texts += [embed.author.name or ""]
    return texts


def assert_cannot_ping_or_break_out(reply: Reply) -> None:
    for text in discord_texts(reply):
        assert text.count("`") % 2 == 0 or "```" in text, text  # every code span is closed
        assert not _PINGS.search(_CODE_SPAN.sub("", text)), text
        assert "\x00" not in text and "\u202e" not in text
    console = render_text(reply)  # plain text: the user's words in quotation marks
    assert "\x00" not in console and "\u202e" not in console
    # The user's words reach the reply only as Echo segments, which every front end renders
    # inert; the plain text around them (the engine's and the article's) never pings.
    for point in (*reply.lead, *(p for s in reply.sections for p in s.points)):
        for segment in point.text:
            if isinstance(segment, Echo):
                assert len(segment.text) <= MAX_ECHO_CHARS
                assert all(unicodedata.category(c)[0] != "C" for c in segment.text)
            elif isinstance(segment, str):
                assert not _PINGS.search(segment), segment
    assert not _PINGS.search(reply.title), reply.title


def assert_refusals_name_nothing(engine: Engine, reply: Reply) -> None:
    if reply.ok:
        if reply.entry_id:
            assert reply.entry_id in engine.source.current.knowledge.entries
    else:
        assert reply.entry_id == "", reply.title
        assert reply.citations == ()
        # A refusal shows no ¶ mark, but for the closest passage, labelled as not an answer.
        shown = [p for s in reply.sections if s.title != CLOSEST for p in s.points]
        assert all(p.paragraphs == () for p in (*reply.lead, *shown)), reply.title


@CASES
@given(line=CHAT_LINES)
def test_any_chat_line_gets_a_reply_that_fits_and_cannot_ping(engine: Engine, line: str) -> None:
    reply = engine.handle(line)
    if reply is None:
        said = clean(line)  # control characters are dropped first: "!\x08" is a bare "!"
        assert not said.startswith("!") or not said[1:].split()
        return
    assert reply.title
    assert_fits_discord(reply)
    assert_cannot_ping_or_break_out(reply)
    assert_refusals_name_nothing(engine, reply)


@CASES
@given(command=st.sampled_from([c.name for c in COMMANDS]), argument=ARGUMENTS)
def test_any_argument_to_any_command_is_answered_safely(
    engine: Engine, command: str, argument: str
) -> None:
    reply = engine.run(command, argument)
    assert_fits_discord(reply)
    assert_cannot_ping_or_break_out(reply)
    assert_refusals_name_nothing(engine, reply)


@CASES
@given(typed=st.text(max_size=200), command=st.sampled_from([c.name for c in COMMANDS]))
def test_autocomplete_never_fails_and_stays_within_discord_limits(
    engine: Engine, typed: str, command: str
) -> None:
    names = engine.complete(command, typed)
    assert len(names) <= 25
    assert all(1 <= len(name) <= 100 for name in names)


def test_a_huge_argument_is_cut_before_it_reaches_the_matcher(engine: Engine, monkeypatch) -> None:
    seen: list[int] = []
    rank = NameMatcher.rank

    def measuring(self: NameMatcher, query: str, keys=None):  # type: ignore[no-untyped-def]
        seen.append(len(query))
        return rank(self, query, keys)

    monkeypatch.setattr(NameMatcher, "rank", measuring)
    huge = engine.run("company", "huawei " + "x" * 20_000)
    assert seen and max(seen) <= MAX_QUERY_CHARS
    normal = engine.run("company", ("huawei " + "x" * 20_000)[:MAX_QUERY_CHARS])
    assert huge == normal
