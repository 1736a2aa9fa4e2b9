"""`briefbot draft`: a knowledge file from an article as received, measured on the shipped one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine.matching import normalise_name
from bot.knowledge.drafting import DraftError, draft, read_article, to_yaml
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Entry, Kind, KnowledgeBase, Statement
from tests.helpers import REPO, SHIPPED_KNOWLEDGE, clean_env

SEED = REPO / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"


def _briefbot(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def set_aside(tmp_path: Path) -> Path:
    """The shipped article in seeds/, beside an empty knowledge/ (the shipped knowledge set
    aside); returns the knowledge directory."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds")
    (tmp_path / "knowledge").mkdir()
    return tmp_path / "knowledge"


def _drafted(knowledge: Path) -> KnowledgeBase:
    seed = knowledge.parent / "seeds" / SEED.name
    result = _briefbot(
        "draft", str(seed), "--knowledge", str(knowledge), "--out", str(knowledge / "draft.yaml")
    )
    assert result.returncode == 0, result.stderr
    assert "briefbot check passes" in result.stderr
    return load_knowledge(knowledge)


def measure(drafted: KnowledgeBase, shipped: KnowledgeBase) -> dict[str, int]:
    """How much of the hand-made knowledge a draft finds, and how much more it proposes.

    A hand-made entry is found when a draft entry of the same kind shares one of its names (a
    figure: when its value is the draft figure's, or inside it); a statement, when a draft
    statement of the same speaker and directness overlaps it in the article.
    """

    def names(entry: Entry) -> set[str]:
        return {normalise_name(n) for n in entry.names}

    def plain(value: str | None) -> str:
        return " ".join((value or "").casefold().replace("-", " ").split())

    def same(hand: Entry, draft_entry: Entry) -> bool:
        if hand.kind is not draft_entry.kind:
            return False
        if hand.kind is Kind.FIGURE:
            return bool(plain(hand.value)) and plain(hand.value) in plain(draft_entry.value)
        return bool(names(hand) & names(draft_entry))

    found = [
        h for h in shipped.entries.values() if any(same(h, d) for d in drafted.entries.values())
    ]
    extra = [
        d for d in drafted.entries.values() if not any(same(h, d) for h in shipped.entries.values())
    ]

    def overlaps(a: Statement, b: Statement) -> bool:
        x, y = a.excerpt.location, b.excerpt.location
        return x.line == y.line and x.start < y.end and y.start < x.end

    def speaker(knowledge: KnowledgeBase, statement: Statement) -> str:
        return normalise_name(knowledge.entries[statement.speaker].name)

    statements = [
        h
        for h in shipped.statements
        if any(
            overlaps(h, d) and d.direct == h.direct and speaker(drafted, d) == speaker(shipped, h)
            for d in drafted.statements
        )
    ]
    by_kind = {
        kind.value: (
            sum(h.kind is kind for h in found),
            sum(h.kind is kind for h in shipped.entries.values()),
        )
        for kind in Kind
    }
    print(f"found by kind (found, hand-made): {by_kind}")
    return {
        "hand-made entries": len(shipped.entries),
        "found": len(found),
        "extra candidates": len(extra),
        "hand-made statements": len(shipped.statements),
        "statements found": len(statements),
        "draft statements": len(drafted.statements),
    }


def test_the_draft_of_the_shipped_article_passes_check_and_finds_most_of_it(
    set_aside: Path,
) -> None:
    drafted = _drafted(set_aside)
    figures = measure(drafted, load_knowledge(SHIPPED_KNOWLEDGE))
    print(figures)
    assert figures["found"] >= 35
    assert figures["statements found"] >= 24
    assert figures["extra candidates"] <= 15
    assert _briefbot("check", "--knowledge", str(set_aside)).returncode == 0


def test_the_draft_reads_the_article_as_a_careful_reader(set_aside: Path) -> None:
    drafted = _drafted(set_aside)
    [article] = drafted.articles
    text = (set_aside / "draft.yaml").read_text(encoding="utf-8")
    assert article.title.startswith("Jensen Huang Shares His Vision For NVIDIA")
    assert 'body_ends_before: "Expert analysis on U.S. markets and macro trends"' in text
    assert 'debris: ["NVDA--", "AMD--", "QCOM--", "AMZN--"]' in text
    assert "#   debris: line 2: 'NVIDIANVDA--' is 'NVIDIA' and the ticker NVDA--" in text
    assert "#     | Latest Articles" in text  # the furniture, stated for the curator
    person = drafted.entries["jensen-huang"]
    assert person.kind.value == "person" and "Huang" in person.aliases
    assert "CISCE" in drafted.entries["china-international-supply-chain-expo"].aliases
    assert drafted.entries["h20"].kind.value == "product"
    direct = {s.text for s in drafted.statements if s.direct}
    assert direct == {
        "lowest market-cap tech company globally",
        "highest market-cap tech company",
        "redefining computing",
    }
    assert all(s.speaker == "jensen-huang" for s in drafted.statements)


