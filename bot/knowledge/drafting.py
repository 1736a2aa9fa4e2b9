"""A first draft of a knowledge file from an article as received, for a curator to finish.

It reads the article the way a careful reader does: the headline is the first line; page
furniture is the run of trailing lines that are not the article's prose (short lines, calls to
subscribe, lines that name nothing the article is about); ticker debris is an upper-case symbol
and two dashes glued to a name (`NVIDIANVDA--`). Every excerpt it writes is cut from the text
that `parse_article` makes of the article, so the loader's verbatim checks pass:
sources are whole sentences, statements are the words after a speaker's verb, quotations are
the words inside quotation marks. Nothing in a draft says what the article does not: every
summary is the article's own sentence, marked for review. Knows nothing of Discord.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine.matching import normalise_name
from bot.knowledge.article import (
    _TICKER_SHAPE,
    ArticleFormatError,
    ArticleText,
    Paragraph,
    Sentence,
    _ticker_of,
    collapse_whitespace,
    parse_article,
)
from bot.knowledge.model import Entry, Kind, KnowledgeBase

MAX_ARTICLE_BYTES = 1_000_000
MAX_SOURCES = 3
MAX_RELATED = 6
MARKER_WORDS = 8
HEADING_MAX_WORDS = 14
PROSE_MIN_WORDS = 8

_FURNITURE = re.compile(
    r"\b(newsletters?|subscribe|sign up|inbox|comments?|latest articles|related articles|"
    r"read more|advertisement|all rights reserved|copyright|follow us|share this|stay ahead|"
    r"cookies?|privacy policy|terms of use)\b|©",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]+")
_NAME_RUN = re.compile(r"(?<![\w'])[A-Z][\w]*(?:-[A-Z][\w]*)?(?: [A-Z][\w]*(?:-[A-Z][\w]*)?)*")
# Words that open a sentence with a capital without naming anything.
_OPENERS = set(
    "A An The He She It They We I You This That These Those As When While During Despite "
    "Following Regarding Notably Currently Reflecting Addressing Users Also However Meanwhile "
    "According Since Although Though But And Or If New Last Next In On At For With By From "
    "After Before Asked Praising Its His Her Their Our Some Many Most".split()
)
_GENERIC = set("AI CEO CFO CTO GPU GPUs CPU CPUs EV EVs IT OK TV".split())
_PLACES = set(
    "China Chinese U US USA America American United States Europe European EU Japan Japanese "
    "Korea Korean India Indian Taiwan Taiwanese UK Britain British Germany German France French "
    "Asia Asian Beijing Shanghai Washington".split()
)
_ROLES = set("CEO CFO CTO founder chairman chairwoman President Chairman Founder".split())
_PRODUCT_NOUNS = ("GPU", "GPUs", "chip", "chips", "architecture", "model", "models", "processor")
_SPEECH = re.compile(
    r"(?P<who>\b[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+"
    r"(?:(?:also|specifically|particularly|further|later|then|again)\s+)?"
    r"(?P<verb>said|says|stated|noted|emphasized|emphasised|praised|mentioned|highlighted|"
    r"indicated|pointed out|stressed|thinks|believes|acknowledged|introduced|welcomed|"
    r"reiterated|added|argued|explained|warned|told reporters)\b(?:\s+that\b)?\s*"
)
_PRONOUNS = ("He", "She")
_CLAUSE = re.compile(
    r",\s+(?:while\s+)?(?:also\s+)?(?=(?:noting|acknowledging|highlighting|expressing|pledging|"
    r"recognizing|recognising|adding|saying|stressing|arguing)\b)"
    r"|\s+but\s+(?:also\s+)?(?=(?:reiterated|said|noted|added|stressed|warned)\b)"
)
_THAT_OPENING = re.compile(r"^(?:noting|adding|saying|stressing|arguing)\s+that\s+")
_QUOTED = re.compile(r'"([^"]+)"')
_TOPIC_OPENER = re.compile(
    r"^(?:Regarding|On|Addressing|When discussing|When asked about|Asked about|Discussing)\s+"
    r"(?P<topic>[^,(]+)"
)
_NUMBER_WORDS = "one two three four five six seven eight nine ten twelve twenty hundred"
_FIGURE = re.compile(
    r"\b(?:(?:about|around|nearly|almost|over|more than|less than|up to|some)\s+)?"
    r"(?:\d[\d,.]*\s?(?:%|percent\b)"
    r"|\d[\d,.]*\s+(?:years?|hours?|days?|months?|weeks?|minutes?|million|billion|trillion)\b"
    r"|\d+(?:st|nd|rd|th)\b"
    rf"|(?:{_NUMBER_WORDS.replace(' ', '|')})(?:-\w+|\s+(?:key\s+)?[a-z]+s\b)"
    r"|(?:first|second|third|fourth|fifth)\s+[a-z]+)",
    re.IGNORECASE,
)


class DraftError(ValueError):
    """The file cannot be drafted from; the message is one sentence."""


@dataclass
class Candidate:
    """An entry the draft proposes."""

    kind: Kind
    name: str
    aliases: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)  # where the article names it
    pieces: list[str] = field(default_factory=list)  # excerpts besides whole sentences
    value: str | None = None
    how: str = ""  # how it was found, for the curator
    id: str = ""
    known: tuple[str, str] | None = None  # (id, file) of the same entity already known

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class DraftStatement:
    """Something the article attributes to a speaker."""

    speaker: Candidate
    text: str
    direct: bool
    sentence: Sentence
    id: str = ""
    about: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A knowledge file in the making, and how the article was read."""

    article_id: str
    title: str
    source: str
    body_ends_before: str
    furniture_line: int
    furniture: list[str]
    debris: list[tuple[int, str, str]]  # (line, as glued, the ticker removed)
    text: ArticleText
    entries: list[Candidate]
    statements: list[DraftStatement]
    briefing: Sentence

    @property
    def linked(self) -> list[Candidate]:
        """Candidates the knowledge already has, linked instead of copied."""
        return [c for c in self.entries if c.known is not None]

    @property
    def new(self) -> list[Candidate]:
        """Candidates written as new entries."""
        return [c for c in self.entries if c.known is None]


