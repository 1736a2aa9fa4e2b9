"""Ranked free-text search by the words' meaning, not their spelling: SQLite FTS5 and BM25.

Every document is indexed, normalised as names are (matching.normalise_name), in an
in-memory FTS5 table with the porter stemmer, so "tracing" meets "traced" but never
"training". Titles (an entry's names) weigh more than bodies in `bm25()`. Only a query word
that the index holds in no form is widened, as before, to the indexed words it looks like (a
typo, a prefix): fuzzy matching is the fallback, never a rival to an exact word.

It keeps the interface of search.SearchIndex (`search`, `common_words`, `vocabulary`),
and each hit also says which of the document's words matched, for highlighting.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.engine.matching import (
    MAX_QUERY_CHARS,
    STOPWORDS,
    TOKEN_SIMILAR,
    content_words,
    normalise_name,
    word_similarity,
)
from bot.engine.reply import Mark
from bot.engine.search import Document, Hit

MAX_QUERY_WORDS = 12
TITLE_WEIGHT = 3.0  # a word in an entry's name counts three times one in its text
PREFILTER = 50.0  # rapidfuzz narrows the vocabulary quickly; word_similarity decides
TOKENIZER = "porter unicode61 remove_diacritics 2"
_START, _END = "\x02", "\x03"  # highlight() markers: control characters no text holds


@dataclass(frozen=True)
class Found(Hit):
    """A hit, with the document's words (normalised) that the query matched."""

    words: frozenset[str] = field(default=frozenset(), compare=False)


class LexicalIndex:
    """BM25 over stemmed words in SQLite FTS5, fuzzy only for words it holds in no form."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._keys: list[object] = []
        frequency: Counter[str] = Counter()
        rows = []
        for document in documents:
            title, body = _indexed(document.title), _indexed(document.body)
            self._keys.append(document.key)
            rows.append((len(self._keys), title, body))
            frequency.update(set(content_words(f"{title} {body}".strip())))
        self._frequency = frequency
        self._vocabulary = list(frequency)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='{TOKENIZER}')"
        )
        self._db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", rows)
        self._db.execute("INSERT INTO docs(docs) VALUES ('optimize')")

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every indexed word (normalised, not stemmed; stopwords left out)."""
        return frozenset(self._vocabulary)

    def search(self, query: str, limit: int = 5, every_word: bool = False) -> list[Found]:
        """The best documents for the query, best first; empty when no word is found.

        With `every_word`, a document must contain every meaningful word of the query.
        """
        words = content_words(normalise_name(query[:MAX_QUERY_CHARS]))[:MAX_QUERY_WORDS]
        groups = [self._forms(word) for word in dict.fromkeys(words)]
        found = [group for group in groups if group]
        if not found or (every_word and len(found) < len(groups)):
            return []
        joiner = " AND " if every_word else " OR "
        expression = joiner.join("(" + " OR ".join(map(_quoted, g)) + ")" for g in found)
        rows = self._db.execute(
            f"SELECT rowid, bm25(docs, {TITLE_WEIGHT}, 1.0) AS score,"
            f" highlight(docs, 0, '{_START}', '{_END}'), highlight(docs, 1, '{_START}', '{_END}')"
            " FROM docs WHERE docs MATCH ? ORDER BY score, rowid LIMIT ?",
            (expression, max(limit, 0)),
        ).fetchall()
        return [
            Found(self._keys[rowid - 1], -score, _marked(title) | _marked(body))
            for rowid, score, title, body in rows
        ]

    def common_words(self, share: float) -> frozenset[str]:
        """Words found in at least `share` of the documents."""
        count = len(self._keys)
        return frozenset(
            word for word, seen in self._frequency.items() if count and seen / count >= share
        )

    def _forms(self, word: str) -> list[str]:
        """What to look for for one query word: itself when the index holds it in any form
        (stemmed), else the indexed words it looks like (typos, prefixes), else nothing."""
        if self._holds(word):
            return [word]
        if len(word) < 4:
            return []
        return [
            candidate
            for candidate, _, _ in process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=PREFILTER, limit=None
            )
            if word_similarity(word, candidate) >= TOKEN_SIMILAR
        ]

    def _holds(self, word: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1", (_quoted(word),)
        ).fetchone()
        return found is not None


def _indexed(text: str) -> str:
    """A text as the index holds it: normalised as names are, without stopwords."""
    return " ".join(word for word in normalise_name(text).split() if word not in STOPWORDS)


def _quoted(word: str) -> str:
    """A word as an FTS5 string: never an operator (AND, NOT) or a column filter."""
    return '"' + word.replace('"', '""') + '"'


def _marked(highlighted: str) -> frozenset[str]:
    """The words highlight() put between markers."""
    words: set[str] = set()
    for piece in highlighted.split(_START)[1:]:
        words.update(piece.split(_END, 1)[0].split())
    return frozenset(words)


# A word as a reader sees it: letters and digits, initials with their dots (U.S.), possessives.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’][^\W_]+)*")


def highlight(text: str, words: frozenset[str]) -> tuple[str | Mark, ...]:
    """A passage as segments, the words a search matched as `Mark`s: 'It supports ray tracing.'
    -> ('It supports ', Mark('ray tracing'), '.'). Neighbouring matched words, apart only by
    spaces, are one mark."""
    if not words:
        return (text,)
    spans: list[tuple[int, int]] = []
    for found in _WORD.finditer(text):
        if not words.isdisjoint(normalise_name(found.group()).split()):
            start, end = found.span()
            if spans and not text[spans[-1][1] : start].strip():
                start = spans.pop()[0]
            spans.append((start, end))
    segments: list[str | Mark] = []
    at = 0
    for start, end in spans:
        if start > at:
            segments.append(text[at:start])
        segments.append(Mark(text[start:end]))
        at = end
    if at < len(text):
        segments.append(text[at:])
    return tuple(segments)
