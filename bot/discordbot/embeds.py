"""Rendering an engine reply as Discord embeds: short pages, each fact once, cited inline.

A page is one embed that reads on a phone without scrolling far: the answer's lead, then as
many points as fit the page budget. Longer replies (every statement, every topic) become
several pages; the Discord layer decides how a reader moves between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import discord

from bot.engine.reply import (
    NO_BREAK,
    PARAGRAPH_MEANING,
    Echo,
    Mark,
    Point,
    Reply,
    Section,
    Segment,
    Suggestion,
    Text,
    marks,
)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE_LIMIT = 256
AUTHOR_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

# What reads as one screen at a phone's width (about 400 px, 45 characters a line); a digest
# (`Reply.whole`) takes longer, but is still never split.
PAGE_CHARS = 1000
POINTS_PER_PAGE = 8
WHOLE_PAGE_CHARS = 3500
MAX_POINT_CHARS = 700  # one point is cut (with …) before it can fill a page alone
NAMES_SEPARATOR = " · "
FOOTER_TITLE_CHARS = 48  # the article's headline in a footer: one line on a phone

ANSWER_COLOUR = discord.Colour(0x2B7A78)
NOTICE_COLOUR = discord.Colour(0x8A8D91)


@dataclass(frozen=True)
class CommandStyle:
    """How a reply writes the commands it names: typed with the prefix (`!quote Huawei`), or,
    in a slash command's reply once their ids are known, as clickable mentions."""

    prefix: str = "!"
    mentions: Mapping[str, int] = field(default_factory=dict)

    def write(self, suggestion: Suggestion) -> str:
        """One command, as Markdown."""
        command_id = self.mentions.get(suggestion.command)
        if command_id is None:
            return _code(suggestion.typed(self.prefix))
        mention = f"</{suggestion.command}:{command_id}>"
        return f"{mention} {_code(suggestion.argument)}" if suggestion.argument else mention


TYPED = CommandStyle()


@dataclass(frozen=True)
class Page:
    """One message of a reply: its embed, and where it stands among the reply's pages."""

    embed: discord.Embed
    number: int
    count: int

    @property
    def embeds(self) -> tuple[discord.Embed, ...]:
        """The embeds to send (always one)."""
        return (self.embed,)


def render_pages(reply: Reply, style: CommandStyle = TYPED, next_steps: bool = True) -> list[Page]:
    """The reply as one or more pages. `next_steps=False` leaves out the related entries and
    suggested commands, for a front end that offers them as buttons instead."""
    budget = (WHOLE_PAGE_CHARS, 1000) if reply.whole else (PAGE_CHARS, POINTS_PER_PAGE)
    texts = _paginate(_blocks(reply, style), *budget)
    if next_steps:
        # The next steps close the last page whatever its length: they are the way on.
        texts[-1] = "\n\n".join(filter(None, (texts[-1], *_next_steps(reply, style))))
    pages = []
    for number, text in enumerate(texts, 1):
        embed = discord.Embed(
            # Titles render Markdown too, and some carry the user's words.
            title=_cut(discord.utils.escape_markdown(reply.title), TITLE_LIMIT),
            description=text or None,
            colour=ANSWER_COLOUR if reply.ok else NOTICE_COLOUR,
            url=reply.article_url or None,  # the title links to the one article it is about
        )
        if reply.label:
            embed.set_author(name=_cut(reply.label, AUTHOR_LIMIT))
        footer = _footer(reply, number, len(texts))
        if footer:
            embed.set_footer(text=_cut(footer, FOOTER_LIMIT))
        pages.append(Page(embed, number, len(texts)))
    return pages


def render_inline(text: Text, style: CommandStyle = TYPED) -> str:
    """Segments as Discord Markdown: article text escaped, the words a search matched in bold,
    the user's words and commands in code spans (so nothing they typed renders as markup or
    pings anyone)."""
    out = []
    for segment in text:
        if isinstance(segment, Echo):
            out.append(_code(segment.text))
        elif isinstance(segment, Suggestion):
            out.append(style.write(segment))
        elif isinstance(segment, Mark):
            out.append(f"**{discord.utils.escape_markdown(segment.text)}**")
        else:
            out.append(discord.utils.escape_markdown(segment))
    return "".join(out)


