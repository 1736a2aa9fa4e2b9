"""Guards over the shipped knowledge: what the issue asks for is there, and nothing else is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from bot.engine.index import KnowledgeIndex
from bot.knowledge.article import normalise_excerpt
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Article, Kind, KnowledgeBase

REPO = Path(__file__).resolve().parents[1]
SHIPPED_FILE = REPO / "knowledge" / "nvidia-huang-china-ai.yaml"
SCHEMA_FILE = REPO / "bot" / "knowledge" / "knowledge.schema.json"
DEBRIS = (
    "NVDA--",
    "AMD--",
    "QCOM--",
    "AMZN--",
    "NVIDIANVDA",
    "AMDAMD",
    "QualcommQCOM",
    "AmazonAMZN",
)
FURNITURE = (
    "Comments",
    "No comments yet",
    "Latest Articles",
    "Stay ahead of the market",
    "Expert analysis on U.S. markets",
)
ARTICLE_VOICE = (
    "Despite NVIDIA’s dominance in AI chips, competitors like AMD, Huawei, and Qualcomm "
    "are rapidly catching up."
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘])")


@pytest.fixture(scope="module")
def knowledge(shipped_index: KnowledgeIndex) -> KnowledgeBase:
    return shipped_index.knowledge


@pytest.fixture(scope="module")
def article(knowledge: KnowledgeBase) -> Article:
    [only] = knowledge.articles
    return only


def written_texts(knowledge: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """Every text the knowledge authors wrote, labelled with where it is."""
    for article in knowledge.articles:
        for point in (*article.context, *article.briefing):
            yield f"{article.id} point", point.text
    for entry in knowledge.entries.values():
        for name in entry.names:
            yield f"{entry.id} name", name
        yield f"{entry.id} summary", entry.summary
        if entry.value is not None:
            yield f"{entry.id} value", entry.value


def test_shipped_knowledge_loads_without_errors() -> None:
    knowledge = load_knowledge(SHIPPED_FILE.parent)
    assert knowledge.entries
    assert knowledge.statements


def test_every_statement_is_the_articles_exact_words(
    article: Article, knowledge: KnowledgeBase
) -> None:
    for statement in knowledge.statements:
        location = article.text.locate(statement.text)
        assert location == statement.excerpt.location, statement.id
        assert article.text.display(location) == statement.text, statement.id


def test_every_direct_statement_is_inside_quotation_marks(
    article: Article, knowledge: KnowledgeBase
) -> None:
    direct = [statement for statement in knowledge.statements if statement.direct]
    assert direct
    for statement in direct:
        assert article.text.is_quoted(statement.excerpt.location), statement.id


def test_shipped_file_validates_against_the_json_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8"))
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_no_written_text_carries_ticker_debris_or_page_furniture(knowledge: KnowledgeBase) -> None:
    texts = list(written_texts(knowledge))
    assert len(texts) > 100
    for where, text in texts:
        for piece in (*DEBRIS, *FURNITURE):
            assert piece not in text, f"{where}: {text!r} holds {piece!r}"


def test_no_statement_carries_ticker_debris(knowledge: KnowledgeBase) -> None:
    for statement in knowledge.statements:
        assert not any(piece in statement.text for piece in DEBRIS), statement.id


def test_every_summary_is_one_to_three_sentences(knowledge: KnowledgeBase) -> None:
    for entry in knowledge.entries.values():
        sentences = _SENTENCE_END.split(entry.summary.strip())
        assert 1 <= len(sentences) <= 3, (entry.id, sentences)
        assert entry.summary.rstrip().endswith((".", "!", "?")), entry.id


def test_every_kind_the_issue_asks_for_is_present(knowledge: KnowledgeBase) -> None:
    assert {entry.kind for entry in knowledge.entries.values()} == set(Kind)
    for kind in Kind:
        assert knowledge.of_kind(kind), kind


@pytest.mark.parametrize(
    ("name", "entry_id", "kind"),
    [
        ("RTX Pro", "rtx-pro", Kind.PRODUCT),
        ("H20", "h20", Kind.PRODUCT),
        ("Blackwell", "blackwell", Kind.PRODUCT),
        ("Hopper", "hopper", Kind.PRODUCT),
        ("Tongyi Qianwen", "tongyi-qianwen", Kind.PRODUCT),
        ("Qwen", "tongyi-qianwen", Kind.PRODUCT),
        ("Kimi", "kimi", Kind.PRODUCT),
        ("NVIDIA", "nvidia", Kind.ORGANISATION),
        ("Huawei", "huawei", Kind.ORGANISATION),
        ("DeepSeek", "deepseek", Kind.ORGANISATION),
        ("AMD", "amd", Kind.ORGANISATION),
        ("Qualcomm", "qualcomm", Kind.ORGANISATION),
        ("Amazon", "amazon", Kind.ORGANISATION),
        ("Google", "google", Kind.ORGANISATION),
        ("TikTok", "tiktok", Kind.ORGANISATION),
        ("Xiaohongshu", "xiaohongshu", Kind.ORGANISATION),
        ("CISCE", "cisce", Kind.ORGANISATION),
        ("Jensen Huang", "jensen-huang", Kind.PERSON),
        ("华为", "huawei", Kind.ORGANISATION),
        ("英伟达", "nvidia", Kind.ORGANISATION),
        ("黄仁勋", "jensen-huang", Kind.PERSON),
        ("阿里巴巴", "alibaba", Kind.ORGANISATION),
        ("通义千问", "tongyi-qianwen", Kind.PRODUCT),
    ],
)
def test_named_entity_is_found_by_name_or_alias(
    shipped_index: KnowledgeIndex, name: str, entry_id: str, kind: Kind
) -> None:
    entry = shipped_index.entry(entry_id)
    assert entry.kind is kind
    assert name in entry.names
    match = shipped_index.names.match(name)
    assert match.winner == entry_id
    assert match.exact


def test_no_article_date_author_or_url_is_invented() -> None:
    raw = yaml.safe_load(SHIPPED_FILE.read_text(encoding="utf-8"))["article"]
    assert set(raw) <= {
        "id",
        "title",
        "source",
        "body_ends_before",
        "debris",
        "context",
        "briefing",
    }
    invented = {"date", "published", "author", "byline", "url", "link", "publisher"}
    assert not set(raw) & invented


def test_no_written_text_holds_a_web_address(knowledge: KnowledgeBase) -> None:
    for where, text in written_texts(knowledge):
        assert "http" not in text and "www." not in text, where


def test_the_articles_own_voice_is_not_attributed_to_a_speaker(
    article: Article, knowledge: KnowledgeBase
) -> None:
    location = article.text.locate(ARTICLE_VOICE)
    assert location is not None
    [sentence] = article.text.sentences_at(location)
    assert sentence.text == ARTICLE_VOICE
    for statement in knowledge.statements:
        assert normalise_excerpt(statement.text) != normalise_excerpt(ARTICLE_VOICE)
        assert sentence not in article.text.sentences_at(statement.excerpt.location), statement.id


def test_no_entry_or_statement_refers_to_itself(knowledge: KnowledgeBase) -> None:
    for entry in knowledge.entries.values():
        assert entry.id not in entry.related, entry.id
    for statement in knowledge.statements:
        assert statement.id not in statement.about, statement.id
        assert statement.speaker not in statement.about, statement.id
