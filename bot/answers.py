"""Answers to the briefing commands: knowledge in, a structured Reply out. Knows nothing of Discord.

Each answer is a function of one `Asking`: the knowledge it sees, the user's argument, and the
prefix users type commands with (for the sentences that name a command). Every fact an answer
shows carries the ¶ marks of the paragraphs it rests on; the verbatim excerpts behind it travel
as citations, for `source` and the front ends' "Sources", not repeated under the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from rapidfuzz import fuzz, process

from bot.article import Location
from bot.index import KnowledgeIndex, SentenceKey
from bot.knowledge import Entry, Excerpt, Kind, Statement, kind_named
from bot.matching import STOPWORDS, Match, content_words, normalise_name
from bot.reply import (
    Citation,
    Reply,
    Section,
    Segment,
    Status,
    Suggestion,
    listed,
    notice,
    point,
)
from bot.user_text import MAX_ECHO_CHARS, clean, echo

MAX_SUGGESTIONS = 3
MAX_ENTRY_HITS = 5
MAX_SENTENCE_HITS = 3
MAX_ALIASES_SHOWN = 6
ARTICLE_SIMILAR = 60.0
LONG_NAME = 32  # characters; past this a suggestion types an alias instead
_STATEMENT_WORDS = ("quotes", "quote", "statements", "statement")


@dataclass(frozen=True)
class Asking:
    """One command being answered."""

    index: KnowledgeIndex
    argument: str
    prefix: str


Answer = Callable[[Asking], Reply]


# Pieces shared by the answers


def link(entry: Entry, command: str = "") -> Suggestion:
    """The command that answers an entry, `!product RTX Pro`, or `command` about it."""
    return Suggestion(command or entry.kind.info.command, short_name(entry))


def short_name(entry: Entry) -> str:
    """The name to type for an entry: a long name's shortest alias (`50% of AI researchers`)."""
    if len(entry.name) <= LONG_NAME:
        return entry.name
    return min(entry.names, key=len)


def paragraphs_of(excerpts: Iterable[Excerpt]) -> tuple[int, ...]:
    """The ¶ marks of some excerpts, in the article's order, once each."""
    return tuple(sorted({excerpt.line for excerpt in excerpts}))


def _answer(ask: Asking, title: str, excerpts: Iterable[Excerpt], **parts: object) -> Reply:
    """An answered reply carrying the verbatim excerpts it rests on."""
    citations: dict[tuple[str, int, str], Citation] = {}
    articles: set[str] = set()
    for excerpt in excerpts:
        article = ask.index.knowledge.article(excerpt.article_id)
        articles.add(article.id)
        key = (article.source, excerpt.line, excerpt.text)
        citations.setdefault(key, Citation(*key, article_title=article.title))
    one_article = ask.index.knowledge.article(articles.pop()).title if len(articles) == 1 else ""
    return Reply(
        Status.ANSWERED,
        title,
        citations=tuple(citations.values()),
        article_title=one_article,
        **parts,  # type: ignore[arg-type]
    )


def _suggest(
    ask: Asking, keys: Iterable[str], command: str | None = None
) -> tuple[Suggestion, ...]:
    """Up to three entries as commands to try: each its own kind's command, or `command`."""
    suggestions: list[Suggestion] = []
    for key in keys:
        entry = ask.index.entry(key)
        suggestion = link(entry, command or "")
        if suggestion not in suggestions:
            suggestions.append(suggestion)
            if len(suggestions) == MAX_SUGGESTIONS:
                break  # a vague query ranks hundreds of keys; three are all a reply shows
    return tuple(suggestions)


def _did_you_mean(ask: Asking, suggestions: tuple[Suggestion, ...], what: str) -> Reply:
    return notice(
        Status.AMBIGUOUS,
        "Did you mean …?",
        f"I am not sure which {what} you mean by ",
        echo(ask.argument),
        ". Did you mean ",
        *listed(suggestions),
        "?",
        suggestions=suggestions,
    )


def _not_found(ask: Asking, what: str, list_kind: str = "") -> Reply:
    listing = Suggestion("list", list_kind)
    return notice(
        Status.NOT_FOUND,
        "Not in the article",
        f"The article mentions no {what} called ",
        echo(ask.argument),
        ". ",
        listing,
        " shows every one it covers; ",
        Suggestion("search"),
        " looks through its text.",
        suggestions=(Suggestion("search", clean(ask.argument)[:MAX_ECHO_CHARS]), listing),
    )