def read_article(path: Path) -> str:
    """The article as text, or DraftError with one sentence saying why not."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise DraftError(f"{path} cannot be read ({error.strerror or error}).") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise DraftError(f"{path} is larger than {MAX_ARTICLE_BYTES:,} bytes; no article is.")
    if b"\0" in data:
        raise DraftError(f"{path} is not text; give the article as a plain text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftError(f"{path} is not UTF-8 text; save the article as UTF-8.") from None
    if not text.strip():
        raise DraftError(f"{path} is empty; there is no article to draft from.")
    return text.replace("\r\n", "\n")


def draft(raw: str, source: str, known: KnowledgeBase | None = None) -> Draft:
    """Read an article and propose its knowledge file; `source` is the path the file cites."""
    lines = [(n, collapse_whitespace(line)) for n, line in enumerate(raw.split("\n"), 1)]
    content = [(n, line) for n, line in lines if line]
    debris = _debris(content)
    tickers = tuple(dict.fromkeys(ticker for _, _, ticker in debris))
    furniture_at = _furniture_start(content, tickers)
    if furniture_at is None:
        raise DraftError(
            "the article has no page furniture after its last paragraph to mark where it ends; "
            "add a line such as 'End of article' after it and draft again."
        )
    marker = _marker(content, furniture_at)
    try:
        text = parse_article(raw, marker, tickers)
    except ArticleFormatError as error:
        raise DraftError(f"the article cannot be read: {error}.") from None
    body = [p for p in text.paragraphs[1:] if not _is_heading(p)]
    sentences = [s for s in text.sentences if s.line in {p.line for p in body}]
    if not any(len(s.text.split()) >= 4 and s.text.rstrip()[-1:] in '.!?"”' for s in sentences):
        raise DraftError("the file holds no sentences, so it is not an article to draft from.")
    debris = [d for d in debris if d[0] < content[furniture_at][0]]
    headings = [p for p in text.paragraphs[1:] if _is_heading(p)]
    reader = _Reader(text, body, sentences, headings, known)
    entries, statements = reader.read()
    title = text.title
    return Draft(
        article_id=_unique(_slug(title, 6), _known_ids(known, articles=True)),
        title=title,
        source=source,
        body_ends_before=marker,
        furniture_line=content[furniture_at][0],
        furniture=[line for _, line in content[furniture_at:]],
        debris=debris,
        text=text,
        entries=entries,
        statements=statements,
        briefing=sentences[0],
    )


def _debris(content: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    words = {word for _, line in content for word in re.findall(r"\w+", line)}
    found = []
    for number, line in content:
        for match in _TICKER_SHAPE.finditer(line):
            ticker = _ticker_of(match.group(), words)
            if re.fullmatch(r"[A-Z][A-Z0-9.]{0,5}--", ticker):
                found.append((number, match.group(), ticker))
    return found


def _furniture_start(content: list[tuple[int, str]], tickers: tuple[str, ...]) -> int | None:
    """Index of the first trailing line that is not the article's prose."""
    cleaned = [_without(line, tickers) for _, line in content]
    lines_naming: dict[str, set[int]] = {}
    for index, line in enumerate(cleaned):
        for word in _CAPITALISED.findall(line):
            lines_naming.setdefault(word, set()).add(index)
    often = 3 if len(cleaned) >= 12 else 2  # a short article names its subject less often
    subjects = {word for word, where in lines_naming.items() if len(where) >= often}
    index = len(cleaned) - 1
    while index > 0 and not _is_prose(cleaned[index], subjects):
        index -= 1
    return index + 1 if index + 1 < len(cleaned) else None


