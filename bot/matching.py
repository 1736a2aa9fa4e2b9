"""Fuzzy name matching: which entry a user means, or an honest "did you mean".

Knows nothing of Discord or of the knowledge base: it matches a query against named keys.
A wrong confident answer is worse than a suggestion, so a query only wins outright when it is
close to one name and clearly closer than to any other, and never when it carries a word that
neither the name nor the article knows ("H100", "Web Services", "wife").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

# Words of a question, not of a name: "who is the ceo of nvidia", "how many ai researchers".
STOPWORDS = frozenset(
    """
    a an the of for and or in on at to about is are was were be what whats who whos which how
    many much when where why does did do say said says tell me please with by from its it his
    her their article articles
    """.split()
)
# Words that may accompany any name without changing what it names: "huawei company".
GENERIC_WORDS = frozenset(
    """
    ai company companies corp corporation inc group chip chips gpu gpus model models product
    products technology technologies architecture
    """.split()
)
MAX_QUERY_CHARS = 200  # longer queries are cut before matching, so they cost no more
EXACT = 100.0
CONFIDENT = 80.0  # a winner needs this score ...
MARGIN = 10.0  # ... and this lead over the runner-up,
CLEAR = 90.0  # or this score with a smaller lead:
CLEAR_MARGIN = 5.0
SUGGEST = 70.0  # below this a name is not worth suggesting
UNSURE_CAP = 75.0  # the most a query with an unexplained word can score
TOKEN_SIMILAR = 80.0  # two words this similar are the same word (see word_similarity)
PARTIAL = 86.0  # the query is part of a name: "jensen", "rtx", "tongyi"
WORDS_ALL_THERE = 98.0  # every word of a name, but not the name as written: close, not exact

_POSSESSIVE = re.compile(r"['’`]s\b", re.IGNORECASE)
_DOTTED_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_NUMBER = re.compile(r"\d+")


def normalise_name(text: str) -> str:
    """Case-fold, drop possessives and punctuation, and fold spaces: 'Alibaba’s' -> 'alibaba'."""
    text = unicodedata.normalize("NFKC", text)
    text = _DOTTED_INITIALS.sub(lambda found: found.group().replace(".", ""), text)  # U.S. -> US
    text = _POSSESSIVE.sub("", text)
    return " ".join(default_process(text).split())


def content_words(normalised: str) -> list[str]:
    """The words of a normalised text that carry meaning (stopwords dropped, unless that is all)."""
    words = normalised.split()
    meaningful = [word for word in words if word not in STOPWORDS]
    return meaningful or words


@dataclass(frozen=True)
class Scored:
    """How well a query fits one key, through its best-fitting name."""

    key: str
    score: float
    name: str


@dataclass(frozen=True)
class Match:
    """The outcome of matching: a confident winner, or suggestions best first, or neither."""

    winner: str | None
    ranked: tuple[Scored, ...]  # every key worth suggesting, best first

    @property
    def exact(self) -> bool:
        """True when the winner was named exactly (name or alias)."""
        return bool(self.ranked) and self.ranked[0].score >= EXACT and self.winner is not None


class NameMatcher:
    """Matches queries against keys that each have several names."""

    def __init__(
        self,
        names: Mapping[str, Iterable[str]],
        context: Mapping[str, Iterable[str]] | None = None,
        common_words: Iterable[str] = (),
    ) -> None:
        """`context`: per key, the words that may accompany its name ("huawei technologies");
        `common_words`: words too frequent to pick a name on their own ("china")."""
        self._names = [
            (key, name, normalise_name(name))
            for key, key_names in names.items()
            for name in key_names
        ]
        always = STOPWORDS | GENERIC_WORDS
        self._context = {key: frozenset(words) | always for key, words in (context or {}).items()}
        self._always = always
        self._common = frozenset(common_words)

    def rank(self, query: str, keys: Iterable[str] | None = None) -> list[Scored]:
        """Every key's best score for the query, best first (ties keep declaration order)."""
        wanted = set(keys) if keys is not None else None
        normalised = normalise_name(query[:MAX_QUERY_CHARS])
        best: dict[str, Scored] = {}
        if not normalised:
            return []
        for key, name, name_normalised in self._names:
            if wanted is not None and key not in wanted:
                continue
            score = self._score(normalised, name_normalised, self._context.get(key, self._always))
            if key not in best or score > best[key].score:
                best[key] = Scored(key, score, name)
        return sorted(best.values(), key=lambda scored: -scored.score)

    def starting_with(self, typed: str, keys: Iterable[str] | None = None) -> list[str]:
        """Keys with a name that starts with what was typed, then with a word that does."""
        wanted = set(keys) if keys is not None else None
        prefix = normalise_name(typed[:MAX_QUERY_CHARS])
        if not prefix:
            return []
        whole, word = [], []
        for key, _, name in self._names:
            if wanted is not None and key not in wanted:
                continue
            if name.startswith(prefix) or name.replace(" ", "").startswith(prefix.replace(" ", "")):
                whole.append(key)
            elif f" {prefix}" in f" {name}":
                word.append(key)
        return list(dict.fromkeys(whole + word))

    def match(self, query: str, keys: Iterable[str] | None = None) -> Match:
        """Decide whether the query names one key outright."""
        ranked = [scored for scored in self.rank(query, keys) if scored.score >= SUGGEST]
        return Match(_winner(ranked), tuple(ranked))

    def _score(self, query: str, name: str, context: frozenset[str]) -> float:
        if query == name or query.replace(" ", "") == name.replace(" ", ""):
            return EXACT
        query_words, name_words = content_words(query), content_words(name)
        score = max(
            _look_alike(query, name),
            _run_together(query_words, name_words),
            _reordered(query_words, name_words),
            self._word_fit(query_words, name_words),
        )
        if _unexplained(query_words, name_words, context) or _numbers_differ(query, name):
            score = min(score, UNSURE_CAP)
        return score

    def _word_fit(self, query_words: list[str], name_words: list[str]) -> float:
        """Score by words: the whole name present (maybe with extra known words), or part of it."""
        per_name_word = [max(word_similarity(q, n) for q in query_words) for n in name_words]
        if min(per_name_word) >= TOKEN_SIMILAR:
            extras = [
                q
                for q in query_words
                if max(word_similarity(q, n) for n in name_words) < TOKEN_SIMILAR
            ]
            penalty = (5.0 if extras else 0.0) + (3.0 if len(extras) > 1 else 0.0)
            return min(min(per_name_word) - penalty, WORDS_ALL_THERE)
        per_query_word = [max(word_similarity(q, n) for n in name_words) for q in query_words]
        if min(per_query_word) < TOKEN_SIMILAR:
            return 0.0
        if all(word in self._common for word in query_words):
            return UNSURE_CAP  # "china" is part of too many names to pick one
        distinctive = sum(len(word) for word in query_words) >= 3 or any(
            w.isdigit() for w in query_words
        )
        return PARTIAL if distinctive else 0.0


