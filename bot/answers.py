"""Answers to the briefing commands: knowledge in, a Reply out. Knows nothing of Discord.

Each answer is a function of one `Asking`: the knowledge it sees, the user's argument, and the
prefix users type commands with (for the suggestions it makes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.article import Location
from bot.index import KnowledgeIndex, SentenceKey
from bot.knowledge import Entry, Excerpt, Kind, Statement
from bot.matching import STOPWORDS, Match, content_words, normalise_name
from bot.reply import Citation, Field, Reply, Status, Suggestion
from bot.user_text import MAX_ECHO_CHARS, clean, echo

MAX_SUGGESTIONS = 3
MAX_QUOTES = 8
MAX_ENTRY_HITS = 5
MAX_SENTENCE_HITS = 3
ARTICLE_SIMILAR = 60.0

COMMAND_FOR_KIND = {
    Kind.PRODUCT: "product",
    Kind.ORGANISATION: "company",
    Kind.PERSON: "who",
    Kind.TOPIC: "topic",
    Kind.FIGURE: "figure",
}
LIST_NAMES = {
    Kind.PRODUCT: "products",
    Kind.ORGANISATION: "companies",
    Kind.PERSON: "people",
    Kind.TOPIC: "topics",
    Kind.FIGURE: "figures",
}
_KIND_WORDS = {
    **dict.fromkeys(
        ("product", "products", "architecture", "architectures", "models"), Kind.PRODUCT
    ),
    **dict.fromkeys(
        (
            "company",
            "companies",
            "organisation",
            "organisations",
            "organization",
            "organizations",
            "orgs",
        ),
        Kind.ORGANISATION,
    ),
    **dict.fromkeys(("person", "people", "persons", "who"), Kind.PERSON),
    **dict.fromkeys(("topic", "topics"), Kind.TOPIC),
    **dict.fromkeys(("figure", "figures", "number", "numbers", "stats"), Kind.FIGURE),
}
_STATEMENT_WORDS = ("quotes", "quote", "statements", "statement")


@dataclass(frozen=True)
class Asking:
    """One command being answered."""

    index: KnowledgeIndex
    argument: str
    prefix: str

    def typed(self, suggestion: Suggestion) -> str:
        """A suggestion as this user would type it."""
        return suggestion.typed(self.prefix)


Answer = Callable[[Asking], Reply]


# Pieces shared by the answers


def _answer(ask: Asking, title: str, body: str, excerpts: list[Excerpt], **extra: object) -> Reply:
    """An answered reply citing where in the article its facts stand."""
    citations: dict[tuple[str, int, str], Citation] = {}
    for excerpt in excerpts:
        source = ask.index.knowledge.article(excerpt.article_id).source
        key = (source, excerpt.line, excerpt.text)
        citations.setdefault(key, Citation(*key))
    articles = {excerpt.article_id for excerpt in excerpts}
    article_title = ask.index.knowledge.article(articles.pop()).title if len(articles) == 1 else ""
    return Reply(
        Status.ANSWERED,
        title,
        body,
        citations=tuple(citations.values()),
        article_title=article_title,
        **extra,  # type: ignore[arg-type]
    )


def _suggest(
    ask: Asking, keys: Iterable[str], command: str | None = None
) -> tuple[Suggestion, ...]:
    """Up to three entries as commands to try: each its own kind's command, or `command`."""
    suggestions: list[Suggestion] = []
    for key in keys:
        entry = ask.index.entry(key)
        suggestion = Suggestion(command or COMMAND_FOR_KIND[entry.kind], entry.name)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return tuple(suggestions[:MAX_SUGGESTIONS])


def _did_you_mean(ask: Asking, suggestions: tuple[Suggestion, ...], what: str) -> Reply:
    choices = ", ".join(f"`{ask.typed(s)}`" for s in suggestions)
    return Reply(
        Status.AMBIGUOUS,
        "Did you mean …?",
        f"I am not sure which {what} you mean by {echo(ask.argument)}. Did you mean {choices}?",
        suggestions=suggestions,
    )


def _not_found(ask: Asking, what: str, list_kind: str = "") -> Reply:
    listing = Suggestion("list", list_kind)
    return Reply(
        Status.NOT_FOUND,
        "Not in the article",
        f"The article mentions no {what} called {echo(ask.argument)}. "
        f"`{ask.typed(listing)}` shows every one it covers; "
        f"`{ask.prefix}search` looks through its text.",
        suggestions=(Suggestion("search", clean(ask.argument)[:MAX_ECHO_CHARS]), listing),
    )


