"""Questions in the user's own words: understood by their shape, answered by the existing answers.

`understand` reads a question's shape without any knowledge ("what did X say about Y", "who is
X", "how many …", "why …", a bare name), in English or Chinese; `ask` resolves its names
against the knowledge and hands it to the answer that fits (statements, an entry, a key
figure, the article's passages), adding one line that says how the question was understood.

It never answers confidently wrong: a name the article does not cover, a word the article never
uses, or a passage that holds too few of the question's words gets "The article does not say",
with the closest passage labelled as such; an unclear question gets its likeliest readings as
suggestions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

from bot.engine import answers
from bot.engine.answers import Asking, link
from bot.engine.index import KnowledgeIndex, SentenceKey
from bot.engine.matching import STOPWORDS, TOKEN_SIMILAR, normalise_name, word_similarity
from bot.engine.reply import Point, Reply, Section, Segment, Status, Suggestion, listed, point
from bot.engine.user_text import clean, echo
from bot.knowledge.model import Entry, Excerpt, Kind, Statement

COVERED = 0.75  # statements and passages must hold this share of the question's meaningful words
EVERY_WORD = 1.0  # ... and a passage every one, names allowed in its paragraph
MAX_PASSAGES = 3
SEARCHED_PASSAGES = 40
MAX_READINGS = 3
CLOSEST = "Closest passage (may not answer your question)"
DOES_NOT_SAY = "The article does not say"


class Shape(Enum):
    """What a question asks for, and so which answer answers it."""

    SAID = "said"  # what did X say about Y: statements
    ENTRY = "entry"  # who is X, what is X, tell me about X: the entry
    FIGURE = "figure"  # how many, how much, what share, how long: a key figure
    PASSAGES = "passages"  # why, how, is, does, can …: the article's passages
    NAME = "name"  # a bare name (or bare words)


@dataclass(frozen=True)
class Question:
    """A question's shape and the phrases in its slots, as typed (lower case)."""

    shape: Shape
    text: str  # the whole question, cleaned
    speaker: str = ""  # SAID: who spoke ("" for anyone)
    subject: str = ""  # SAID, ENTRY, FIGURE, NAME: what it is about
    measure: str = ""  # FIGURE: what is measured, "many", "long", "share"


# Words that carry no meaning of their own in a question: the matcher's stopwords and more.
QUESTION_WORDS = STOPWORDS | frozenset(
    """
    i me my we our you your he she him his they them this that these those there here
    am been being have has had having will would shall should can could may might must
    but if so than then too very just only also even ever really actually currently now
    into onto over under per via as into up out
    whats who whos whom whose which when where why how
    tell explain describe know think thinks thought say says said mention mentioned talk
    talked please thanks thank hi hello hey ok okay bot briefbot
    any anything something some all every each more most less least
    get got make made come comes came go goes went like
    thing things stuff yes not no again still times want wants wanted need needs
    """.split()
)
_PERSON_PRONOUNS = frozenset({"he", "his", "him", "she", "her"})
_ANYONE = frozenset({"anyone", "anybody", "everyone", "people", "someone", "somebody"})
_THE_ARTICLE = frozenset({"the article", "article", "it", "the text", "the piece", "the story"})
# Question words that mean an article word it uses instead: "sell" is "sales" there.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sell": ("sales",),
    "sells": ("sales",),
    "selling": ("sales",),
    "sold": ("sales",),
    "allowed": ("permitted", "approval", "licensing"),
    "allow": ("permitted", "approval", "licensing"),
    "permit": ("permitted", "approval", "licensing"),
    "legal": ("permitted", "approval", "licensing"),
    "approved": ("approval", "licensing"),
    "license": ("licensing",),
    "licence": ("licensing",),
    "ban": ("controls", "restrictions"),
    "banned": ("controls", "restrictions"),
    "restricted": ("controls", "restrictions"),
    "america": ("us",),
    "american": ("us",),
    "usa": ("us",),
    "chinese": ("china",),
    "china": ("chinese",),
    "hire": ("hiring",),
    "jobs": ("hiring",),
    "recruit": ("hiring",),
    "rival": ("competitors", "rivals"),
    "compete": ("competitors", "competition"),
    "strong": ("strength", "strengths", "formidable"),
    "praise": ("praised", "praising", "commending", "recognizing"),
    "stay": ("remains",),
    "remain": ("remains",),
    "keep": ("maintain",),
    "long": ("length", "years", "hour"),
    "many": ("number",),
}
_SUFFIXES = ("ingly", "edly", "ing", "ed", "es", "s", "ly")


