"""The file watcher: a save reloads every process after a short quiet period, as `!reload`."""

from __future__ import annotations

import logging
import queue
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.state.store import KnowledgeStore, ReloadOutcome
from bot.state.watch import ACTOR, KnowledgeWatcher, start_watching
from tests.helpers import edit_file

QUIET = 0.3
WAIT = 15.0  # the longest any test waits for a reload before it fails
RTX = "The RTX Pro is a newly released GPU,"


@pytest.fixture(params=[False, True], ids=["notifications", "polling"])
def watched(request: pytest.FixtureRequest, store: KnowledgeStore):
    outcomes: queue.Queue[ReloadOutcome] = queue.Queue()
    watcher = KnowledgeWatcher(store, QUIET, polling=request.param, on_reload=outcomes.put)
    watcher.start()
    time.sleep(0.3 if request.param else 0.1)  # the first scan sees the files as they are
    yield store, outcomes
    watcher.stop()


def _summary(store: KnowledgeStore) -> str:
    return store.current.entry("rtx-pro").summary


def test_a_save_is_served_after_the_quiet_period(watched, knowledge_file: Path) -> None:
    store, outcomes = watched
    version = store.version
    edit_file(knowledge_file, RTX, "The RTX Pro, as saved, is a newly released GPU,")
    outcome = outcomes.get(timeout=WAIT)
    assert outcome.ok and outcome.actor == ACTOR and outcome.changed == ("rtx-pro",)
    assert _summary(store).startswith("The RTX Pro, as saved,")
    assert store.version != version


def test_a_burst_of_saves_reloads_once(watched, knowledge_file: Path) -> None:
    store, outcomes = watched
    for number in range(4):
        text = knowledge_file.read_text(encoding="utf-8")
        knowledge_file.write_text(text.replace("newly released GPU,", f"GPU {number},", 1))
        time.sleep(QUIET / 4)
    outcome = outcomes.get(timeout=WAIT)
    assert outcome.ok
    assert "GPU 0," in _summary(store) or "GPU 3" in _summary(store)
    with pytest.raises(queue.Empty):
        outcomes.get(timeout=QUIET * 3)


def test_a_save_that_changes_nothing_does_not_reload(watched, knowledge_file: Path) -> None:
    store, outcomes = watched
    version = store.version
    knowledge_file.write_text(knowledge_file.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(queue.Empty):
        outcomes.get(timeout=QUIET * 3 + 1.0)  # past a poll and the quiet period
    assert store.version == version


def test_a_broken_save_is_refused_and_logged_with_file_and_line(
    watched, knowledge_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, outcomes = watched
    before = _summary(store)
    with caplog.at_level(logging.WARNING, "bot.state.store"):
        edit_file(
            knowledge_file, "kind: product\n    name: RTX Pro", "kind: gadget\n    name: RTX Pro"
        )
        outcome = outcomes.get(timeout=WAIT)
    assert not outcome.ok
    assert _summary(store) == before  # the old knowledge keeps serving
    line = knowledge_file.read_text().splitlines().index("    kind: gadget") + 1
    assert any(f"nvidia-huang-china-ai.yaml:{line}:" in r.getMessage() for r in caplog.records)


def test_an_editors_swap_file_does_not_reload(watched, knowledge_copy: Path) -> None:
    _, outcomes = watched
    (knowledge_copy / ".nvidia-huang-china-ai.yaml.swp").write_text("x")
    (knowledge_copy / "notes.md").write_text("x")
    with pytest.raises(queue.Empty):
        outcomes.get(timeout=QUIET * 4)


def test_an_article_edit_reloads_too(watched, knowledge_copy: Path) -> None:
    store, outcomes = watched
    version = store.version
    seed = knowledge_copy.parent / "seeds" / "jensen-huang-nvidia-china-ai-future.txt"
    edit_file(seed, "Latest Articles", "Latest Articles and more")
    assert outcomes.get(timeout=WAIT).ok
    assert store.version != version


def test_stop_is_prompt(store: KnowledgeStore) -> None:
    watcher = KnowledgeWatcher(store, quiet_seconds=5.0).start()
    time.sleep(0.1)
    started = time.monotonic()
    watcher.stop()
    assert time.monotonic() - started < 2.0
    assert not watcher._thread.is_alive()


def test_settings_turn_it_off_or_to_polling(store: KnowledgeStore) -> None:
    assert start_watching(Settings.from_env({"BRIEFBOT_WATCH": "off"}), store) is None
    watcher = start_watching(
        Settings.from_env({"BRIEFBOT_WATCH": "poll", "BRIEFBOT_WATCH_QUIET_SECONDS": "0.5"}), store
    )
    assert watcher is not None and watcher.polling and watcher.quiet_seconds == 0.5
    watcher.stop()