def _is_prose(line: str, subjects: set[str]) -> bool:
    if len(line.split()) < PROSE_MIN_WORDS or _FURNITURE.search(line):
        return False
    return any(word in subjects for word in _CAPITALISED.findall(line))


def _marker(content: list[tuple[int, str]], start: int) -> str:
    """The shortest start of the furniture line (up to eight words) no earlier line starts with."""
    words = content[start][1].split()
    earlier = [line for _, line in content[:start]]
    for size in range(min(3, len(words)), len(words) + 1):
        marker = " ".join(words[:size])
        if size >= min(MARKER_WORDS, len(words)) and not any(
            line.startswith(marker) for line in earlier
        ):
            return marker.rstrip(",;:")
    return content[start][1]


def _without(line: str, tickers: tuple[str, ...]) -> str:
    for ticker in tickers:
        line = line.replace(ticker, "")
    return line


def _is_heading(paragraph: Paragraph) -> bool:
    text = paragraph.normalised.rstrip()
    return len(text.split()) <= HEADING_MAX_WORDS and text[-1:] not in ".!?:;\"')"


class _Reader:
    """Finds the entries and statements of one article."""

    def __init__(
        self,
        text: ArticleText,
        body: list[Paragraph],
        sentences: list[Sentence],
        headings: list[Paragraph],
        known: KnowledgeBase | None,
    ) -> None:
        self.text = text
        self.body = body
        self.sentences = sentences
        self.headings = headings
        self.known = known
        self.candidates: dict[str, Candidate] = {}
        self.lowercase = {
            w for p in text.paragraphs for w in re.findall(r"\b[a-z][a-z]+\b", p.normalised)
        }

    def read(self) -> tuple[list[Candidate], list[DraftStatement]]:
        self._names()
        self._people()
        self._topics()
        self._figures()
        if not self.candidates:  # every knowledge file needs an entry: the article's subject
            headline = self.text.sentences[0]
            self._add(Kind.TOPIC, self.text.title, headline, how="the headline")
        entries = list(self.candidates.values())
        self._link(entries)
        statements = self._statements()
        return entries, statements

    # -- names -------------------------------------------------------------------------

    def _add(
        self, kind: Kind, name: str, sentence: Sentence | None, how: str, piece: str = ""
    ) -> Candidate | None:
        key = normalise_name(name)
        if not key or len(name) > 100:
            return None
        candidate = self.candidates.get(key)
        if candidate is None:
            for other in self.candidates.values():
                if key in {normalise_name(n) for n in other.names}:
                    candidate = other
                    break
        if candidate is None:
            candidate = Candidate(kind, name, how=how)
            self.candidates[key] = candidate
        if sentence is not None and sentence not in candidate.sentences:
            candidate.sentences.append(sentence)
        if piece and piece not in candidate.pieces:
            candidate.pieces.append(piece)
        return candidate

    def _names(self) -> None:
        for sentence in self.sentences:
            normalised = self.text.paragraph(sentence.line).normalised[
                sentence.start : sentence.end
            ]
            previous: Candidate | None = None
            for match in _NAME_RUN.finditer(normalised):
                tokens = match.group().split()
                at_start = match.start() == 0 or normalised[: match.start()].strip() in ('"', "(")
                if at_start and tokens and self._opener(tokens[0]):
                    tokens = tokens[1:]
                for part in _split_at_roles(tokens):
                    previous = self._name(part, normalised, match, sentence, previous)
            for found in re.finditer(r"\b(U\.S\.|[A-Z][a-z]+) government\b", normalised):
                if found.group(1) in _PLACES or found.group(1) == "U.S.":
                    self._add(Kind.ORGANISATION, found.group(), sentence, "a government")

    def _opener(self, token: str) -> bool:
        if token.isupper() or re.search(r"\d", token) or re.search(r"[a-z][A-Z]", token):
            return False
        plain = token.lower()
        return token in _OPENERS or plain in self.lowercase or plain.endswith(("ing", "ly"))

    def _name(
        self,
        tokens: list[str],
        normalised: str,
        match: re.Match[str],
        sentence: Sentence,
        previous: Candidate | None,
    ) -> Candidate | None:
        tokens = [t for t in tokens if len(t) > 1 or t.isdigit()]
        if not tokens:
            return previous
        if len(tokens) == 1 and (tokens[0] in _GENERIC or tokens[0] in _PLACES):
            return previous
        full = " ".join(tokens)
        name, kind, how = full, Kind.ORGANISATION, "a name"
        if len(tokens) > 1 and tokens[-1] in _PRODUCT_NOUNS:
            name, kind, how = " ".join(tokens[:-1]), Kind.PRODUCT, f"a name before '{tokens[-1]}'"
        after = normalised[match.end() :].lstrip()
        before = normalised[: match.start()].rstrip()
        if any(re.search(r"\d", t) for t in tokens):
            kind, how = Kind.PRODUCT, "a name with a model number"
        elif after.split(" ", 1)[0].strip(",.") in _PRODUCT_NOUNS:
            kind, how = Kind.PRODUCT, f"a name before '{after.split(' ', 1)[0].strip(',.')}'"
        elif re.search(r"(?:models|products|chips) like$", before):
            kind, how = Kind.PRODUCT, "named as a model"
        elif before.endswith("'s") and previous is not None and before[:-2].endswith(previous.name):
            kind, how = Kind.PRODUCT, f"{previous.name}'s"
        elif (
            previous is not None
            and previous.kind is Kind.PRODUCT
            and re.search(r"(?:,| and| or)$", before)
        ):
            kind, how = Kind.PRODUCT, f"listed with {previous.name}"
        candidate = self._add(kind, name, sentence, how)
        if candidate is None:
            return previous
        if kind is Kind.PRODUCT and candidate.kind is Kind.ORGANISATION and name == candidate.name:
            candidate.kind, candidate.how = kind, how
        if name != full and full not in candidate.aliases:
            candidate.aliases.append(full)
        acronym = re.match(r"\s*\(([A-Z][A-Z0-9]{1,9})\)", normalised[match.end() :])
        if acronym and acronym.group(1) not in candidate.aliases:
            candidate.aliases.append(acronym.group(1))
        return candidate

    def _people(self) -> None:
        """Speakers are people: the names before said, noted, praised and the like."""
        speakers = set()
        for sentence in self.sentences:
            for found in _SPEECH.finditer(self._normalised(sentence)):
                if found.group("who") not in _PRONOUNS:
                    speakers.add(found.group("who"))
        for name in sorted(speakers, key=len, reverse=True):
            key = normalise_name(name)
            candidate = self.candidates.get(key)
            if candidate is None or candidate.known:
                continue
            full = next(
                (
                    c
                    for c in self.candidates.values()
                    if c is not candidate
                    and len(c.name.split()) in (2, 3)
                    and c.name.split()[-1] == name
                    and all(t[:1].isupper() and t[1:].islower() for t in c.name.split())
                ),
                None,
            )
            if full is not None:
                full.kind, full.how = Kind.PERSON, f"speaks as '{name}'"
                full.aliases.append(name)
                full.sentences.extend(s for s in candidate.sentences if s not in full.sentences)
                del self.candidates[key]
            elif all(t[:1].isupper() and t[1:].islower() for t in name.split()):
                candidate.kind, candidate.how = Kind.PERSON, "a speaker"
        for sentence in self.sentences:
            normalised = self._normalised(sentence)
            for role in re.finditer(
                r"\b([A-Z][\w]+) (CEO|CFO|CTO|founder|chairman) ([A-Z]\w+ [A-Z]\w+)", normalised
            ):
                person = self.candidates.get(normalise_name(role.group(3)))
                alias = f"{role.group(1)} {role.group(2)}"
                if (
                    person is not None
                    and person.kind is Kind.PERSON
                    and alias not in person.aliases
                ):
                    person.aliases.append(alias)

    def _topics(self) -> None:
        """Topics from the headings' phrases and from sentences that open on one."""
        for heading in self.headings:
            head, _, tail = heading.normalised.partition(":")
            pieces = [head.strip()] if tail else []
            items = [
                i.strip() for i in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", tail or head)
            ]
            if items and len(items[0].split()) > 3:
                items[0] = " ".join(items[0].split()[-2:])
            for item in [*pieces, *items]:
                words = item.split()
                if words and words[0].endswith("ing") and len(words) > 1:
                    item = " ".join(words[1:])
                if not item or normalise_name(item) in self.candidates:
                    continue
                if normalise_name(item) in {
                    normalise_name(n) for c in self.candidates.values() for n in c.names
                }:
                    continue
                start = heading.normalised.find(item)
                piece = heading.text[start : start + len(item)]
                topic = self._add(
                    Kind.TOPIC, piece, None, f"a heading (line {heading.line})", piece
                )
                if topic is not None:
                    topic.sentences.extend(self._mentioning(item))
        for sentence in self.sentences:
            found = _TOPIC_OPENER.match(self._normalised(sentence))
            if found is None:
                continue
            phrase = found.group("topic").strip()
            if not 1 <= len(phrase.split()) <= 6:
                continue
            start = sentence.start + found.start("topic")
            piece = self.text.paragraph(sentence.line).text[start : start + len(phrase)]
            name = piece[:1].upper() + piece[1:]
            self._add(Kind.TOPIC, name, sentence, f"a sentence opens on it (line {sentence.line})")

    def _figures(self) -> None:
        for sentence in self.sentences:
            normalised = self._normalised(sentence)
            for found in _FIGURE.finditer(normalised):
                value = found.group().strip()
                if re.fullmatch(r"(19|20)\d\d", value):
                    continue
                display = self.text.paragraph(sentence.line).text
                start = sentence.start + found.start()
                value = display[start : start + len(value)]
                clause = _clause_around(normalised, found.start(), found.end())
                name = clause[0].upper() + clause[1:]
                figure = self._add(Kind.FIGURE, name, sentence, "a number in the text")
                if figure is not None and figure.value is None:
                    figure.value = value

    def _mentioning(self, phrase: str) -> list[Sentence]:
        needle = phrase.casefold()
        return [s for s in self.sentences if needle in self._normalised(s).casefold()][:MAX_SOURCES]

    def _normalised(self, sentence: Sentence) -> str:
        return self.text.paragraph(sentence.line).normalised[sentence.start : sentence.end]

    # -- the knowledge already known -----------------------------------------------------

    def _link(self, entries: list[Candidate]) -> None:
        known: dict[tuple[Kind, str], Entry] = {}
        if self.known is not None:
            for entry in self.known.entries.values():
                for name in entry.names:
                    known.setdefault((entry.kind, normalise_name(name)), entry)
        taken = _known_ids(self.known)
        names_taken = {key for key in known}
        for candidate in entries:
            match = next(
                (
                    known[(candidate.kind, normalise_name(n))]
                    for n in candidate.names
                    if (candidate.kind, normalise_name(n)) in known
                ),
                None,
            )
            if match is not None:
                article = self.known.article(match.article_id) if self.known else None
                where = article.knowledge_file.name if article is not None else "the knowledge"
                candidate.known = (match.id, where)
                candidate.id = match.id
                continue
            candidate.aliases = [
                a
                for a in dict.fromkeys(candidate.aliases)
                if normalise_name(a) != normalise_name(candidate.name)
                and (candidate.kind, normalise_name(a)) not in names_taken
            ]
            for name in candidate.names:
                names_taken.add((candidate.kind, normalise_name(name)))
            candidate.id = _unique(_slug(candidate.name, 6), taken)
            taken.add(candidate.id)

    # -- statements ----------------------------------------------------------------------

    def _statements(self) -> list[DraftStatement]:
        people = [c for c in self.candidates.values() if c.kind is Kind.PERSON]
        statements: list[DraftStatement] = []
        last_person: Candidate | None = None
        for sentence in self.sentences:
            normalised = self._normalised(sentence)
            speaker: Candidate | None = None
            for found in _SPEECH.finditer(normalised):
                who = found.group("who")
                if who in _PRONOUNS:
                    speaker = last_person
                else:
                    speaker = next((p for p in people if who in p.names), None)
                if speaker is None:
                    continue
                said = normalised[found.end() :]
                offset = found.end()
                for start, end in _clauses(said):
                    statement = self._statement(speaker, sentence, offset + start, offset + end)
                    if statement is not None:
                        statements.append(statement)
                break
            named = [
                p
                for p in people
                if any(re.search(rf"\b{re.escape(n)}\b", normalised) for n in p.names)
            ]
            if speaker is not None:
                for quote in _QUOTED.finditer(normalised):
                    statement = self._statement(
                        speaker, sentence, quote.start(1), quote.end(1), direct=True
                    )
                    if statement is not None:
                        statements.append(statement)
            last_person = named[-1] if named else (speaker or last_person)
        self._identify(statements)
        return statements

    def _statement(
        self, speaker: Candidate, sentence: Sentence, start: int, end: int, direct: bool = False
    ) -> DraftStatement | None:
        normalised = self._normalised(sentence)
        piece = normalised[start:end]
        opening = _THAT_OPENING.match(piece)
        if opening:
            start += opening.end()
        while end > start and normalised[end - 1] in " .,;:!?\"'":
            end -= 1
        while start < end and normalised[start] in " \"'":
            start += 1
        if len(normalised[start:end].split()) < (2 if direct else 3):
            return None
        display = self.text.paragraph(sentence.line).text
        text = display[sentence.start + start : sentence.start + end]
        if self.text.locate(text) is None:
            return None
        return DraftStatement(speaker, text, direct, sentence)

    def _identify(self, statements: list[DraftStatement]) -> None:
        taken = _known_ids(self.known)
        topics = [c for c in self.candidates.values() if c.kind is Kind.TOPIC]
        for statement in statements:
            statement.id = _unique("st-" + _slug(statement.text, 5), taken)
            taken.add(statement.id)
            about = [
                c.id
                for c in self.candidates.values()
                if c is not statement.speaker and _names_any(statement.text, c)
            ]
            if not about:
                about = [t.id for t in topics if statement.sentence in t.sentences][:1]
            statement.about = about or [statement.speaker.id]