# Understanding: the shape of a question, from its words alone

_VERB = (
    r"(?:say|said|think|thought|feel|felt|mention|mentioned|claim|claimed|reckon|believe|"
    r"comment|tell (?:us|me|reporters)|have to say|talk|talked)"
)
_ABOUT = r"(?:about|of|on|regarding|concerning|towards?|re)"
_SAID = [
    re.compile(
        rf"^what (?:did|does|do|has|have|had) (?P<x>.+?) {_VERB}(?: anything)?"
        rf"(?: {_ABOUT} (?P<y>.+))?$"
    ),
    re.compile(
        rf"^what (?P<x>.+?) (?:said|says|thinks|thought|feels|mentioned)"
        rf"(?: {_ABOUT} (?P<y>.+))?$"
    ),
    re.compile(
        rf"^how (?:does|did|do) (?P<x>.+?) (?:feel|think|see|view|rate)"
        rf"(?: {_ABOUT})? (?P<y>.+)$"
    ),
    re.compile(
        rf"^(?:did|does|has|have) (?P<x>.+?) (?:say|said|mention|talk|comment)"
        rf"(?:ed)?(?: anything| something)?(?: {_ABOUT} (?P<y>.+))?$"
    ),
    re.compile(
        r"^what (?:is|are|was|were) (?P<x>.+?)(?:'s|s'|s) (?:view|views|opinion|"
        rf"opinions|take|thoughts|stance|position|comments|words)(?: {_ABOUT} (?P<y>.+))?$"
    ),
    re.compile(
        rf"^(?:quotes?|statements?|comments?) (?:from|by) (?P<x>.+?)"
        rf"(?: {_ABOUT} (?P<y>.+))?$"
    ),
    re.compile(
        r"^who (?:said|says|talked|spoke|commented|mentioned)(?: anything| something)?"
        rf"(?: {_ABOUT})? (?P<y>.+)$"
    ),
]
_FIGURE = re.compile(
    r"^(?:how (?P<m>many|much|long|often|big|large|old|far)|"
    r"what (?P<n>share|percentage|percent|proportion|fraction|portion|number|amount)|"
    r"what(?: is| was|'s) the (?P<o>share|percentage|proportion|number|amount|length|size|count)|"
    r"which (?P<p>edition|number|year)) (?P<y>.+)$"
)
_ENTRY = [
    re.compile(r"^(?:who|what)(?:'s|s| is| are| was| were) (?P<y>.+)$"),
    re.compile(r"^(?:tell|teach) (?:me|us)(?: more| something| everything)? about (?P<y>.+)$"),
    re.compile(r"^(?:explain|describe|define|introduce)(?: to me)? (?P<y>.+)$"),
    re.compile(r"^what do (?:you|we) know about (?P<y>.+)$"),
    re.compile(r"^(?:info|information|details|more) (?:on|about) (?P<y>.+)$"),
]
_ASKING_WORDS = frozenset(
    """
    why how is are was were does do did can could will would should has have had when where
    which what whose whom who isn aren doesn didn won
    """.split()
)
_POLITE = re.compile(
    r"^(?:(?:hey|hi|hello|ok|okay|so|um|please|pls|briefbot|bot)[,!:]?\s+)+"
    r"|^(?:can|could|would|will) you (?:please )?(?:tell me |explain |say )?"
    r"|^(?:do you know|i want to know|i wonder|i'd like to know) "
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CN_SAID = (
    "说了什么",
    "说过什么",
    "说了啥",
    "说什么",
    "怎么说",
    "怎么看待",
    "如何看待",
    "怎么看",
    "怎么评价",
    "如何评价",
    "评价",
    "的看法",
    "看法",
    "观点",
)
_CN_FIGURE = ("多少", "几次", "多久", "多长时间", "比例", "几")
_CN_ENTRY = (
    "是什么公司",
    "是什么产品",
    "是哪家公司",
    "是谁",
    "谁是",
    "是什么",
    "什么是",
    "介绍一下",
    "介绍",
)
_CN_ASKING = (
    "为什么",
    "为何",
    "是否",
    "能否",
    "能不能",
    "会不会",
    "可不可以",
    "可以",
    "如何",
    "怎么",
    "吗",
)
# Words of Chinese questions that mean a word of the (English) article.
CN_WORDS: dict[str, str] = {
    "研究人员": "researchers",
    "研究员": "researchers",
    "研究者": "researchers",
    "工程师": "engineers",
    "访华": "visits china",
    "访问": "visits",
    "中国": "china",
    "美国": "us",
    "人工智能": "ai",
    "教育体系": "education system",
    "教育": "education",
    "芯片": "chips",
    "出口管制": "export controls",
    "竞争": "competition",
    "全世界": "world",
    "全球": "world",
    "世界": "world",
    "培养": "produces",
    "年": "years",
    "合作": "collaboration",
    "招聘": "hiring",
    "招人": "hiring",
}
# Little words that carry no meaning of their own in a Chinese question.
_CN_PARTICLES = (
    "的了吗呢吧啊呀对关于在是有和与及跟请问你我他她它们这那个次些都也还就被把给从向到里对于上"
)


def understand(text: str) -> Question:
    """The shape of a question and the phrases in its slots; no knowledge needed."""
    text = clean(text)
    if _CJK.search(text):
        return _understand_chinese(text)
    lowered = text.casefold().replace("’", "'").replace("`", "'")
    lowered = " ".join(re.sub(r"[?!.,;:]+(\s|$)", r"\1", lowered).split())
    lowered = _POLITE.sub("", lowered).strip()
    if not lowered:
        return Question(Shape.NAME, text)
    for pattern in _SAID:
        found = pattern.match(lowered)
        if found:
            speaker = _phrase(found.groupdict().get("x") or "")
            subject = _typed(text, _phrase(found.group("y") or ""))
            if speaker in _THE_ARTICLE:
                return Question(Shape.ENTRY, text, subject=subject)
            speaker = "" if speaker in _ANYONE else _typed(text, speaker)
            return Question(Shape.SAID, text, speaker, subject)
    found = _FIGURE.match(lowered)
    if found:
        measure = next(word for word in found.group("m", "n", "o", "p") if word)
        subject = _typed(text, _phrase(found.group("y")))
        return Question(Shape.FIGURE, text, subject=subject, measure=measure)
    for pattern in _ENTRY:
        found = pattern.match(lowered)
        if found:
            return Question(Shape.ENTRY, text, subject=_typed(text, _phrase(found.group("y"))))
    first = lowered.split()[0].split("'")[0]
    if first in _ASKING_WORDS:
        return Question(Shape.PASSAGES, text, subject=_typed(text, lowered))
    return Question(Shape.NAME, text, subject=_typed(text, lowered))


def _typed(text: str, phrase: str) -> str:
    """A slot's words as the question has them (with its capitals), to show them back."""
    if not phrase:
        return phrase
    words = [re.escape(word).replace("'", "['’`]") for word in phrase.split()]
    found = re.search(r"[\s?!.,;:]+".join(words), text, re.IGNORECASE)
    return found.group() if found else phrase


def _phrase(text: str) -> str:
    """A slot's words without a leading article or a trailing 'now'."""
    words = text.split()
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    while words and words[-1] in ("now", "today", "then", "exactly", "please"):
        words.pop()
    return " ".join(words)


def _understand_chinese(text: str) -> Question:
    """A Chinese question: its shape from its question words; its slots are found later, by
    the names of the knowledge (Chinese sentences have no spaces to split them by)."""
    rest = re.sub(r"[?？!！。，,、：:\s]+", " ", text).strip()
    for shape, markers in (
        (Shape.SAID, _CN_SAID),
        (Shape.FIGURE, _CN_FIGURE),
        (Shape.ENTRY, _CN_ENTRY),
        (Shape.PASSAGES, _CN_ASKING),
    ):
        for marker in markers:
            if marker in rest:
                return Question(shape, text, subject=rest.replace(marker, " ", 1).strip())
    return Question(Shape.NAME, text, subject=rest)


# Answering


@dataclass
class _Asked:
    """One question being answered: the knowledge, how it was understood, and what it found."""

    ask: Asking
    question: Question
    words_known: dict[str, bool] = field(default_factory=dict)
    names: dict[str, list[Entry]] | None = None  # a word of a name in the question -> entries

    @property
    def index(self) -> KnowledgeIndex:
        return self.ask.index

    def with_argument(self, argument: str) -> Asking:
        return Asking(self.ask.index, argument, self.ask.prefix)


def ask(asking: Asking) -> Reply:
    """The answer to `!ask`: a question in the user's own words, answered from the article."""
    question = understand(asking.argument)
    asked = _Asked(asking, question)
    if question.text and _CJK.search(question.text):
        question, unknown = _read_chinese(asked, question)
        asked.question = question
        if unknown:
            return _not_covered(asked, _reading_of(asked), " ".join(unknown))
    if question.shape is Shape.SAID:
        return _said(asked)
    if question.shape is Shape.FIGURE:
        return _figure(asked)
    if question.shape is Shape.ENTRY:
        return _named(asked, question.subject)
    if question.shape is Shape.PASSAGES:
        return _passages(asked, question.subject)
    return _named(asked, question.subject)


def _reading_of(asked: _Asked) -> tuple[Segment, ...]:
    question = asked.question
    if question.shape is Shape.SAID:
        return (
            "statements by ",
            echo(question.speaker or "anyone"),
            " about ",
            echo(question.subject or "anything"),
        )
    return ("a question about ", echo(question.subject or question.text))


def _understood(*reading: Segment) -> Point:
    return point("Understood as: ", *reading, ".")


def _with_reading(reply: Reply, *reading: Segment) -> Reply:
    """An existing answer, opened by the line that says how the question was understood."""
    return replace(reply, lead=(_understood(*reading), *reply.lead))


def _does_not_say(
    reading: tuple[Segment, ...],
    why: tuple[Segment, ...],
    closest: Excerpt | None = None,
    suggestions: tuple[Suggestion, ...] = (),
) -> Reply:
    """A refusal: how the question was understood, that the article does not say, and maybe
    the closest passage, labelled so nobody takes it for an answer."""
    sections = ()
    if closest is not None:
        passage = point(closest.text, paragraphs=(closest.line,), quoted=True)
        sections = (Section(CLOSEST, (passage,)),)
    return Reply(
        Status.NOT_FOUND,
        DOES_NOT_SAY,
        (_understood(*reading), point(DOES_NOT_SAY, ": ", *why)),
        sections,
        suggestions=suggestions or (Suggestion("brief"), Suggestion("list")),
    )


def _not_covered(asked: _Asked, reading: tuple[Segment, ...], name: str) -> Reply:
    why = ("it does not mention ", echo(name), ". ", Suggestion("list"), " shows what it covers.")
    closest = _closest_passage(asked, asked.question.text)
    return _does_not_say(reading, why, closest)


def _readings(reading: tuple[Segment, ...], options: list[Suggestion]) -> Reply:
    """An unclear question: its likeliest readings, to pick from."""
    options = list(dict.fromkeys(options))[:MAX_READINGS]
    return Reply(
        Status.AMBIGUOUS,
        "Which did you mean?",
        (
            _understood(*reading),
            point("I am not sure what you mean. Did you mean ", *listed(options), "?"),
        ),
        suggestions=tuple(options),
    )


# Statements: "what did X say about Y"


def _speakers(index: KnowledgeIndex) -> list[Entry]:
    ids = dict.fromkeys(s.speaker for s in index.knowledge.statements)
    return [index.entry(key) for key in ids if key in index.knowledge.entries]


def _said(asked: _Asked) -> Reply:
    index = asked.index
    question = asked.question
    speakers = _speakers(index)
    speaker: Entry | None = None
    if question.speaker:
        if question.speaker.casefold() in _PERSON_PRONOUNS and len(speakers) == 1:
            speaker = speakers[0]
        else:
            found = _resolve_speaker(asked, speakers)
            if not isinstance(found, Entry):
                return found
            speaker = found
    if not question.subject:
        if speaker is None:
            return _named(asked, "")
        reading = ("everything the article attributes to ", speaker.name)
        reply = answers.quote(asked.with_argument(speaker.name))
        return _with_reading(reply, *reading)
    subject = _resolve(asked, question.subject)
    who = speaker.name if speaker else "anyone"
    named = _entities_named(asked, question.subject)
    if len(named) >= 2 and not _meaningful(_without_names(question.subject, named)):
        # Several names, nothing else ("kimi and qwen"): what was said about any of them.
        def by_speaker(entry: Entry) -> list[Statement]:
            about = index.knowledge.statements_about(entry)
            return [s for s in about if speaker is None or s.speaker == speaker.id]

        spoken = [entry for entry in named if by_speaker(entry)]
        if spoken:
            chosen = {s.id for entry in spoken for s in by_speaker(entry)}
            statements = [s for s in index.knowledge.statements if s.id in chosen]
            title = _and(spoken)
            reply = answers.statements_answer(asked.ask, title, statements)
            return _with_reading(reply, f"statements by {who} about {_and(named)}")
    if isinstance(subject, Entry):
        reading: tuple[Segment, ...] = (
            (f"statements by {speaker.name} about {subject.name}",)
            if speaker
            else (f"statements about {subject.name}",)
        )
        statements = [
            s
            for s in index.knowledge.statements_about(subject)
            if speaker is None or s.speaker == speaker.id
        ]
        if not statements:
            why = (
                f"it attributes nothing to {who} about {subject.name}. ",
                link(subject),
                " has what it says about it.",
            )
            return _does_not_say(reading, why, suggestions=(link(subject),))
        reply = answers.statements_answer(asked.ask, subject.name, statements, entry_id=subject.id)
        return _with_reading(reply, *reading)
    reading = (f"statements by {who} about ", echo(question.subject))
    if isinstance(subject, list):
        options = [
            Suggestion("ask", f"what did {speaker.name} say about {short}")
            if speaker
            else Suggestion("quote", short)
            for short in (_short(entry) for entry in subject)
        ]
        return _readings(reading, options)
    # Not a name: the statements that hold the subject's words.
    statements = [
        s
        for s in _statements_with(asked, question.subject)
        if speaker is None or s.speaker == speaker.id
    ]
    if statements:
        reply = answers.statements_answer(asked.ask, "those words", statements)
        return _with_reading(reply, *reading)
    unknown = _unknown_words(asked, question.subject)
    if unknown:
        return _not_covered(asked, reading, " ".join(unknown))
    why = (f"it attributes nothing to {who} about ", echo(question.subject), ".")
    closest = _closest_passage(asked, question.subject)
    suggestions = (link(speaker, "quote"),) if speaker else ()
    return _does_not_say(reading, why, closest, suggestions)


def _short(entry: Entry) -> str:
    """A name to put in a question: the entry's name, or for a long one its shortest alias in
    the question's script (a Latin one for an English question)."""
    if len(entry.name) <= answers.LONG_NAME:
        return entry.name
    latin = [name for name in entry.names if not _CJK.search(name)]
    return min(latin or entry.names, key=len)


def _and(entries: list[Entry]) -> str:
    names = [entry.name for entry in entries]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _resolve_speaker(asked: _Asked, speakers: list[Entry]) -> Entry | Reply:
    """The person a question says spoke, or the reply that says why there is none."""
    index = asked.index
    phrase = asked.question.speaker
    reading = (
        "statements by ",
        echo(phrase),
        " about ",
        echo(asked.question.subject or "anything"),
    )
    ids = [entry.id for entry in speakers]
    match, anywhere = index.names.match_within(phrase, ids)
    if match.winner and anywhere.winner in (None, match.winner):
        return index.entry(match.winner)
    if anywhere.winner:
        entry = index.entry(anywhere.winner)
        why = (
            f"it reports no statements by {entry.name}; ",
            link(entry, "quote"),
            " shows what it attributes to others about it.",
        )
        return _does_not_say(reading, why, suggestions=(link(entry, "quote"),))
    if match.ranked:
        options = [
            Suggestion(
                "ask",
                f"what did {index.entry(s.key).name} say about {asked.question.subject}"
                if asked.question.subject
                else f"what did {index.entry(s.key).name} say",
            )
            for s in match.ranked
        ]
        return _readings(reading, options)
    who = ", ".join(entry.name for entry in speakers) or "no one"
    why = (
        "it quotes no one called ",
        echo(phrase),
        f"; it reports what {who} said. ",
        Suggestion("list", "quotes"),
        " shows every statement.",
    )
    return _does_not_say(reading, why, suggestions=(Suggestion("list", "quotes"),))


def _statements_with(asked: _Asked, phrase: str) -> list[Statement]:
    """Statements that hold enough of a phrase's meaningful words, best first."""
    index = asked.index
    words = _meaningful(phrase)
    if not words or _unknown_words(asked, phrase):
        return []
    every = len(index.knowledge.statements)
    hits = index.statements.search(_widened(words), limit=every)
    found = [index.statement(str(hit.key)) for hit in hits]
    return [s for s in found if _coverage(asked, words, s.text) >= COVERED]


# Entries: "who is X", "what is X", "tell me about X", a bare name


def _resolve(asked: _Asked, phrase: str) -> Entry | list[Entry] | None:
    """The entry a phrase names; or the few it may name; or None when it names nothing."""
    index = asked.index
    if not phrase:
        return None
    match = index.names.match(phrase)
    if match.exact and match.winner:
        return index.entry(match.winner)
    named = _entities_named(asked, phrase)
    if len(named) >= 2 and not _meaningful(_without_names(phrase, named)):
        return named
    if match.winner:
        return index.entry(match.winner)
    if match.ranked and not _unknown_words(asked, phrase):
        return [index.entry(s.key) for s in match.ranked[:MAX_READINGS]]
    return None


def _named(asked: _Asked, phrase: str) -> Reply:
    """A name or "who/what is X": the entry, whatever its kind; else the passages."""
    if not phrase:
        return _readings(
            asked,
            ("a question with nothing to look up",),
            [Suggestion("brief"), Suggestion("list"), Suggestion("help", "ask")],
        )
    found = _resolve(asked, phrase)
    if isinstance(found, Entry):
        reply = answers.lookup(found.kind)(asked.with_argument(found.name))
        return _with_reading(
            reply, f"what the article says about {found.name} ({found.kind.label})"
        )
    reading = ("what the article says about ", echo(phrase))
    if isinstance(found, list):
        options = [link(entry) for entry in found]
        people = [entry for entry in found if entry.kind is Kind.PERSON]
        others = [entry for entry in found if entry.kind is not Kind.PERSON]
        if len(people) == 1 and others:
            said = f"what did {people[0].name} say about {_short(others[0])}"
            options.insert(0, Suggestion("ask", said))
        return _readings(reading, options)
    return _passages(asked, phrase, reading)


# Key figures: "how many …", "how much …", "what share …", "how long …"


def _figure(asked: _Asked) -> Reply:
    index = asked.index
    phrase = asked.question.subject
    words = _meaningful(phrase)
    reading = ("a key figure: ", echo(asked.question.text))
    unknown = _unknown_words(asked, phrase)
    figures = index.knowledge.of_kind(Kind.FIGURE)
    # By how much of the question a figure's text holds, then its names with the measure.
    named_by = [*words, *_variants(asked.question.measure)]
    scored = sorted(
        (
            (
                _coverage(asked, words, _figure_text(entry)),
                _coverage(asked, named_by, " ".join(entry.names)),
                position,
                entry,
            )
            for position, entry in enumerate(figures)
        ),
        key=lambda found: (-found[0], -found[1], found[2]),
    )
    # Every word must be the figure's: "how many AI researchers are in the US" is not China's
    # share. A question of names alone ("how old is Jensen Huang") must find what it asks
    # (how long, how many) in the figure's names.
    names_only = not _meaningful(_without_names(phrase, _entities_named(asked, phrase)))
    measure = list(_variants(asked.question.measure))

    def measures(entry: Entry) -> bool:
        return _coverage(asked, measure, " ".join(entry.names)) > 0

    best = [
        entry
        for share, _, _, entry in scored
        if words and share == 1.0 and (not names_only or measures(entry))
    ]
    top = scored[0][:2] if scored else (0.0, 0.0)
    tied = [e for *share, _, e in scored if tuple(share[:2]) == top and e in best]
    if best and not unknown:
        if len(tied) > 1:
            return _readings(reading, [link(entry) for entry in tied])
        figure = best[0]
        reply = answers.lookup(Kind.FIGURE)(asked.with_argument(figure.name))
        return _with_reading(reply, f"a key figure: {figure.name}")
    if unknown:
        why: tuple[Segment, ...] = ("it does not mention ", echo(" ".join(unknown)), ". ")
    else:
        why = ("it gives no such figure. ",)
    why = (*why, Suggestion("figure"), " lists the figures it gives.")
    closest = _closest_passage(asked, phrase)
    return _does_not_say(reading, why, closest, (Suggestion("figure"),))


def _figure_text(entry: Entry) -> str:
    texts = [*entry.names, entry.summary, entry.value or "", *(s.text for s in entry.sources)]
    return " ".join(texts)


# Passages: "why …", "how …", "is …", "does …", "can …", "will …"


def _passages(asked: _Asked, phrase: str, reading: tuple[Segment, ...] | None = None) -> Reply:
    """The article's sentences that answer a question, best first; or "does not say"."""
    reading = reading or (
        "the passages of the article that answer ",
        echo(asked.question.text),
        ", best first",
    )
    words = _meaningful(phrase)
    if not words:
        return _readings(reading, [Suggestion("brief"), Suggestion("help", "ask")])
    unknown = _unknown_words(asked, phrase)
    ranked = _ranked_passages(asked, words)
    if unknown:
        why: tuple[Segment, ...] = ("it does not mention ", echo(" ".join(unknown)), ".")
        return _does_not_say(reading, why, ranked[0][1] if ranked else None)
    answering = [excerpt for share, excerpt in ranked if share >= EVERY_WORD][:MAX_PASSAGES]
    if not answering:
        why = ("no passage holds enough of what you asked.",)
        return _does_not_say(reading, why, ranked[0][1] if ranked else None)
    passages = tuple(
        point(excerpt.text, paragraphs=(excerpt.line,), quoted=True) for excerpt in answering
    )
    named = _entities_named(asked, phrase)
    return answers.answered(
        asked.ask,
        "From the article",
        answering,
        lead=(_understood(*reading),),
        sections=(Section("In the article", passages),),
        related=tuple(link(entry) for entry in named),
    )


def _ranked_passages(asked: _Asked, words: list[str]) -> list[tuple[float, Excerpt]]:
    """Article sentences by how much of the question they hold, then by search rank."""
    index = asked.index
    hits = index.text.search(_widened(words), limit=SEARCHED_PASSAGES)
    sentences = [
        answers.sentence_excerpt(index, hit.key) for hit in hits if isinstance(hit.key, SentenceKey)
    ]
    # Whole sentences before headlines (a headline ends without a full stop). A name may
    # stand in the sentence's paragraph: "He also mentioned …" is still about NVIDIA there.
    scored = [
        (_coverage(asked, words, s.text, _paragraph(index, s)), _headline(s.text), rank, s)
        for rank, s in enumerate(sentences)
    ]
    scored.sort(key=lambda found: (-found[0], found[1], found[2]))
    return [(share, excerpt) for share, _, _, excerpt in scored if share > 0]


def _paragraph(index: KnowledgeIndex, excerpt: Excerpt) -> str:
    return index.knowledge.article(excerpt.article_id).text.paragraph(excerpt.line).text


def _headline(text: str) -> bool:
    return not text.rstrip("”\"'’ ").endswith((".", "!", "?"))


def _closest_passage(asked: _Asked, phrase: str) -> Excerpt | None:
    words = [word for word in _meaningful(phrase) if _known(asked, word)]
    ranked = _ranked_passages(asked, words) if words else []
    return ranked[0][1] if ranked else None


# Words: which carry meaning, which the article knows, how much of them a text holds


def _meaningful(phrase: str) -> list[str]:
    words = normalise_name(phrase).split()
    return list(dict.fromkeys(word for word in words if word not in QUESTION_WORDS))


def _variants(word: str) -> tuple[str, ...]:
    return (word, *SYNONYMS.get(word, ()))


def _widened(words: list[str]) -> str:
    return " ".join(dict.fromkeys(v for word in words for v in _variants(word)))


def _stem(word: str) -> str:
    """A word without its ending, so forms compare equal: praised, praising -> prais."""
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"  # technologies -> technology
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _known(asked: _Asked, word: str) -> bool:
    """Whether the article (or a name in the knowledge) uses the word, or one it means."""
    if word not in asked.words_known:
        index = asked.index
        asked.words_known[word] = any(
            index.text.search(variant, limit=1) for variant in _variants(word)
        )
    return asked.words_known[word]


def _unknown_words(asked: _Asked, phrase: str) -> list[str]:
    """The phrase's meaningful words the article never uses, as the question has them."""
    unknown = [word for word in _meaningful(phrase) if not _known(asked, word)]
    return [_typed(asked.question.text, word) for word in unknown]


def _coverage(asked: _Asked, words: list[str], text: str, around: str = "") -> float:
    """The share of the question's meaningful words a text holds: a typo, another form of the
    word or a word it means counts; a word of a name the question uses counts where the text,
    or the text `around` it, names that entry, and a person's where a pronoun stands for them."""
    if not words:
        return 0.0
    own = normalise_name(text).split()
    stems = {_stem(word) for word in own}
    pronoun = bool(_PERSON_PRONOUNS & set(own))
    knowledge = asked.index.knowledge
    named = {entry.id for entry in knowledge.entries_named_in(f"{text} {around}")}
    names = _word_names(asked)
    held = 0
    for word in words:
        if any(
            _stem(variant) in stems
            or any(word_similarity(variant, other) >= TOKEN_SIMILAR for other in own)
            for variant in _variants(word)
        ) or any(
            entry.id in named or (pronoun and entry.kind is Kind.PERSON)
            for entry in names.get(word, ())
        ):
            held += 1
    return held / len(words)


def _word_names(asked: _Asked) -> dict[str, list[Entry]]:
    """Each word of a name the question uses -> the entries of that name."""
    if asked.names is None:
        asked.names = {}
        for entry in _entities_named(asked, asked.question.text):
            for name in entry.names:
                for word in normalise_name(name).split():
                    asked.names.setdefault(word, []).append(entry)
    return asked.names


def _entities_named(asked: _Asked, phrase: str) -> list[Entry]:
    """The entries a phrase names by a whole name or alias, English or Chinese."""
    knowledge = asked.index.knowledge
    named = knowledge.entries_named_in(phrase)
    if _CJK.search(phrase):
        ids = {entry.id for entry in named} | set(_chinese_names(asked.index, phrase)[0])
        named = [entry for entry in knowledge.entries.values() if entry.id in ids]
    return _outermost(named)


def _outermost(entries: list[Entry]) -> list[Entry]:
    """Drop entries whose every name is part of another found entry's name: "DeepSeek" in
    "DeepSeek R1"."""
    names = {e.id: [normalise_name(n) for n in e.names] for e in entries}
    kept = []
    for entry in entries:
        inside = any(
            other.id != entry.id
            and any(
                f" {mine} " in f" {theirs} "
                for mine in names[entry.id]
                for theirs in names[other.id]
            )
            for other in entries
        )
        if not inside:
            kept.append(entry)
    return kept


def _without_names(phrase: str, entries: list[Entry]) -> str:
    text = f" {normalise_name(phrase)} "
    for entry in entries:
        for name in sorted((normalise_name(n) for n in entry.names), key=len, reverse=True):
            if name and f" {name} " in text:
                text = text.replace(f" {name} ", " ")
    return text.strip()


# Chinese: names found by their Chinese spelling, the rest read through a small glossary

_CHINESE_NAMES: tuple[object, dict[str, list[str]]] = (None, {})


def _chinese_names(index: KnowledgeIndex, text: str) -> tuple[list[str], str]:
    """Ids of the entries whose Chinese name the text contains (longest names first, so 阿里巴巴
    is not also 阿里), and the text with those names taken out."""
    table = _chinese_table(index)
    found: list[str] = []
    for name in sorted(table, key=len, reverse=True):
        if name in text:
            found.extend(table[name])
            text = text.replace(name, " ")
    return list(dict.fromkeys(found)), text


def _chinese_table(index: KnowledgeIndex) -> dict[str, list[str]]:
    global _CHINESE_NAMES
    cached_for, table = _CHINESE_NAMES
    if cached_for is not index:
        table = {}
        for entry in index.knowledge.entries.values():
            for name in entry.names:
                if _CJK.search(name):
                    table.setdefault(name, []).append(entry.id)
        _CHINESE_NAMES = (index, table)
    return table


def _read_chinese(asked: _Asked, question: Question) -> tuple[Question, list[str]]:
    """A Chinese question with its slots in the knowledge's English names, and the pieces of it
    that are neither a name, a glossary word nor a particle."""
    index = asked.index
    ids, rest = _chinese_names(index, question.subject)
    entries = [index.entry(key) for key in ids]
    english = re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-']*", rest)
    for entry in index.knowledge.entries_named_in(" ".join(english)):
        entries.append(entry)
    rest = re.sub(r"[A-Za-z0-9][A-Za-z0-9.\-']*", " ", re.sub(r"(\d)年", r"\1 ", rest))
    glossed: list[str] = []
    for word in sorted(CN_WORDS, key=len, reverse=True):
        if word in rest:
            glossed.append(CN_WORDS[word])
            rest = rest.replace(word, " ")
    unknown = [
        piece
        for piece in re.split(r"\s+", "".join(" " if c in _CN_PARTICLES else c for c in rest))
        if piece
    ]
    entries = list({entry.id: entry for entry in entries}.values())
    people = [e for e in entries if e.kind is Kind.PERSON]
    others = [e for e in entries if e.kind is not Kind.PERSON]
    words = " ".join([*(e.name for e in others), *_english_words(english, others), *glossed])
    if question.shape is Shape.SAID:
        # Without a known name, the unknown words are who spoke ("马斯克说了什么").
        speaker = people[0].name if people else "" if others else " ".join(unknown)
        subject = " ".join([*(e.name for e in others), *(unknown if people or others else ())])
        return replace(question, speaker=speaker, subject=subject), unknown
    if question.shape in (Shape.ENTRY, Shape.NAME) and not glossed:
        return replace(question, subject=" ".join(e.name for e in entries)), unknown
    people_words = " ".join(e.name for e in people)
    return replace(question, subject=f"{people_words} {words}".strip()), unknown


def _english_words(words: list[str], entries: list[Entry]) -> list[str]:
    """English words of a mixed question that are not part of an entry's name found in it."""
    names = {w for e in entries for n in e.names for w in normalise_name(n).split()}
    return [w for w in words if normalise_name(w) not in names]
