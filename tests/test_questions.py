"""Questions in people's own words (`!ask`): understood by shape, answered or honestly refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.console.render_text import render_inline, render_text
from bot.engine.commands import Engine
from bot.engine.index import KnowledgeIndex
from bot.engine.questions import CLOSEST, DOES_NOT_SAY, Shape, understand
from bot.engine.reply import Reply, Status, Suggestion, plain

GOLDEN = yaml.safe_load(Path(__file__).with_name("golden_questions.yaml").read_text("utf-8"))
_CJK = re.compile(r"[\u4e00-\u9fff]")


def asked(engine: Engine, question: str) -> Reply:
    reply = engine.handle(f"!ask {question}")
    assert reply is not None
    return reply


def understood(reply: Reply) -> str:
    """The line that says how the question was understood (it always opens the reply)."""
    first = render_inline(reply.lead[0].text)
    assert first.startswith("Understood as: "), first
    return first


def offered(engine: Engine, reply: Reply) -> list[str]:
    return [s.typed(engine.prefix) for s in (*reply.suggestions, *reply.related)]


def article_text(index: KnowledgeIndex) -> str:
    return " ".join(" ".join(s.text.split()) for s in index.knowledge.articles[0].text.sentences)


# The golden table


def test_golden_questions_are_many_varied_and_include_refusals() -> None:
    assert len(GOLDEN) >= 80
    assert len({case["question"] for case in GOLDEN}) == len(GOLDEN)
    assert sum(1 for case in GOLDEN if case.get("refused")) >= 20
    assert sum(1 for case in GOLDEN if _CJK.search(case["question"])) >= 15
    assert all("understood" in case for case in GOLDEN)
    shapes = {understand(case["question"]).shape for case in GOLDEN}
    assert shapes == set(Shape)


@pytest.mark.parametrize("case", GOLDEN, ids=[case["question"] for case in GOLDEN])
def test_golden_question(
    engine: Engine, shipped_index: KnowledgeIndex, case: dict[str, Any]
) -> None:
    reply = asked(engine, case["question"])
    text = render_text(reply)
    statuses = [case["status"]] if isinstance(case["status"], str) else case["status"]
    assert reply.status.value in statuses, text
    assert case["understood"] in understood(reply), text
    if "entry" in case:
        assert reply.entry_id, f"no entry answered: {text}"
        assert shipped_index.entry(reply.entry_id).name == case["entry"], text
    if "title" in case:
        assert reply.title == case["title"], text
    if "says" in case:
        assert case["says"] in text, text
    for suggestion in case.get("suggests", []):
        assert suggestion in offered(engine, reply), text
    if case.get("refused"):
        assert reply.status is Status.NOT_FOUND
        assert reply.title == DOES_NOT_SAY
        assert render_inline(reply.lead[1].text).startswith(f"{DOES_NOT_SAY}: ")
    if not reply.ok:
        assert reply.entry_id == "" and reply.citations == (), text
        for section in reply.sections:
            assert section.title == CLOSEST  # the only passage a refusal shows is labelled
            assert len(section.points) == 1


def test_every_passage_and_statement_shown_is_the_articles_own_text(
    engine: Engine, shipped_index: KnowledgeIndex
) -> None:
    article = article_text(shipped_index)
    for case in GOLDEN:
        reply = asked(engine, case["question"])
        for section in reply.sections:
            for point in section.points:
                if point.quoted or section.title == CLOSEST or section.title.startswith("As the"):
                    words = " ".join(plain(point.text).split())
                    assert words in article, (case["question"], words)


# Understanding a question's shape, without the knowledge


@pytest.mark.parametrize(
    ("question", "shape", "speaker", "subject"),
    [
        ("what did huang say about huawei?", Shape.SAID, "huang", "huawei"),
        ("What does Jensen think of the H20", Shape.SAID, "Jensen", "H20"),
        ("how does huang feel about export controls", Shape.SAID, "huang", "export controls"),
        ("what is huang's opinion on deepseek", Shape.SAID, "huang", "deepseek"),
        ("quotes by huang", Shape.SAID, "huang", ""),
        ("who said anything about huawei", Shape.SAID, "", "huawei"),
        ("what did people say about kimi", Shape.SAID, "", "kimi"),
        ("who is jensen huang", Shape.ENTRY, "", "jensen huang"),
        ("what's the rtx pro?", Shape.ENTRY, "", "rtx pro"),
        ("tell me about huawei", Shape.ENTRY, "", "huawei"),
        ("what does the article say about google", Shape.ENTRY, "", "google"),
        (
            "how many ai researchers come from china",
            Shape.FIGURE,
            "",
            "ai researchers come from china",
        ),
        ("how long was the session", Shape.FIGURE, "", "was the session"),
        ("what share of researchers", Shape.FIGURE, "", "of researchers"),
        ("why did huang praise huawei", Shape.PASSAGES, "", "why did huang praise huawei"),
        (
            "is nvidia allowed to sell the h20",
            Shape.PASSAGES,
            "",
            "is nvidia allowed to sell the h20",
        ),
        ("huawei", Shape.NAME, "", "huawei"),
        ("黄仁勋对华为说了什么", Shape.SAID, "", "黄仁勋对华为"),
        ("黄仁勋是谁", Shape.ENTRY, "", "黄仁勋"),
        ("中国有多少研究人员", Shape.FIGURE, "", "中国有 研究人员"),
        ("英伟达为什么招聘", Shape.PASSAGES, "", "英伟达 招聘"),
        ("华为", Shape.NAME, "", "华为"),
    ],
)
def test_understand_reads_the_shape(
    question: str, shape: Shape, speaker: str, subject: str
) -> None:
    found = understand(question)
    assert (found.shape, found.speaker, found.subject) == (shape, speaker, subject)


# Answers, refusals and readings


def test_statements_are_the_ones_quote_gives(engine: Engine) -> None:
    question = asked(engine, "what did huang say about huawei")
    command = engine.handle("!quote huawei")
    assert command is not None
    assert question.sections == command.sections
    assert question.citations == command.citations
    assert question.lead[1:] == command.lead


def test_the_entry_is_the_one_its_command_gives(engine: Engine) -> None:
    question = asked(engine, "who is jensen huang")
    command = engine.handle("!who jensen huang")
    assert command is not None
    assert (question.title, question.sections, question.entry_id) == (
        command.title,
        command.sections,
        command.entry_id,
    )
    assert question.lead[1:] == command.lead


def test_passages_are_cited_with_their_paragraphs(engine: Engine) -> None:
    reply = asked(engine, "is nvidia allowed to sell the h20 in china")
    [section] = reply.sections
    first = section.points[0]
    assert first.quoted and first.paragraphs == (4,)
    assert "licensing approval" in plain(first.text)
    assert {c.line for c in reply.citations} >= {4}
    assert reply.asked == Suggestion("ask", "is nvidia allowed to sell the h20 in china")


def test_a_refusal_points_to_the_closest_passage_labelled_as_such(engine: Engine) -> None:
    reply = asked(engine, "what is the price of the h20")
    assert reply.title == DOES_NOT_SAY
    [section] = reply.sections
    assert section.title == "Closest passage (may not answer your question)"
    assert "H20" in plain(section.points[0].text)
    assert reply.citations == ()


def test_a_word_the_article_never_uses_is_refused_even_beside_known_ones(engine: Engine) -> None:
    # "compete" and "nvidia" are in the article; "intel" is not: never an answer about others.
    reply = asked(engine, "does intel compete with nvidia")
    assert reply.status is Status.NOT_FOUND
    assert "does not mention “intel”" in render_text(reply)


def test_too_few_of_the_questions_words_in_any_passage_is_refused(engine: Engine) -> None:
    # Every word is the article's, but no passage compares the RTX Pro with the H20.
    reply = asked(engine, "is the rtx pro more advanced than the h20")
    assert reply.status is Status.NOT_FOUND
    assert "no passage holds enough of what you asked" in render_text(reply)


def test_an_unclear_question_offers_its_readings_as_suggestions(engine: Engine) -> None:
    reply = asked(engine, "huang huawei")
    assert reply.status is Status.AMBIGUOUS
    assert reply.suggestions == (
        Suggestion("ask", "what did Jensen Huang say about Huawei"),
        Suggestion("company", "Huawei"),
        Suggestion("who", "Jensen Huang"),
    )
    reading = asked(engine, reply.suggestions[0].argument)
    assert reading.title == "Jensen Huang on Huawei"


def test_a_speaker_who_is_not_a_person_is_not_taken_for_one(engine: Engine) -> None:
    # "NVIDIA" is part of one of Jensen Huang's names ("NVIDIA CEO"): still not him.
    reply = asked(engine, "what did nvidia say about huawei")
    assert reply.status is Status.NOT_FOUND
    assert "it reports no statements by NVIDIA" in render_text(reply)


def test_ask_needs_a_question(engine: Engine) -> None:
    reply = engine.handle("!ask")
    assert reply is not None
    assert reply.status is Status.USAGE
    assert reply.title == "!ask needs a question"


def test_ask_is_in_help(engine: Engine) -> None:
    reply = engine.handle("!help ask")
    assert reply is not None and reply.ok
    assert "Usage: !ask QUESTION" in render_text(reply)