def _unexplained(query_words: list[str], name_words: list[str], context: frozenset[str]) -> bool:
    """A query word that is neither close to a word of the name nor about what it names.

    "huawei technologies" is Huawei (its entry speaks of telecom technologies); "huawei cloud",
    "amd's china strategy" and "ai talent in the us" are not what those names name.
    """
    return any(
        word not in context and max(word_similarity(word, n) for n in name_words) < TOKEN_SIMILAR
        for word in query_words
    )


def _winner(ranked: list[Scored]) -> str | None:
    if not ranked:
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    lead = best.score - runner_up
    if best.score >= EXACT and lead > 0:
        return best.key
    if (best.score >= CONFIDENT and lead >= MARGIN) or (
        best.score >= CLEAR and lead >= CLEAR_MARGIN
    ):
        return best.key
    return None


def word_similarity(query_word: str, word: str) -> float:
    """How surely a typed word means a known word: at least TOKEN_SIMILAR when it does.

    A typo is one edit in words of five letters or more (two in long words), a swap of
    neighbours counting as one ("hauwei"); a prefix of four letters or more counts too
    ("qualc"). Shorter words and words with digits must be exact: one character changes
    what "h20", "amd", "musk" or "h200" mean.
    """
    if query_word == word:
        return 100.0
    if min(len(query_word), len(word)) <= 3 or _has_digit(query_word) or _has_digit(word):
        return 0.0
    if len(query_word) >= 4 and word.startswith(query_word):
        return 85.0
    if min(len(query_word), len(word)) <= 4:
        return 0.0  # "musk" is not "must"
    edits = OSA.distance(query_word, word)
    allowed = 1 if max(len(query_word), len(word)) <= 7 else 2
    return 100.0 - 5.0 * edits if edits <= allowed else min(fuzz.ratio(query_word, word), 70.0)


def _has_digit(word: str) -> bool:
    return any(char.isdigit() for char in word)


def _look_alike(query: str, name: str) -> float:
    """Similar as strings ("h200", "hauwe"): enough to suggest, never to answer outright."""
    return min(fuzz.ratio(query.replace(" ", ""), name.replace(" ", "")), UNSURE_CAP)


def _run_together(query_words: list[str], name_words: list[str]) -> float:
    """One typed word for a name of several, spaces left out: "jensenhaung"."""
    if len(query_words) != 1 or len(name_words) < 2:
        return 0.0
    return fuzz.ratio(query_words[0], "".join(name_words))


def _reordered(query_words: list[str], name_words: list[str]) -> float:
    if len(query_words) != len(name_words) or len(query_words) < 2:
        return 0.0
    return fuzz.token_sort_ratio(" ".join(query_words), " ".join(name_words))


def _numbers_differ(query: str, name: str) -> bool:
    """'H200' is not 'H20': numbers in a query must be the name's numbers."""
    numbers = set(_NUMBER.findall(query))
    return bool(numbers) and numbers != set(_NUMBER.findall(name))
