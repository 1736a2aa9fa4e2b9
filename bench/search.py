"""`!search` at one size: the FTS5/BM25 index the bot uses beside the fuzzy word index it replaced.

Queries are one or two words of a sentence of the corpus's articles (some with a typo, as
people type), so each has a sentence it should find. Figures per engine: build time, latency,
and how often that sentence is among the hits a search shows (`found`).
"""

from __future__ import annotations

import random
import time

from bot.engine.index import KnowledgeIndex, SentenceKey
from bot.engine.lexical import LexicalIndex
from bot.engine.matching import STOPWORDS
from bot.engine.search import Document, SearchIndex

LIMIT = 11  # what `!search` asks for: five entries and three sentences, twice over
TYPO_SHARE = 0.2


def documents(index: KnowledgeIndex) -> list[Document]:
    """What KnowledgeIndex.build gives its text search: every entry and every sentence."""
    knowledge = index.knowledge
    found = [Document(e.id, " ".join(e.names), e.every_summary) for e in knowledge.entries.values()]
    for article in knowledge.articles:
        found += [
            Document(SentenceKey(article.id, position), "", sentence.text)
            for position, sentence in enumerate(article.text.sentences)
        ]
    return found


def queries(index: KnowledgeIndex, count: int, seed: int = 3) -> list[tuple[str, SentenceKey]]:
    """`count` queries of one or two words of a sentence, each with the sentence's key."""
    rng = random.Random(seed)
    sentences = [
        (SentenceKey(article.id, position), sentence.text)
        for article in index.knowledge.articles
        for position, sentence in enumerate(article.text.sentences)
    ]
    made = []
    while sentences and len(made) < count:
        key, text = rng.choice(sentences)
        words = [w.strip(".,;:“”’'\"()") for w in text.split()]
        words = [w for w in words if len(w) > 3 and w.isalpha() and w.lower() not in STOPWORDS]
        if not words:
            continue
        start = rng.randrange(len(words))
        query = words[start : start + rng.choice((1, 2))]
        if rng.random() < TYPO_SHARE and len(query[0]) > 5:
            at = rng.randrange(1, len(query[0]) - 1)
            query[0] = query[0][:at] + query[0][at + 1 :]  # one letter dropped
        made.append((" ".join(query), key))
    return made


def _latency(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "median_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "queries": len(ordered),
    }


def measure_search(index: KnowledgeIndex, count: int) -> dict[str, object]:
    """Figures of both engines over the same documents and queries."""
    docs = documents(index)
    asked = queries(index, count)
    figures: dict[str, object] = {"documents": len(docs)}
    for name, make in (("fts5_bm25", LexicalIndex), ("fuzzy_words", SearchIndex)):
        started = time.perf_counter()
        engine = make(docs)
        build_s = time.perf_counter() - started
        seconds, found = [], 0
        for query, key in asked:
            started = time.perf_counter()
            hits = engine.search(query, LIMIT)
            seconds.append(time.perf_counter() - started)
            found += key in {hit.key for hit in hits}
        figures[name] = {
            "build_s": build_s,
            **_latency(seconds),
            "found": found / max(len(asked), 1),
        }
    return figures
