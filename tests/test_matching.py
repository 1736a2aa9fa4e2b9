"""NameMatcher and normalise_name on a small hand-made name table.

A wrong confident answer is worse than a suggestion: these tests pin down when a query wins
outright, when it is only suggested, and when it finds nothing at all.
"""

from __future__ import annotations

import random
import time

import pytest

from bot.engine.index import KnowledgeIndex
from bot.engine.matching import (
    MAX_QUERY_CHARS,
    SUGGEST,
    Match,
    NameMatcher,
    _winner,
    normalise_name,
)

NAMES = {
    "huawei": ["Huawei", "华为"],
    "nvidia": ["NVIDIA", "英伟达"],
    "h20": ["H20", "H20 chip"],
    "rtx-pro": ["RTX Pro", "RTX Pro GPU"],
    "blackwell": ["Blackwell", "Blackwell architecture"],
    "tiktok": ["TikTok"],
    "jensen-huang": ["Jensen Huang", "黄仁勋"],
    "amazon": ["Amazon"],
    "china-strategy": ["China strategy"],
    "china-visits": ["China visits"],
    "export-controls": ["Export controls"],
}
# Words the (imaginary) article knows, so they may accompany a name without casting doubt on it.
VOCABULARY = {"smartphones", "company", "chips", "nvidia"}


@pytest.fixture(scope="module")
def matcher() -> NameMatcher:
    return NameMatcher(NAMES, dict.fromkeys(NAMES, VOCABULARY))


@pytest.fixture(scope="module")
def bare_matcher() -> NameMatcher:
    """The same names, but no article vocabulary: every extra word is unexplained."""
    return NameMatcher(NAMES)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Huawei", "huawei"),
        ("  RTX   Pro  ", "rtx pro"),
        ("Alibaba’s", "alibaba"),
        ("NVIDIA's", "nvidia"),
        ("Tongyi-Qianwen!!", "tongyi qianwen"),
        ("U.S. government", "us government"),
        ("ＮＶＩＤＩＡ", "nvidia"),  # full-width letters fold to ASCII
        ("华为", "华为"),
        ("", ""),
        ("?!…", ""),
    ],
)
def test_normalise_name(text: str, normalised: str) -> None:
    assert normalise_name(text) == normalised


def test_a_huge_query_is_cut_before_matching() -> None:
    matcher = NameMatcher({"h20": ["H20"]})
    assert matcher.rank("h20 " + "x" * 30_000) == matcher.rank("h20 " + "x" * (MAX_QUERY_CHARS - 4))


@pytest.mark.parametrize(
    ("query", "winner"),
    [
        # exact names and aliases, any case
        ("Huawei", "huawei"),
        ("huawei", "huawei"),
        ("HUAWEI", "huawei"),
        ("H20", "h20"),
        ("h20 chip", "h20"),
        ("RTX Pro GPU", "rtx-pro"),
        # spaces added, dropped or doubled, and punctuation
        ("rtxpro", "rtx-pro"),
        ("rtx  pro", "rtx-pro"),
        ("  huawei  ", "huawei"),
        ("tik tok", "tiktok"),
        ("Tik-Tok", "tiktok"),
        ("Huawei's", "huawei"),
        # typos
        ("hauwei", "huawei"),
        ("blackwel", "blackwell"),
        ("nvdia", "nvidia"),
        ("amazn", "amazon"),
        ("export control", "export-controls"),
        # word order
        ("huang jensen", "jensen-huang"),
        ("architecture blackwell", "blackwell"),
        ("controls export", "export-controls"),
        # extra words the article knows, and stopwords
        ("huawei technologies", "huawei"),
        ("huawei company", "huawei"),
        ("h20 chips", "h20"),
        ("jensen huang nvidia", "jensen-huang"),
        ("what is huawei", "huawei"),
        # partial names
        ("jensen", "jensen-huang"),
        ("huang", "jensen-huang"),
        ("rtx", "rtx-pro"),
        # names in Chinese
        ("华为", "huawei"),
        ("英伟达", "nvidia"),
        ("黄仁勋", "jensen-huang"),
    ],
)
def test_confident_winner(matcher: NameMatcher, query: str, winner: str) -> None:
    match = matcher.match(query)
    assert match.winner == winner
    assert match.ranked[0].key == winner


