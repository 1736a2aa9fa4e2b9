"""Replies as embeds: every page fits Discord's limits, and nothing of the reply is lost."""

import pytest

from bot.discordbot.embeds import (
    ANSWER_COLOUR,
    NOTICE_COLOUR,
    render_pages,
)
from bot.engine import COMMANDS
from bot.reply import Citation, Field, Reply, Status
from tests.discord_limits import assert_fits_discord


def all_text(reply: Reply) -> str:
    parts = []
    for page in render_pages(reply):
        for embed in page.embeds:
            parts.append(embed.description or "")
            parts.extend(field.value for field in embed.fields)
    return "\n".join(parts)


def test_short_answer_is_one_embed_with_citation_and_footer() -> None:
    reply = Reply(
        Status.ANSWERED,
        "H20 · product",
        "The H20 is a chip.",
        (Field("Figure", "about 50%"),),
        (Citation("seeds/a.txt", 4, "the H20"),),
        article_title="Jensen Huang Shares His Vision",
    )
    [page] = render_pages(reply)
    [embed] = page.embeds
    assert embed.title == "H20 · product"
    assert embed.description == "The H20 is a chip."
    assert embed.colour == ANSWER_COLOUR
    assert [f.name for f in embed.fields] == ["Figure", "From the article"]
    assert "¶4" in embed.fields[1].value
    assert "Jensen Huang Shares His Vision" in embed.footer.text
    assert "seeds/a.txt" in embed.footer.text


def test_not_found_uses_the_notice_colour() -> None:
    [page] = render_pages(Reply(Status.NOT_FOUND, "Not in the article", "No."))
    assert page.embeds[0].colour == NOTICE_COLOUR


@pytest.mark.parametrize("body_size", [4095, 4097, 9000, 30_000])
def test_long_bodies_are_split_without_losing_text(body_size: int) -> None:
    words = [f"w{i}" for i in range(body_size // 6)]
    body = " ".join(words)
    reply = Reply(Status.ANSWERED, "T" * 300, body)
    assert_fits_discord(reply)
    assert all_text(reply).split() == words


def test_many_and_long_fields_are_split_and_paged() -> None:
    fields = tuple(Field(f"Field {i}", "x " * 700) for i in range(40))
    reply = Reply(Status.ANSWERED, "Many fields", "body", fields)
    pages = render_pages(reply)
    assert len(pages) > 1
    assert_fits_discord(reply)
    assert all_text(reply).count("x") == 40 * 700


def test_every_engine_command_reply_fits(engine) -> None:
    for command in COMMANDS:
        argument = command.example.partition(" ")[2]
        assert_fits_discord(engine.run(command.name, argument))
    assert_fits_discord(engine.run("list", "quotes"))
