"""How people write a name, folded to one canonical form: applied alike to names and to queries.

Each rule is general, never one example: Traditional Chinese is folded to Simplified (OpenCC's
curated tables, with Taiwan's own phrases such as 輝達 for 英伟达), `&` is `and`, common
abbreviations are their words ("govt", "mkt", "USA"), and numbers written as words are digits
("third" is "3rd", "three-layer" is "3 layer", "half" is "50"). `normalise_name` calls
`fold_script` on the raw text and `canonical_words` on its words, so a name and a query that
differ only in these ways meet exactly.

A word that only narrows a subject (`NARROWING`: "pool", "regime") may be dropped from a
topic's name when the rest names one topic (name_forms). Plurals need to know the names:
`Singular` strips a plural ending only where the word is not a name word itself and its
singular is one ("RTX Pros" is "RTX Pro", "Hoppers" is "Hopper"), so it never merges two names
that exist ("H20s" is "H20", "H200s" stays "H200s").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import opencc

# Any character OpenCC may convert: CJK ideographs (and their compatibility forms).
_CJK = re.compile(r"[\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_AMPERSAND = re.compile(r"\s*&\s*")

_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_CARDINALS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()
_TENS = {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(number: int) -> str:
    suffix = "th" if 11 <= number % 100 <= 13 else _SUFFIX.get(number % 10, "th")
    return f"{number}{suffix}"


# One word for another. "one" is left alone: it is a pronoun far more often than a number.
WORDS: dict[str, str] = {
    **{word: _ordinal(number) for number, word in enumerate(_ORDINALS, 1)},
    **{word: str(number) for number, word in enumerate(_CARDINALS, 2)},
    **{word: str(number) for word, number in _TENS.items()},
    "half": "50",
    "govt": "government",
    "gov": "government",
    "mkt": "market",
    "mkts": "market",
    "usa": "us",
    "intl": "international",
}
# Several words for one: checked before WORDS, longest first.
PHRASES: dict[tuple[str, ...], str] = {
    ("united", "states", "of", "america"): "us",
    ("united", "states"): "us",
    ("u", "s", "a"): "us",
    ("u", "s"): "us",
}
_LONGEST_PHRASE = max(map(len, PHRASES))
_PHRASE_STARTS = frozenset(phrase[0] for phrase in PHRASES)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")  # Traditional (and Taiwan's phrases) to Simplified


def fold_script(text: str) -> str:
    """Raw text with Traditional Chinese as Simplified and `&` as `and`: '華為 & 輝達' ->
    '华为 and 英伟达'. Text without Chinese characters never reaches OpenCC."""
    if "&" in text:
        text = _AMPERSAND.sub(" and ", text)
    if _CJK.search(text):
        text = _converter().convert(text)
    return text


def canonical_words(normalised: str) -> str:
    """Normalised words (lower case, single spaces) with abbreviations and number words in
    their canonical form: 'usa govt third visit' -> 'us government 3rd visit'."""
    words = normalised.split(" ")
    if not any(word in WORDS or word in _PHRASE_STARTS for word in words):
        return normalised
    out: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        if word in _PHRASE_STARTS:
            for length in range(_LONGEST_PHRASE, 1, -1):
                phrase = tuple(words[position : position + length])
                if phrase in PHRASES:
                    out.append(PHRASES[phrase])
                    position += length
                    break
            else:
                out.append(WORDS.get(word, word))
                position += 1
            continue
        out.append(WORDS.get(word, word))
        position += 1
    return " ".join(out)


def canonical_word(word: str) -> str:
    """One normalised word in its canonical form (phrases aside): 'third' -> '3rd'."""
    return WORDS.get(word, word)


# Words that only narrow the subject they follow ("China's AI talent pool", "export controls
# regime"): no place, company or thing, so dropping one never points at another subject.
NARROWING = frozenset(
    """
    pool pools issue issues question questions debate debates situation landscape outlook
    overview trend trends regime rules policy policies sector sectors side aspect aspects
    angle impact impacts effect effects dynamics picture story topic topics details
    """.split()
)


class Singular:
    """Folds a plural or possessive-less plural to the singular that is a name word."""

    def __init__(self, name_words: Iterable[str]) -> None:
        self._words = frozenset(name_words)

    def word(self, word: str) -> str:
        """'pros' -> 'pro' when 'pro' names something and 'pros' does not; else the word."""
        if len(word) < 4 or word in self._words or not word.endswith("s") or word.endswith("ss"):
            return word
        for singular in _singulars(word):
            if singular in self._words:
                return singular
        return word

    def text(self, normalised: str) -> str:
        """Every word of a normalised text through `word`."""
        return " ".join(self.word(word) for word in normalised.split())


def _singulars(word: str) -> list[str]:
    found = []
    if word.endswith("ies") and len(word) > 4:
        found.append(word[:-3] + "y")  # companies -> company
    if word.endswith("es"):
        found.append(word[:-2])  # matches -> match
    found.append(word[:-1])  # pros -> pro, hoppers -> hopper, h20s -> h20
    return found
