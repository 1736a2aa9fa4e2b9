"""Rendering a reply as plain text, for the console and `briefbot ask`: no markup at all."""

from __future__ import annotations

from bot.engine.reply import NO_BREAK, Echo, Mark, Point, Reply, Section, Suggestion, Text, marks

NAMES_SEPARATOR = ", "


def render_text(reply: Reply, prefix: str = "!") -> str:
    """The reply as the console prints it: what it is, its facts, the next steps, the key."""
    lines = [f"{reply.label}: {reply.title}" if reply.label else reply.title]
    if reply.several_articles and reply.article_title and reply.article_title != reply.title:
        lines.append(f"From “{reply.article_title}”")  # which of the articles this is from
    if reply.lead:
        lines += ["", " ".join(render_point(p, prefix) for p in reply.lead)]
    for section in reply.sections:
        lines += ["", *_section(section, prefix)]
    tail = []
    if reply.related_not_shown:
        tail.append("Related: " + NAMES_SEPARATOR.join(s.argument for s in reply.related_not_shown))
    if reply.suggestions and reply.ok:
        tail.append("Next: " + ", ".join(s.typed(prefix) for s in reply.suggestions))
    sources = list(dict.fromkeys(citation.source for citation in reply.citations))
    if reply.paragraphs and len(sources) > 1:
        tail.append("¶N = paragraph N of the article it is listed under")
    elif reply.paragraphs:
        tail.append(f"¶N = paragraph N of {sources[0] if sources else 'the article'}")
    if tail:
        lines += ["", *tail]
    return "\n".join(lines)


def render_inline(text: Text, prefix: str = "!") -> str:
    """Segments as plain text: the user's words in quotation marks, commands as typed, the
    words a search matched as they are."""
    out = []
    for segment in text:
        if isinstance(segment, Echo):
            out.append(f"“{segment.text}”")
        elif isinstance(segment, Suggestion):
            out.append(segment.typed(prefix))
        elif isinstance(segment, Mark):
            out.append(segment.text)  # a terminal shows matched words as they are
        else:
            out.append(segment)
    return "".join(out)


def render_point(point: Point, prefix: str = "!") -> str:
    """One fact: its label, its words (quoted when they are the article's), its ¶ marks."""
    text = render_inline(point.text, prefix)
    if point.quoted:
        text = f"“{text}”"
    if point.label:
        text = f"{point.label}: {text}"
    return f"{text}{NO_BREAK}{marks(point.paragraphs)}" if point.paragraphs else text


def _section(section: Section, prefix: str) -> list[str]:
    rendered = [render_point(p, prefix) for p in section.points]
    if section.names:
        title = f"{section.title}: " if section.title else ""
        return [title + NAMES_SEPARATOR.join(rendered)]
    if section.numbered:
        items = [f"{number}. {text}" for number, text in enumerate(rendered, 1)]
    else:
        items = [f"- {text}" for text in rendered]
    return [f"{section.title}:", *items] if section.title else items