@pytest.mark.parametrize(
    ("query", "exact"),
    [
        ("Huawei", True),
        ("华为", True),
        ("rtxpro", True),
        ("controls export", True),
        ("hauwei", False),
        ("jensen", False),
        ("huawei technologies", False),
    ],
)
def test_exact_only_for_a_name_or_alias(matcher: NameMatcher, query: str, exact: bool) -> None:
    match = matcher.match(query)
    assert match.winner is not None
    assert match.exact is exact


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("H200", "h20"),  # numbers must match: H200 is not the H20
        ("h2", "h20"),
        ("nvidia h100", "nvidia"),  # a word nobody knows: never a confident winner
        ("amazon web services", "amazon"),
        ("huawei smartwatch", "huawei"),
    ],
)
def test_unsure_queries_are_only_suggested(
    matcher: NameMatcher, query: str, suggested: str
) -> None:
    match = matcher.match(query)
    assert match.winner is None
    assert not match.exact
    assert suggested in [scored.key for scored in match.ranked]


def test_unknown_words_cast_doubt_until_the_article_knows_them(
    matcher: NameMatcher, bare_matcher: NameMatcher
) -> None:
    assert matcher.match("huawei smartphones").winner == "huawei"
    unsure = bare_matcher.match("huawei smartphones")
    assert unsure.winner is None
    assert [scored.key for scored in unsure.ranked] == ["huawei"]


@pytest.mark.parametrize(
    ("query", "winner"),
    [
        ("huawei's new phone plans", "huawei"),
        ("the latest on rtx pro", "rtx-pro"),
        ("news about jensen", "jensen-huang"),
        ("tell me about the h20 ban", "h20"),
        ("blackwell announcement", "blackwell"),
    ],
)
def test_ordinary_words_around_a_name_are_answered(
    bare_matcher: NameMatcher, query: str, winner: str
) -> None:
    assert bare_matcher.match(query).winner == winner


@pytest.mark.parametrize("query", ["the new huawei", "huawei latest", "huawei's new phone"])
def test_an_ordinary_word_that_is_in_a_name_counts_like_any_word(
    bare_matcher: NameMatcher, query: str
) -> None:
    """Once "New Huawei Phone" and "Latest Build" are names, those words name something."""
    assert bare_matcher.match(query).winner == "huawei"
    names = {**NAMES, "new-phone": ["New Huawei Phone"], "latest-build": ["Latest Build"]}
    assert NameMatcher(names).match(query).winner != "huawei"


def test_ordinary_words_never_answer_alone(bare_matcher: NameMatcher) -> None:
    assert bare_matcher.match("the latest news").ranked == ()
    assert bare_matcher.match("new plans").winner is None


@pytest.mark.parametrize("query", ["h100", "H200 chip", "blackwell 2"])
def test_numbers_must_be_the_names_numbers(matcher: NameMatcher, query: str) -> None:
    assert matcher.match(query).winner is None


def test_a_tie_gives_no_winner_but_suggests_both(matcher: NameMatcher) -> None:
    match = matcher.match("china")
    assert match.winner is None
    assert [scored.key for scored in match.ranked][:2] == ["china-strategy", "china-visits"]


def test_an_exact_name_shared_by_two_keys_gives_no_winner() -> None:
    match = NameMatcher({"company": ["Kimi"], "product": ["Kimi"]}).match("kimi")
    assert match.winner is None
    assert {scored.key for scored in match.ranked} == {"company", "product"}


@pytest.mark.parametrize(
    "query",
    ["", "   ", "???", "!!! ... ---", "the", "the of", "what is", "tell me about", "hw"],
)
def test_queries_with_nothing_to_match_find_nothing(matcher: NameMatcher, query: str) -> None:
    match = matcher.match(query)
    assert match.winner is None
    assert match.ranked == ()
    assert not match.exact


@pytest.mark.parametrize("query", ["Microsoft", "Elon Musk", "Intel", "Samsung", "iPhone"])
def test_names_nobody_mentions_find_no_winner(matcher: NameMatcher, query: str) -> None:
    assert matcher.match(query).winner is None


def test_keys_restrict_the_candidates(matcher: NameMatcher) -> None:
    assert matcher.match("huawei", keys=["h20", "nvidia"]).winner is None
    assert matcher.match("huawei", keys=["huawei"]).winner == "huawei"
    assert [s.key for s in matcher.rank("china", keys=["china-visits"])] == ["china-visits"]


def test_rank_orders_best_first_and_names_the_best_fitting_name(matcher: NameMatcher) -> None:
    ranked = matcher.rank("blackwell architecture")
    assert ranked[0].key == "blackwell"
    assert ranked[0].name == "Blackwell architecture"
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert len({s.key for s in ranked}) == len(ranked) == len(NAMES)


