"""Answers to the briefing commands: knowledge in, a structured Reply out. Knows nothing of Discord.

Each answer is a function of one `Asking`: the knowledge it sees, the user's argument, and the
prefix users type commands with (for the sentences that name a command). Every fact an answer
shows carries the ¶ marks of the paragraphs it rests on; the verbatim excerpts behind it travel
as citations, for `source` and the front ends' "Sources", not repeated under the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.engine.index import KnowledgeIndex, SentenceKey
from bot.engine.lexical import highlight
from bot.engine.matching import STOPWORDS, Match, content_words, normalise_name
from bot.engine.reply import (
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
from bot.engine.user_text import MAX_ECHO_CHARS, clean, echo
from bot.knowledge.article import Location
from bot.knowledge.model import (
    Article,
    Coverage,
    Entry,
    Excerpt,
    Kind,
    KnowledgeBase,
    Statement,
    kind_named,
)

MAX_SUGGESTIONS = 3
MAX_ENTRY_HITS = 5
MAX_SENTENCE_HITS = 3
MAX_ALIASES_SHOWN = 6
ARTICLE_SIMILAR = 60.0
ARTICLE_MARGIN = 10.0  # a title must beat the next by this much to be the one meant
ARTICLE_FILTER = "in:"
EVERY_HIT = 1_000_000
_NO_DATE = date.min  # `!search export controls in:ARTICLE`: only that article
LIST_SIMILAR = 75.0  # a misspelt list name ("prodcts") this close gets "Did you mean"
LONG_NAME = 32  # characters; past this a suggestion types an alias instead
_STATEMENT_WORDS = ("quotes", "quote", "statements", "statement")
_ARTICLE_WORDS = ("articles", "article")


@dataclass(frozen=True)
class Asking:
    """One command being answered."""

    index: KnowledgeIndex
    argument: str
    prefix: str
    article: Article | None = None  # `in:ARTICLE`: answer from this article only


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
    one = ask.index.knowledge.article(articles.pop()) if len(articles) == 1 else None
    return Reply(
        Status.ANSWERED,
        title,
        citations=tuple(citations.values()),
        article_title=one.title if one else "",
        article_url=one.url if one else "",
        several_articles=ask.index.knowledge.several,
        **parts,  # type: ignore[arg-type]
    )


# Several articles


def quoted_title(article: Article) -> str:
    """An article's headline as a sentence names it."""
    return f"“{article.title}”"


def filtered(entry: Entry, article: Article) -> Suggestion:
    """`!company Huawei in:ARTICLE`: the entry as one article covers it."""
    return Suggestion(entry.kind.info.command, f"{short_name(entry)} {ARTICLE_FILTER}{article.id}")


def _scope(ask: Asking, keys: Iterable[str] | None = None) -> list[str] | None:
    """The entry keys an answer may choose from: `keys` (None: all), within the `in:` article."""
    if ask.article is None:
        return None if keys is None else list(keys)
    covered = [entry.id for entry in ask.index.knowledge.entries_in(ask.article.id)]
    if keys is None:
        return covered
    wanted = set(keys)
    return [key for key in covered if key in wanted]


def _match(ask: Asking, keys: Iterable[str] | None = None) -> tuple[Match, Match]:
    """The user's name among `keys` and among all entries, within the `in:` article if any."""
    names = ask.index.names
    if ask.article is None:
        return names.match_within(ask.argument, keys)
    return names.match(ask.argument, _scope(ask, keys)), names.match(ask.argument, _scope(ask))


def _coverage(ask: Asking, entry: Entry) -> Coverage:
    """What the answer shows of an entry: the `in:` article's coverage, or the most relevant."""
    if ask.article is not None:
        return entry.in_article(ask.article.id) or entry.coverage[0]
    return entry.coverage[0]


def _also_in(ask: Asking, entry: Entry, shown: Coverage, command: str = "") -> tuple[Section, ...]:
    """ "Also in N other articles", each a command that shows what that one says."""
    others = [part.article_id for part in entry.coverage if part is not shown]
    if not others:
        return ()
    points = []
    for article_id in others:
        article = ask.index.knowledge.article(article_id)
        target = filtered(entry, article)
        points.append(
            point(f"{article.title}: ", replace(target, command=command or target.command))
        )
    plural = "s" if len(others) != 1 else ""
    return (Section(f"Also in {len(others)} other article{plural}", tuple(points)),)


