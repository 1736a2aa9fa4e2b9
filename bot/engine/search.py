"""Ranked free-text search over entries and the article's sentences, tolerant of typos."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.engine.matching import MAX_QUERY_CHARS, WordIndex, content_words, normalise_name

MAX_QUERY_WORDS = 12
PREFILTER = 50.0  # a word found must also be this like the query word as a string (fuzz.ratio)
NAME_WEIGHT = 2.0
_NO_WORDS: frozenset[str] = frozenset()


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
        self._documents: list[tuple[object, Counter[str], frozenset[str]]] = []
        frequency: Counter[str] = Counter()
        for document in documents:
            # Most documents are sentences without a title: they share one empty set.
            title_words = frozenset(content_words(normalise_name(document.title))) or _NO_WORDS
            words = Counter(content_words(normalise_name(document.title + " " + document.body)))
            self._documents.append((document.key, words, title_words))
            frequency.update(words.keys())
        count = max(len(self._documents), 1)
        self._idf = {word: math.log(1 + count / seen) for word, seen in frequency.items()}
        self._frequency = frequency
        lengths = [sum(counts.values()) for _, counts, _ in self._documents]
        self._average_length = max(sum(lengths) / max(len(lengths), 1), 1.0)
        self._vocabulary = list(self._idf)
        self._words = WordIndex(self._vocabulary)
        # Which documents hold each word, in document order: a search visits only those.
        self._postings: dict[str, list[int]] = {}
        for position, (_, counts, _) in enumerate(self._documents):
            for word in counts:
                self._postings.setdefault(word, []).append(position)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every indexed word."""
        return frozenset(self._vocabulary)

    def search(self, query: str, limit: int = 5, every_word: bool = False) -> list[Hit]:
        """The best documents for the query, best first; empty when no word is found.

        With `every_word`, a document must contain every meaningful word of the query.
        """
        words = content_words(normalise_name(query[:MAX_QUERY_CHARS]))[:MAX_QUERY_WORDS]
        widened = [options for options in map(self._widen, words) if options]
        if not widened or (every_word and len(widened) < len(words)):
            return []
        found: dict[int, list[float]] = {}  # a document -> its score for each query word
        for slot, options in enumerate(widened):
            for word, weight in options.items():
                value = weight * self._idf[word]
                for position in self._postings.get(word, ()):
                    title_words = self._documents[position][2]
                    scored = value * (NAME_WEIGHT if word in title_words else 1.0)
                    scores = found.setdefault(position, [0.0] * len(widened))
                    scores[slot] = max(scores[slot], scored)
        hits = []
        for position in sorted(found):  # document order, so equal scores keep it
            key, counts, _ = self._documents[position]
            scores = found[position]
            matched = sum(1 for score in scores if score)
            if matched == len(words) or not every_word:
                # Favour documents that hold more of the query, and short ones that are about it.
                length = 0.5 + 0.5 * sum(counts.values()) / self._average_length
                hits.append(Hit(key, sum(scores) * matched / len(words) / length))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]

    def common_words(self, share: float) -> frozenset[str]:
        """Words found in at least `share` of the documents."""
        count = len(self._documents)
        return frozenset(
            word for word, seen in self._frequency.items() if count and seen / count >= share
        )

    def _widen(self, word: str) -> dict[str, float]:
        """Indexed words the query word may mean, each with how sure we are.

        The words word_similarity accepts (found by the word index, never by a scan of the
        whole vocabulary), but not a long word that merely starts with a short one: "semi" is
        no way to ask for "semiconductors" (their fuzz.ratio is below PREFILTER).
        """
        return {
            candidate: similarity / 100.0
            for candidate, similarity in self._words.similar(word).items()
            if candidate == word or fuzz.ratio(word, candidate) >= PREFILTER
        }
