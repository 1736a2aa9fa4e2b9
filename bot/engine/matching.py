"""Fuzzy name matching: which entry a user means, or an honest "did you mean".

Knows nothing of Discord or of the knowledge base: it matches a query against named keys.
A wrong confident answer is worse than a suggestion, so a query only wins outright when it is
close to one name and clearly closer than to any other, and never when it carries a word that
neither the name nor the article knows ("H100", "Web Services", "wife").
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.engine.query_forms import canonical_words, fold_script

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
# Ordinary words about a product, a company, a person or the news, which people put around a
# name ("huawei's new phone plans", "the latest on rtx pro", "the h20 chip ban"). Such a word
# may accompany any name only while it is no word of any name, nor like one: "new" in a
# knowledge base that knows "New Oriental" names something, and counts like any other word.
ORDINARY_WORDS = frozenset(
    """
    news latest newest new recent recently update updates updated announcement announcements
    announce announced announces plan plans planned launch launched launches release released
    releases report reports reported story stories info information details happening
    happened today now currently lately ban bans banned phone phones deal deals interview
    comments remarks views thoughts background overview summary profile anything everything
    more know
    """.split()
)
_ALWAYS_EXPLAINED = STOPWORDS | GENERIC_WORDS
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

    Then the ways of writing that query_forms folds: 華為 -> 华为, 'govt' -> 'government'."""
    text = fold_script(unicodedata.normalize("NFKC", text))
    text = _DOTTED_INITIALS.sub(lambda found: found.group().replace(".", ""), text)  # U.S. -> US
    text = _POSSESSIVE.sub("", text)
    return canonical_words(" ".join(default_process(text).split()))


def content_words(normalised: str) -> list[str]:
    """The words of a normalised text that carry meaning (stopwords dropped, unless that is all).

    Interned: the indexes keep every word of every name and document, and a word used in a
    thousand of them is then one string, not a thousand copies.
    """
    words = [sys.intern(word) for word in normalised.split()]
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
        always = _ALWAYS_EXPLAINED
        # Only each key's own words: the words every key shares are asked of _Fit.explained,
        # so ten thousand keys do not each hold a copy of them.
        self._context = {key: frozenset(words) - always for key, words in (context or {}).items()}
        self._always = always
        self._common = frozenset(common_words)
        self._order = {key: position for position, key in enumerate(names)}
        self._of_key: dict[str, list[_Name]] = {}
        for name in self._names:
            self._of_key.setdefault(name.key, []).append(name)
        self._index = _NameIndex(self._names)
        self._fits = lru_cache(maxsize=_FITS_CACHED)(self._make_fit)

    def rank(self, query: str, keys: Iterable[str] | None = None) -> list[Scored]:
        """Every key's best score for the query, best first (ties keep declaration order).

        This scores every name of every key asked for; `match` first narrows `keys` to the
        candidates that can reach SUGGEST, so it scores a few. The string scorers run over all
        those names in one rapidfuzz call each, and a name no query word can fit keeps that
        score; only the names a word may fit, or that score above UNSURE_CAP, are scored one by
        one (`_score`).
        """
        normalised = normalise_name(query[:MAX_QUERY_CHARS])
        if not normalised:
            return []
        if keys is None:
            names: list[_Name] = self._names
        else:
            wanted = sorted(
                {key for key in keys if key in self._of_key}, key=self._order.__getitem__
            )
            names = [name for key in wanted for name in self._of_key[key]]
        query_words = content_words(normalised)
        fit = self._fit(tuple(query_words))
        shapes = _shapes(normalised, query_words, names)
        nospace = normalised.replace(" ", "")
        liked = fit.liked
        best: dict[str, tuple[float, _Name]] = {}
        for name, shape in zip(names, shapes, strict=True):
            words = name.wordset
            if name.normalised == normalised or name.nospace == nospace:
                score = EXACT
            elif liked.isdisjoint(words) or not fit.may_fit(words):
                score = shape  # _word_fit is 0: what _score would find, without asking it
                if score > UNSURE_CAP and fit.doubtful(name, self._context_of(name.key)):
                    score = UNSURE_CAP
            else:
                score = self._score(normalised, query_words, name, self._context_of(name.key))
            found = best.get(name.key)
            if found is None or score > found[0]:
                best[name.key] = (score, name)
        ranked = [Scored(name.key, score, name.name) for score, name in best.values()]
        return sorted(ranked, key=lambda scored: -scored.score)

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
        fit = self._fit(tuple(query_words))
        score = max(
            _look_alike(query, name.normalised),
            _run_together(query_words, name_words),
            _reordered(query_words, name_words),
            self._word_fit(fit, name),
        )
        if score > UNSURE_CAP and fit.doubtful(name, context):
            score = UNSURE_CAP
        return score

    def _context_of(self, key: str) -> frozenset[str]:
        return self._context.get(key, frozenset())

    def _word_fit(self, fit: _Fit, name: _Name) -> float:
        """Score by words: the whole name present (maybe with extra known words), or part of it."""
        words = name.wordset
        if words <= fit.liked:  # every word of the name is like a query word
            extras = fit.extras(words)
            penalty = (5.0 if extras else 0.0) + (3.0 if extras > 1 else 0.0)
            return min(min(fit.best[n] for n in name.words) - penalty, WORDS_ALL_THERE)
        if not fit.all_there(words):  # some query word is like no word of the name
            return 0.0
        if fit.common:
            return UNSURE_CAP  # "china" is part of too many names to pick one
        return PARTIAL if fit.distinctive else 0.0

    def _fit(self, query_words: tuple[str, ...]) -> _Fit:
        """The name words like each query word, remembered for the last few queries."""
        return self._fits(query_words)

    def _make_fit(self, query_words: tuple[str, ...]) -> _Fit:
        like = [self._index.similar(word) for word in query_words]
        return _Fit(
            query_words,
            tuple(frozenset(similar) for similar in like),
            {n: max(s.get(n, 0.0) for s in like) for similar in like for n in similar},
            all(
                word in self._common
                for word, similar in zip(query_words, like, strict=True)
                if not _ordinary(word, similar)
            ),
        )


