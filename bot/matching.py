"""Fuzzy name matching: which entry a user means, or an honest "did you mean".

Knows nothing of Discord or of the knowledge base: it matches a query against named keys.
A wrong confident answer is worse than a suggestion, so a query only wins outright when it is
close to one name and clearly closer than to any other, and never when it carries a word that
neither the name nor the article knows ("H100", "Web Services", "wife").
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.query_forms import canonical_words, fold_script

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
    """Case-fold, drop possessives and punctuation, and fold spaces: 'Alibaba’s' -> 'alibaba'.

    Then the ways of writing that bot.query_forms folds: 華為 -> 华为, 'govt' -> 'government'."""
    text = fold_script(unicodedata.normalize("NFKC", text))
    text = _DOTTED_INITIALS.sub(lambda found: found.group().replace(".", ""), text)  # U.S. -> US
    text = _POSSESSIVE.sub("", text)
    return canonical_words(" ".join(default_process(text).split()))


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
    """Matches queries against keys that each have several names.

    Everything a query needs is built once, here: each name's normalised forms and words, a
    dictionary of exact forms, the words of every name with the names that use them, and the
    strings the fuzzy scorers compare. A query then scores only the few keys that could reach
    SUGGEST (see `candidates`) with the precise scorer, never every name.
    """

    def __init__(
        self,
        names: Mapping[str, Iterable[str]],
        context: Mapping[str, Iterable[str]] | None = None,
        common_words: Iterable[str] = (),
    ) -> None:
        """`context`: per key, the words that may accompany its name ("huawei technologies");
        `common_words`: words too frequent to pick a name on their own ("china")."""
        self._names = [
            _Name(key, name, normalise_name(name))
            for key, key_names in names.items()
            for name in key_names
        ]
        always = STOPWORDS | GENERIC_WORDS
        self._context = {key: frozenset(words) | always for key, words in (context or {}).items()}
        self._always = always
        self._common = frozenset(common_words)
        self._order = {key: position for position, key in enumerate(names)}
        self._of_key: dict[str, list[_Name]] = {}
        for name in self._names:
            self._of_key.setdefault(name.key, []).append(name)
        self._index = _NameIndex(self._names)

    def rank(self, query: str, keys: Iterable[str] | None = None) -> list[Scored]:
        """Every key's best score for the query, best first (ties keep declaration order).

        This scores every name of every key asked for; `match` first narrows `keys` to the
        candidates that can reach SUGGEST, so it scores a handful.
        """
        normalised = normalise_name(query[:MAX_QUERY_CHARS])
        if not normalised:
            return []
        if keys is None:
            names: Iterable[_Name] = self._names
        else:
            wanted = sorted(
                {key for key in keys if key in self._of_key}, key=self._order.__getitem__
            )
            names = (name for key in wanted for name in self._of_key[key])
        query_words = content_words(normalised)
        best: dict[str, Scored] = {}
        for name in names:
            context = self._context.get(name.key, self._always)
            score = self._score(normalised, query_words, name, context)
            if name.key not in best or score > best[name.key].score:
                best[name.key] = Scored(name.key, score, name.name)
        return sorted(best.values(), key=lambda scored: -scored.score)

    def candidates(self, query: str) -> set[str]:
        """The keys that may score SUGGEST or more for the query: a superset, found by index."""
        normalised = normalise_name(query[:MAX_QUERY_CHARS])
        if not normalised:
            return set()
        return {self._names[position].key for position in self._index.candidates(normalised)}

    def starting_with(self, typed: str, keys: Iterable[str] | None = None) -> list[str]:
        """Keys with a name that starts with what was typed, then with a word that does."""
        wanted = set(keys) if keys is not None else None
        prefix = normalise_name(typed[:MAX_QUERY_CHARS])
        if not prefix:
            return []
        whole, word = [], []
        for name in self._names:
            key, normalised = name.key, name.normalised
            if wanted is not None and key not in wanted:
                continue
            if normalised.startswith(prefix) or name.nospace.startswith(prefix.replace(" ", "")):
                whole.append(key)
            elif f" {prefix}" in f" {normalised}":
                word.append(key)
        return list(dict.fromkeys(whole + word))

    def match(self, query: str, keys: Iterable[str] | None = None) -> Match:
        """Decide whether the query names one key outright."""
        return self.match_within(query, keys)[0]

    def match_within(self, query: str, keys: Iterable[str] | None) -> tuple[Match, Match]:
        """Match among `keys` and among all keys, from one ranking: (within, anywhere).

        A key's score does not depend on the other keys, so the ranking among `keys` is the
        ranking of all keys with the others left out.
        """
        found = self.candidates(query)
        anywhere = [scored for scored in self.rank(query, found) if scored.score >= SUGGEST]
        if keys is None:
            within = anywhere
        else:
            wanted = set(keys)
            within = [scored for scored in anywhere if scored.key in wanted]
        return Match(_winner(within), tuple(within)), Match(_winner(anywhere), tuple(anywhere))

    def _score(
        self, query: str, query_words: list[str], name: _Name, context: frozenset[str]
    ) -> float:
        if query == name.normalised or query.replace(" ", "") == name.nospace:
            return EXACT
        name_words = name.words
        score = max(
            _look_alike(query, name.normalised),
            _run_together(query_words, name_words),
            _reordered(query_words, name_words),
            self._word_fit(query_words, name_words),
        )
        if _unexplained(query_words, name_words, context) or _numbers_differ(
            query, name.normalised
        ):
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


@dataclass(frozen=True)
class _Name:
    """One name of one key, with the forms every scorer compares, computed once."""

    key: str
    name: str
    normalised: str
    nospace: str = field(init=False)
    words: list[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nospace", self.normalised.replace(" ", ""))
        object.__setattr__(self, "words", content_words(self.normalised))


# The fuzzy scorers are asked for a little less than SUGGEST, so that a float rounded the other
# way in rapidfuzz's batch code can never drop a name the precise scorer would keep.
_CUTOFF = SUGGEST - 0.5
_MAX_TYPO_EDITS = 2  # word_similarity allows at most two edits


class _NameIndex:
    """Finds, for a normalised query, every name that could score SUGGEST or more.

    A name's score is the best of five scorers (see NameMatcher._score); the caps on unknown
    words and numbers only lower it. So a name is a candidate when one scorer can reach SUGGEST:
    - exact: the query is the name, or the name without spaces (a dictionary look-up);
    - look-alike, run-together, reordered: rapidfuzz's batch `ratio` with a cutoff, over
      strings prepared here (names without spaces; joined words; sorted words);
    - word fit: every query word is like a word of the name, or every word of the name is like
      a query word. Words "like" a query word are found in the vocabulary of name words by
      exact look-up, by prefix (a sorted list) and by edit distance (rapidfuzz's batch OSA
      over words of nearby lengths), then confirmed with word_similarity itself.
    """

    def __init__(self, names: list[_Name]) -> None:
        self._exact: dict[str, list[int]] = {}
        self._nospace: list[str] = []
        self._joined: list[str] = []  # names of several words, words run together
        self._joined_at: list[int] = []
        self._sorted: dict[int, tuple[list[str], list[int]]] = {}  # by number of words
        self._uses: dict[str, list[int]] = {}  # a name word -> the names using it
        self._distinct: list[int] = []  # how many different words each name has
        for position, name in enumerate(names):
            words = name.words
            for form in (name.normalised, name.nospace):
                at = self._exact.setdefault(form, [])
                if not at or at[-1] != position:
                    at.append(position)
            self._nospace.append(name.nospace)
            if len(words) >= 2:
                self._joined.append("".join(words))
                self._joined_at.append(position)
                strings, at = self._sorted.setdefault(len(words), ([], []))
                strings.append(" ".join(sorted(words)))
                at.append(position)
            distinct = set(words)
            self._distinct.append(len(distinct))
            for word in distinct:
                self._uses.setdefault(word, []).append(position)
        # Words word_similarity may match other than exactly: longer than three letters, no digit.
        plain = sorted(word for word in self._uses if len(word) > 3 and not _has_digit(word))
        self._plain = plain
        self._by_length: dict[int, list[str]] = {}
        for word in plain:
            self._by_length.setdefault(len(word), []).append(word)

    def candidates(self, query: str) -> set[int]:
        """Positions of the names that may score SUGGEST or more for a normalised query."""
        found: set[int] = set()
        nospace = query.replace(" ", "")
        for form in (query, nospace):
            found.update(self._exact.get(form, ()))
        found.update(_above(nospace, self._nospace, range(len(self._nospace))))
        query_words = content_words(query)
        if len(query_words) == 1:
            found.update(_above(query_words[0], self._joined, self._joined_at))
        elif query_words:
            strings, at = self._sorted.get(len(query_words), ([], []))
            found.update(_above(" ".join(sorted(query_words)), strings, at))
        found.update(self._word_fits(query_words))
        return found

    def _word_fits(self, query_words: list[str]) -> set[int]:
        """Names all of whose words are like query words, or like every query word."""
        like = {word: self.similar_words(word) for word in dict.fromkeys(query_words)}
        covered: dict[int, int] = {}  # a name -> how many of its words are like a query word
        for word in set().union(*like.values()):
            for position in self._uses[word]:
                covered[position] = covered.get(position, 0) + 1
        found = {
            position for position, count in covered.items() if count == self._distinct[position]
        }
        every: set[int] | None = None
        for similar in like.values():
            using = {position for word in similar for position in self._uses[word]}
            every = using if every is None else every & using
            if not every:
                break
        return found | (every or set())

    def similar_words(self, query_word: str) -> set[str]:
        """Name words w with word_similarity(query_word, w) >= TOKEN_SIMILAR."""
        found = {query_word} if query_word in self._uses else set()
        if len(query_word) <= 3 or _has_digit(query_word):
            return found  # such a word only ever matches itself
        start = bisect.bisect_left(self._plain, query_word)
        for word in itertools.islice(self._plain, start, None):
            if not word.startswith(query_word):
                break
            found.add(word)
        if len(query_word) >= 5:
            for length in range(len(query_word) - _MAX_TYPO_EDITS, len(query_word) + 3):
                words = self._by_length.get(length, ()) if length >= 5 else ()
                for word, _, _ in process.extract(
                    query_word,
                    words,
                    scorer=OSA.distance,
                    score_cutoff=_MAX_TYPO_EDITS,
                    limit=None,
                ):
                    if word_similarity(query_word, word) >= TOKEN_SIMILAR:
                        found.add(word)
        return found


def _above(query: str, strings: list[str], at: Sequence[int]) -> list[int]:
    """Positions (through `at`) of the strings whose fuzz.ratio to the query may reach SUGGEST."""
    if not strings:
        return []
    hits = process.extract(query, strings, scorer=fuzz.ratio, score_cutoff=_CUTOFF, limit=None)
    return [at[index] for _, _, index in hits]


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
