"""Knowledge files that fight back: every kind of broken file is refused with a clear error
naming it, at start-up (non-zero exit) and on reload (the previous knowledge keeps serving),
without hanging or eating memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge.loader import (
    MAX_ARTICLE_BYTES,
    MAX_FILE_BYTES,
    KnowledgeLoadError,
    load_knowledge,
)
from bot.state.store import KnowledgeStore
from tests.helpers import KNOWLEDGE_FILE_NAME

BRIEFBOT = Path(sys.executable).with_name("briefbot")
MEMORY_BOUND = 64 * 1024 * 1024  # far above a real load (a few MB), far below a runaway one


def truncate_mid_write(knowledge: Path) -> None:
    path = knowledge / KNOWLEDGE_FILE_NAME
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 7])


def empty(knowledge: Path) -> None:
    (knowledge / KNOWLEDGE_FILE_NAME).write_bytes(b"")


def not_utf8(knowledge: Path) -> None:
    path = knowledge / KNOWLEDGE_FILE_NAME
    path.write_bytes(path.read_bytes().replace("华为".encode(), "华为".encode("gb18030"), 1))


def syntax_error(knowledge: Path) -> None:
    path = knowledge / KNOWLEDGE_FILE_NAME
    path.write_text(path.read_text(encoding="utf-8").replace("entries:", "entries: [", 1))


def wrong_types(knowledge: Path) -> None:
    path = knowledge / KNOWLEDGE_FILE_NAME
    text = path.read_text(encoding="utf-8").replace("    related: [", "    related: 7 #[", 1)
    path.write_text(text, encoding="utf-8")


def oversized(knowledge: Path) -> None:
    path = knowledge / KNOWLEDGE_FILE_NAME
    padding = "# " + "x" * 98 + "\n"
    path.write_text(path.read_text() + padding * (MAX_FILE_BYTES // 100 + 1), encoding="utf-8")


def huge_article(knowledge: Path) -> None:
    article = knowledge.parent / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
    with article.open("a", encoding="utf-8") as handle:
        handle.write("Filler sentence. " * (MAX_ARTICLE_BYTES // 17 + 1))


def billion_laughs(knowledge: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (knowledge / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def deep_nesting(knowledge: Path) -> None:
    (knowledge / "deep.yaml").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")


def python_tag(knowledge: Path) -> None:
    (knowledge / "evil.yaml").write_text(
        "article: !!python/object/apply:os.system ['touch /tmp/briefbot-pwned']\n", encoding="utf-8"
    )


def missing_directory(knowledge: Path) -> None:
    for path in knowledge.iterdir():
        path.unlink()
    knowledge.rmdir()


def symlink_loop(knowledge: Path) -> None:
    os.symlink(knowledge / "loop.yaml", knowledge / "loop.yaml")


def unreadable(knowledge: Path) -> None:
    # Root ignores permission bits, so make the file unreadable the way a broken disk does:
    # a directory where a file should be.
    (knowledge / "notes.yaml").mkdir()


HOSTILE: dict[str, Callable[[Path], None]] = {
    "truncated mid-write": truncate_mid_write,
    "emptied": empty,
    "not UTF-8": not_utf8,
    "YAML syntax error": syntax_error,
    "wrong types": wrong_types,
    "larger than the cap": oversized,
    "article larger than the cap": huge_article,
    "billion laughs": billion_laughs,
    "deep nesting": deep_nesting,
    "python object tag": python_tag,
    "missing directory": missing_directory,
    "symlink loop": symlink_loop,
    "unreadable file": unreadable,
}


@pytest.mark.parametrize("breakage", HOSTILE.values(), ids=HOSTILE.keys())
def test_load_refuses_with_an_error_naming_the_file(
    knowledge_copy: Path, breakage: Callable[[Path], None]
) -> None:
    breakage(knowledge_copy)
    tracemalloc.start()
    try:
        with pytest.raises(KnowledgeLoadError) as caught:
            load_knowledge(knowledge_copy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND
    errors = caught.value.errors
    assert errors and all("knowledge" in error.file for error in errors), str(caught.value)
    assert not Path("/tmp/briefbot-pwned").exists()


@pytest.mark.parametrize("breakage", HOSTILE.values(), ids=HOSTILE.keys())
def test_reload_keeps_the_previous_knowledge_serving(
    store: KnowledgeStore, knowledge_copy: Path, breakage: Callable[[Path], None]
) -> None:
    before = store.current
    breakage(knowledge_copy)
    outcome = store.reload("admin")
    assert not outcome.ok
    assert store.current is before
    assert store.current.entry("huawei").name == "Huawei"


@pytest.mark.parametrize(
    "breakage",
    [truncate_mid_write, not_utf8, billion_laughs, python_tag, missing_directory],
    ids=["truncated", "not UTF-8", "billion laughs", "python tag", "missing directory"],
)
def test_start_up_with_broken_knowledge_exits_non_zero_with_the_error(
    knowledge_copy: Path, breakage: Callable[[Path], None]
) -> None:
    breakage(knowledge_copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BRIEFBOT_"))}
    env.update(
        DISCORD_TOKEN="not-used",  # the knowledge is checked before any connection is made
        DISCORD_API_BASE="http://127.0.0.1:9/api/v10",
        DISCORD_GATEWAY_URL="ws://127.0.0.1:9/",
        BRIEFBOT_KNOWLEDGE=str(knowledge_copy),
    )
    result = subprocess.run(
        [str(BRIEFBOT), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "the knowledge in" in result.stderr and "is broken" in result.stderr
    assert "Traceback" not in result.stderr
