"""Ranked free-text search over entries and the article's sentences, tolerant of typos."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.matching import MAX_QUERY_CHARS, content_words, normalise_name

MAX_QUERY_WORDS = 12
WORD_SIMILAR = 84.0
NAME_WEIGHT = 2.0


@dataclass(frozen=True)
class Document:
    """Something search can find: `key` identifies it to the caller."""

    key: object
    title: str
    body: str


@dataclass(frozen=True)
class Hit:
    """A found document and how well it fits."""

    key: object
    score: float


class SearchIndex:
    """Word-level index: each query word is widened to the indexed words it is close to."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self._documents: list[tuple[object, Counter[str], set[str]]] = []
        frequency: Counter[str] = Counter()
        for document in documents:
            title_words = set(content_words(normalise_name(document.title)))
            words = Counter(content_words(normalise_name(document.title + " " + document.body)))
            self._documents.append((document.key, words, title_words))
            frequency.update(words.keys())
        count = max(len(self._documents), 1)
        self._idf = {word: math.log(1 + count / seen) for word, seen in frequency.items()}
        self._vocabulary = list(self._idf)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every indexed word."""
        return frozenset(self._vocabulary)

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best documents for the query, best first; empty when no word is found."""
        words = content_words(normalise_name(query[:MAX_QUERY_CHARS]))[:MAX_QUERY_WORDS]
        widened = [self._widen(word) for word in words]
        widened = [options for options in widened if options]
        if not widened:
            return []
        hits = []
        for key, counts, title_words in self._documents:
            matched, score = 0, 0.0
            for options in widened:
                best = (
                    max(
                        (weight * self._idf[w] * (NAME_WEIGHT if w in title_words else 1.0))
                        for w, weight in options.items()
                        if w in counts
                    )
                    if any(w in counts for w in options)
                    else 0.0
                )
                if best:
                    matched += 1
                    score += best
            if matched:
                hits.append(Hit(key, score * matched / len(widened)))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]

    def _widen(self, word: str) -> dict[str, float]:
        """Indexed words the query word may mean, each with how sure we are."""
        options = {word: 1.0} if word in self._idf else {}
        if len(word) >= 4:
            for candidate, score, _ in process.extract(
                word,
                self._vocabulary,
                scorer=fuzz.ratio,
                score_cutoff=WORD_SIMILAR,
                limit=5,
            ):
                options.setdefault(candidate, score / 100.0)
            for candidate in self._vocabulary:
                if candidate.startswith(word) and candidate != word:
                    options.setdefault(candidate, 0.9)
        return options