def test_suggestions_are_worth_suggesting(matcher: NameMatcher) -> None:
    """Only the names that resemble the query are suggested, not the whole table."""
    match = matcher.match("hauwei")
    assert [scored.key for scored in match.ranked] == ["huawei"]


@pytest.mark.parametrize(
    ("query", "winner"),
    [
        ("huawei " * 3_000, "huawei"),
        ("x" * 20_000, None),
        ("华为" * 10_000, None),
        # only the first MAX_QUERY_CHARS characters count: the trailing name is never seen
        ("h20 " * 5_000 + "nvidia", "h20"),
    ],
)
def test_a_huge_query_returns_quickly(matcher: NameMatcher, query: str, winner: str | None) -> None:
    started = time.perf_counter()
    match = matcher.match(query)
    assert time.perf_counter() - started < 0.5
    assert match.winner == winner


# The index: a query scores a handful of candidates, and decides exactly as scoring every name.


def _typed_like_a_user(name: str, rng: random.Random) -> str:
    """A name as people type it: a typo, a swap, words reordered or cut, a word added."""
    text = name.lower()
    where = rng.randrange(max(len(text), 1))
    edits = [
        lambda: text[:where] + text[where + 1 :],
        lambda: text[:where] + rng.choice("aeiounrst ") + text[where:],
        lambda: (
            text[:where] + text[where + 1 : where + 2] + text[where : where + 1] + text[where + 2 :]
        ),
        lambda: " ".join(reversed(text.split())),
        lambda: " ".join(text.split()[: max(1, len(text.split()) - 1)]),
        lambda: text + " " + rng.choice(["news", "company", "chips", "china", "the new", "plans"]),
    ]
    return rng.choice(edits)()


def _every_name_scored(matcher: NameMatcher, query: str) -> Match:
    """What match decided before the index: rank every key, keep those worth suggesting."""
    ranked = [scored for scored in matcher.rank(query) if scored.score >= SUGGEST]
    return Match(_winner(ranked), tuple(ranked))


def test_the_index_never_changes_a_decision(shipped_index: KnowledgeIndex) -> None:
    """A name the candidate search misses would be a suggestion, or a runner-up, lost."""
    matcher = shipped_index.names
    names = [name for entry in shipped_index.knowledge.entries.values() for name in entry.names]
    words = sorted({word for name in names for word in normalise_name(name).split()})
    rng = random.Random(9)
    for _ in range(400):
        query = _typed_like_a_user(rng.choice(names), rng)
        if rng.random() < 0.3:
            query = _typed_like_a_user(query, rng)
        if rng.random() < 0.15:
            query = " ".join(rng.sample(words, rng.randint(1, 3)))
        assert matcher.match(query) == _every_name_scored(matcher, query), query


def test_a_query_scores_a_handful_of_names_not_every_name(monkeypatch) -> None:
    """With thousands of names, match must not fall back to scoring each of them."""
    names = {f"key{i}": [f"Zorvex Kantu {i}", f"Brellamo{i:04d}x"] for i in range(3000)}
    names["huawei"] = ["Huawei", "华为"]
    matcher = NameMatcher(names)
    scored: list[str] = []
    score = NameMatcher._score

    def counting(self, query, query_words, name, context):  # type: ignore[no-untyped-def]
        scored.append(name.key)
        return score(self, query, query_words, name, context)

    monkeypatch.setattr(NameMatcher, "_score", counting)
    assert matcher.match("hauwei").winner == "huawei"
    assert len(scored) <= 10


@pytest.mark.parametrize("query", ["china", "huawei", "rtx", "h20 chips", "blackwel", "x"])
def test_match_within_is_both_matches_from_one_ranking(matcher: NameMatcher, query: str) -> None:
    keys = ["china-strategy", "h20", "rtx-pro"]
    within, anywhere = matcher.match_within(query, keys)
    assert within == matcher.match(query, keys)
    assert anywhere == matcher.match(query)


def test_match_within_ranks_once(matcher: NameMatcher, monkeypatch) -> None:
    calls: list[str] = []
    rank = NameMatcher.rank

    def counting(self, query, keys=None):  # type: ignore[no-untyped-def]
        calls.append(query)
        return rank(self, query, keys)

    monkeypatch.setattr(NameMatcher, "rank", counting)
    matcher.match_within("huawei", ["h20"])
    assert len(calls) == 1
