"""`briefbot check --format json|github` and the knowledge version it shows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml

from bot.console.check_report import run_check
from bot.knowledge.fingerprint import HASH_DIGITS, fingerprint
from bot.knowledge.loader import load_knowledge
from bot.state.store import KnowledgeStore
from tests.helpers import REPO, SHIPPED_KNOWLEDGE, copy_several_articles, edit_file


def _report(directory: Path, form: str) -> tuple[bool, str]:
    out = io.StringIO()
    ok = run_check(directory, out, form)
    return ok, out.getvalue()


def test_json_of_the_shipped_knowledge_has_no_problem() -> None:
    ok, text = _report(SHIPPED_KNOWLEDGE, "json")
    document = json.loads(text)
    assert ok and document["ok"] is True
    assert document["problems"] == []
    assert document["version"] == fingerprint(load_knowledge(SHIPPED_KNOWLEDGE))
    assert document["coverage"][0]["percent"] == 100.0


def test_json_locates_every_error(knowledge_file: Path, knowledge_copy: Path) -> None:
    edit_file(knowledge_file, "related: [hopper, h20-sales", "related: [hoppr, h20-sales")
    ok, text = _report(knowledge_copy, "json")
    document = json.loads(text)
    assert not ok and document["ok"] is False and document["version"] is None
    [problem] = document["problems"]
    assert problem["severity"] == "error"
    assert problem["file"].endswith("nvidia-huang-china-ai.yaml")
    line = knowledge_file.read_text(encoding="utf-8").splitlines()[problem["line"] - 1]
    assert "hoppr" in line
    assert problem["field"].endswith(".related[0]")
    assert "hoppr" in problem["message"]


def test_github_annotations_name_file_and_line(knowledge_file: Path, knowledge_copy: Path) -> None:
    edit_file(knowledge_file, "related: [hopper, h20-sales", "related: [hoppr, h20-sales")
    ok, text = _report(knowledge_copy, "github")
    [annotation, summary] = text.splitlines()
    assert not ok
    assert annotation.startswith(f"::error file={knowledge_file},line=")
    assert "title=briefbot check%3A entries[1] (h20).related[0]::" in annotation
    assert annotation.endswith(
        "refers to 'hoppr', but no entry has that id; fix the id or add the entry"
    )
    assert summary.endswith("1 error(s)")


def test_github_notices_uncited_sentences_on_the_articles_lines(knowledge_copy: Path) -> None:
    seed = knowledge_copy.parent / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
    edit_file(seed, "rapidly catching up.", "rapidly catching up. Nobody cites this, 100%: yes.")
    ok, text = _report(knowledge_copy, "github")
    [notice] = [line for line in text.splitlines() if line.startswith("::notice")]
    assert ok
    assert f"file={seed}," in notice and ",line=17," in notice
    assert notice.endswith("Nobody cites this, 100%25: yes.")


def test_text_shows_the_version_and_when_it_was_read() -> None:
    ok, text = _report(SHIPPED_KNOWLEDGE, "text")
    version = fingerprint(load_knowledge(SHIPPED_KNOWLEDGE))
    assert ok and f"Knowledge version {version}, read 20" in text


def test_the_version_is_short_hex_and_follows_the_bytes_of_knowledge_and_article(
    knowledge_copy: Path, knowledge_file: Path
) -> None:
    store = KnowledgeStore.open(knowledge_copy)
    first = store.version
    assert len(first) == HASH_DIGITS and int(first, 16) >= 0
    assert first == fingerprint(load_knowledge(SHIPPED_KNOWLEDGE))  # same bytes, same version
    knowledge_file.write_text(knowledge_file.read_text(encoding="utf-8") + "\n# a comment\n")
    assert store.reload("test").ok and store.version != first
    after_comment = store.version
    seed = knowledge_copy.parent / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line of furniture.\n")
    assert store.reload("test").ok and store.version not in (first, after_comment)


def test_a_refused_reload_keeps_the_version_serving(
    knowledge_copy: Path, knowledge_file: Path
) -> None:
    store = KnowledgeStore.open(knowledge_copy)
    before = store.version
    edit_file(knowledge_file, "related: [hopper, h20-sales", "related: [hoppr, h20-sales")
    assert not store.reload("test").ok
    assert store.version == before


def test_pre_commit_hook_runs_briefbot_check_on_the_knowledge_directory() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "briefbot-check"
    assert hook["entry"] == "briefbot check" and hook["language"] == "python"
    assert hook["args"] == ["--knowledge", "knowledge"]
    assert hook["pass_filenames"] is False


def test_the_version_covers_a_shared_identities_file(tmp_path: Path) -> None:
    knowledge = copy_several_articles(tmp_path)
    before = fingerprint(load_knowledge(knowledge))
    edit_file(knowledge / "entities.yaml", "name: SMIC", "name: SMIC Corp")
    assert fingerprint(load_knowledge(knowledge)) != before
