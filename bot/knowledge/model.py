"""The knowledge base as plain, immutable data: articles, entries, statements and their sources."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from bot.knowledge.article import ArticleText, Location


class Kind(StrEnum):
    """What an entry is. Everything else about a kind lives in `KIND_INFO`."""

    PRODUCT = "product"
    ORGANISATION = "organisation"
    PERSON = "person"
    TOPIC = "topic"
    FIGURE = "figure"

    @property
    def info(self) -> KindInfo:
        """The kind's names, command and help texts."""
        return KIND_INFO[self]

    @property
    def label(self) -> str:
        """How the kind reads in a sentence."""
        return self.info.label


@dataclass(frozen=True)
class KindInfo:
    """Everything the bot says or accepts about one kind of entry."""

    label: str  # in a sentence: "no company or organisation called …"
    heading: str  # above an answer's title: "Company"
    command: str  # the command that looks it up: `!company`
    plural: str  # the list name: `!list companies`
    words: tuple[str, ...]  # other words that mean the kind in `!list`
    summary: str  # what its command answers, for help and slash descriptions
    example: str  # a name to try, for help
    argument_hint: str  # the slash command's description of the name argument


KIND_INFO: dict[Kind, KindInfo] = {
    Kind.PRODUCT: KindInfo(
        "product",
        "Product",
        "product",
        "products",
        ("product", "architecture", "architectures", "models", "chips"),
        "A product or architecture the article covers.",
        "RTX Pro",
        "Product name, such as RTX Pro or H20",
    ),
    Kind.ORGANISATION: KindInfo(
        "company or organisation",
        "Company or organisation",
        "company",
        "companies",
        ("company", "organisation", "organisations", "organization", "organizations", "orgs"),
        "A company or organisation the article covers.",
        "Huawei",
        "Company name, such as Huawei or DeepSeek",
    ),
    Kind.PERSON: KindInfo(
        "person",
        "Person",
        "who",
        "people",
        ("person", "persons", "who"),
        "A person the article covers.",
        "Jensen Huang",
        "Person's name, such as Jensen Huang",
    ),
    Kind.TOPIC: KindInfo(
        "topic",
        "Topic",
        "topic",
        "topics",
        ("topic",),
        "A topic the article discusses.",
        "export controls",
        "Topic, such as export controls or AI talent",
    ),
    Kind.FIGURE: KindInfo(
        "key figure",
        "Key figure",
        "figure",
        "figures",
        ("figure", "number", "numbers", "stats"),
        "The key numbers the article gives, or one of them.",
        "AI researchers",
        "Which figure; leave empty for all of them",
    ),
}


def kind_named(word: str) -> Kind | None:
    """The kind a word means in `!list`: "companies", "orgs", "people"; None for no kind."""
    word = word.casefold()
    for kind, info in KIND_INFO.items():
        if word in (kind.value, info.command, info.plural, *info.words):
            return kind
    return None


@dataclass(frozen=True)
class Excerpt:
    """A verbatim piece of an article and where it stands."""

    article_id: str
    text: str  # as the article prints it
    location: Location

    @property
    def line(self) -> int:
        """The source line the excerpt is on."""
        return self.location.line


@dataclass(frozen=True)
class Point:
    """A briefing or context point written for readers, backed by excerpts."""

    text: str
    sources: tuple[Excerpt, ...]


@dataclass(frozen=True)
class Article:
    """One source article and what the knowledge file says about it as a whole."""

    id: str
    title: str
    source: str  # the source file, relative to the project, as shown to users
    text: ArticleText
    context: tuple[Point, ...]
    briefing: tuple[Point, ...]
    knowledge_file: Path
    # Optional metadata, only as the article or its page states it.
    published: date | None = None  # `date:` in the file
    outlet: str = ""
    url: str = ""


@dataclass(frozen=True)
class Coverage:
    """What one article says about an entry: its own summary, excerpts and related ids."""

    article_id: str
    summary: str
    sources: tuple[Excerpt, ...]
    related: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # the names this article adds to the entry's identity


@dataclass(frozen=True)
class Entry:
    """A product, organisation, person, topic or key figure, and what each article says of it.

    The identity (id, kind, name, aliases, a figure's value) is defined once, in one article's
    file or in a shared identities file; `coverage` holds each article's contribution, the most
    relevant first (the newest dated article, then file order). `summary`, `sources`, `related`
    and `article_id` are the most relevant article's, so one-article code reads them directly.
    """

    id: str
    kind: Kind
    name: str
    aliases: tuple[str, ...]
    coverage: tuple[Coverage, ...]  # never empty
    value: str | None = None  # figures only: the number as the article gives it

    @property
    def names(self) -> tuple[str, ...]:
        """The display name first, then every alias."""
        return (self.name, *self.aliases)

    @property
    def summary(self) -> str:
        """The most relevant article's summary."""
        return self.coverage[0].summary

    @property
    def sources(self) -> tuple[Excerpt, ...]:
        """The most relevant article's excerpts."""
        return self.coverage[0].sources

    @property
    def related(self) -> tuple[str, ...]:
        """The ids the most relevant article relates to this entry."""
        return self.coverage[0].related

    @property
    def article_id(self) -> str:
        """The most relevant article covering the entry."""
        return self.coverage[0].article_id

    @property
    def article_ids(self) -> tuple[str, ...]:
        """Every article covering the entry, the most relevant first."""
        return tuple(part.article_id for part in self.coverage)

    def in_article(self, article_id: str) -> Coverage | None:
        """What one article says about the entry; None when it does not cover it."""
        return next((part for part in self.coverage if part.article_id == article_id), None)

    @property
    def every_summary(self) -> str:
        """Every article's summary together, for search."""
        return " ".join(part.summary for part in self.coverage)

    @property
    def every_source(self) -> tuple[Excerpt, ...]:
        """Every article's excerpts about the entry."""
        return tuple(excerpt for part in self.coverage for excerpt in part.sources)


