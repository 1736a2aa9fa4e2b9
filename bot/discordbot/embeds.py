"""Rendering an engine reply as Discord embeds that always fit Discord's limits."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.reply import Reply

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_BUDGET = 400  # Discord allows 2,048; this keeps a full page plus footer under 6,000
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
# Stay under the total with room for the footer and titles of continuation embeds.
PAGE_BUDGET = 5500

ANSWER_COLOUR = discord.Colour(0x2B7A78)
NOTICE_COLOUR = discord.Colour(0x8A8D91)
MAX_CITATION_LINES = 8
MAX_EXCERPT_CHARS = 600  # longer excerpts are cut (with …) so one cannot fill a field alone


@dataclass(frozen=True)
class Page:
    """The embeds of one message."""

    embeds: tuple[discord.Embed, ...]


def render_pages(reply: Reply) -> list[Page]:
    """Embeds for a reply, split across as many messages as Discord's limits require."""
    colour = ANSWER_COLOUR if reply.ok else NOTICE_COLOUR
    title = _cut(reply.title, TITLE_LIMIT)
    embeds = [discord.Embed(title=title, colour=colour)]
    for chunk in _chunks(reply.body, DESCRIPTION_LIMIT):
        if embeds[-1].description:
            embeds.append(
                discord.Embed(title=_cut(f"{reply.title} (continued)", TITLE_LIMIT), colour=colour)
            )
        embeds[-1].description = chunk
    for name, value in _fields(reply):
        embed = embeds[-1]
        if (
            len(embed.fields) >= FIELD_COUNT_LIMIT
            or len(embed) + len(name) + len(value) > PAGE_BUDGET
        ):
            embed = discord.Embed(
                title=_cut(f"{reply.title} (continued)", TITLE_LIMIT), colour=colour
            )
            embeds.append(embed)
        embed.add_field(name=name, value=value, inline=False)
    footer = _footer(reply)
    if footer:
        embeds[-1].set_footer(text=footer)
    return _group(embeds)


def _fields(reply: Reply) -> list[tuple[str, str]]:
    fields = []
    for field in reply.fields:
        for index, chunk in enumerate(_chunks(field.value, FIELD_VALUE_LIMIT)):
            name = field.name if index == 0 else f"{field.name} (continued)"
            fields.append((_cut(name, FIELD_NAME_LIMIT), chunk))
    if reply.citations:
        lines = [
            f"¶{c.line}: “{_cut(c.excerpt, MAX_EXCERPT_CHARS)}”"
            for c in reply.citations[:MAX_CITATION_LINES]
        ]
        hidden = len(reply.citations) - MAX_CITATION_LINES
        if hidden > 0:
            lines.append(f"…and {hidden} more")
        for index, chunk in enumerate(_chunks("\n".join(lines), FIELD_VALUE_LIMIT)):
            fields.append(
                ("From the article" if index == 0 else "From the article (continued)", chunk)
            )
    return fields


def _footer(reply: Reply) -> str:
    if not reply.citations:
        return ""
    source = reply.citations[0].source
    title = f"{reply.article_title} · " if reply.article_title else ""
    return _cut(f"Source: {title}¶ = line of {source}", FOOTER_BUDGET)


def _group(embeds: list[discord.Embed]) -> list[Page]:
    pages: list[list[discord.Embed]] = [[]]
    total = 0
    for embed in embeds:
        size = len(embed)
        if pages[-1] and (len(pages[-1]) >= EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_LIMIT):
            pages.append([])
            total = 0
        pages[-1].append(embed)
        total += size
    return [Page(tuple(page)) for page in pages]


def _chunks(text: str, limit: int) -> list[str]:
    """Split text at line breaks (or, failing that, spaces) into pieces of at most `limit`."""
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut <= limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    chunks.append(text)
    return chunks


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
