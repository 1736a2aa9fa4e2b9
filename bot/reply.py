"""What the engine answers: one structured reply that every front end renders its own way."""

from __future__ import annotations

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
class Field:
    """A titled block of a reply."""

    name: str
    value: str


@dataclass(frozen=True)
class Citation:
    """Where in the article a reply's facts come from."""

    source: str  # the article file, as shown to users
    line: int
    excerpt: str


@dataclass(frozen=True)
class Suggestion:
    """A command the user may have meant, such as `company` + `Huawei`."""

    command: str
    argument: str = ""

    def typed(self, prefix: str) -> str:
        """The suggestion as the user would type it: `!company Huawei`."""
        return f"{prefix}{self.command} {self.argument}".strip()


@dataclass(frozen=True)
class Reply:
    """A complete answer to one chat line."""

    status: Status
    title: str
    body: str = ""
    fields: tuple[Field, ...] = ()
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    article_title: str = ""  # set when the reply cites an article

    @property
    def ok(self) -> bool:
        """True when the reply answered from the knowledge base."""
        return self.status is Status.ANSWERED