def _split_at_roles(tokens: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _ROLES:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _clauses(said: str) -> list[tuple[int, int]]:
    cuts = [0]
    for found in _CLAUSE.finditer(said):
        cuts.extend((found.start(), found.end()))
    cuts.append(len(said))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]


def _clause_around(text: str, start: int, end: int) -> str:
    """A name for a figure: its value and the words after it in its clause, or before it."""
    left = max(text.rfind(",", 0, start), text.rfind("(", 0, start), text.rfind(":", 0, start))
    right = min((i for i in (text.find(c, end) for c in ",.(:;") if i >= 0), default=len(text))
    after = text[start:right].split()
    if len(after) >= 3 or len(after) == len(text[left + 1 : right].split()):
        return " ".join(after[:8]).rstrip(".,")
    return " ".join(text[left + 1 : end].split()[-6:]).rstrip(".,")


def _names_any(text: str, candidate: Candidate) -> bool:
    lowered = text.casefold()
    return any(
        re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", lowered)
        for name in candidate.names
        if len(name) >= 3 and candidate.kind is not Kind.FIGURE
    )


def _known_ids(known: KnowledgeBase | None, articles: bool = False) -> set[str]:
    if known is None:
        return set()
    if articles:
        return {a.id for a in known.articles}
    return set(known.entries) | {s.id for s in known.statements}