def test_every_summary_is_the_articles_sentence_marked_for_review(set_aside: Path) -> None:
    drafted = _drafted(set_aside)
    text = (set_aside / "draft.yaml").read_text(encoding="utf-8")
    [article] = drafted.articles
    sentences = {s.text for s in article.text.sentences} | {p.text for p in article.text.paragraphs}
    for entry in drafted.entries.values():
        assert entry.summary in sentences or any(entry.summary in s for s in sentences)
    assert text.count("# review: the article's own sentence") == len(drafted.entries)


def test_a_second_article_links_to_what_the_knowledge_knows(tmp_path: Path) -> None:
    shutil.copytree(SHIPPED_KNOWLEDGE, tmp_path / "knowledge")
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    second = tmp_path / "seeds" / "second.txt"
    second.write_text(
        "NVIDIA Opens a Lab in Shanghai\n"
        "NVIDIA CEO Jensen Huang opened a research lab in Shanghai on Monday, with Huawei "
        "engineers attending the ceremony.\n"
        'Huang said the lab "will train a thousand engineers" over the next five years.\n'
        "Subscribe to our newsletter\n",
        encoding="utf-8",
    )
    out = tmp_path / "knowledge" / "second.yaml"
    result = _briefbot(
        "draft", str(second), "--knowledge", str(tmp_path / "knowledge"), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "#   already known as nvidia in nvidia-huang-china-ai.yaml: NVIDIA" in text
    assert "#   already known as jensen-huang in nvidia-huang-china-ai.yaml: Jensen Huang" in text
    assert "already known as huawei" in result.stderr
    assert "    speaker: jensen-huang" in text
    # What this article says about NVIDIA is added to the entry defined there, never a twin.
    contribution = text.split("  - id: nvidia\n", 1)[1].split("\n\n", 1)[0]
    assert "kind:" not in contribution and "name:" not in contribution
    assert "Shanghai" in contribution
    assert "briefbot check passes" in result.stderr
    merged = load_knowledge(tmp_path / "knowledge").entries["nvidia"]
    assert len(merged.coverage) == 2  # the shipped article's and this one's
    assert 'text: "will train a thousand engineers"\n    direct: true' in text
    assert "briefbot check passes" in result.stderr
    assert _briefbot("check", "--knowledge", str(tmp_path / "knowledge")).returncode == 0


def test_it_prints_to_standard_output_and_never_overwrites_without_force(tmp_path: Path) -> None:
    printed = _briefbot("draft", str(SEED))
    assert printed.returncode == 0 and printed.stdout.startswith("# Drafted by `briefbot draft`")
    assert "source: ../seeds/jensen-huang-nvidia-china-ai-future.txt" in printed.stdout
    out = tmp_path / "draft.yaml"
    out.write_text("curator's work\n")
    refused = _briefbot("draft", str(SEED), "--out", str(out))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert out.read_text() == "curator's work\n"
    assert _briefbot("draft", str(SEED), "--out", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# Drafted")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "is not text"),
        (b"\xff\xfe\xfa broken", "is not UTF-8 text"),
        (b"", "is empty"),
        (b"   \n\n  \n", "is empty"),
        (b"Shopping list\neggs\nmilk\nbread\nComments\n", "not an article"),
    ],
)
def test_what_is_not_an_article_gets_one_sentence_and_exit_2(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = _briefbot("draft", str(path))
    assert result.returncode == 2 and result.stdout == ""
    [sentence] = result.stderr.splitlines()
    assert sentence.startswith("briefbot: ") and says in sentence


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    result = _briefbot("draft", str(tmp_path / "nowhere.txt"))
    assert result.returncode == 2 and "cannot be read" in result.stderr


def test_drafting_never_misquotes_a_hostile_text(tmp_path: Path) -> None:
    raw = (
        "Odd “Quotes” And AcmeACME-- Names\n"
        'Acme CEO Jane Roe said that "we ship in Q3," while analysts said nothing.\n'
        "She noted that Acme’s X9000 chip costs about 40% less, adding that it’s ready.\n"
        "Read more\n"
    )
    path = tmp_path / "seeds" / "odd.txt"
    path.parent.mkdir()
    path.write_text(raw, encoding="utf-8")
    result = draft(read_article(path), "../seeds/odd.txt")
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "odd.yaml").write_text(to_yaml(result), encoding="utf-8")
    knowledge = load_knowledge(tmp_path / "knowledge")
    assert any(e.name == "X9000" and e.kind.value == "product" for e in knowledge.entries.values())
    assert {s.speaker for s in knowledge.statements} == {"jane-roe"}


def test_an_article_without_furniture_says_what_to_add() -> None:
    with pytest.raises(DraftError, match="no page furniture"):
        draft("Acme Grows\nAcme CEO Jane Roe said that Acme sales grew strongly this year.\n", "x")
