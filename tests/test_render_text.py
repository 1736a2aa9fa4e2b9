"""render_text: a Reply as the console and `briefbot ask` print it, with no markup at all."""

from __future__ import annotations

import pytest

from bot.console.render_text import render_text
from bot.engine.commands import Engine
from bot.engine.reply import NO_BREAK, Citation, Echo, Reply, Section, Status, Suggestion, point

SOURCE = "seeds/article.txt"


def test_title_only() -> None:
    assert render_text(Reply(Status.ANSWERED, "Sources")) == "Sources"


def test_label_heads_the_title() -> None:
    assert render_text(Reply(Status.ANSWERED, "RTX Pro", label="Product")) == "Product: RTX Pro"


def test_lead_points_read_as_one_paragraph_with_their_marks() -> None:
    reply = Reply(
        Status.ANSWERED,
        "RTX Pro",
        (point("A GPU.", paragraphs=(3, 5)), point("Also a card.")),
    )
    assert render_text(reply).splitlines() == [
        "RTX Pro",
        "",
        f"A GPU.{NO_BREAK}¶3{NO_BREAK}¶5 Also a card.",
        "",
        "¶N = paragraph N of the article",
    ]


def test_sections_as_lists_numbers_and_names() -> None:
    reply = Reply(
        Status.ANSWERED,
        "T",
        sections=(
            Section("Key points", (point("one", paragraphs=(4,)), point("two")), numbered=True),
            Section("Reported", (point("said so", paragraphs=(13,), quoted=True),)),
            Section("Also called", (point("华为"), point("Huawei Technologies")), names=True),
        ),
    )
    assert render_text(reply).splitlines()[2:-2] == [
        "Key points:",
        f"1. one{NO_BREAK}¶4",
        "2. two",
        "",
        "Reported:",
        f"- “said so”{NO_BREAK}¶13",
        "",
        "Also called: 华为, Huawei Technologies",
    ]


def test_echoes_and_commands_are_plain_text() -> None:
    reply = Reply(
        Status.NOT_FOUND,
        "Not in the article",
        (point("No product called ", Echo("**x**"), ". ", Suggestion("list", "products"), "."),),
    )
    assert render_text(reply).splitlines()[-1] == "No product called “**x**”. !list products."


def test_next_steps_and_the_meaning_of_the_marks_close_an_answer() -> None:
    reply = Reply(
        Status.ANSWERED,
        "H20",
        (point("A chip.", paragraphs=(4,)),),
        citations=(Citation(SOURCE, 4, "the H20"),),
        suggestions=(Suggestion("quote", "H20"),),
        related=(Suggestion("product", "Hopper"),),
    )
    assert render_text(reply, "?").splitlines()[-3:] == [
        "Related: Hopper",
        "Next: ?quote H20",
        f"¶N = paragraph N of {SOURCE}",
    ]


def test_refusals_do_not_offer_next_steps() -> None:
    reply = Reply(Status.AMBIGUOUS, "Did you mean …?", suggestions=(Suggestion("who", "x"),))
    assert "Next:" not in render_text(reply)


@pytest.mark.parametrize("line", ["!list products", "!brief", "!quote huawei", "!help"])
def test_console_text_carries_no_discord_markup(engine: Engine, line: str) -> None:
    reply = engine.handle(line)
    assert reply is not None
    text = render_text(reply)
    assert "**" not in text and "`" not in text


def test_excerpts_are_not_repeated_under_an_answer(engine: Engine) -> None:
    reply = engine.handle("!quote huawei")
    assert reply is not None and reply.citations
    text = render_text(reply)
    for citation in reply.citations:
        assert text.count(citation.excerpt) == 1


def test_search_marks_are_plain_in_the_console_and_json() -> None:
    from bot.console.render_json import render_json
    from bot.engine.reply import Mark

    reply = Reply(Status.ANSWERED, "t", (point("uses ", Mark("ray tracing"), "."),))
    assert "uses ray tracing." in render_text(reply)
    assert render_json(reply, "!search x")["lead"][0]["text"] == "uses ray tracing."
