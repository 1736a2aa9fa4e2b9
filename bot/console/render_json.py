"""Rendering a reply as JSON-ready data, for scripts that call `briefbot ask --json`.

The fields only grow: scripts rely on `command`, `ok`, `status`, `title` and `text`; the
structure beside them (lead, sections, citations, suggestions, related) is for scripts that
want the facts without parsing text.
"""

from __future__ import annotations

from typing import Any

from bot.console.render_text import render_inline, render_text
from bot.engine.reply import Citation, Point, Reply, Suggestion


def render_json(reply: Reply, command: str, prefix: str = "!") -> dict[str, Any]:
    """One reply as a JSON object."""
    return {
        "command": command,
        "ok": reply.ok,
        "status": reply.status.value,
        "title": reply.title,
        "text": render_text(reply, prefix),
        "label": reply.label,
        "entry": reply.entry_id or None,
        "article": reply.article_title or None,
        "url": reply.article_url or None,
        "lead": [_point(p, prefix) for p in reply.lead],
        "sections": [
            {"title": s.title, "points": [_point(p, prefix) for p in s.points]}
            for s in reply.sections
        ],
        "paragraphs": list(reply.paragraphs),
        "citations": [_citation(c) for c in reply.citations],
        "suggestions": [_suggestion(s, prefix) for s in reply.suggestions],
        "related": [_suggestion(s, prefix) for s in reply.related],
    }


def _point(point: Point, prefix: str) -> dict[str, Any]:
    return {
        "text": render_inline(point.text, prefix),
        "paragraphs": list(point.paragraphs),
        "quoted": point.quoted,
        "label": point.label or None,
        "link": _suggestion(point.link, prefix) if point.link else None,
    }


def _citation(citation: Citation) -> dict[str, Any]:
    return {
        "paragraph": citation.line,
        "excerpt": citation.excerpt,
        "source": citation.source,
        "article": citation.article_title or None,
    }


def _suggestion(suggestion: Suggestion, prefix: str) -> dict[str, str]:
    return {
        "typed": suggestion.typed(prefix),
        "command": suggestion.command,
        "argument": suggestion.argument,
    }