def _merge(*matches: Match) -> list[str]:
    return list(dict.fromkeys(scored.key for match in matches for scored in match.ranked))


def format_statement(index: KnowledgeIndex, statement: Statement) -> str:
    """A statement with its speaker, as quoted or reported speech, never mixing the two."""
    speaker = index.entry(statement.speaker).name
    line = statement.excerpt.line
    if statement.direct:
        return f"{speaker}, in the article's quotation marks: “{statement.text}” (¶{line})"
    return f"{speaker}, as the article reports it: {statement.text} (¶{line})"


def _entry(ask: Asking, entry: Entry, note: str = "") -> Reply:
    index = ask.index
    fields: list[Field] = []
    if entry.value:
        fields.append(Field("Figure", entry.value))
    if entry.aliases:
        fields.append(Field("Also called", ", ".join(entry.aliases[:10])))
    related = [index.entry(key) for key in entry.related if key in index.knowledge.entries]
    if related:
        names = ", ".join(f"{r.name} ({COMMAND_FOR_KIND[r.kind]})" for r in related)
        fields.append(Field("Related", names))
    statements = index.knowledge.statements_about(entry)
    suggestions = [Suggestion("quote", entry.name)] if statements else []
    if statements:
        quote = ask.typed(Suggestion("quote", entry.name))
        fields.append(Field("Statements", f"{len(statements)} in the article: `{quote}`"))
    suggestions += [Suggestion(COMMAND_FOR_KIND[r.kind], r.name) for r in related[:2]]
    return _answer(
        ask,
        f"{entry.name} · {entry.kind.label}",
        f"{entry.summary}\n\n{note}" if note else entry.summary,
        list(entry.sources),
        fields=tuple(fields),
        suggestions=tuple(suggestions),
    )


def _quotes(ask: Asking, title: str, statements: list[Statement], limit: int = MAX_QUOTES) -> Reply:
    shown = statements[:limit]
    body = "\n\n".join(format_statement(ask.index, s) for s in shown)
    if len(statements) > len(shown):
        body += f"\n\n…and {len(statements) - len(shown)} more; narrow the subject to see them."
    return _answer(ask, title, body, [s.excerpt for s in shown])


# The answers


def lookup(kind: Kind) -> Answer:
    """The answer to `!product`, `!company`, `!who`, `!topic` or `!figure`: one entry."""

    def answer(ask: Asking) -> Reply:
        if kind is Kind.FIGURE and not ask.argument:
            return all_figures(ask)
        in_kind, anywhere = ask.index.names.match_within(ask.argument, ask.index.keys_of(kind))
        # A name given exactly beats a partial one: `!product deepseek` is the company.
        if in_kind.winner and (in_kind.exact or not anywhere.exact):
            return _entry(ask, ask.index.entry(in_kind.winner))
        if anywhere.winner:
            entry = ask.index.entry(anywhere.winner)
            command = ask.typed(Suggestion(COMMAND_FOR_KIND[entry.kind], entry.name))
            note = (
                f"{entry.name} is a {entry.kind.label}, not a {kind.label}; "
                f"`{command}` finds it directly."
            )
            return _entry(ask, entry, note)
        suggestions = _suggest(ask, _merge(in_kind, anywhere))
        if suggestions:
            return _did_you_mean(ask, suggestions, kind.label)
        mentioned = _mentions(ask, f"No {kind.label} is called {echo(ask.argument)}")
        return mentioned or _not_found(ask, kind.label, LIST_NAMES[kind])

    return answer


def all_figures(ask: Asking) -> Reply:
    """Every key figure with its value."""
    figures = ask.index.knowledge.of_kind(Kind.FIGURE)
    lines = [f"**{entry.value}**: {entry.name}" for entry in figures]
    more = ask.typed(Suggestion("figure", "NAME"))
    return _answer(
        ask,
        "Key figures",
        "\n".join(lines) + f"\n\n`{more}` tells more about one.",
        [excerpt for entry in figures for excerpt in entry.sources[:1]],
    )


