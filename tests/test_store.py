"""The serving knowledge store: atomic reloads that report what changed, or keep the old one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine.index import KnowledgeIndex
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Kind
from bot.state.store import KnowledgeStore, ReloadOutcome
from tests.helpers import edit_file

BLACKWELL_SUMMARY = (
    "Blackwell is the architecture on which the newly released RTX Pro GPU is based."
)
NEW_ENTRY = """\
  - id: ray-tracing
    kind: topic
    name: Ray tracing
    aliases: []
    summary: "Ray tracing is one of the things the RTX Pro GPU focuses on."
    related: [rtx-pro]
    sources:
      - "computer graphics, ray tracing, and sensor simulation"

"""


def add_new_entry(knowledge_file: Path) -> str:
    return edit_file(knowledge_file, "  - id: hopper\n", NEW_ENTRY + "  - id: hopper\n")


def test_open_serves_the_knowledge_in_the_directory(store: KnowledgeStore) -> None:
    assert store.current.entry("blackwell").summary == BLACKWELL_SUMMARY
    assert store.current.names.match("Blackwell").winner == "blackwell"
    assert store.last_reload is None
    assert store.last_failure is None


def test_reload_without_changes_changes_nothing(store: KnowledgeStore) -> None:
    outcome = store.reload("admin")
    assert outcome.ok
    assert (outcome.added, outcome.removed, outcome.changed) == ((), (), ())
    assert outcome.summary() == "reloaded; nothing changed"


def test_reload_after_editing_a_summary_reports_that_entry(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    edit_file(
        knowledge_file, BLACKWELL_SUMMARY, "Blackwell is the architecture of the RTX Pro GPU."
    )
    outcome = store.reload("admin")
    assert outcome.ok
    assert outcome.changed == ("blackwell",)
    assert (outcome.added, outcome.removed) == ((), ())
    assert (
        store.current.entry("blackwell").summary
        == "Blackwell is the architecture of the RTX Pro GPU."
    )


def test_reload_after_adding_an_entry_reports_it_added(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    add_new_entry(knowledge_file)
    outcome = store.reload("admin")
    assert outcome.ok
    assert outcome.added == ("ray-tracing",)
    assert (outcome.removed, outcome.changed) == ((), ())
    assert store.current.names.match("Ray tracing").winner == "ray-tracing"
    assert "added 1 (ray-tracing)" in outcome.summary()


def test_reload_after_removing_an_entry_reports_it_removed(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    robotics = (
        "  - id: robotics\n"
        "    kind: topic\n"
        "    name: Robotics\n"
        '    aliases: ["robots"]\n'
        '    summary: "Robotics is one of the applications the newly released RTX Pro GPU is '
        'designed for."\n'
        "    related: [rtx-pro]\n"
        "    sources:\n"
        '      - "It is designed for applications such as digital twins, autonomous driving, '
        'and robotics"\n\n'
    )
    edit_file(knowledge_file, robotics, "")
    edit_file(knowledge_file, "autonomous-driving, robotics]", "autonomous-driving]")
    outcome = store.reload("admin")
    assert outcome.ok
    assert outcome.removed == ("robotics",)
    assert outcome.changed == ("rtx-pro",)  # its `related` lost robotics
    assert "robotics" not in store.current.knowledge.entries


def test_broken_reload_keeps_the_previous_knowledge_serving(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    before = store.current
    text = edit_file(
        knowledge_file, "related: [rtx-pro, nvidia]\n", "related: [rtx-pro, nvidia, rtx-max]\n"
    )
    outcome = store.reload("admin")

    assert not outcome.ok
    [error] = outcome.errors
    line = text[: text.index("rtx-max")].count("\n") + 1
    assert f"{knowledge_file.name}:{line}: entries[2] (blackwell).related[2]: " in str(error)
    assert "previous knowledge is still serving" in outcome.summary()
    assert store.current is before
    assert store.current.entry("blackwell").summary == BLACKWELL_SUMMARY
    assert store.current.names.match("Blackwell").winner == "blackwell"


def test_reloads_are_recorded_with_their_actor(store: KnowledgeStore, knowledge_file: Path) -> None:
    good = knowledge_file.read_text(encoding="utf-8")
    knowledge_file.write_text("", encoding="utf-8")
    failed = store.reload("alice")
    assert store.last_reload is failed
    assert store.last_failure is failed
    assert failed.actor == "alice"

    knowledge_file.write_text(good, encoding="utf-8")
    succeeded = store.reload("bob")
    assert succeeded.ok
    assert store.last_reload is succeeded
    assert store.last_reload.actor == "bob"
    assert store.last_failure is failed
    assert failed.at <= succeeded.at


RELOADERS = 8
READERS = 4


def _entry_count(index: KnowledgeIndex) -> int:
    """Read one index as a command would, checking it is whole; return its size."""
    entries = index.knowledge.entries
    has_new = "ray-tracing" in entries
    assert index.entry("blackwell").name == "Blackwell"
    assert index.names.match("RTX Pro").winner == "rtx-pro"
    assert (index.names.match("Ray tracing").winner == "ray-tracing") == has_new
    assert any(e.id == "ray-tracing" for e in index.knowledge.of_kind(Kind.TOPIC)) == has_new
    return len(entries)


def test_concurrent_reloads_and_reads_stay_consistent(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    old_size = len(store.current.knowledge.entries)
    add_new_entry(knowledge_file)
    start = threading.Barrier(RELOADERS + READERS)
    stop_reading = threading.Event()
    outcomes: list[ReloadOutcome] = []
    seen: list[int] = []
    problems: list[BaseException] = []

    def reload() -> None:
        start.wait()
        outcomes.append(store.reload("racer"))

    def read() -> None:
        seen.append(_entry_count(store.current))
        start.wait()
        while not stop_reading.is_set():
            seen.append(_entry_count(store.current))
            time.sleep(0.01)
        seen.append(_entry_count(store.current))

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as problem:  # asserted on in the main thread
                problems.append(problem)
                start.abort()

        return run

    reloaders = [threading.Thread(target=guarded(reload)) for _ in range(RELOADERS)]
    readers = [threading.Thread(target=guarded(read)) for _ in range(READERS)]
    for thread in (*reloaders, *readers):
        thread.start()
    for thread in reloaders:
        thread.join(timeout=60)
    stop_reading.set()
    for thread in readers:
        thread.join(timeout=10)

    assert problems == []
    assert len(outcomes) == RELOADERS
    assert all(outcome.ok for outcome in outcomes)
    # Reloads ran one after another: exactly one saw the new entry arrive.
    assert sorted(outcome.added for outcome in outcomes) == [()] * (RELOADERS - 1) + [
        ("ray-tracing",)
    ]
    assert set(seen) == {old_size, old_size + 1}
    assert store.current.knowledge == load_knowledge(knowledge_file.parent)


def test_reload_that_trips_a_loader_crash_still_keeps_serving(
    store: KnowledgeStore, knowledge_file: Path
) -> None:
    before = store.current
    edit_file(
        knowledge_file, "    name: Blackwell\n", "    name: Blackwell\n    2025: x\n    foo: y\n"
    )
    outcome = store.reload("admin")
    assert not outcome.ok
    assert store.current is before


def test_reload_contains_an_unexpected_loader_crash(
    store: KnowledgeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.current

    def explode(directory: Path) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bot.state.store.load_knowledge", explode)
    outcome = store.reload("admin")
    assert not outcome.ok
    assert "disk on fire" in str(outcome.errors[0])
    assert store.current is before
    assert store.last_failure is outcome