def _merge(*matches: Match) -> list[str]:
    return list(dict.fromkeys(scored.key for match in matches for scored in match.ranked))


def _title_of(entry: Entry) -> str:
    """An entry's title as a person would write it; a figure's value comes first."""
    if entry.kind is Kind.FIGURE and entry.value:
        return f"{entry.value[0].upper()}{entry.value[1:]} — {entry.name}"
    return entry.name


def _entry(ask: Asking, entry: Entry, note: tuple[Segment, ...] = ()) -> Reply:
    index = ask.index
    lead = [point(entry.summary, paragraphs=paragraphs_of(entry.sources))]
    if note:
        lead.append(point(*note))
    sections = []
    if entry.aliases:
        aliases = tuple(point(alias) for alias in entry.aliases[:MAX_ALIASES_SHOWN])
        sections.append(Section("Also called", aliases, names=True))
    related = [index.entry(key) for key in entry.related if key in index.knowledge.entries]
    next_steps = [link(entry, "source")]
    if index.knowledge.statements_about(entry):
        next_steps.insert(0, link(entry, "quote"))
    return _answer(
        ask,
        _title_of(entry),
        entry.sources,
        lead=tuple(lead),
        sections=tuple(sections),
        related=tuple(link(r) for r in related),
        suggestions=tuple(next_steps),
        label=entry.kind.info.heading,
        entry_id=entry.id,
    )


def _speech_sections(
    index: KnowledgeIndex, statements: list[Statement], one_speaker: bool
) -> tuple[Section, ...]:
    """Statements grouped under their speaker, quotations apart from reported speech.

    The label says once per group how the article gives the words, never once per line.
    """

    def group(statement: Statement) -> tuple[str, bool]:
        return statement.speaker, statement.direct

    sections = []
    # Each speaker's group where they first speak; quotations before reported speech.
    ordered = sorted(statements, key=lambda s: (_first(statements, s.speaker), not s.direct))
    for (speaker, direct), members in groupby(ordered, key=group):
        how = "in the article's quotation marks" if direct else "as the article reports it"
        who = index.entry(speaker).name
        title = how[0].upper() + how[1:] if one_speaker else f"{who}, {how}"
        points = tuple(
            point(s.text, paragraphs=(s.excerpt.line,), quoted=s.direct) for s in members
        )
        sections.append(Section(title, points))
    return tuple(sections)


def _first(statements: list[Statement], speaker: str) -> int:
    return next(i for i, s in enumerate(statements) if s.speaker == speaker)


def _quotes(ask: Asking, subject: str, statements: list[Statement], **parts: object) -> Reply:
    """Statements as one answer, grouped by speaker: "Jensen Huang on Huawei", or every
    statement when there is no `subject`."""
    speakers = list(dict.fromkeys(s.speaker for s in statements))
    one_speaker = len(speakers) == 1
    if not subject:
        title = "Every statement in the article"
    elif one_speaker:
        who = ask.index.entry(speakers[0]).name
        title = f"{who} on {subject}" if subject != who else f"{who}, in the article"
    else:
        title = f"Statements about {subject}"
    return _answer(
        ask,
        title,
        [s.excerpt for s in statements],
        sections=_speech_sections(ask.index, statements, one_speaker),
        **parts,
    )


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
            note = (
                f"{entry.name} is a {entry.kind.label}, not a {kind.label}; ",
                link(entry),
                " finds it directly.",
            )
            return _entry(ask, entry, note)
        suggestions = _suggest(ask, _merge(in_kind, anywhere))
        if suggestions:
            return _did_you_mean(ask, suggestions, kind.label)
        mentioned = _mentions(ask, (f"No {kind.label} is called ", echo(ask.argument)))
        return mentioned or _not_found(ask, kind.label, kind.info.plural)

    return answer


def all_figures(ask: Asking) -> Reply:
    """Every key figure with its value."""
    figures = ask.index.knowledge.of_kind(Kind.FIGURE)
    points = tuple(
        point(
            entry.name,
            paragraphs=paragraphs_of(entry.sources[:1]),
            label=entry.value or "",
            link=link(entry),
        )
        for entry in figures
    )
    return _answer(
        ask,
        "Key figures",
        [excerpt for entry in figures for excerpt in entry.sources[:1]],
        lead=(point(Suggestion("figure", "NAME"), " tells more about one."),),
        sections=(Section("", points),),
        related=tuple(link(entry) for entry in figures),
    )