@dataclass(frozen=True)
class Statement:
    """Something the article attributes to a speaker, in the article's own words."""

    id: str
    speaker: str  # entry id of a person
    excerpt: Excerpt
    direct: bool  # inside quotation marks in the article; otherwise reported speech
    about: tuple[str, ...]

    @property
    def text(self) -> str:
        """The statement as the article prints it."""
        return self.excerpt.text


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything loaded from one knowledge directory, validated and ready to answer from."""

    articles: tuple[Article, ...]
    entries: Mapping[str, Entry]
    statements: tuple[Statement, ...]
    directory: Path
    loaded_at: datetime = field(compare=False)

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        return self._articles_by_id[article_id]

    @property
    def several(self) -> bool:
        """More than one article is loaded, so every answer must name its article."""
        return len(self.articles) > 1

    def of_kind(self, kind: Kind) -> list[Entry]:
        """Entries of one kind, in file order."""
        return list(self._by_kind.get(kind, ()))

    def entries_in(self, article_id: str) -> list[Entry]:
        """The entries one article covers, in file order."""
        return list(self._by_article.get(article_id, ()))

    def excerpts(self) -> Iterator[Excerpt]:
        """Every excerpt the knowledge base cites, from every article."""
        for article in self.articles:
            for point in (*article.context, *article.briefing):
                yield from point.sources
        for entry in self.entries.values():
            yield from entry.every_source
        for statement in self.statements:
            yield statement.excerpt

    def entries_named_in(self, text: str) -> list[Entry]:
        """Entries whose name or alias the text contains as whole words, in file order."""
        names, longest = self._names
        found = set(_named_in(text, names, longest))
        return [entry for entry in self.entries.values() if entry.id in found]

    def statements_about(self, entry: Entry) -> list[Statement]:
        """Statements about an entry, by it, or naming it."""
        return list(self._statements_by_entry.get(entry.id, ()))

    def prepare(self) -> None:
        """Build the look-up tables now (a load or reload pays for them, not the first user).

        Each is otherwise built on first use; with them, an answer looks up instead of
        scanning the whole knowledge.
        """
        tables = ("_articles_by_id", "_by_kind", "_by_article", "_names", "_statements_by_entry")
        for table in tables:
            getattr(self, table)

    @cached_property
    def _articles_by_id(self) -> dict[str, Article]:
        return {article.id: article for article in self.articles}

    @cached_property
    def _by_kind(self) -> dict[Kind, tuple[Entry, ...]]:
        found: dict[Kind, list[Entry]] = {}
        for entry in self.entries.values():
            found.setdefault(entry.kind, []).append(entry)
        return {kind: tuple(entries) for kind, entries in found.items()}

    @cached_property
    def _by_article(self) -> dict[str, tuple[Entry, ...]]:
        found: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for article_id in entry.article_ids:
                found.setdefault(article_id, []).append(entry)
        return {article_id: tuple(entries) for article_id, entries in found.items()}

    @cached_property
    def _names(self) -> tuple[dict[str, list[str]], int]:
        """A casefolded name (three letters or more) -> the entries it names; the longest."""
        names: dict[str, list[str]] = {}
        for entry in self.entries.values():
            for name in entry.names:
                needle = name.casefold()
                if len(needle) >= 3 and entry.id not in names.get(needle, ()):
                    names.setdefault(needle, []).append(entry.id)
        return names, max(map(len, names), default=0)

    @cached_property
    def _statements_by_entry(self) -> dict[str, tuple[Statement, ...]]:
        """Per entry id, the statements about it, by it or naming it, in statement order."""
        names, longest = self._names
        found: dict[str, list[Statement]] = {}
        for statement in self.statements:
            ids = dict.fromkeys((*statement.about, statement.speaker))
            ids.update(dict.fromkeys(_named_in(statement.text, names, longest)))
            for entry_id in ids:
                if entry_id in self.entries:
                    found.setdefault(entry_id, []).append(statement)
        return {entry_id: tuple(statements) for entry_id, statements in found.items()}


def _named_in(text: str, names: Mapping[str, list[str]], longest: int) -> Iterator[str]:
    """Ids of the entries a text names as a whole word .

    A name stands as a whole word when the characters either side of it are not letters or
    digits; so every stretch from such a start to such an end is looked up, up to the longest
    name: a few hundred look-ups per statement, whatever the number of entries.
    """
    lowered = text.casefold()
    size = len(lowered)
    starts = [i for i in range(size) if i == 0 or not lowered[i - 1].isalnum()]
    ends = {i for i in range(1, size + 1) if i == size or not lowered[i].isalnum()}
    for start in starts:
        for end in range(start + 1, min(size, start + longest) + 1):
            if end in ends:
                yield from names.get(lowered[start:end], ())
