"""The source article as text: page furniture and scraping debris removed, split into sentences.

Every excerpt in the knowledge base is located here, so the bot can cite the line it comes from
and refuse any quote the article does not contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Curly quotes are mapped one character to one character so that offsets in the normalised text
# are offsets in the display text too.
_QUOTE_MAP = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
# A period after dotted initials ("U.S.", "e.g.") or a title does not end a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|St|Inc|Corp|Co|Ltd|vs|No)\.)$"
)
# What a publisher's ticker widget leaves glued to a name ("NVIDIANVDA--"): an upper-case symbol
# and two dashes. Listed debris is removed; anything else of this shape is reported to the admin.
_TICKER_SHAPE = re.compile(r"\w*[A-Z]--")
_WORD = re.compile(r"\w+")


def collapse_whitespace(text: str) -> str:
    """Fold every run of whitespace into one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def straighten_quotes(text: str) -> str:
    """Map curly quotes and apostrophes to straight ones, keeping the length."""
    return text.translate(_QUOTE_MAP)


def normalise_excerpt(text: str, debris: tuple[str, ...] = ()) -> str:
    """The form in which excerpts and the article are compared."""
    return straighten_quotes(collapse_whitespace(_remove_debris(text, debris)))


@dataclass(frozen=True)
class Paragraph:
    """One content line of the article: `line` is its 1-based line number in the source file."""

    line: int
    text: str  # debris removed, whitespace folded, quotes as published
    normalised: str  # same length as `text`, quotes straightened


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, by offsets into that paragraph."""

    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Location:
    """Where an excerpt stands in the article."""

    line: int
    start: int
    end: int


@dataclass(frozen=True)
class ArticleText:
    """The article's content lines, with the furniture after `body_ends_before` cut off."""

    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...]
    debris: tuple[str, ...]

    def locate(self, excerpt: str) -> Location | None:
        """Find an excerpt, after normalisation, within a single paragraph."""
        needle = normalise_excerpt(excerpt, self.debris)
        if not needle:
            return None
        for paragraph in self.paragraphs:
            start = paragraph.normalised.find(needle)
            while start >= 0:
                end = start + len(needle)
                if _whole_words(paragraph.normalised, start, end):
                    return Location(paragraph.line, start, end)
                start = paragraph.normalised.find(needle, start + 1)
        return None

    def is_quoted(self, location: Location) -> bool:
        """True when the located text lies inside one pair of double quotes in the article."""
        paragraph = self.paragraph(location.line)
        opening = None
        for index, char in enumerate(paragraph.normalised):
            if char != '"':
                continue
            if opening is None:
                opening = index
                continue
            if opening < location.start and location.end <= index:
                return True
            opening = None
        return False

    def paragraph(self, line: int) -> Paragraph:
        """The paragraph at a source line."""
        for paragraph in self.paragraphs:
            if paragraph.line == line:
                return paragraph
        raise KeyError(line)

    def display(self, location: Location) -> str:
        """The located text as the article prints it (curly quotes kept, debris gone)."""
        return self.paragraph(location.line).text[location.start : location.end]

    def sentences_at(self, location: Location) -> tuple[Sentence, ...]:
        """The sentences an excerpt overlaps."""
        return tuple(
            sentence
            for sentence in self.sentences
            if sentence.line == location.line
            and sentence.start < location.end
            and location.start < sentence.end
        )

    @property
    def title(self) -> str:
        """The first content line, which is the headline."""
        return self.paragraphs[0].text if self.paragraphs else ""


class ArticleFormatError(ValueError):
    """The article text cannot be cut as its knowledge file says."""


def parse_article(raw: str, body_ends_before: str, debris: tuple[str, ...]) -> ArticleText:
    """Cut the article at its furniture, remove debris and split it into sentences."""
    marker = collapse_whitespace(body_ends_before)
    paragraphs: list[Paragraph] = []
    found_marker = not marker
    # Only newlines end a line: ¶N must be the line editors and `grep -n` show.
    for number, line in enumerate(raw.split("\n"), start=1):
        text = collapse_whitespace(_remove_debris(line, debris))
        if marker and collapse_whitespace(line).startswith(marker):
            found_marker = True
            break
        if text:
            paragraphs.append(Paragraph(number, text, straighten_quotes(text)))
    if not found_marker:
        raise ArticleFormatError(f"no line of the article starts with {body_ends_before!r}")
    _refuse_unlisted_debris(paragraphs)
    sentences = tuple(s for p in paragraphs for s in _split_sentences(p))
    return ArticleText(tuple(paragraphs), sentences, debris)


def _refuse_unlisted_debris(paragraphs: list[Paragraph]) -> None:
    words = {word for p in paragraphs for word in _WORD.findall(p.text)}
    for paragraph in paragraphs:
        match = _TICKER_SHAPE.search(paragraph.text)
        if match:
            glued = match.group()
            raise ArticleFormatError(
                f"line {paragraph.line} still holds {glued!r}, which looks like ticker debris; "
                f"add {_ticker_of(glued, words)!r} to the article's debris list"
            )


def _ticker_of(glued: str, article_words: set[str]) -> str:
    """Guess the ticker glued to a name: 'QualcommQCOM--' gives 'QCOM--', 'AMDAMD--' 'AMD--'."""
    run = glued.removesuffix("--")
    camel = re.fullmatch(r".*[a-z]([A-Z]{1,5})", run)
    if camel:
        return camel.group(1) + "--"
    half = len(run) // 2
    if len(run) % 2 == 0 and run[:half] == run[half:]:
        return run[half:] + "--"  # "AMDAMD": the name is its own ticker
    for size in range(1, 6):
        if run[:-size] in article_words:  # the name without the ticker appears elsewhere
            return run[-size:] + "--"
    return glued


def _whole_words(text: str, start: int, end: int) -> bool:
    """An excerpt may not begin or end inside a word ("nderestimating" is not a quote)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    starts_clean = not (before.isalnum() and text[start].isalnum())
    ends_clean = not (after.isalnum() and text[end - 1].isalnum())
    return starts_clean and ends_clean


def _remove_debris(line: str, debris: tuple[str, ...]) -> str:
    for piece in debris:
        line = line.replace(piece, "")
    return line


def _split_sentences(paragraph: Paragraph) -> list[Sentence]:
    sentences = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(paragraph.normalised):
        if _ABBREVIATION.search(paragraph.normalised, 0, match.start()):
            continue
        sentences.append(_sentence(paragraph, start, match.start()))
        start = match.end()
    sentences.append(_sentence(paragraph, start, len(paragraph.text)))
    return sentences


def _sentence(paragraph: Paragraph, start: int, end: int) -> Sentence:
    return Sentence(paragraph.line, start, end, paragraph.text[start:end])
