"""Replies as embeds: short pages within Discord's limits, each fact once, nothing lost."""

from __future__ import annotations

import pytest

from bot.discordbot.embeds import (
    ANSWER_COLOUR,
    NOTICE_COLOUR,
    PAGE_CHARS,
    POINTS_PER_PAGE,
    render_pages,
)
from bot.engine.commands import COMMANDS, Engine
from bot.engine.reply import Citation, Echo, Mark, Point, Reply, Section, Status, Suggestion, point
from tests.discord_limits import assert_fits_discord

ARTICLE = "Jensen Huang Shares His Vision For NVIDIA, Also Deepening His Commitment"


def descriptions(reply: Reply) -> str:
    return "\n".join(page.embed.description or "" for page in render_pages(reply))


def test_an_answer_is_one_embed_citing_inline_with_a_footer_that_explains_the_marks() -> None:
    reply = Reply(
        Status.ANSWERED,
        "H20",
        (point("The H20 is a chip.", paragraphs=(4,)),),
        citations=(Citation("seeds/a.txt", 4, "the H20"),),
        article_title=ARTICLE,
        label="Product",
    )
    [page] = render_pages(reply)
    embed = page.embed
    assert (embed.title, embed.author.name, embed.colour) == ("H20", "Product", ANSWER_COLOUR)
    assert embed.description == "The H20 is a chip.\u00a0¶4"
    assert (
        embed.footer.text
        == "Jensen Huang Shares His Vision For NVIDIA… · ¶N = paragraph N of the article"
    )
    assert "seeds/" not in str(embed.to_dict())  # no file path a Discord user cannot open
    assert "the H20" not in embed.description  # the excerpt is one step away, not repeated


def test_the_footer_does_not_repeat_a_title_that_names_the_article() -> None:
    reply = Reply(Status.ANSWERED, ARTICLE, (point("x", paragraphs=(2,)),), article_title=ARTICLE)
    assert render_pages(reply)[0].embed.footer.text == "¶N = paragraph N of the article"


def test_not_found_uses_the_notice_colour() -> None:
    [page] = render_pages(Reply(Status.NOT_FOUND, "Not in the article", (point("No."),)))
    assert page.embed.colour == NOTICE_COLOUR


def test_users_words_and_article_text_cannot_become_markup() -> None:
    reply = Reply(
        Status.NOT_FOUND,
        "Not in the article",
        (point("No *such* ", Echo("`@everyone` **x**"), " — try ", Suggestion("list"), "."),),
    )
    text = render_pages(reply)[0].embed.description
    assert text == r"No \*such\* `ˋ@everyoneˋ **x**` — try `!list`."


def test_next_steps_close_the_last_page_unless_buttons_carry_them() -> None:
    reply = Reply(
        Status.ANSWERED,
        "H20",
        (point("A chip."),),
        suggestions=(Suggestion("quote", "H20"),),
        related=(Suggestion("product", "Hopper"),),
    )
    assert descriptions(reply).endswith("**Related:** Hopper\n**Next:** `!quote H20`")
    without = render_pages(reply, next_steps=False)[0].embed.description
    assert "Related" not in without and "Next" not in without


def test_long_collections_are_paged_without_losing_or_repeating_a_point() -> None:
    points = tuple(point(f"statement {i} " + "x" * 90, paragraphs=(i,)) for i in range(30))
    reply = Reply(Status.ANSWERED, "Every statement", sections=(Section("Reported", points),))
    pages = render_pages(reply)
    assert len(pages) > 1
    assert [(p.number, p.count) for p in pages] == [
        (n, len(pages)) for n in range(1, 1 + len(pages))
    ]
    for page in pages:
        assert len(page.embed.description) <= PAGE_CHARS
        assert page.embed.description.count("- statement") <= POINTS_PER_PAGE
        assert f"Page {page.number} of {len(pages)}" in page.embed.footer.text
    text = descriptions(reply)
    assert [text.count(f"statement {i} ") for i in range(30)] == [1] * 30
    assert pages[1].embed.description.startswith("**Reported** (continued)")
    assert_fits_discord(reply)


def test_a_digest_stays_whole() -> None:
    points = tuple(point(f"point {i} " + "x" * 150) for i in range(11))
    reply = Reply(Status.ANSWERED, "Brief", sections=(Section("", points),), whole=True)
    assert len(render_pages(reply)) == 1


@pytest.mark.parametrize("size", [5000, 30_000])
def test_a_huge_point_is_cut_and_still_fits(size: int) -> None:
    reply = Reply(Status.ANSWERED, "T" * 300, (point("w " * size),))
    assert_fits_discord(reply)


def test_every_engine_command_reply_fits(engine: Engine) -> None:
    for command in COMMANDS:
        assert_fits_discord(engine.run(command.name, command.example))
    assert_fits_discord(engine.run("list", "quotes"))


def test_search_marks_are_bold_and_escaped() -> None:
    from bot.discordbot.embeds import render_inline
    from bot.engine.reply import Mark

    assert render_inline(("uses ", Mark("ray tracing"), ".")) == "uses **ray tracing**."
    assert render_inline((Mark("a*b"),)) == "**a\\*b**"  # the article's text stays text


def test_a_long_point_is_cut_before_its_marks_so_none_is_left_open() -> None:
    long = ("x " * 345, Mark("ray tracing"), " and more", Echo("typed"))  # the cut: in the mark
    reply = Reply(Status.ANSWERED, "Search results", (Point(long),))
    text = render_pages(reply)[0].embed.description or ""
    assert text.endswith("**ray traci**…")  # cut inside the mark, and the mark closed
    assert text.count("**") % 2 == 0 and text.count("`") % 2 == 0