def _the_article_does(ask: Asking, verb: str) -> str:
    """`The article attributes`, `The articles attribute` or `“Title” attributes`."""
    subject = _the_article(ask)
    agreed = verb.removesuffix("s") if subject == "the articles" else verb
    return f"{subject[0].upper()}{subject[1:]} {agreed}"


def _the_article(ask: Asking) -> str:
    """How a sentence names what was searched: the article, the articles, or the `in:` one."""
    if ask.article is not None:
        return quoted_title(ask.article)
    return "the articles" if ask.index.knowledge.several else "the article"


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
    subject = _the_article(ask)
    mentions = "mention" if subject == "the articles" else "mentions"
    return notice(
        Status.NOT_FOUND,
        "Not in that article" if ask.article else f"Not in {subject}",
        f"{subject[0].upper()}{subject[1:]} {mentions} no {what} called ",
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
    """One entry as one article covers it (the `in:` one, or the most relevant), and which
    other articles also cover it."""
    index = ask.index
    shown = _coverage(ask, entry)
    lead = [point(shown.summary, paragraphs=paragraphs_of(shown.sources))]
    if note:
        lead.append(point(*note))
    sections = []
    if entry.aliases:
        aliases = tuple(point(alias) for alias in entry.aliases[:MAX_ALIASES_SHOWN])
        sections.append(Section("Also called", aliases, names=True))
    sections += _also_in(ask, entry, shown)
    related = [index.entry(key) for key in shown.related if key in index.knowledge.entries]
    article = index.knowledge.article(shown.article_id)
    in_article = len(entry.coverage) > 1
    source_step = replace(filtered(entry, article), command="source") if in_article else None
    next_steps = [source_step or link(entry, "source")]
    statements = index.knowledge.statements_about(entry)
    if any(s.excerpt.article_id == shown.article_id for s in statements):
        quote_step = replace(filtered(entry, article), command="quote") if in_article else None
        next_steps.insert(0, quote_step or link(entry, "quote"))
    return _answer(
        ask,
        _title_of(entry),
        shown.sources,
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
    """Statements grouped under their speaker, quotations apart from reported speech; from
    several articles, each article's groups apart, headed by its title.

    The label says once per group how the article gives the words, never once per line.
    """
    articles = list(dict.fromkeys(s.excerpt.article_id for s in statements))
    if len(articles) > 1:
        return tuple(
            replace(section, title=f"{index.knowledge.article(article_id).title}: {section.title}")
            for article_id in articles
            for section in _speech_sections(
                index, [s for s in statements if s.excerpt.article_id == article_id], one_speaker
            )
        )

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


def _quotes(
    ask: Asking,
    subject: str,
    statements: list[Statement],
    also: tuple[Section, ...] = (),
    **parts: object,
) -> Reply:
    """Statements as one answer, grouped by speaker: "Jensen Huang on Huawei", or every
    statement when there is no `subject`; `also` names other articles that quote it."""
    speakers = list(dict.fromkeys(s.speaker for s in statements))
    one_speaker = len(speakers) == 1
    if not subject:
        several = len({s.excerpt.article_id for s in statements}) > 1
        title = "Every statement in the articles" if several else "Every statement in the article"
    elif one_speaker:
        who = ask.index.entry(speakers[0]).name
        title = f"{who} on {subject}" if subject != who else f"{who}, in the article"
    else:
        title = f"Statements about {subject}"
    return _answer(
        ask,
        title,
        [s.excerpt for s in statements],
        sections=(*_speech_sections(ask.index, statements, one_speaker), *also),
        **parts,
    )


def _in_one_article(
    ask: Asking, statements: list[Statement], entry: Entry | None, again: Suggestion
) -> tuple[list[Statement], tuple[Section, ...]]:
    """The statements of one article (the `in:` one; else the entry's most relevant article
    that has any; else the first statement's), and "Also quoted in" the others."""
    by_article: dict[str, list[Statement]] = {}
    for statement in statements:
        by_article.setdefault(statement.excerpt.article_id, []).append(statement)
    if ask.article is not None:
        return by_article.get(ask.article.id, []), ()
    if not by_article:
        return [], ()
    order = [a for a in (entry.article_ids if entry else ()) if a in by_article]
    chosen = (order or list(by_article))[0]
    others = [article_id for article_id in by_article if article_id != chosen]
    if not others:
        return by_article[chosen], ()
    points = tuple(
        point(
            f"{ask.index.knowledge.article(article_id).title}: ",
            replace(again, argument=f"{again.argument} {ARTICLE_FILTER}{article_id}"),
        )
        for article_id in others
    )
    plural = "s" if len(others) != 1 else ""
    return by_article[chosen], (
        Section(f"Also quoted in {len(others)} other article{plural}", points),
    )


# The answers


def lookup(kind: Kind) -> Answer:
    """The answer to `!product`, `!company`, `!who`, `!topic` or `!figure`: one entry."""

    def answer(ask: Asking) -> Reply:
        if kind is Kind.FIGURE and not ask.argument:
            return all_figures(ask)
        in_kind, anywhere = _match(ask, ask.index.keys_of(kind))
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
        if kind is Kind.TOPIC:  # "China's AI talent pool": a qualifier that only narrows
            narrowed = ask.index.names.narrowed(ask.argument, _scope(ask, ask.index.keys_of(kind)))
            if narrowed is not None and narrowed.winner:
                return _entry(ask, ask.index.entry(narrowed.winner))
        elsewhere = _elsewhere(ask, kind)
        if elsewhere is not None:
            return elsewhere
        suggestions = _suggest(ask, _merge(in_kind, anywhere))
        if suggestions:
            return _did_you_mean(ask, suggestions, kind.label)
        mentioned = _mentions(ask, (f"No {kind.label} is called ", echo(ask.argument)))
        return mentioned or _not_found(ask, kind.label, kind.info.plural)

    return answer


def _elsewhere(ask: Asking, kind: Kind) -> Reply | None:
    """With `in:`, a name the article does not cover but others do: say which cover it."""
    if ask.article is None:
        return None
    match = ask.index.names.match(ask.argument, ask.index.keys_of(kind))
    if not match.winner:
        return None
    entry = ask.index.entry(match.winner)
    choices = tuple(filtered(entry, ask.index.knowledge.article(a)) for a in entry.article_ids)
    plural = "s" if len(choices) != 1 else ""
    return notice(
        Status.NOT_FOUND,
        "Not in that article",
        f"{quoted_title(ask.article)} does not cover {entry.name}; {len(choices)} other "
        f"article{plural} {'do' if plural else 'does'}: ",
        *listed(choices),
        ".",
        suggestions=choices[:MAX_SUGGESTIONS],
    )


def all_figures(ask: Asking) -> Reply:
    """Every key figure with its value; with several articles, under each article's title."""
    knowledge = ask.index.knowledge
    scope = _scope(ask, ask.index.keys_of(Kind.FIGURE))
    figures = knowledge.of_kind(Kind.FIGURE) if scope is None else list(map(ask.index.entry, scope))
    by_article: dict[str, list[Entry]] = {}
    for entry in figures:  # a figure is one article's number
        by_article.setdefault(entry.article_id, []).append(entry)
    sections = tuple(
        Section(
            knowledge.article(article_id).title if len(by_article) > 1 else "",
            tuple(
                point(
                    entry.name,
                    paragraphs=paragraphs_of(entry.sources[:1]),
                    label=entry.value or "",
                    link=link(entry),
                )
                for entry in members
            ),
        )
        for article_id, members in by_article.items()
    )
    return _answer(
        ask,
        "Key figures",
        [excerpt for entry in figures for excerpt in entry.sources[:1]],
        lead=(point(Suggestion("figure", "NAME"), " tells more about one."),),
        sections=sections or (Section("", ()),),
        related=tuple(link(entry) for entry in figures),
    )


def quote(ask: Asking) -> Reply:
    """Statements about an entry or by a speaker; failing a name, statements with the words."""
    index = ask.index
    match = _match(ask)[0]
    by_speaker = _speaker_and_subject(ask)
    if by_speaker is not None:
        speaker, subject, rest = by_speaker
        if subject is None:
            return notice(
                Status.NOT_FOUND,
                "No statement",
                f"{_the_article_does(ask, 'attributes')} nothing to {speaker.name} about ",
                echo(rest),
                ". ",
                link(speaker, "quote"),
                " lists everything it does attribute to them.",
                suggestions=(link(speaker, "quote"),),
            )
        statements = [
            s for s in index.knowledge.statements_about(subject) if s.speaker == speaker.id
        ]
        again = Suggestion("quote", ask.argument)
        statements, also = _in_one_article(ask, statements, subject, again)
        if statements:
            return _quotes(ask, subject.name, statements, also, entry_id=subject.id)
    if match.winner:
        entry = index.entry(match.winner)
        statements, also = _in_one_article(
            ask, index.knowledge.statements_about(entry), entry, link(entry, "quote")
        )
        if statements:
            return _quotes(ask, entry.name, statements, also, entry_id=entry.id)
        return notice(
            Status.NOT_FOUND,
            "No statement",
            f"{_the_article_does(ask, 'attributes')} no statement about {entry.name}. ",
            link(entry),
            " has what it says about it.",
            suggestions=(link(entry),),
        )
    every = len(index.knowledge.statements)
    hits = index.statements.search(ask.argument, limit=every, every_word=True)
    statements, also = _in_one_article(
        ask,
        [index.statement(str(hit.key)) for hit in hits],
        None,
        Suggestion("quote", ask.argument),
    )
    if statements:
        # The user's words stay out of the title (titles are not theirs to format): the lead
        # says what was looked for.
        found = (point("Statements with the words ", echo(ask.argument), ":"),)
        return _quotes(ask, "those words", statements, also, lead=found)
    suggestions = _suggest(ask, [s.key for s in match.ranked], command="quote")
    if suggestions:
        return _did_you_mean(ask, suggestions, "subject")
    return notice(
        Status.NOT_FOUND,
        "No statement",
        f"{_the_article_does(ask, 'attributes')} nothing about ",
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
            f"Nothing in {_the_article(ask)} matches ",
            echo(ask.argument),
            ". Try other words, or ",
            Suggestion("list"),
            ".",
            suggestions=(Suggestion("list"),),
        )
    says = f"What {_the_article(ask)} {'say' if _the_article(ask) == 'the articles' else 'says'}"
    return found("Search results", (f"{says} about ", echo(ask.argument), ":"))


def _mentions(ask: Asking, no_such_name: tuple[Segment, ...]) -> Reply | None:
    """When no name fits but the article has every word: where it says them."""
    found = _found(ask, every_word=True)
    if found is None:
        return None
    says = _the_article_does(ask, "says")
    title = (
        "Not a name, but in the article"
        if ask.article
        else f"Not a name, but in {_the_article(ask)}"
    )
    return found(title, (*no_such_name, f", but {says[0].lower()}{says[1:]}:"))


def _found(ask: Asking, every_word: bool) -> Callable[[str, tuple[Segment, ...]], Reply] | None:
    """Search hits as a reply waiting for its title and lead; None when nothing is found."""
    index = ask.index
    limit = MAX_ENTRY_HITS + MAX_SENTENCE_HITS * 2
    if ask.article is not None:
        limit = EVERY_HIT  # the article's own hits may rank below others': filter them all
    hits = index.text.search(ask.argument, limit=limit, every_word=every_word)
    entries = [index.entry(hit.key) for hit in hits if isinstance(hit.key, str)]
    sentences = [_sentence(index, hit.key) for hit in hits if isinstance(hit.key, SentenceKey)]
    # The words each sentence matched, to mark in the passage shown.
    matched = [hit.words for hit in hits if isinstance(hit.key, SentenceKey)]
    sentences_matched = dict(zip(map(id, sentences), matched, strict=True))
    if ask.article is not None:
        article_id = ask.article.id
        entries = [e for e in entries if e.in_article(article_id)]
        sentences = [s for s in sentences if s.article_id == article_id]
    entries, sentences = entries[:MAX_ENTRY_HITS], sentences[:MAX_SENTENCE_HITS]
    if not entries and not sentences:
        return None
    sections = []
    if entries:
        names = tuple(point(e.name, link=link(e)) for e in entries)
        sections.append(Section("Entries", names, names=True))
    by_article: dict[str, list[Excerpt]] = {}
    for sentence in sentences:
        by_article.setdefault(sentence.article_id, []).append(sentence)
    for article_id, found in by_article.items():
        passages = tuple(
            point(*highlight(s.text, sentences_matched[id(s)]), paragraphs=(s.line,), quoted=True)
            for s in found
        )
        heading = "In the article"
        if index.knowledge.several:  # each ¶ mark under the article it belongs to
            heading = f"In {quoted_title(index.knowledge.article(article_id))}"
        sections.append(Section(heading, passages))

    def reply(title: str, lead: tuple[Segment, ...]) -> Reply:
        return _answer(
            ask,
            title,
            sentences + [source for e in entries for source in _coverage(ask, e).sources[:1]],
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
    word = ask.argument.casefold()
    if word in _ARTICLE_WORDS:
        return _article_list(ask)

    def of_kind(kind: Kind) -> list[Entry]:
        scope = _scope(ask, ask.index.keys_of(kind))
        return knowledge.of_kind(kind) if scope is None else list(map(ask.index.entry, scope))

    if word in ("", "all", "everything"):
        sections = tuple(
            Section(
                f"{kind.info.plural.capitalize()} ({ask.prefix}{kind.info.command})",
                tuple(point(e.name, link=link(e)) for e in of_kind(kind)),
                names=True,
            )
            for kind in Kind
            if of_kind(kind)
        )
        entries = sum(len(of_kind(kind)) for kind in Kind)
        statements = _statements_in(ask)
        count = f"{entries} entries and {len(statements)} statements."
        next_steps = (Suggestion("list", "quotes"),)
        if knowledge.several and ask.article is None:
            count = f"{len(knowledge.articles)} articles, {count}"
            next_steps = (Suggestion("list", "articles"), *next_steps)
        return Reply(
            Status.ANSWERED,
            "What I know",
            (point(count),),
            sections,
            suggestions=next_steps,
            whole=True,
            article_title=ask.article.title if ask.article else "",
            several_articles=knowledge.several,
        )
    if word in _STATEMENT_WORDS:
        return _quotes(ask, "", _statements_in(ask))
    kind = kind_named(word)
    if kind is None:
        kinds = ", ".join(kind.info.plural for kind in Kind)
        lists = (*(kind.info.plural for kind in Kind), "quotes")
        closest = process.extractOne(word, lists, scorer=fuzz.ratio, score_cutoff=LIST_SIMILAR)
        meant = (Suggestion("list", closest[0]),) if closest else ()
        return notice(
            Status.USAGE,
            "Unknown list",
            *(("Did you mean ", meant[0], "? ") if meant else ()),
            f"I can list {kinds} or quotes; ",
            echo(ask.argument),
            " is none of them.",
            suggestions=meant,
        )
    entries = of_kind(kind)
    names = tuple(point(e.name, label=e.value or "", link=link(e)) for e in entries)
    return Reply(
        Status.ANSWERED,
        kind.info.plural.capitalize(),
        (point(Suggestion(kind.info.command, "NAME"), " tells more about one."),),
        (Section("", names, names=kind is not Kind.FIGURE),),
        related=tuple(link(e) for e in entries),
        article_title=ask.article.title if ask.article else "",
        several_articles=knowledge.several,
    )


def _statements_in(ask: Asking) -> list[Statement]:
    """Every statement, or the `in:` article's."""
    every = ask.index.knowledge.statements
    if ask.article is None:
        return list(every)
    return [s for s in every if s.excerpt.article_id == ask.article.id]


def credit(article: Article) -> str:
    """Who published an article and when, as far as its file says: `Example Wire, 2025-08-02`."""
    published = article.published.isoformat() if article.published else ""
    return ", ".join(part for part in (article.outlet, published) if part)


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Articles as answers rank them: the newest dated first, then the undated in file order."""
    return sorted(
        articles, key=lambda a: (a.published is None, -(a.published or _NO_DATE).toordinal())
    )


def _article_list(ask: Asking) -> Reply:
    """`!list articles`: every article, newest first, with what to type to use it."""
    articles = newest_first(ask.index.knowledge.articles)
    points = []
    for article in articles:
        details = f" ({credit(article)})" if credit(article) else ""
        points.append(
            point(
                f"{article.title}{details}: ",
                Suggestion("brief", article.id),
                f", or {ARTICLE_FILTER}{article.id} after a command",
            )
        )
    plural = "s" if len(articles) != 1 else ""
    lead = point(
        f"{len(articles)} article{plural}, the newest first. Add {ARTICLE_FILTER}ARTICLE to ",
        Suggestion("search", "WORDS"),
        ", ",
        Suggestion("quote", "ABOUT"),
        " or a name to answer from that article only.",
    )
    return Reply(
        Status.ANSWERED,
        "Articles",
        (lead,),
        (Section("", tuple(points)),),
        suggestions=tuple(Suggestion("brief", a.id) for a in articles[:MAX_SUGGESTIONS]),
        several_articles=ask.index.knowledge.several,
    )


def find_article(knowledge: KnowledgeBase, text: str) -> tuple[Article | None, list[Article]]:
    """The article a user means by an id or (fuzzily) a title, or the few it may be."""
    wanted = " ".join(text.casefold().split())
    for article in knowledge.articles:
        if wanted in (article.id, " ".join(article.title.casefold().split())):
            return article, [article]
    starting = [a for a in knowledge.articles if a.id.startswith(wanted)]
    if len(starting) == 1:
        return starting[0], starting
    titles = {article.id: article.title for article in knowledge.articles}
    found = process.extract(
        wanted.replace("-", " "),
        titles,
        scorer=fuzz.token_set_ratio,
        processor=default_process,
        score_cutoff=ARTICLE_SIMILAR,
        limit=MAX_SUGGESTIONS + 1,
    )
    candidates = [knowledge.article(key) for _, _, key in found]
    if len(found) == 1 or (found and found[0][1] - found[1][1] >= ARTICLE_MARGIN):
        return candidates[0], candidates[:1]
    return None, candidates[:MAX_SUGGESTIONS]


def brief(ask: Asking) -> Reply:
    """The briefing of the article: the one named (fuzzy on the title, or its id), or with
    several and none named the newest dated one; otherwise the reply asks which."""
    knowledge = ask.index.knowledge
    note: tuple[Segment, ...] = ()
    article, candidates = ask.article, []
    if article is None and len(knowledge.articles) == 1:
        article = knowledge.articles[0]
    elif article is None and ask.argument:
        article, candidates = find_article(knowledge, ask.argument)
    elif article is None:
        dated = [a for a in knowledge.articles if a.published]
        newest = newest_first(dated)[:2]
        if newest and (len(newest) == 1 or newest[0].published != newest[1].published):
            article = newest[0]
            others = len(knowledge.articles) - 1
            plural = "s" if others != 1 else ""
            note = (
                f"The newest of {others + 1} articles; ",
                Suggestion("list", "articles"),
                f" shows the other {others} article{plural}.",
            )
        candidates = newest_first(knowledge.articles)[:MAX_SUGGESTIONS]
    if article is None:
        choices = tuple(Suggestion("brief", a.id) for a in candidates)
        listing = Suggestion("list", "articles")
        if ask.argument:
            opening: tuple[Segment, ...] = (
                "No article's title is clearly ",
                echo(ask.argument),
                ". ",
            )
        else:
            opening = (f"I know {len(knowledge.articles)} articles. ",)
        return notice(
            Status.AMBIGUOUS,
            "Which article?",
            *opening,
            *(("Did you mean ", *listed(choices), "? ") if choices else ()),
            listing,
            " shows every one.",
            suggestions=(*choices, listing)[: MAX_SUGGESTIONS + 1],
        )
    key_points = tuple(point(p.text, paragraphs=paragraphs_of(p.sources)) for p in article.briefing)
    context = tuple(point(p.text, paragraphs=paragraphs_of(p.sources)) for p in article.context)
    if knowledge.several and credit(article):
        context = (point(f"{credit(article)}."), *context)
    if note:
        context = (*context, point(*note))
    next_steps = (Suggestion("list"), Suggestion("source"))
    if knowledge.several:
        next_steps = (
            Suggestion("list", f"{ARTICLE_FILTER}{article.id}"),
            Suggestion("list", "articles"),
        )
    return _answer(
        ask,
        article.title,
        [source for p in (*article.briefing, *article.context) for source in p.sources],
        lead=context,
        sections=(Section("Key points", key_points, numbered=True),),
        suggestions=next_steps,
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
    match = _match(ask)[0]
    if not match.winner:
        suggestions = _suggest(ask, [s.key for s in match.ranked], command="source")
        if suggestions:
            return _did_you_mean(ask, suggestions, "entry")
        return _not_found(ask, "entry")
    entry = ask.index.entry(match.winner)
    shown = _coverage(ask, entry)
    count = len(shown.sources)
    excerpts = tuple(
        point(excerpt.text, paragraphs=(excerpt.line,), quoted=True) for excerpt in shown.sources
    )
    plural = "s" if count != 1 else ""
    of = "the article"
    if ask.index.knowledge.several:
        of = quoted_title(ask.index.knowledge.article(shown.article_id))
    return _answer(
        ask,
        f"Sources: {entry.name}",
        shown.sources,
        lead=(point(f"{entry.name} rests on {count} excerpt{plural} of {of}:"),),
        sections=(Section("", excerpts), *_also_in(ask, entry, shown, "source")),
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


# For answers built elsewhere from these pieces (the questions module): the same citations, the same
# statements layout, the same article sentences, never a second copy of them.

answered = _answer
statements_answer = _quotes
sentence_excerpt = _sentence