def quote(ask: Asking) -> Reply:
    """Statements about an entry or by a speaker; failing a name, statements with the words."""
    index = ask.index
    match = index.names.match(ask.argument)
    by_speaker = _speaker_and_subject(ask)
    if by_speaker is not None:
        speaker, subject, rest = by_speaker
        if subject is None:
            return notice(
                Status.NOT_FOUND,
                "No statement",
                f"The article attributes nothing to {speaker.name} about ",
                echo(rest),
                ". ",
                link(speaker, "quote"),
                " lists everything it does attribute to them.",
                suggestions=(link(speaker, "quote"),),
            )
        statements = [
            s for s in index.knowledge.statements_about(subject) if s.speaker == speaker.id
        ]
        if statements:
            return _quotes(ask, subject.name, statements, entry_id=subject.id)
    if match.winner:
        entry = index.entry(match.winner)
        statements = index.knowledge.statements_about(entry)
        if statements:
            return _quotes(ask, entry.name, statements, entry_id=entry.id)
        return notice(
            Status.NOT_FOUND,
            "No statement",
            f"The article attributes no statement about {entry.name}. ",
            link(entry),
            " has what it says about it.",
            suggestions=(link(entry),),
        )
    every = len(index.knowledge.statements)
    hits = index.statements.search(ask.argument, limit=every, every_word=True)
    if hits:
        statements = [index.statement(str(hit.key)) for hit in hits]
        # The user's words stay out of the title (titles are not theirs to format): the lead
        # says what was looked for.
        found = (point("Statements with the words ", echo(ask.argument), ":"),)
        return _quotes(ask, "those words", statements, lead=found)
    suggestions = _suggest(ask, [s.key for s in match.ranked], command="quote")
    if suggestions:
        return _did_you_mean(ask, suggestions, "subject")
    return notice(
        Status.NOT_FOUND,
        "No statement",
        "The article attributes nothing about ",
        echo(ask.argument),
        " to anyone. ",
        Suggestion("list"),
        " shows who and what it covers.",
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
        return notice(
            Status.NOT_FOUND,
            "Nothing found",
            "Nothing in the article matches ",
            echo(ask.argument),
            ". Try other words, or ",
            Suggestion("list"),
            ".",
            suggestions=(Suggestion("list"),),
        )
    return found("Search results", ("What the article says about ", echo(ask.argument), ":"))


def _mentions(ask: Asking, no_such_name: tuple[Segment, ...]) -> Reply | None:
    """When no name fits but the article has every word: where it says them."""
    found = _found(ask, every_word=True)
    if found is None:
        return None
    return found("Not a name, but in the article", (*no_such_name, ", but the article says:"))


def _found(ask: Asking, every_word: bool) -> Callable[[str, tuple[Segment, ...]], Reply] | None:
    """Search hits as a reply waiting for its title and lead; None when nothing is found."""
    index = ask.index
    limit = MAX_ENTRY_HITS + MAX_SENTENCE_HITS * 2
    hits = index.text.search(ask.argument, limit=limit, every_word=every_word)
    entries = [index.entry(hit.key) for hit in hits if isinstance(hit.key, str)]
    sentences = [_sentence(index, hit.key) for hit in hits if isinstance(hit.key, SentenceKey)]
    entries, sentences = entries[:MAX_ENTRY_HITS], sentences[:MAX_SENTENCE_HITS]
    if not entries and not sentences:
        return None
    sections = []
    if entries:
        names = tuple(point(e.name, link=link(e)) for e in entries)
        sections.append(Section("Entries", names, names=True))
    if sentences:
        passages = tuple(point(s.text, paragraphs=(s.line,), quoted=True) for s in sentences)
        sections.append(Section("In the article", passages))

    def reply(title: str, lead: tuple[Segment, ...]) -> Reply:
        return _answer(
            ask,
            title,
            sentences + [source for e in entries for source in e.sources[:1]],
            lead=(point(*lead),),
            sections=tuple(sections),
            related=tuple(link(e) for e in entries),
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
        sections = tuple(
            Section(
                f"{kind.info.plural.capitalize()} ({ask.prefix}{kind.info.command})",
                tuple(point(e.name, link=link(e)) for e in knowledge.of_kind(kind)),
                names=True,
            )
            for kind in Kind
            if knowledge.of_kind(kind)
        )
        count = f"{len(knowledge.entries)} entries and {len(knowledge.statements)} statements."
        return Reply(
            Status.ANSWERED,
            "What I know",
            (point(count),),
            sections,
            suggestions=(Suggestion("list", "quotes"),),
            whole=True,
        )
    word = ask.argument.casefold()
    if word in _STATEMENT_WORDS:
        return _quotes(ask, "", list(knowledge.statements))
    kind = kind_named(word)
    if kind is None:
        kinds = ", ".join(kind.info.plural for kind in Kind)
        return notice(
            Status.USAGE,
            "Unknown list",
            f"I can list {kinds} or quotes; ",
            echo(ask.argument),
            " is none of them.",
        )
    entries = knowledge.of_kind(kind)
    names = tuple(point(e.name, label=e.value or "", link=link(e)) for e in entries)
    return Reply(
        Status.ANSWERED,
        kind.info.plural.capitalize(),
        (point(Suggestion(kind.info.command, "NAME"), " tells more about one."),),
        (Section("", names, names=kind is not Kind.FIGURE),),
        related=tuple(link(e) for e in entries),
    )


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
        choices = tuple(Suggestion("brief", a.title) for a in ask.index.knowledge.articles)
        return notice(
            Status.AMBIGUOUS,
            "Which article?",
            "I know several articles: ",
            *listed(choices),
            ".",
            suggestions=choices[:MAX_SUGGESTIONS],
        )
    article = articles[0]
    key_points = tuple(point(p.text, paragraphs=paragraphs_of(p.sources)) for p in article.briefing)
    context = tuple(point(p.text, paragraphs=paragraphs_of(p.sources)) for p in article.context)
    return _answer(
        ask,
        article.title,
        [source for p in (*article.briefing, *article.context) for source in p.sources],
        lead=context,
        sections=(Section("Key points", key_points, numbered=True),),
        suggestions=(Suggestion("list"), Suggestion("source")),
        whole=True,
    )


def source(ask: Asking) -> Reply:
    """Where answers come from: the articles, or the exact excerpts behind one entry."""
    if ask.argument:
        return _entry_sources(ask)
    articles = tuple(
        point(
            f"{article.title}: {len(article.text.paragraphs)} paragraphs, "
            f"{len(article.text.sentences)} sentences."
        )
        for article in ask.index.knowledge.articles
    )
    lead = point(
        "Every answer cites the article as ¶N, its paragraph N. Every quotation and excerpt "
        "is checked, word for word, against the article's text when the knowledge loads. ",
        Suggestion("source", "NAME"),
        " shows the exact excerpts behind one entry.",
    )
    return Reply(
        Status.ANSWERED,
        "Sources",
        (lead,),
        (Section("Articles", articles),),
    )


def _entry_sources(ask: Asking) -> Reply:
    match = ask.index.names.match(ask.argument)
    if not match.winner:
        suggestions = _suggest(ask, [s.key for s in match.ranked], command="source")
        if suggestions:
            return _did_you_mean(ask, suggestions, "entry")
        return _not_found(ask, "entry")
    entry = ask.index.entry(match.winner)
    count = len(entry.sources)
    excerpts = tuple(
        point(excerpt.text, paragraphs=(excerpt.line,), quoted=True) for excerpt in entry.sources
    )
    plural = "s" if count != 1 else ""
    return _answer(
        ask,
        f"Sources: {entry.name}",
        entry.sources,
        lead=(point(f"{entry.name} rests on {count} excerpt{plural} of the article:"),),
        sections=(Section("", excerpts),),
        suggestions=(link(entry),),
        entry_id=entry.id,
    )


def mentioned(ask: Asking) -> Reply:
    """The entries a piece of text names: the one entry's answer, or a list to pick from."""
    named = ask.index.knowledge.entries_named_in(ask.argument)
    if len(named) == 1:
        return _entry(ask, named[0])
    if named:
        points = tuple(point(e.name, link=link(e)) for e in named)
        return Reply(
            Status.ANSWERED,
            "What this message mentions",
            (point(f"It names {len(named)} things the article covers:"),),
            (Section("", points, names=True),),
            related=tuple(link(e) for e in named),
        )
    # No loose word search here: a message in a chat is mostly words that name nothing.
    return notice(
        Status.NOT_FOUND,
        "Not in the article",
        "This message names nothing the article covers. ",
        Suggestion("list"),
        " shows what it does.",
        suggestions=(Suggestion("list"),),
    )
