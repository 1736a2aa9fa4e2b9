"""Rendering a reply as plain text, for the console and `briefbot ask`."""

from __future__ import annotations

from bot.reply import Reply

MAX_CITATIONS_SHOWN = 6


def render_text(reply: Reply, prefix: str = "!") -> str:
    """The reply as the console prints it: title, body, fields, then where it comes from."""
    lines = [reply.title]
    if reply.body:
        lines += ["", reply.body]
    for field in reply.fields:
        lines += ["", f"{field.name}:", *(f"  {line}" for line in field.value.splitlines())]
    if reply.citations:
        lines += ["", f"From the article ({reply.citations[0].source}, ¶ = line):"]
        for citation in reply.citations[:MAX_CITATIONS_SHOWN]:
            lines.append(f"  ¶{citation.line}: “{citation.excerpt}”")
        hidden = len(reply.citations) - MAX_CITATIONS_SHOWN
        if hidden > 0:
            lines.append(f"  …and {hidden} more excerpt(s)")
    if reply.suggestions and reply.ok:
        tries = ", ".join(suggestion.typed(prefix) for suggestion in reply.suggestions)
        lines += ["", f"Try: {tries}"]
    return "\n".join(lines)
