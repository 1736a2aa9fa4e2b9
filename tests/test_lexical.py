"""LexicalIndex: BM25 over stemmed words (SQLite FTS5), fuzzy only as a fallback, highlights."""

from __future__ import annotations

import time

import pytest

from bot.engine.index import KnowledgeIndex, SentenceKey
from bot.engine.lexical import LexicalIndex, highlight
from bot.engine.reply import Mark
from bot.engine.search import Document

DOCUMENTS = [
    Document("huawei", "Huawei", "Huawei has formidable strength in smartphones and telecom."),
    Document("rtx-pro", "RTX Pro", "A GPU on the Blackwell architecture, for ray tracing."),
    Document("blackwell", "Blackwell", "The architecture behind the newest GPUs."),
    Document("lifecycle", "Full lifecycle", "Pre-training, post-training and inference."),
    Document("deepseek-r1", "DeepSeek R1", "Breakthroughs in inference efficiency."),
    Document("h20", "H20", "The H20 holds advantages in inference and bandwidth."),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex(DOCUMENTS)


def keys(index: LexicalIndex, query: str, every_word: bool = False) -> list[object]:
    return [hit.key for hit in index.search(query, 10, every_word)]


def test_words_that_look_alike_are_not_the_same_word(index: LexicalIndex) -> None:
    """The bug this index fixes: "tracing" is not "training", though one edit apart."""
    assert keys(index, "ray tracing") == ["rtx-pro"]
    assert keys(index, "training") == ["lifecycle"]


def test_stemmed_forms_meet(index: LexicalIndex) -> None:
    assert keys(index, "traced rays") == ["rtx-pro"]
    assert keys(index, "smartphone") == ["huawei"]
    assert keys(index, "trained") == ["lifecycle"]


def test_fuzzy_only_for_a_word_held_in_no_form(index: LexicalIndex) -> None:
    assert keys(index, "hauwei") == ["huawei"]  # a typo: no word is "hauwei"
    assert keys(index, "infere")[:1] and set(keys(index, "infere")) == {
        "lifecycle",
        "deepseek-r1",
        "h20",
    }  # a prefix
    assert "lifecycle" not in keys(index, "tracing")


def test_title_words_outweigh_body_words(index: LexicalIndex) -> None:
    hits = {hit.key: hit.score for hit in index.search("blackwell")}
    assert next(iter(hits)) == "blackwell"
    assert hits["blackwell"] > hits["rtx-pro"] > 0


def test_more_of_the_query_ranks_first(index: LexicalIndex) -> None:
    assert keys(index, "inference efficiency")[0] == "deepseek-r1"


def test_every_word(index: LexicalIndex) -> None:
    assert keys(index, "inference bandwidth", every_word=True) == ["h20"]
    assert keys(index, "inference xyzzy", every_word=True) == []
    assert "h20" in keys(index, "inference xyzzy")


@pytest.mark.parametrize("query", ["", "   ", "xyzzy", "the of and", "h2o", "inf", "巴黎", "NOT"])
def test_nonsense_finds_nothing(index: LexicalIndex, query: str) -> None:
    assert index.search(query) == []


@pytest.mark.parametrize("query", ['"', "huawei OR", "title:huawei", "(", "*", "NEAR(a b)"])
def test_query_syntax_is_never_fts_syntax(index: LexicalIndex, query: str) -> None:
    index.search(query)  # never an sqlite3.OperationalError


def test_hits_say_which_words_matched(index: LexicalIndex) -> None:
    (hit,) = index.search("ray tracing")
    assert hit.words == {"ray", "tracing"}


def test_common_words_and_vocabulary(index: LexicalIndex) -> None:
    assert index.common_words(0.5) == {"inference"}
    assert "the" not in index.vocabulary and "huawei" in index.vocabulary


@pytest.mark.parametrize("query", ["huawei " * 5_000, "x" * 20_000, "inference " * 3_000])
def test_huge_queries_return_quickly(index: LexicalIndex, query: str) -> None:
    started = time.perf_counter()
    index.search(query)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("text", "words", "segments"),
    [
        (
            "It focuses on graphics, ray tracing, and simulation.",
            {"ray", "tracing"},
            ("It focuses on graphics, ", Mark("ray tracing"), ", and simulation."),
        ),
        ("Huawei’s strength", {"huawei"}, (Mark("Huawei’s"), " strength")),
        ("the U.S. government", {"us"}, ("the ", Mark("U.S."), " government")),
        ("Huawei, DeepSeek", {"huawei", "deepseek"}, (Mark("Huawei"), ", ", Mark("DeepSeek"))),
        ("nothing here", set(), ("nothing here",)),
    ],
)
def test_highlight(text: str, words: set[str], segments: tuple[object, ...]) -> None:
    assert highlight(text, frozenset(words)) == segments


# The shipped knowledge


def test_shipped_ray_tracing_is_not_training(shipped_index: KnowledgeIndex) -> None:
    def entries(query: str) -> list[object]:
        return [h.key for h in shipped_index.text.search(query, 50) if isinstance(h.key, str)]

    assert entries("ray tracing") == ["rtx-pro"]
    assert entries("training")[0] == "full-lifecycle-ai"
    assert "rtx-pro" not in entries("training")


def test_shipped_search_marks_the_words_in_the_passages(engine) -> None:  # type: ignore[no-untyped-def]
    reply = engine.handle("!search ray tracing")
    passages = [p for s in reply.sections if s.title == "In the article" for p in s.points]
    assert Mark("ray tracing") in passages[0].text


def test_shipped_sentences_are_found(shipped_index: KnowledgeIndex) -> None:
    hits = shipped_index.text.search("reinforcement learning", 12)
    assert any(isinstance(hit.key, SentenceKey) for hit in hits)