def quote(ask: Asking) -> Reply:
    """Statements about an entry or by a speaker; failing a name, statements with the words."""
    index = ask.index
    match = index.names.match(ask.argument)
    by_speaker = _speaker_and_subject(ask)
    if by_speaker is not None:
        speaker, subject, rest = by_speaker
        if subject is None:
            return Reply(
                Status.NOT_FOUND,
                "No statement",
                f"The article attributes nothing to {speaker.name} about {echo(rest)}. "
                f"`{ask.typed(Suggestion('quote', speaker.name))}` lists everything it does "
                "attribute to them.",
                suggestions=(Suggestion("quote", speaker.name),),
            )
        statements = [
            s for s in index.knowledge.statements_about(subject) if s.speaker == speaker.id
        ]
        if statements:
            title = f"What the article attributes to {speaker.name} about {subject.name}"
            return _quotes(ask, title, statements)
    if match.winner:
        entry = index.entry(match.winner)
        statements = index.knowledge.statements_about(entry)
        if statements:
            return _quotes(ask, f"What the article attributes about {entry.name}", statements)
        elsewhere = Suggestion(COMMAND_FOR_KIND[entry.kind], entry.name)
        return Reply(
            Status.NOT_FOUND,
            "No statement",
            f"The article attributes no statement about {entry.name}. "
            f"`{ask.typed(elsewhere)}` has what it says about it.",
            suggestions=(elsewhere,),
        )
    hits = index.statements.search(ask.argument, limit=MAX_QUOTES, every_word=True)
    if hits:
        statements = [index.statement(str(hit.key)) for hit in hits]
        return _quotes(ask, f"Statements matching {echo(ask.argument)}", statements)
    suggestions = _suggest(ask, [s.key for s in match.ranked], command="quote")
    if suggestions:
        return _did_you_mean(ask, suggestions, "subject")
    return Reply(
        Status.NOT_FOUND,
        "No statement",
        f"The article attributes nothing about {echo(ask.argument)} to anyone. "
        f"`{ask.prefix}list` shows who and what it covers.",
        suggestions=(Suggestion("list"),),
    )


def _speaker_and_subject(ask: Asking) -> tuple[Entry, Entry | None, str] | None:
    """A speaker and a subject in one query: "what did huang say about deepseek".

    None when no speaker is named, or nothing but a speaker is; the subject is None when the
    rest of the query names nothing the article covers ("what did huang say about taiwan").
    The last item is that rest, in meaningful words.
    """
    query = f" {normalise_name(ask.argument)} "
    for person in ask.index.knowledge.of_kind(Kind.PERSON):
        for name in sorted((normalise_name(n) for n in person.names), key=len, reverse=True):
            if not name or f" {name} " not in query:
                continue
            rest = " ".join(content_words(query.replace(f" {name} ", " ", 1)))
            if all(word in STOPWORDS for word in rest.split()):
                return None
            subject = ask.index.names.match(rest)
            if subject.winner == person.id:
                return None
            if subject.winner:
                return person, ask.index.entry(subject.winner), rest
            words_found = ask.index.statements.search(rest, every_word=True)
            return None if subject.ranked or words_found else (person, None, rest)
    return None


def search(ask: Asking) -> Reply:
    """Entries and article sentences that hold the words, best first."""
    found = _found(ask, every_word=False)
    if found is None:
        return Reply(
            Status.NOT_FOUND,
            "Nothing found",
            f"Nothing in the article matches {echo(ask.argument)}. "
            f"Try other words, or `{ask.prefix}list`.",
            suggestions=(Suggestion("list"),),
        )
    return found("Search results", f"What the article says about {echo(ask.argument)}:")


def _mentions(ask: Asking, no_such_name: str) -> Reply | None:
    """When no name fits but the article has every word: where it says them."""
    found = _found(ask, every_word=True)
    if found is None:
        return None
    return found("Not a name, but in the article", f"{no_such_name}, but the article says:")


def _found(ask: Asking, every_word: bool) -> Callable[[str, str], Reply] | None:
    """Search hits as a reply waiting for its title and lead line; None when nothing is found."""
    index = ask.index
    limit = MAX_ENTRY_HITS + MAX_SENTENCE_HITS * 2
    hits = index.text.search(ask.argument, limit=limit, every_word=every_word)
    entries = [index.entry(hit.key) for hit in hits if isinstance(hit.key, str)]
    sentences = [_sentence(index, hit.key) for hit in hits if isinstance(hit.key, SentenceKey)]
    entries, sentences = entries[:MAX_ENTRY_HITS], sentences[:MAX_SENTENCE_HITS]
    if not entries and not sentences:
        return None
    fields = []
    if entries:
        found = [Suggestion(COMMAND_FOR_KIND[e.kind], e.name) for e in entries]
        lines = [f"**{e.name}** · `{ask.typed(s)}`" for e, s in zip(entries, found, strict=True)]
        fields.append(Field("Entries", "\n".join(lines)))
    if sentences:
        fields.append(Field("In the article", "\n".join(f"¶{s.line}: {s.text}" for s in sentences)))

    def reply(title: str, lead: str) -> Reply:
        return _answer(
            ask,
            title,
            lead,
            sentences + [source for e in entries for source in e.sources[:1]],
            fields=tuple(fields),
            suggestions=_suggest(ask, [e.id for e in entries]),
        )

    return reply