@dataclass(frozen=True)
class _Fit:
    """What scoring by words needs of one query, computed once per query.

    `sets[i]`: the name words like query word i (word_similarity at least TOKEN_SIMILAR);
    `best`: each such name word with its best word_similarity to any query word. A pair not
    listed is less similar than TOKEN_SIMILAR, which is all scoring needs to know of it.
    """

    words: tuple[str, ...]
    sets: tuple[frozenset[str], ...]
    best: dict[str, float]
    common: bool  # every query word (ordinary words aside) is too common to pick a name
    liked: frozenset[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)
    named: tuple[frozenset[str], ...] = field(init=False)  # sets[i] but for ordinary words
    # Per query word: it may accompany any name (a stopword, a generic or ordinary word).
    explained: tuple[bool, ...] = field(init=False)
    unknown: tuple[str, ...] = field(init=False)  # like no name word, and not explained
    distinctive: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "liked", frozenset(self.best))
        object.__setattr__(self, "numbers", _numbers(" ".join(self.words)))
        pairs = [(w, s) for w, s in zip(self.words, self.sets, strict=True) if not _ordinary(w, s)]
        object.__setattr__(self, "named", tuple(similar for _, similar in pairs))
        explained = tuple(
            word in _ALWAYS_EXPLAINED or _ordinary(word, similar)
            for word, similar in zip(self.words, self.sets, strict=True)
        )
        object.__setattr__(self, "explained", explained)
        unknown = tuple(
            word
            for word, similar, known in zip(self.words, self.sets, explained, strict=True)
            if not similar and not known
        )
        object.__setattr__(self, "unknown", unknown)
        words = [word for word, _ in pairs]
        distinctive = sum(map(len, words)) >= 3 or any(w.isdigit() for w in words)
        object.__setattr__(self, "distinctive", distinctive)

    def may_fit(self, words: frozenset[str]) -> bool:
        """Whether _word_fit can be more than 0 for a name of these words."""
        if self.liked.isdisjoint(words):
            return False
        return words <= self.liked or self.all_there(words)

    def all_there(self, words: frozenset[str]) -> bool:
        """Every query word is like a word of the name (ordinary words aside), and one is."""
        if self.unknown or not self.named:
            return False
        return not any(similar.isdisjoint(words) for similar in self.named)

    def extras(self, words: frozenset[str]) -> int:
        """How many query words are like no word of the name."""
        return sum(1 for similar in self.sets if similar.isdisjoint(words))

    def doubtful(self, name: _Name, context: frozenset[str]) -> bool:
        """Whether the query can be no more than UNSURE_CAP for this name: it has a word that
        neither the name nor its context explains, or numbers that are not the name's."""
        return self.unexplained(name.wordset, context) or bool(
            self.numbers and self.numbers != name.numbers
        )

    def unexplained(self, words: frozenset[str], context: frozenset[str]) -> bool:
        """A query word that is neither close to a word of the name nor about what it names.

        "huawei technologies" is Huawei (its entry speaks of telecom technologies); "huawei
        cloud", "amd's china strategy" and "ai talent in the us" are not what those names name.
        """
        if any(word not in context for word in self.unknown):
            return True
        return any(
            not explained and word not in context and similar.isdisjoint(words)
            for word, similar, explained in zip(self.words, self.sets, self.explained, strict=True)
        )


