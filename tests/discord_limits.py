"""Discord's message limits, asserted over a rendered reply (shared by several test files)."""

from bot.discordbot.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    render_pages,
)
from bot.reply import Reply


def assert_fits_discord(reply: Reply) -> None:
    """Every page of the reply is a message Discord accepts."""
    for page in render_pages(reply):
        assert 1 <= len(page.embeds) <= EMBEDS_PER_MESSAGE
        assert sum(len(embed) for embed in page.embeds) <= EMBED_TOTAL_LIMIT
        for embed in page.embeds:
            assert len(embed.title or "") <= TITLE_LIMIT
            assert len(embed.description or "") <= DESCRIPTION_LIMIT
            assert len(embed.fields) <= FIELD_COUNT_LIMIT
            assert all(len(field.value) <= FIELD_VALUE_LIMIT for field in embed.fields)
