"""query_forms: ways of writing a name that fold to one form, for names and queries alike."""

from __future__ import annotations

import pytest

from bot.engine.matching import NameMatcher, normalise_name
from bot.engine.query_forms import Singular, canonical_words, fold_script


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("華為", "华为"),  # Traditional and Simplified are one name
        ("黃仁勳", "黄仁勋"),
        ("輝達", "英伟达"),  # Taiwan's name for NVIDIA, from OpenCC's Taiwan phrases
        ("出口管制", "出口管制"),  # already Simplified: unchanged
        ("AT&T", "AT and T"),
        ("R&D", "R and D"),
        ("Huawei", "Huawei"),  # no Chinese: OpenCC is not asked
    ],
)
def test_fold_script(written: str, folded: str) -> None:
    assert fold_script(written) == folded


@pytest.mark.parametrize(
    ("words", "canonical"),
    [
        ("us govt", "us government"),
        ("usa government", "us government"),
        ("united states government", "us government"),
        ("u s government", "us government"),
        ("mkt cap", "market cap"),
        ("third visit", "3rd visit"),
        ("twenty first century", "20 1st century"),
        ("three layer", "3 layer"),
        ("half of ai researchers", "50 of ai researchers"),
        ("one hour", "one hour"),  # "one" is a pronoun more often than a number
        ("huawei", "huawei"),
        ("", ""),
    ],
)
def test_canonical_words(words: str, canonical: str) -> None:
    assert canonical_words(words) == canonical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("華為", "华为"),
        ("U.S. government", "USA govt"),
        ("U.S. government", "United States government"),
        ("3rd visit", "third visit"),
        ("Three-layer architecture", "3 layer architecture"),
        ("Open & universal", "open and universal"),
    ],
)
def test_names_and_queries_meet_exactly(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_canonical_forms_are_fixed_points() -> None:
    """Normalising twice changes nothing: a canonical query is never rewritten again."""
    for text in ("USA govt third visit", "華為 & 輝達", "u s a", "three-layer half"):
        once = normalise_name(text)
        assert normalise_name(once) == once


SINGULAR = Singular(["rtx", "pro", "hopper", "h20", "company", "match", "news", "boss"])


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("pros", "pro"),
        ("hoppers", "hopper"),
        ("h20s", "h20"),
        ("companies", "company"),
        ("matches", "match"),
        ("h200s", "h200s"),  # its singular names nothing: left alone, so H200 stays refused
        ("news", "news"),  # a name word itself is never stripped
        ("boss", "boss"),
        ("gpus", "gpus"),  # "gpu" is no name word here
        ("ais", "ais"),  # shorter than four letters
    ],
)
def test_plurals_fold_only_onto_name_words(word: str, singular: str) -> None:
    assert SINGULAR.word(word) == singular


def test_a_plural_never_merges_two_names() -> None:
    both = Singular(["hopper", "hoppers"])
    assert both.word("hoppers") == "hoppers"


def test_the_matcher_meets_the_folded_forms() -> None:
    matcher = NameMatcher({"gov": ["U.S. government"], "hw": ["Huawei", "华为"]})
    assert matcher.match("USA govt").winner == "gov"
    assert matcher.match("華為").winner == "hw"


def test_the_index_matcher_folds_plurals_of_name_words_only() -> None:
    from bot.engine.name_forms import FormsMatcher

    matcher = FormsMatcher({"rtx": ["RTX Pro"], "h20": ["H20"], "hopper": ["Hopper"]})
    assert matcher.match("RTX Pros").winner == "rtx"
    assert matcher.match("Hoppers").winner == "hopper"
    assert matcher.match("H20s").winner == "h20"
    assert matcher.match("H200s").winner is None
    assert FormsMatcher({"a": ["Hopper"], "b": ["Hoppers"]}).match("Hoppers").winner == "b"


def test_a_narrowing_word_goes_only_when_the_rest_names_one_key() -> None:
    from bot.engine.name_forms import FormsMatcher

    matcher = FormsMatcher(
        {"talent": ["AI talent in China"], "gov": ["U.S. government"], "rules": ["export rules"]}
    )
    assert matcher.narrowed("China's AI talent pool").winner == "talent"  # type: ignore[union-attr]
    assert matcher.narrowed("AI talent in China") is None  # nothing to drop
    assert matcher.narrowed("AI talent in the US pool") is None  # "US" is a name's word
    assert matcher.narrowed("AI talent in Europe") is None  # "Europe" is no narrowing word
    assert matcher.narrowed("pool") is None
