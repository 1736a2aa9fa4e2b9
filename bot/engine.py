"""The briefing engine: a chat line in, a structured reply out. Knows nothing of Discord.

Each command is a small function from (index, argument) to a Reply. The engine reads the
serving knowledge once per command, so an answer never mixes two knowledge bases.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz, process

from bot.index import KnowledgeIndex, SentenceKey
from bot.knowledge import Entry, Excerpt, Kind, Statement
from bot.matching import MAX_QUERY_CHARS, Match
from bot.reply import Citation, Field, Reply, Status, Suggestion

MAX_ECHO_CHARS = 60
MAX_SUGGESTIONS = 3
MAX_QUOTES = 8
COMMAND_SIMILAR = 75.0
COMPLETE_SCORE = 50.0  # autocomplete may offer looser matches: the user picks, nothing is answered


class KnowledgeSource(Protocol):
    """Anything that holds the serving knowledge (the store, or a fixed index in tests)."""

    @property
    def current(self) -> KnowledgeIndex: ...


@dataclass(frozen=True)
class Command:
    """A chat command: its names, how to call it, and what answers it."""

    name: str
    summary: str
    example: str
    handler: Callable[[Engine, KnowledgeIndex, str], Reply]
    argument: str = ""  # placeholder shown in help; empty when the command takes none
    required: bool = False
    aliases: tuple[str, ...] = ()
    kind: Kind | None = None  # the entry kind a name argument is matched against

    def usage(self, prefix: str) -> str:
        """How to call the command, e.g. `!product NAME`."""
        if not self.argument:
            return f"{prefix}{self.name}"
        placeholder = self.argument if self.required else f"[{self.argument}]"
        return f"{prefix}{self.name} {placeholder}"


@dataclass(frozen=True)
class ChatLine:
    """A chat line split into command name and argument."""

    command: str
    argument: str


class Engine:
    """Turns chat lines into replies from the serving knowledge."""

    def __init__(self, source: KnowledgeSource, prefix: str = "!") -> None:
        self.source = source
        self.prefix = prefix
        self.commands: dict[str, Command] = {}
        for command in COMMANDS:
            for name in (command.name, *command.aliases):
                self.commands[name] = command

    def parse(self, line: str, require_prefix: bool = True) -> ChatLine | None:
        """Split a chat line; None when it is not addressed to the bot."""
        text = line.strip()
        if text.startswith(self.prefix):
            text = text[len(self.prefix) :].lstrip()
        elif require_prefix:
            return None
        words = text.split(maxsplit=1)
        if not words:
            return None
        argument = " ".join(words[1].split()) if len(words) > 1 else ""
        return ChatLine(words[0].casefold(), argument)

    def handle(self, line: str, require_prefix: bool = True) -> Reply | None:
        """Answer one chat line; None when the line is not a command for the bot."""
        parsed = self.parse(line, require_prefix)
        return None if parsed is None else self.run(parsed.command, parsed.argument)

    def run(self, name: str, argument: str = "") -> Reply:
        """Answer a command by name, as slash commands call it."""
        command = self.commands.get(name.casefold())
        if command is None:
            return self._unknown_command(name)
        argument = _clean(argument)
        if command.required and not argument:
            return self._usage(command)
        return command.handler(self, self.source.current, argument)

    def closest_command(self, name: str) -> str | None:
        """The real command a mistyped one most likely meant."""
        found = process.extractOne(
            name.casefold()[:MAX_QUERY_CHARS],
            list(self.commands),
            scorer=fuzz.ratio,
            score_cutoff=COMMAND_SIMILAR,
        )
        return self.commands[found[0]].name if found else None

    def complete(self, name: str, typed: str, limit: int = 25) -> list[str]:
        """Names a user may mean while typing an argument of a command, best first."""
        command = self.commands.get(name.casefold())
        index = self.source.current
        keys = index.keys_of(command.kind) if command and command.kind else None
        if not typed.strip():
            entries = (
                [index.entry(key) for key in keys]
                if keys
                else list(index.knowledge.entries.values())
            )
            return [entry.name for entry in entries][:limit]
        typed = _clean(typed)
        ranked = [s.key for s in index.names.rank(typed, keys) if s.score >= COMPLETE_SCORE]
        found = dict.fromkeys(index.names.starting_with(typed, keys) + ranked)
        return [index.entry(key).name for key in found][:limit]

    # Replies shared by the commands

    def _unknown_command(self, name: str) -> Reply:
        closest = self.closest_command(name)
        body = f"There is no {_echo(self.prefix + name)} command."
        body += (
            f" Did you mean `{self.prefix}{closest}`?"
            if closest
            else f" `{self.prefix}help` lists what I can do."
        )
        return Reply(
            Status.UNKNOWN_COMMAND,
            "Unknown command",
            body,
            suggestions=(Suggestion(closest),) if closest else (),
        )

    def _usage(self, command: Command) -> Reply:
        return Reply(
            Status.USAGE,
            f"{self.prefix}{command.name} needs {_NEEDS[command.argument]}",
            f"Use `{command.usage(self.prefix)}`, for example `{self.prefix}{command.example}`.",
        )

    def suggestion_line(self, suggestion: Suggestion) -> str:
        """A suggestion as the user would type it."""
        return f"{self.prefix}{suggestion.command} {suggestion.argument}".strip()


_NEEDS = {"NAME": "a name", "ABOUT": "a subject or a speaker", "WORDS": "words to look for"}


def _clean(text: str) -> str:
    """Drop control and formatting characters, fold whitespace and cap the length of user text."""
    kept = "".join(
        char if unicodedata.category(char)[0] != "C" else " "
        for char in text[: MAX_QUERY_CHARS * 4]
    )
    # Combining marks stacked on one letter ("zalgo") only cost time; keep at most two per letter.
    result, run = [], 0
    for char in kept:
        run = run + 1 if unicodedata.combining(char) else 0
        if run <= 2:
            result.append(char)
    return " ".join("".join(result).split())[:MAX_QUERY_CHARS]


def _echo(text: str) -> str:
    """User text shown back safely: short, inside a code span so no markup or mention renders."""
    text = _clean(text).replace("`", "'")
    if len(text) > MAX_ECHO_CHARS:
        text = text[: MAX_ECHO_CHARS - 1] + "…"
    return f"`{text}`" if text else "that"


def _citations(index: KnowledgeIndex, excerpts: Iterable[Excerpt]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, int, str], Citation] = {}
    for excerpt in excerpts:
        article = index.knowledge.article(excerpt.article_id)
        seen.setdefault(
            (article.source, excerpt.line, excerpt.text),
            Citation(article.source, excerpt.line, excerpt.text),
        )
    return tuple(seen.values())


def _article_title(index: KnowledgeIndex, excerpts: Iterable[Excerpt]) -> str:
    ids = {excerpt.article_id for excerpt in excerpts}
    return index.knowledge.article(ids.pop()).title if len(ids) == 1 else ""


def _answer(
    index: KnowledgeIndex,
    title: str,
    body: str,
    excerpts: list[Excerpt],
    **extra: object,
) -> Reply:
    return Reply(
        Status.ANSWERED,
        title,
        body,
        citations=_citations(index, excerpts),
        article_title=_article_title(index, excerpts),
        **extra,  # type: ignore[arg-type]
    )


def _command_for(kind: Kind) -> str:
    return {
        Kind.PRODUCT: "product",
        Kind.ORGANISATION: "company",
        Kind.PERSON: "who",
        Kind.TOPIC: "topic",
        Kind.FIGURE: "figure",
    }[kind]


def _suggest(index: KnowledgeIndex, keys: Iterable[str]) -> tuple[Suggestion, ...]:
    suggestions: list[Suggestion] = []
    for key in keys:
        entry = index.entry(key)
        suggestion = Suggestion(_command_for(entry.kind), entry.name)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return tuple(suggestions[:MAX_SUGGESTIONS])


def _did_you_mean(
    engine: Engine, query: str, suggestions: tuple[Suggestion, ...], what: str
) -> Reply:
    lines = ", ".join(f"`{engine.suggestion_line(s)}`" for s in suggestions)
    return Reply(
        Status.AMBIGUOUS,
        "Did you mean …?",
        f"I am not sure which {what} you mean by {_echo(query)}. Did you mean {lines}?",
        suggestions=suggestions,
    )


def _not_found(engine: Engine, query: str, what: str, list_kind: str = "") -> Reply:
    listing = Suggestion("list", list_kind)
    return Reply(
        Status.NOT_FOUND,
        "Not in the article",
        f"The article mentions no {what} called {_echo(query)}. "
        f"`{engine.suggestion_line(listing)}` shows every one it covers; "
        f"`{engine.prefix}search` looks through its text.",
        suggestions=(Suggestion("search", _clean(query)[:MAX_ECHO_CHARS]), listing),
    )


# Rendering knowledge as reply text


def format_statement(index: KnowledgeIndex, statement: Statement) -> str:
    """A statement with its speaker, as quoted or reported speech, never mixing the two."""
    speaker = index.entry(statement.speaker).name
    line = statement.excerpt.line
    if statement.direct:
        return f"{speaker}, in the article's quotation marks: “{statement.text}” (¶{line})"
    return f"{speaker}, as the article reports it: {statement.text} (¶{line})"


def _entry_reply(engine: Engine, index: KnowledgeIndex, entry: Entry, note: str = "") -> Reply:
    fields: list[Field] = []
    if entry.value:
        fields.append(Field("Figure", entry.value))
    if entry.aliases:
        fields.append(Field("Also called", ", ".join(entry.aliases[:10])))
    related = [index.entry(key) for key in entry.related if key in index.knowledge.entries]
    if related:
        fields.append(
            Field(
                "Related",
                ", ".join(f"{r.name} ({_command_for(r.kind)})" for r in related),
            )
        )
    statements = index.knowledge.statements_about(entry)
    suggestions = [Suggestion("quote", entry.name)] if statements else []
    if statements:
        fields.append(
            Field(
                "Statements",
                f"{len(statements)} in the article: `{engine.prefix}quote {entry.name}`",
            )
        )
    suggestions += [Suggestion(_command_for(r.kind), r.name) for r in related[:2]]
    body = entry.summary if not note else f"{entry.summary}\n\n{note}"
    return _answer(
        index,
        f"{entry.name} · {entry.kind.label}",
        body,
        list(entry.sources),
        fields=tuple(fields),
        suggestions=tuple(suggestions),
    )


# Command handlers


def _lookup(kind: Kind) -> Callable[[Engine, KnowledgeIndex, str], Reply]:
    def handler(engine: Engine, index: KnowledgeIndex, query: str) -> Reply:
        if kind is Kind.FIGURE and not query:
            return _all_figures(engine, index)
        in_kind = index.names.match(query, index.keys_of(kind))
        anywhere = index.names.match(query)
        # A name given exactly beats a partial one: `!product deepseek` is the company.
        if in_kind.winner and (in_kind.exact or not anywhere.exact):
            return _entry_reply(engine, index, index.entry(in_kind.winner))
        if anywhere.winner:
            entry = index.entry(anywhere.winner)
            command = f"{engine.prefix}{_command_for(entry.kind)} {entry.name}"
            note = (
                f"{entry.name} is a {entry.kind.label}, not a {kind.label}; "
                f"`{command}` finds it directly."
            )
            return _entry_reply(engine, index, entry, note)
        suggestions = _suggest(index, _merge(in_kind, anywhere))
        if suggestions:
            return _did_you_mean(engine, query, suggestions, kind.label)
        return _not_found(engine, query, kind.label, _LIST_NAMES[kind])

    return handler


def _merge(first: Match, second: Match) -> list[str]:
    keys = [s.key for s in first.ranked] + [s.key for s in second.ranked]
    return list(dict.fromkeys(keys))


def _all_figures(engine: Engine, index: KnowledgeIndex) -> Reply:
    figures = index.knowledge.of_kind(Kind.FIGURE)
    lines = [f"**{entry.value}**: {entry.name}" for entry in figures]
    excerpts = [excerpt for entry in figures for excerpt in entry.sources[:1]]
    return _answer(
        index,
        "Key figures",
        "\n".join(lines) + f"\n\n`{engine.prefix}figure NAME` tells more about one.",
        excerpts,
    )


def _quote(engine: Engine, index: KnowledgeIndex, query: str) -> Reply:
    match = index.names.match(query)
    if match.winner:
        entry = index.entry(match.winner)
        statements = index.knowledge.statements_about(entry)
        if statements:
            return _quotes_reply(
                index, f"What the article attributes about {entry.name}", statements
            )
        command = f"{engine.prefix}{_command_for(entry.kind)} {entry.name}"
        return Reply(
            Status.NOT_FOUND,
            "No statement",
            f"The article attributes no statement about {entry.name}. "
            f"`{command}` has what it says about it.",
            suggestions=(Suggestion(_command_for(entry.kind), entry.name),),
        )
    hits = index.statements.search(query, limit=MAX_QUOTES, every_word=True)
    if hits:
        statements = [index.statement(str(hit.key)) for hit in hits]
        return _quotes_reply(index, f"Statements matching {_echo(query)}", statements)
    suggestions = _suggest(index, [s.key for s in match.ranked])
    if suggestions:
        return _did_you_mean(
            engine,
            query,
            tuple(Suggestion("quote", s.argument) for s in suggestions),
            "subject",
        )
    return Reply(
        Status.NOT_FOUND,
        "No statement",
        f"The article attributes nothing about {_echo(query)} to anyone. "
        f"`{engine.prefix}list` shows who and what it covers.",
        suggestions=(Suggestion("list"),),
    )


def _quotes_reply(index: KnowledgeIndex, title: str, statements: list[Statement]) -> Reply:
    shown = statements[:MAX_QUOTES]
    body = "\n\n".join(format_statement(index, s) for s in shown)
    if len(statements) > len(shown):
        body += f"\n\n…and {len(statements) - len(shown)} more; narrow the subject to see them."
    return _answer(index, title, body, [s.excerpt for s in shown])


def _search(engine: Engine, index: KnowledgeIndex, query: str) -> Reply:
    hits = index.text.search(query, limit=12)
    entries = [index.entry(str(hit.key)) for hit in hits if isinstance(hit.key, str)][:5]
    sentences = [hit.key for hit in hits if isinstance(hit.key, SentenceKey)][:3]
    if not entries and not sentences:
        return Reply(
            Status.NOT_FOUND,
            "Nothing found",
            f"Nothing in the article matches {_echo(query)}. "
            f"Try other words, or `{engine.prefix}list`.",
            suggestions=(Suggestion("list"),),
        )
    fields = []
    if entries:
        fields.append(
            Field(
                "Entries",
                "\n".join(
                    f"**{e.name}** · `{engine.prefix}{_command_for(e.kind)} {e.name}`"
                    for e in entries
                ),
            )
        )
    excerpts = []
    for key in sentences:
        article = index.knowledge.article(key.article_id)
        sentence = article.text.sentences[key.position]
        excerpts.append(Excerpt(article.id, sentence.text, article.text.locate(sentence.text)))  # type: ignore[arg-type]
    if excerpts:
        fields.append(Field("In the article", "\n".join(f"¶{e.line}: {e.text}" for e in excerpts)))
    return _answer(
        index,
        "Search results",
        f"What the article says about {_echo(query)}:",
        excerpts + [s for e in entries for s in e.sources[:1]],
        fields=tuple(fields),
        suggestions=_suggest(index, [e.id for e in entries]),
    )


_LIST_NAMES = {
    Kind.PRODUCT: "products",
    Kind.ORGANISATION: "companies",
    Kind.PERSON: "people",
    Kind.TOPIC: "topics",
    Kind.FIGURE: "figures",
}
_KIND_WORDS = {
    **{
        word: Kind.PRODUCT
        for word in ("product", "products", "architecture", "architectures", "models")
    },
    **{
        word: Kind.ORGANISATION
        for word in (
            "company",
            "companies",
            "organisation",
            "organisations",
            "organization",
            "organizations",
            "orgs",
        )
    },
    **{word: Kind.PERSON for word in ("person", "people", "who", "persons")},
    **{word: Kind.TOPIC for word in ("topic", "topics")},
    **{word: Kind.FIGURE for word in ("figure", "figures", "numbers", "number", "stats")},
}


def _list(engine: Engine, index: KnowledgeIndex, argument: str) -> Reply:
    if not argument:
        fields = tuple(
            Field(
                f"{_LIST_NAMES[kind].capitalize()} ({engine.prefix}{_command_for(kind)})",
                ", ".join(e.name for e in index.knowledge.of_kind(kind)),
            )
            for kind in Kind
            if index.knowledge.of_kind(kind)
        )
        count = len(index.knowledge.statements)
        entries = len(index.knowledge.entries)
        body = f"{entries} entries and {count} statements (`{engine.prefix}quote`)."
        return Reply(Status.ANSWERED, "What I know", body, fields)
    kind = _KIND_WORDS.get(argument.casefold())
    if kind is None:
        if argument.casefold() in ("quotes", "quote", "statements", "statement"):
            return _quotes_reply(
                index,
                "Every statement in the article",
                list(index.knowledge.statements),
            )
        kinds = ", ".join(_LIST_NAMES.values())
        return Reply(
            Status.USAGE,
            "Unknown list",
            f"I can list {kinds} or quotes; {_echo(argument)} is none of them.",
        )
    entries = index.knowledge.of_kind(kind)
    body = "\n".join(
        f"**{e.name}**{f' ({e.value})' if e.value else ''} · "
        f"`{engine.prefix}{_command_for(kind)} {e.name}`"
        for e in entries
    )
    return Reply(Status.ANSWERED, _LIST_NAMES[kind].capitalize(), body)


def _brief(engine: Engine, index: KnowledgeIndex, argument: str) -> Reply:
    articles = index.knowledge.articles
    if len(articles) > 1 and argument:
        found = process.extractOne(
            argument,
            {a.id: a.title for a in articles},
            scorer=fuzz.token_set_ratio,
            score_cutoff=60,
        )
        articles = tuple(a for a in articles if found and a.id == found[2])
    if len(articles) != 1:
        body = "\n".join(f"`{engine.prefix}brief {a.title}`" for a in index.knowledge.articles)
        return Reply(Status.AMBIGUOUS, "Which article?", f"I know several articles:\n{body}")
    article = articles[0]
    body = "\n".join(f"{number}. {point.text}" for number, point in enumerate(article.briefing, 1))
    fields = tuple(Field("Context", point.text) for point in article.context)
    excerpts = [s for point in (*article.briefing, *article.context) for s in point.sources]
    return _answer(
        index,
        article.title,
        body,
        excerpts,
        fields=fields,
        suggestions=(Suggestion("list"), Suggestion("source")),
    )


def _source(engine: Engine, index: KnowledgeIndex, argument: str) -> Reply:
    if argument:
        match = index.names.match(argument)
        if not match.winner:
            suggestions = tuple(
                Suggestion("source", s.argument)
                for s in _suggest(index, [s.key for s in match.ranked])
            )
            if suggestions:
                return _did_you_mean(engine, argument, suggestions, "entry")
            return _not_found(engine, argument, "entry")
        entry = index.entry(match.winner)
        body = "\n".join(f"¶{excerpt.line}: “{excerpt.text}”" for excerpt in entry.sources)
        return _answer(index, f"Where the article says it: {entry.name}", body, list(entry.sources))
    knowledge = index.knowledge
    fields = tuple(
        Field(
            article.title,
            f"Text: `{article.source}` ({len(article.text.paragraphs)} content lines, "
            f"{len(article.text.sentences)} sentences)",
        )
        for article in knowledge.articles
    )
    body = (
        "Every answer comes from the article below and cites it as ¶N, the line of the "
        "article file. Every quotation and excerpt is checked, word for word, against that "
        "text when the knowledge loads. "
        f"`{engine.prefix}source NAME` shows the exact excerpts behind one entry."
    )
    return Reply(Status.ANSWERED, "Sources", body, fields)


def _help(engine: Engine, index: KnowledgeIndex, argument: str) -> Reply:
    if argument:
        name = argument.removeprefix(engine.prefix).casefold()
        command = engine.commands.get(name)
        if command is None:
            return engine._unknown_command(name)
        aliases = (
            f"\nAlso: {', '.join(engine.prefix + a for a in command.aliases)}"
            if command.aliases
            else ""
        )
        return Reply(
            Status.ANSWERED,
            f"{engine.prefix}{command.name}",
            f"{command.summary}\nUsage: `{command.usage(engine.prefix)}`\n"
            f"Example: `{engine.prefix}{command.example}`{aliases}",
        )
    lines = [f"`{c.usage(engine.prefix)}`: {c.summary}" for c in COMMANDS]
    body = (
        "\n".join(lines)
        + f"\n\nNames can be misspelt or partial. `{engine.prefix}help COMMAND` tells more."
    )
    return Reply(Status.ANSWERED, "What I can do", body)


COMMANDS: tuple[Command, ...] = (
    Command(
        "brief",
        "The article's key points, most important first.",
        "brief",
        _brief,
        aliases=("summary",),
    ),
    Command(
        "product",
        "A product or architecture the article covers.",
        "product RTX Pro",
        _lookup(Kind.PRODUCT),
        "NAME",
        True,
        kind=Kind.PRODUCT,
    ),
    Command(
        "company",
        "A company or organisation the article covers.",
        "company Huawei",
        _lookup(Kind.ORGANISATION),
        "NAME",
        True,
        kind=Kind.ORGANISATION,
    ),
    Command(
        "who",
        "A person the article covers.",
        "who Jensen Huang",
        _lookup(Kind.PERSON),
        "NAME",
        True,
        kind=Kind.PERSON,
    ),
    Command(
        "topic",
        "A topic the article discusses.",
        "topic export controls",
        _lookup(Kind.TOPIC),
        "NAME",
        True,
        kind=Kind.TOPIC,
    ),
    Command(
        "quote",
        "What the article attributes to someone, about a subject or by a speaker.",
        "quote huawei",
        _quote,
        "ABOUT",
        True,
    ),
    Command(
        "figure",
        "The key numbers the article gives, or one of them.",
        "figure AI researchers",
        _lookup(Kind.FIGURE),
        "NAME",
        kind=Kind.FIGURE,
    ),
    Command(
        "search",
        "Search the entries and the article's text.",
        "search inference efficiency",
        _search,
        "WORDS",
        True,
    ),
    Command(
        "list",
        "Everything the bot knows, or one kind: "
        "products, companies, people, topics, figures, quotes.",
        "list products",
        _list,
        "KIND",
    ),
    Command(
        "source",
        "The article, and the exact excerpts behind an entry.",
        "source H20",
        _source,
        "NAME",
    ),
    Command("help", "The commands, or more about one.", "help quote", _help, "COMMAND"),
)
