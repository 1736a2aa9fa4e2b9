"""SearchIndex: ranked, typo-tolerant free-text search, on hand-made and shipped documents."""

from __future__ import annotations

import time

import pytest

from bot.engine.index import KnowledgeIndex, SentenceKey
from bot.engine.matching import MAX_QUERY_CHARS, content_words, normalise_name
from bot.engine.search import MAX_QUERY_WORDS, NAME_WEIGHT, Document, Hit, SearchIndex

DOCUMENTS = [
    Document(
        "huawei",
        "Huawei",
        "Huawei has formidable strength in high-end smartphones and telecom technologies.",
    ),
    Document(
        "rtx-pro",
        "RTX Pro",
        "A GPU based on the Blackwell architecture, for digital twins and robotics.",
    ),
    Document("blackwell", "Blackwell", "The architecture behind the newest GPUs."),
    Document("h20", "H20", "The H20 holds advantages in inference capabilities and bandwidth."),
    Document(
        "deepseek-r1",
        "DeepSeek R1",
        "Breakthroughs in inference efficiency from an innovative architecture.",
    ),
    Document(
        "ai-talent",
        "AI talent",
        "China's education system produces about half of the world's AI researchers.",
    ),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(DOCUMENTS)


def keys(index: SearchIndex, query: str, limit: int = 5) -> list[object]:
    return [hit.key for hit in index.search(query, limit)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("huawei", "huawei"),
        ("smartphones", "huawei"),
        ("inference efficiency", "deepseek-r1"),  # both words beat one word
        ("blackwell", "blackwell"),  # in the title beats in the body
        ("robotics", "rtx-pro"),
        ("researchers", "ai-talent"),
        ("H20", "h20"),
        ("huawei smartphones telecom", "huawei"),
    ],
)
def test_best_document_first(index: SearchIndex, query: str, first: str) -> None:
    assert keys(index, query)[0] == first


def test_hits_are_ranked_best_first(index: SearchIndex) -> None:
    hits = index.search("inference efficiency architecture")
    assert hits[0].key == "deepseek-r1"
    assert {"h20", "rtx-pro", "blackwell"} <= {hit.key for hit in hits}
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_title_words_outweigh_body_words(index: SearchIndex) -> None:
    hits = {hit.key: hit.score for hit in index.search("blackwell")}
    assert hits["blackwell"] > hits["rtx-pro"]


def test_only_documents_holding_a_query_word_are_found(index: SearchIndex) -> None:
    assert keys(index, "bandwidth") == ["h20"]
    assert keys(index, "telecom") == ["huawei"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("smartfones", "huawei"),
        ("smartphone", "huawei"),
        ("infrence eficiency", "deepseek-r1"),
        ("blackwel", "blackwell"),
        ("reserchers", "ai-talent"),
        ("inferen", "h20"),  # a prefix of a word
        ("HUAWEI", "huawei"),
        ("Huawei’s", "huawei"),
    ],
)
def test_typos_and_partial_words_still_find(index: SearchIndex, query: str, found: str) -> None:
    assert found in keys(index, query)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "xyzzy qqq", "???", "the of and", "h2o", "inf", "zzzzzzzzzzzz", "巴黎"],
)
def test_nonsense_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_limit_caps_the_hits(index: SearchIndex) -> None:
    assert len(index.search("architecture", limit=1)) == 1
    assert len(index.search("architecture gpu inference", limit=2)) == 2


def test_vocabulary_holds_the_indexed_words(index: SearchIndex) -> None:
    assert {"huawei", "smartphones", "blackwell", "h20"} <= index.vocabulary
    assert "the" not in index.vocabulary  # stopwords are not indexed
    assert "xyzzy" not in index.vocabulary


def test_an_empty_index_finds_nothing() -> None:
    assert SearchIndex([]).search("huawei") == []


def test_long_queries_are_cut_by_characters(index: SearchIndex) -> None:
    """Only the first 200 characters are searched; a word after them is not looked for."""
    assert keys(index, "zzz " * 60 + "smartphones") == []
    assert keys(index, "smartphones " + "zzz " * 60) == ["huawei"]


def test_long_queries_are_cut_by_words(index: SearchIndex) -> None:
    """Only the first 12 meaningful words are searched."""
    assert keys(index, "qq " * 12 + "telecom") == []
    assert keys(index, "qq " * 11 + "telecom") == ["huawei"]