@dataclass(frozen=True, slots=True)
class _Name:
    """One name of one key, with the forms every scorer compares, computed once."""

    key: str
    name: str
    normalised: str
    nospace: str = field(init=False)
    words: list[str] = field(init=False)
    wordset: frozenset[str] = field(init=False)
    numbers: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nospace", self.normalised.replace(" ", ""))
        object.__setattr__(self, "words", content_words(self.normalised))
        object.__setattr__(self, "wordset", frozenset(self.words))
        object.__setattr__(self, "numbers", _numbers(self.normalised))


# The fuzzy scorers are asked for a little less than SUGGEST, so that a float rounded the other
# way in rapidfuzz's batch code can never drop a name the precise scorer would keep.
_CUTOFF = SUGGEST - 0.5
_MAX_TYPO_EDITS = 2  # word_similarity allows at most two edits, in a word this long:
LONG_WORD = 10
_SIMILAR_CACHED = 4096  # typed words whose similar name words are remembered
_FITS_CACHED = 64  # queries whose word tables are remembered (a query asks twice)


class WordIndex:
    """The words of a vocabulary that a typed word may mean: word_similarity >= TOKEN_SIMILAR.

    Exact look-up, then words that start with it (a sorted list), then words within two edits
    (rapidfuzz's batch OSA over words of the few lengths that allow it); each confirmed with
    word_similarity itself, so the answer is exactly the words it accepts.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        # Words word_similarity may match other than exactly: longer than three letters, no digit.
        self._plain = sorted(w for w in self._words if len(w) > 3 and not _has_digit(w))
        self._by_length: dict[int, list[str]] = {}
        for word in self._plain:
            self._by_length.setdefault(len(word), []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def similar(self, typed: str) -> dict[str, float]:
        """Every vocabulary word like `typed`, with its word_similarity."""
        found = {typed: 100.0} if typed in self._words else {}
        if len(typed) <= 3 or _has_digit(typed):
            return found  # such a word only ever matches itself
        start = bisect.bisect_left(self._plain, typed)
        for word in itertools.islice(self._plain, start, None):
            if not word.startswith(typed):
                break
            found.setdefault(word, word_similarity(typed, word))
        if len(typed) < 5:
            return found
        for length in range(max(len(typed) - _MAX_TYPO_EDITS, 5), len(typed) + 3):
            edits = _edits_allowed(len(typed), length)
            if abs(length - len(typed)) > edits or length not in self._by_length:
                continue
            for word, _, _ in process.extract(
                typed,
                self._by_length[length],
                scorer=OSA.distance,
                score_cutoff=edits,
                limit=None,
            ):
                if word not in found:
                    similarity = word_similarity(typed, word)
                    if similarity >= TOKEN_SIMILAR:
                        found[word] = similarity
        return found


class _Strings:
    """Strings that a query is compared with by fuzz.ratio, and a bound that skips most of them.

    fuzz.ratio(a, b) is 200 * LCS(a, b) / (len(a) + len(b)), and the longest common
    subsequence can use each character no more often than both strings hold it: so LCS is at
    most the characters they share, counted with multiplicity. That count is computed for all
    strings at once: bit i of `_has[c][k - 1]` says whether string i holds character c at least
    k times, and adding those integers for each character of the query (bit-sliced, one bit
    of each string's count per integer) gives every string's count in a few big-integer
    operations per query character. Only the strings whose count can reach the cutoff are
    scored, by rapidfuzz.
    """

    def __init__(self, strings: Iterable[str]) -> None:
        self._strings = sorted(set(strings), key=len)  # so each length is a run of bits
        self._all = (1 << len(self._strings)) - 1
        self._of_length: dict[int, int] = {}  # a length -> the bits of the strings that long
        bitmaps: dict[str, list[bytearray]] = {}
        size = (len(self._strings) + 8) // 8
        start = 0
        for position, string in enumerate(self._strings):
            if position + 1 == len(self._strings) or len(self._strings[position + 1]) != len(
                string
            ):
                self._of_length[len(string)] = ((1 << (position + 1)) - 1) ^ ((1 << start) - 1)
                start = position + 1
            for char, count in Counter(string).items():
                levels = bitmaps.setdefault(char, [])
                while len(levels) < count:
                    levels.append(bytearray(size))
                for level in levels[:count]:
                    level[position >> 3] |= 1 << (position & 7)
        self._has = {
            char: [int.from_bytes(level, "little") for level in levels]
            for char, levels in bitmaps.items()
        }

    def above(self, query: str, cutoff: float = _CUTOFF) -> list[tuple[str, float]]:
        """The strings whose fuzz.ratio to the query reaches `cutoff`, with that score."""
        counts = _shared_counts(query, self._has)
        share = cutoff / 200.0  # LCS must reach share * (len(a) + len(b))
        lengths: dict[int, int] = {}  # a least shared count -> the strings of lengths needing it
        for length, bits in self._of_length.items():
            least = math.ceil(share * (len(query) + length) - 1e-9)
            if least <= len(query) and least <= length:
                lengths[least] = lengths.get(least, 0) | bits
        possible = 0
        for least, bits in lengths.items():
            possible |= bits & _at_least(counts, least, self._all)
        strings = self._strings
        choices = [strings[i] for i in _set_bits(possible)]
        return [
            (string, score)
            for string, score, _ in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            )
        ]


def _shared_counts(query: str, has: dict[str, list[int]]) -> list[int]:
    """Per string, how many characters it shares with the query: bit-sliced, least bit first."""
    counts: list[int] = []
    for char, count in Counter(query).items():
        for level in has.get(char, ())[:count]:
            carry = level
            for bit, value in enumerate(counts):
                if not carry:
                    break
                counts[bit], carry = value ^ carry, value & carry
            if carry:
                counts.append(carry)
    return counts


def _at_least(counts: list[int], least: int, every: int) -> int:
    """The strings whose bit-sliced count is at least `least`."""
    if least <= 0:
        return every
    if least >= 1 << len(counts):
        return 0
    greater, equal = 0, every
    for bit in reversed(range(len(counts))):
        if least >> bit & 1:
            equal &= counts[bit]
        else:
            greater |= equal & counts[bit]
            equal &= every ^ counts[bit]
    return greater | equal


def _set_bits(bits: int) -> list[int]:
    """Positions of the set bits of a non-negative integer, lowest first."""
    text = bin(bits)[:1:-1]  # bit i is character i
    found = []
    at = text.find("1")
    while at >= 0:
        found.append(at)
        at = text.find("1", at + 1)
    return found


class _NameIndex:
    """Finds, for a normalised query, every name that could score SUGGEST or more.

    A name's score is the best of five scorers (see NameMatcher._score); the caps on unknown
    words and numbers only lower it. So a name is a candidate when one scorer can reach SUGGEST:
    - exact: the query is the name, or the name without spaces (a dictionary look-up);
    - look-alike, run-together, reordered: rapidfuzz's batch `ratio` with a cutoff, over
      strings prepared here (names without spaces and words run together, mostly the same
      strings and scanned once; sorted words), grouped by length;
    - word fit: every query word is like a word of the name, or every word of the name is like
      a query word. Words "like" a query word come from a WordIndex of every name word.
    """

    def __init__(self, names: list[_Name]) -> None:
        self._exact: dict[str, list[int]] = {}
        strings: list[str] = []  # names without spaces, and words run together
        self._nospace_at: dict[str, list[int]] = {}
        self._joined_at: dict[str, list[int]] = {}  # names of several words
        sorted_words: dict[int, list[str]] = {}  # sorted words, by number of words
        self._sorted_at: dict[str, list[int]] = {}
        self._uses: dict[str, list[int]] = {}  # a name word -> the names using it
        self._distinct: list[int] = []  # how many different words each name has
        for position, name in enumerate(names):
            words = name.words
            for form in (name.normalised, name.nospace):
                at = self._exact.setdefault(form, [])
                if not at or at[-1] != position:
                    at.append(position)
            strings.append(name.nospace)
            self._nospace_at.setdefault(name.nospace, []).append(position)
            if len(words) >= 2:
                joined = "".join(words)
                strings.append(joined)
                self._joined_at.setdefault(joined, []).append(position)
                ordered = " ".join(sorted(words))
                sorted_words.setdefault(len(words), []).append(ordered)
                self._sorted_at.setdefault(ordered, []).append(position)
            self._distinct.append(len(name.wordset))
            for word in name.wordset:
                self._uses.setdefault(word, []).append(position)
        self._strings = _Strings(strings)
        self._sorted = {count: _Strings(found) for count, found in sorted_words.items()}
        self._words = WordIndex(self._uses)
        self.similar = lru_cache(maxsize=_SIMILAR_CACHED)(self._words.similar)

    def candidates(self, query: str) -> set[int]:
        """Positions of the names that may score SUGGEST or more for a normalised query."""
        found: set[int] = set()
        nospace = query.replace(" ", "")
        for form in (query, nospace):
            found.update(self._exact.get(form, ()))
        query_words = content_words(query)
        hits = self._strings.above(nospace)
        for string, _ in hits:
            found.update(self._nospace_at.get(string, ()))
        if len(query_words) == 1:
            if query_words[0] != nospace:
                hits = self._strings.above(query_words[0])
            for string, _ in hits:
                found.update(self._joined_at.get(string, ()))
        elif query_words and len(query_words) in self._sorted:
            ordered = " ".join(sorted(query_words))
            for string, _ in self._sorted[len(query_words)].above(ordered):
                found.update(self._sorted_at[string])
        found.update(self._word_fits(query_words))
        return found

    def _word_fits(self, query_words: list[str]) -> set[int]:
        """Names all of whose words are like query words, or like every query word."""
        like = {word: self.similar(word) for word in dict.fromkeys(query_words)}
        uses = self._uses
        # A name -> how many of its words are like a query word (counted in C).
        covered = Counter(
            itertools.chain.from_iterable(uses[w] for w in set().union(*like.values()))
        )
        distinct = self._distinct
        found = {position for position, count in covered.items() if count == distinct[position]}
        every: set[int] | None = None
        for word, similar in like.items():
            if _ordinary(word, similar):
                continue  # "news" may accompany any name; it need not be in one
            using = set().union(*(uses[w] for w in similar))
            every = using if every is None else every & using
            if not every:
                break
        return found | (every or set())


def _shapes(query: str, query_words: list[str], names: list[_Name]) -> list[float]:
    """Per name, the best of the string scorers (_look_alike, _run_together, _reordered), each
    run over all the names at once; the same scorers on the same strings as `_score` runs."""
    best = [0.0] * len(names)
    every = range(len(names))
    _best_of(best, query.replace(" ", ""), [n.nospace for n in names], every, fuzz.ratio)
    best = [min(score, UNSURE_CAP) for score in best]
    if len(query_words) == 1:
        at = [i for i in every if len(names[i].words) >= 2]
        joined = ["".join(names[i].words) for i in at]
        _best_of(best, query_words[0], joined, at, fuzz.ratio)
    elif query_words:
        at = [i for i in every if len(names[i].words) == len(query_words)]
        spaced = [" ".join(names[i].words) for i in at]
        _best_of(best, " ".join(query_words), spaced, at, fuzz.token_sort_ratio)
    return best


def _best_of(best: list[float], query: str, strings: list[str], at: Sequence[int], scorer) -> None:  # type: ignore[no-untyped-def]
    """Raise best[at[i]] to the scorer's score of strings[i], for every i."""
    for _, score, index in process.extract(query, strings, scorer=scorer, limit=None):
        if score > best[at[index]]:
            best[at[index]] = score


def _ordinary(word: str, similar: Mapping[str, float] | frozenset[str]) -> bool:
    """An ordinary word (ORDINARY_WORDS) that is like no word of any name."""
    return not similar and word in ORDINARY_WORDS


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

    A typo is one edit in words of five letters or more (two from LONG_WORD letters), a swap of
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
    allowed = _edits_allowed(len(query_word), len(word))
    return 100.0 - 5.0 * edits if edits <= allowed else min(fuzz.ratio(query_word, word), 70.0)


def _edits_allowed(length: int, other: int) -> int:
    """One typo in a word, two in a long one (ten letters or more): two edits to a word of eight
    or nine letters make another plausible name ("sekriaka" is not "sikriana")."""
    return 1 if max(length, other) < LONG_WORD else _MAX_TYPO_EDITS


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


def _numbers(text: str) -> frozenset[str]:
    """The numbers in a text: 'H200' is not 'H20', so a query's numbers must be the name's."""
    return frozenset(_NUMBER.findall(text))