def _sentence(index: KnowledgeIndex, key: SentenceKey) -> Excerpt:
    sentence = index.knowledge.article(key.article_id).text.sentences[key.position]
    location = Location(sentence.line, sentence.start, sentence.end)
    return Excerpt(key.article_id, sentence.text, location)


def listing(ask: Asking) -> Reply:
    """Everything known by kind, one kind in full, or every statement."""
    knowledge = ask.index.knowledge
    if ask.argument.casefold() in ("", "all", "everything"):
        fields = tuple(
            Field(
                f"{LIST_NAMES[kind].capitalize()} ({ask.prefix}{COMMAND_FOR_KIND[kind]})",
                ", ".join(e.name for e in knowledge.of_kind(kind)),
            )
            for kind in Kind
            if knowledge.of_kind(kind)
        )
        count = f"{len(knowledge.entries)} entries and {len(knowledge.statements)} statements"
        body = f"{count} (`{ask.prefix}quote`)."
        return Reply(Status.ANSWERED, "What I know", body, fields)
    word = ask.argument.casefold()
    if word in _STATEMENT_WORDS:
        every = list(knowledge.statements)
        return _quotes(ask, "Every statement in the article", every, limit=len(every))
    kind = _KIND_WORDS.get(word)
    if kind is None:
        kinds = ", ".join(LIST_NAMES.values())
        return Reply(
            Status.USAGE,
            "Unknown list",
            f"I can list {kinds} or quotes; {echo(ask.argument)} is none of them.",
        )
    lines = []
    for entry in knowledge.of_kind(kind):
        value = f" ({entry.value})" if entry.value else ""
        command = ask.typed(Suggestion(COMMAND_FOR_KIND[kind], entry.name))
        lines.append(f"**{entry.name}**{value} · `{command}`")
    return Reply(Status.ANSWERED, LIST_NAMES[kind].capitalize(), "\n".join(lines))


def brief(ask: Asking) -> Reply:
    """The briefing of the article (of the one named, when there are several)."""
    articles = ask.index.knowledge.articles
    if len(articles) > 1 and ask.argument:
        titles = {article.id: article.title for article in articles}
        found = process.extractOne(
            ask.argument, titles, scorer=fuzz.token_set_ratio, score_cutoff=ARTICLE_SIMILAR
        )
        articles = tuple(article for article in articles if found and article.id == found[2])
    if len(articles) != 1:
        choices = "\n".join(f"`{ask.prefix}brief {a.title}`" for a in ask.index.knowledge.articles)
        return Reply(Status.AMBIGUOUS, "Which article?", f"I know several articles:\n{choices}")
    article = articles[0]
    body = "\n".join(f"{number}. {point.text}" for number, point in enumerate(article.briefing, 1))
    points = (*article.briefing, *article.context)
    return _answer(
        ask,
        article.title,
        body,
        [source for point in points for source in point.sources],
        fields=(Field("Context", "\n".join(point.text for point in article.context)),)
        if article.context
        else (),
        suggestions=(Suggestion("list"), Suggestion("source")),
    )


def source(ask: Asking) -> Reply:
    """Where answers come from: the articles, or the exact excerpts behind one entry."""
    if ask.argument:
        return _entry_sources(ask)
    fields = tuple(
        Field(
            article.title,
            f"Text: `{article.source}` ({len(article.text.paragraphs)} content lines, "
            f"{len(article.text.sentences)} sentences)",
        )
        for article in ask.index.knowledge.articles
    )
    body = (
        "Every answer comes from the article below and cites it as ¶N, the line of the "
        "article file. Every quotation and excerpt is checked, word for word, against that "
        "text when the knowledge loads. "
        f"`{ask.prefix}source NAME` shows the exact excerpts behind one entry."
    )
    return Reply(Status.ANSWERED, "Sources", body, fields)


def _entry_sources(ask: Asking) -> Reply:
    match = ask.index.names.match(ask.argument)
    if not match.winner:
        suggestions = _suggest(ask, [s.key for s in match.ranked], command="source")
        if suggestions:
            return _did_you_mean(ask, suggestions, "entry")
        return _not_found(ask, "entry")
    entry = ask.index.entry(match.winner)
    count = len(entry.sources)
    body = f"{entry.name} rests on {count} excerpt{'s' if count != 1 else ''} of the article:"
    return _answer(ask, f"Where the article says it: {entry.name}", body, list(entry.sources))