@pytest.mark.parametrize("query", ["huawei " * 5_000, "x" * 20_000, "inference " * 3_000])
def test_huge_queries_return_quickly(index: SearchIndex, query: str) -> None:
    started = time.perf_counter()
    index.search(query)
    assert time.perf_counter() - started < 0.5


# The shipped knowledge: entries and article sentences are searched together.


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("smartphones", "huawei"),
        ("inference efficiency", "deepseek-r1"),
        ("ray tracing", "rtx-pro"),
        ("self-driving", "autonomous-driving"),
        ("nvdia", "nvidia"),
        ("blackwel", "blackwell"),
    ],
)
def test_shipped_text_search_finds_the_entry(
    shipped_index: KnowledgeIndex, query: str, entry: str
) -> None:
    assert entry in [hit.key for hit in shipped_index.text.search(query, limit=12)]


def test_shipped_text_search_finds_article_sentences(shipped_index: KnowledgeIndex) -> None:
    hits = shipped_index.text.search("reinforcement learning", limit=12)
    sentences = [hit.key for hit in hits if isinstance(hit.key, SentenceKey)]
    assert sentences
    article = shipped_index.knowledge.articles[0]
    assert "reinforcement learning" in article.text.sentences[sentences[0].position].text


def test_words_late_in_a_long_document_are_found() -> None:
    index = SearchIndex([Document("long", "Long", "filler " * 40 + "needle")])
    assert [hit.key for hit in index.search("needle")] == ["long"]


def test_shipped_search_finds_a_word_late_in_a_long_sentence(
    shipped_index: KnowledgeIndex,
) -> None:
    hits = shipped_index.text.search("telecom", limit=12)
    assert "huawei" in [hit.key for hit in hits]
    assert any(isinstance(hit.key, SentenceKey) for hit in hits)


@pytest.mark.parametrize(
    ("query", "statement"),
    [
        ("naive", "st-underestimating-huawei-naive"),
        ("smartphones", "st-huawei-formidable-strength"),
        ("licensing approval", "st-h20-resumption-licensing"),
        ("redefining computing", "st-redefining-computing"),
    ],
)
def test_shipped_statement_search(
    shipped_index: KnowledgeIndex, query: str, statement: str
) -> None:
    assert shipped_index.statements.search(query)[0].key == statement


def test_shipped_search_has_no_furniture(shipped_index: KnowledgeIndex) -> None:
    """Words found only in the page furniture after the article are not indexed."""
    assert shipped_index.text.search("inbox newsletter curated") == []
    assert "nvda" not in shipped_index.text.vocabulary


def _scan(index: SearchIndex, query: str, limit: int = 5, every_word: bool = False) -> list:  # type: ignore[type-arg]
    """What search returned when it scored every document: the definition the index keeps."""
    words = content_words(normalise_name(query[:MAX_QUERY_CHARS]))[:MAX_QUERY_WORDS]
    widened = [options for options in map(index._widen, words) if options]
    if not widened or (every_word and len(widened) < len(words)):
        return []
    hits = []
    for key, counts, title_words in index._documents:
        scores = [
            max(
                (
                    weight * index._idf[word] * (NAME_WEIGHT if word in title_words else 1.0)
                    for word, weight in options.items()
                    if word in counts
                ),
                default=0.0,
            )
            for options in widened
        ]
        matched = sum(1 for score in scores if score)
        if matched and (matched == len(words) or not every_word):
            length = 0.5 + 0.5 * sum(counts.values()) / index._average_length
            hits.append(Hit(key, sum(scores) * matched / len(words) / length))
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]


@pytest.mark.parametrize(
    "query",
    ["export controls", "china ai talent", "nvidia", "huawei smartphones", "inferense", "the"],
)
@pytest.mark.parametrize("every_word", [False, True])
def test_the_word_index_finds_what_scoring_every_document_found(
    shipped_index, query: str, every_word: bool
) -> None:  # type: ignore[no-untyped-def]
    knowledge = shipped_index.knowledge
    entries = [
        Document(e.id, " ".join(e.names), e.every_summary) for e in knowledge.entries.values()
    ]
    sentences = [
        Document(SentenceKey(article.id, position), "", sentence.text)
        for article in knowledge.articles
        for position, sentence in enumerate(article.text.sentences)
    ]
    statements = [Document(s.id, "", s.text) for s in knowledge.statements]
    # The fuzzy word index (kept as the benchmark's baseline; the bot searches engine.lexical).
    for index in (SearchIndex(entries + sentences), SearchIndex(statements)):
        assert index.search(query, 10, every_word) == _scan(index, query, 10, every_word)