def _slug(text: str, words: int) -> str:
    plain = normalise_name(text).replace("'", "")
    parts = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode())
    return "-".join(parts[:words])[:56].strip("-") or "entry"


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# -- writing the draft ----------------------------------------------------------------------


def to_yaml(result: Draft) -> str:
    """The draft as a knowledge file, with comments saying what to review."""
    q = _quote
    out: list[str] = [
        f"# Drafted by `briefbot draft` from {result.source}.",
        "# Review every entry before readers see it.",
        "# Summaries are the article's own sentence, marked '# review'; write them yourself,",
        "# stating only what the article says, and delete what should not be an entry.",
        "#",
        "# How the article was read (confirm these):",
        f"#   title: line {result.text.paragraphs[0].line}, the headline.",
        f"#   body_ends_before: line {result.furniture_line}: page furniture from there on:",
    ]
    out += [f"#     | {line}" for line in result.furniture[:8]]
    if not result.debris:
        out.append("#   debris: none; no ticker was glued to a name.")
    for line, glued, ticker in result.debris:
        out.append(
            f"#   debris: line {line}: '{glued}' is '{glued.removesuffix(ticker)}' "
            f"and the ticker {ticker}"
        )
    if result.linked:
        out += [
            "#",
            "# Already in the knowledge: each gets an entry below that adds what this article says",
            "# to the one defined there (figures excepted: give a new figure its own id):",
        ]
        for candidate in result.linked:
            known_id, where = candidate.known or ("", "")
            lines = ", ".join(str(n) for n in dict.fromkeys(s.line for s in candidate.sentences))
            out.append(
                f"#   already known as {known_id} in {where}: {candidate.name} "
                f"({candidate.kind.value})" + (f", named on lines {lines}" if lines else "")
            )
    out += [
        "article:",
        f"  id: {result.article_id}",
        f"  title: {q(result.title)}",
        f"  source: {result.source}",
        f"  body_ends_before: {q(result.body_ends_before)}",
        f"  debris: [{', '.join(q(t) for t in dict.fromkeys(t for _, _, t in result.debris))}]",
        "  briefing:",
        "    # review: the article's first sentence; write the key points, each with its sources",
        f"    - text: {q(result.briefing.text)}",
        "      sources:",
        f"        - {q(result.briefing.text)}",
        "",
        "entries:",
    ]
    ids = {c.id for c in result.entries}
    for kind in Kind:
        for candidate in (c for c in result.new if c.kind is kind):
            out += _entry_yaml(candidate, ids, result)
    # A figure is one article's number: a known figure's name is only pointed out above.
    for candidate in (c for c in result.linked if c.kind is not Kind.FIGURE and c.sentences):
        out += _entry_yaml(candidate, ids, result)
    out.append("")
    out.append("statements:" if result.statements else "statements: []")
    for statement in result.statements:
        out += [
            f"  # line {statement.sentence.line}",
            f"  - id: {statement.id}",
            f"    speaker: {statement.speaker.id}",
            f"    text: {q(statement.text)}",
            f"    direct: {'true' if statement.direct else 'false'}",
            f"    about: [{', '.join(dict.fromkeys(statement.about))}]",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _entry_yaml(candidate: Candidate, ids: set[str], result: Draft) -> list[str]:
    q = _quote
    sources = list(dict.fromkeys([*candidate.pieces, *(s.text for s in candidate.sentences)]))
    sources = sources[: MAX_SOURCES + len(candidate.pieces)]
    summary = candidate.sentences[0].text if candidate.sentences else sources[0]
    lines = ", ".join(str(n) for n in dict.fromkeys(s.line for s in candidate.sentences))
    related = []
    for other in result.entries:
        if other is candidate or other.kind is Kind.FIGURE or other.id not in ids:
            continue
        if any(s in other.sentences for s in candidate.sentences):
            related.append(other.id)
    block = [
        f"  # {candidate.kind.value}, found as {candidate.how}"
        + (f"; lines {lines}" if lines else ""),
        f"  - id: {candidate.id}",
    ]
    if candidate.known is not None:
        # What this article says about an entity the knowledge already has: a contribution
        # to its identity, not a twin of it.
        block.insert(1, f"  # adds to {candidate.known[0]}, defined in {candidate.known[1]}")
    else:
        block += [f"    kind: {candidate.kind.value}", f"    name: {q(candidate.name)}"]
        if candidate.value is not None:
            block.append(f"    value: {q(candidate.value)}")
        block.append(f"    aliases: [{', '.join(q(a) for a in candidate.aliases)}]")
    block += [
        "    # review: the article's own sentence, not yet a summary",
        f"    summary: {q(summary)}",
        f"    related: [{', '.join(related[:MAX_RELATED])}]",
        "    sources:",
        *(f"      - {q(source)}" for source in sources),
        "",
    ]
    return block


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)
