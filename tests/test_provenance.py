"""Coverage: every content sentence of the article is backed by some excerpt."""

from __future__ import annotations

from pathlib import Path

from bot.engine.index import KnowledgeIndex
from bot.knowledge.loader import load_knowledge
from bot.knowledge.provenance import coverage

SEED = Path(__file__).resolve().parents[1] / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
HEADING = "New RTX Pro GPU Targets Digital Twins, Autonomous Driving, and Robotics"


def seed_line_of(text: str) -> int:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_shipped_knowledge_cites_every_content_sentence(shipped_index: KnowledgeIndex) -> None:
    [article_coverage] = coverage(shipped_index.knowledge)
    assert article_coverage.uncited == ()
    assert article_coverage.percent == 100.0
    assert article_coverage.total == len(article_coverage.article.text.sentences) > 20


def test_removing_the_only_excerpt_of_a_sentence_leaves_it_uncited(knowledge_file: Path) -> None:
    source_line = f'      - "{HEADING}"\n'
    text = knowledge_file.read_text(encoding="utf-8")
    assert text.count(source_line) == 1
    knowledge_file.write_text(text.replace(source_line, ""), encoding="utf-8")

    [article_coverage] = coverage(load_knowledge(knowledge_file.parent))

    assert [(s.line, s.text) for s in article_coverage.uncited] == [
        (seed_line_of(HEADING), HEADING)
    ]
    assert article_coverage.total == len(article_coverage.cited) + 1
    assert article_coverage.percent < 100.0


def test_an_excerpt_spanning_two_sentences_cites_both(knowledge_file: Path) -> None:
    old = '      - "This requires substantial investment to develop advanced systems'
    text = knowledge_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = next(line for line in text.splitlines(keepends=True) if line.startswith(old))
    spanning = '      - "full-lifecycle AI systems. This requires substantial investment"\n'
    knowledge_file.write_text(text.replace(line, spanning), encoding="utf-8")

    [article_coverage] = coverage(load_knowledge(knowledge_file.parent))

    # That excerpt was the only one citing the second sentence of its line.
    assert article_coverage.uncited == ()
