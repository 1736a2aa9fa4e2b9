"""Discord's message limits, asserted over a rendered reply (shared by several test files)."""

from bot.discordbot.embeds import DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT, TITLE_LIMIT, render_pages
from bot.engine.reply import Reply


def assert_fits_discord(reply: Reply) -> None:
    """Every page of the reply is a message Discord accepts."""
    for page in render_pages(reply):
        embed = page.embed
        assert len(embed) <= EMBED_TOTAL_LIMIT
        assert len(embed.title or "") <= TITLE_LIMIT
        assert len(embed.description or "") <= DESCRIPTION_LIMIT