def render_point(point: Point, style: CommandStyle = TYPED) -> str:
    """One fact: strong label, its words (in quotation marks when the article's), ¶ marks."""
    text = render_inline(_shortened_text(point.text, MAX_POINT_CHARS), style)
    if point.quoted:
        text = f"“{text}”"
    if point.label:
        text = f"**{discord.utils.escape_markdown(point.label)}** {text}"
    return f"{text}{NO_BREAK}{marks(point.paragraphs)}" if point.paragraphs else text


@dataclass(frozen=True)
class _Block:
    """A piece of a page: the lines of a section or of the lead, never split mid-point."""

    heading: str
    lines: list[str]


def _blocks(reply: Reply, style: CommandStyle) -> list[_Block]:
    lead = " ".join(render_point(p, style) for p in reply.lead)
    blocks = [_Block("", [lead])] if lead else []
    for section in reply.sections:
        blocks.append(_section(section, style))
    return blocks


def _section(section: Section, style: CommandStyle) -> _Block:
    rendered = [render_point(p, style) for p in section.points]
    heading = f"**{discord.utils.escape_markdown(section.title)}**" if section.title else ""
    if section.names:
        lead = f"{heading} " if heading else ""
        return _Block("", [lead + NAMES_SEPARATOR.join(rendered)])
    if section.numbered:
        return _Block(heading, [f"{n}. {text}" for n, text in enumerate(rendered, 1)])
    return _Block(heading, [f"- {text}" for text in rendered])


def _next_steps(reply: Reply, style: CommandStyle) -> list[str]:
    lines = []
    if reply.related_not_shown:
        names = NAMES_SEPARATOR.join(
            discord.utils.escape_markdown(s.argument) for s in reply.related_not_shown
        )
        lines.append(f"**Related:** {names}")
    if reply.suggestions and reply.ok:
        lines.append("**Next:** " + NAMES_SEPARATOR.join(style.write(s) for s in reply.suggestions))
    return ["\n".join(lines)] if lines else []


def _paginate(blocks: list[_Block], chars: int, points_per_page: int) -> list[str]:
    """Blocks laid out on pages of at most `chars` characters and `points_per_page` lines, a
    blank line between blocks; a section cut by a page break carries its heading on."""
    pages: list[list[str]] = [[]]
    size = points = 0
    for block in blocks:
        started = False
        for line in block.lines:
            if pages[-1] and (size + len(line) > chars or points >= points_per_page):
                pages.append([])
                size = points = 0
                if started and block.heading:
                    pages[-1].append(f"{block.heading} (continued)")
            if not started:
                pages[-1] += [""] if pages[-1] else []
                pages[-1] += [block.heading] if block.heading else []
                started = True
            pages[-1].append(line)
            size += len(line) + 1
            points += 1
    return ["\n".join(lines)[:DESCRIPTION_LIMIT] for lines in pages]


def _footer(reply: Reply, number: int, count: int) -> str:
    parts = []
    if reply.article_title and reply.article_title != reply.title:
        parts.append(_shortened(reply.article_title, FOOTER_TITLE_CHARS))
    if reply.paragraphs:
        parts.append(PARAGRAPH_MEANING)
    if count > 1:
        parts.append(f"Page {number} of {count}")
    return " · ".join(parts)


def _shortened_text(text: Text, limit: int) -> Text:
    """Segments cut to at most `limit` characters of what they say, with … when cut: cut
    before rendering, so a cut never leaves a code span or a bold mark open."""
    kept: list[Segment] = []
    left = limit - 1
    for segment in text:
        said = _said(segment)
        if len(said) <= left:
            kept.append(segment)
            left -= len(said)
            continue
        if isinstance(segment, str):
            kept.append(segment[:left])
        elif isinstance(segment, (Echo, Mark)) and left > 0:
            kept.append(type(segment)(segment.text[:left]))
        return (*kept, "…")
    return text


def _said(segment: Segment) -> str:
    if isinstance(segment, Suggestion):
        return segment.typed("")
    return segment if isinstance(segment, str) else segment.text


def _shortened(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, with … when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _code(text: str) -> str:
    shown = text.replace("`", "ˋ")
    return f"`{shown}`" if shown else "that"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
