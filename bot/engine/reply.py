"""What the engine answers: one structured reply that every front end renders its own way.

No markup crosses this seam. Text is a sequence of segments: plain text, the user's own words
(`Echo`), commands to type (`Suggestion`) and the words a search matched (`Mark`); each front
end decides how those look (a code span on Discord, quotation marks in a terminal) and how ¶
marks, lists and links are drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """Whether a reply answered from the knowledge base, and if not, why not."""

    ANSWERED = "answered"
    NOT_FOUND = "not_found"  # the article covers nothing by that name
    AMBIGUOUS = "ambiguous"  # several things fit: the reply offers suggestions
    UNKNOWN_COMMAND = "unknown_command"
    USAGE = "usage"  # the command needs something it was not given


@dataclass(frozen=True)
class Suggestion:
    """A command the user may run next, such as `company` + `Huawei`.

    In `Reply.suggestions` and `Reply.related` it is always a command that runs as it stands
    (a front end may make it a button); a placeholder such as `figure NAME` only ever appears
    inside text, as a hint of how to type a command.
    """

    command: str
    argument: str = ""

    def typed(self, prefix: str) -> str:
        """The suggestion as the user would type it: `!company Huawei`."""
        return f"{prefix}{self.command} {self.argument}".strip()


@dataclass(frozen=True)
class Echo:
    """Words the user typed, shown back inert: never markup, never a mention."""

    text: str


@dataclass(frozen=True)
class Mark:
    """Words of the article that a search matched, shown marked (bold on Discord); the text
    is the article's own, never markup."""

    text: str


Segment = str | Echo | Suggestion | Mark
Text = tuple[Segment, ...]


def plain(text: Text, prefix: str = "!") -> str:
    """Text with echoes and commands written out as plain characters."""
    return "".join(
        segment.typed(prefix)
        if isinstance(segment, Suggestion)
        else segment.text
        if isinstance(segment, Echo | Mark)
        else segment
        for segment in text
    )


def listed(items: Iterable[Segment], last: str = " or ") -> list[Segment]:
    """Segments as a sentence lists them: `a, b or c`."""
    items = list(items)
    joined: list[Segment] = []
    for position, item in enumerate(items):
        if position:
            joined.append(last if position == len(items) - 1 else ", ")
        joined.append(item)
    return joined


@dataclass(frozen=True)
class Point:
    """One fact of an answer, with the ¶ marks of the article paragraphs it rests on.

    `quoted` points are the article's own words, shown in quotation marks; `label` is a short
    lead shown strongly (a figure's value); `link` is the entry the point is about, so a front
    end can make it one tap away.
    """

    text: Text
    paragraphs: tuple[int, ...] = ()
    quoted: bool = False
    label: str = ""
    link: Suggestion | None = None


def point(
    *segments: Segment,
    paragraphs: tuple[int, ...] = (),
    quoted: bool = False,
    label: str = "",
    link: Suggestion | None = None,
) -> Point:
    """A point from its segments: `point("The article mentions no ", Echo(typed), ".")`."""
    return Point(tuple(segments), paragraphs, quoted, label, link)


def marks(paragraphs: Iterable[int]) -> str:
    """¶ marks as every front end prints them, `¶4 ¶13`, never broken across lines."""
    return NO_BREAK.join(f"¶{number}" for number in paragraphs)


NO_BREAK = "\u00a0"


PARAGRAPH_MEANING = "¶N = paragraph N of the article"


@dataclass(frozen=True)
class Section:
    """A titled group of points: the key points, one speaker's statements, a list of names.

    `numbered` points are read in order (the key points); `names` sections are short names
    that read best run together on one line.
    """

    title: str
    points: tuple[Point, ...]
    numbered: bool = False
    names: bool = False


@dataclass(frozen=True)
class Citation:
    """A verbatim excerpt behind an answer, and where in the article it stands."""

    source: str  # the article file, for the console; never shown on Discord
    line: int  # the article's paragraph (each paragraph is one line of the article file)
    excerpt: str
    article_title: str = ""


@dataclass(frozen=True)
class Reply:
    """A complete answer to one chat line.

    `lead` opens it, its points read as one paragraph (a summary, the article's context, or
    the sentence that says why nothing was found); `sections` hold the rest. `citations` are
    the verbatim excerpts behind it: one step away (`source`), not repeated under the answer.
    `related` entries and `suggestions` are the next steps.
    """

    status: Status
    title: str
    lead: tuple[Point, ...] = ()
    sections: tuple[Section, ...] = ()
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    label: str = ""  # what the answer is, above its title: "Product", "Key figure"
    article_title: str = ""  # set when the reply cites exactly one article
    article_url: str = ""  # that article's address, when its file gives one
    several_articles: bool = False  # more than one is loaded: name the article of every fact
    entry_id: str = ""  # the entry the reply is about, when it is about one
    whole: bool = False  # a digest read in one go (the briefing, help): never split into pages
    asked: Suggestion | None = None  # the command that produced it, to page or source it again

    @property
    def ok(self) -> bool:
        """True when the reply answered from the knowledge base."""
        return self.status is Status.ANSWERED

    @property
    def related_not_shown(self) -> tuple[Suggestion, ...]:
        """Related entries that no point of the reply already links to."""
        shown = {p.link for s in self.sections for p in s.points if p.link}
        return tuple(link for link in self.related if link not in shown)

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """Every ¶ mark the reply shows, in order, once each."""
        marks = (
            paragraph
            for part in (*self.lead, *(p for s in self.sections for p in s.points))
            for paragraph in part.paragraphs
        )
        return tuple(dict.fromkeys(marks))


def notice(status: Status, title: str, *segments: Segment, **extra: object) -> Reply:
    """A reply of one sentence: a refusal, a usage hint, an admin's acknowledgement."""
    lead = (point(*segments),) if segments else ()
    return Reply(status, title, lead, **extra)  # type: ignore[arg-type]


def sources_reply(reply: Reply) -> Reply:
    """The verbatim excerpts behind a reply, each with its ¶ mark: what "Sources" shows."""
    excerpts = tuple(point(c.excerpt, paragraphs=(c.line,), quoted=True) for c in reply.citations)
    if not excerpts:
        return notice(
            Status.NOT_FOUND, "No sources", "This answer quotes nothing from the article."
        )
    return Reply(
        Status.ANSWERED,
        f"Sources: {reply.title}",
        sections=(Section("", excerpts),),
        citations=reply.citations,
        article_title=reply.article_title,
        article_url=reply.article_url,
        several_articles=reply.several_articles,
        asked=reply.asked,
    )
