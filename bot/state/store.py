"""The knowledge currently serving, and reloading it atomically.

A reload validates a complete new knowledge base off to the side and swaps one reference; if
anything is wrong, the previous knowledge keeps serving and the errors are kept for `kb`.
Readers take `store.current` once per command, so each answer sees one whole knowledge base.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.engine.index import KnowledgeIndex
from bot.knowledge.fingerprint import fingerprint
from bot.knowledge.loader import KnowledgeError, KnowledgeLoadError, load_knowledge

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadOutcome:
    """What one reload did."""

    actor: str
    at: datetime
    errors: tuple[KnowledgeError, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the new knowledge was swapped in."""
        return not self.errors

    def summary(self) -> str:
        """One line for logs and replies."""
        if not self.ok:
            count = len(self.errors)
            return f"reload failed with {count} error(s); the previous knowledge is still serving"
        if not (self.added or self.removed or self.changed):
            return "reloaded; nothing changed"
        parts = [
            f"{label} {len(ids)} ({', '.join(ids[:10])}{', …' if len(ids) > 10 else ''})"
            for label, ids in (
                ("added", self.added),
                ("removed", self.removed),
                ("changed", self.changed),
            )
            if ids
        ]
        return "reloaded: " + "; ".join(parts)


@dataclass
class KnowledgeStore:
    """Holds the serving knowledge index and the history an admin asks about."""

    directory: Path
    current: KnowledgeIndex
    last_reload: ReloadOutcome | None = None
    last_failure: ReloadOutcome | None = None
    version: str = ""  # the content hash of what is serving (knowledge.fingerprint)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, directory: Path) -> KnowledgeStore:
        """Load the knowledge for start-up; raises KnowledgeLoadError when it is broken."""
        knowledge = load_knowledge(Path(directory))
        store = cls(
            Path(directory), KnowledgeIndex.build(knowledge), version=fingerprint(knowledge)
        )
        log.info("knowledge %s loaded from %s", store.version, directory)
        return store

    def reload(self, actor: str) -> ReloadOutcome:
        """Re-read the directory and swap it in if it validates; safe to call from any thread."""
        with self._lock:  # two reloads at once would race to swap; one after the other is fine
            previous = self.current
            try:
                fresh = KnowledgeIndex.build(load_knowledge(self.directory))
            except KnowledgeLoadError as error:
                outcome = ReloadOutcome(actor, datetime.now(UTC), tuple(error.errors))
                self.last_failure = outcome
            except Exception as error:  # a loader bug must never take the serving knowledge down
                log.exception("knowledge reload by %s crashed", actor)
                crash = KnowledgeError(
                    str(self.directory), None, "", f"could not be loaded: {error!r}"
                )
                outcome = ReloadOutcome(actor, datetime.now(UTC), (crash,))
                self.last_failure = outcome
            else:
                outcome = _difference(actor, previous, fresh)
                self.current = fresh
                self.version = fingerprint(fresh.knowledge)
            self.last_reload = outcome
        log.info("knowledge reload by %s: %s (serving %s)", actor, outcome.summary(), self.version)
        for error in outcome.errors:
            log.warning("knowledge reload error: %s", error)
        return outcome


def _difference(actor: str, old: KnowledgeIndex, new: KnowledgeIndex) -> ReloadOutcome:
    before = _items(old)
    after = _items(new)
    return ReloadOutcome(
        actor,
        datetime.now(UTC),
        added=tuple(key for key in after if key not in before),
        removed=tuple(key for key in before if key not in after),
        changed=tuple(key for key in after if key in before and before[key] != after[key]),
    )


def _items(index: KnowledgeIndex) -> dict[str, object]:
    knowledge = index.knowledge
    items: dict[str, object] = {
        f"article {a.id}": (a.title, a.context, a.briefing) for a in knowledge.articles
    }
    items.update(knowledge.entries)
    items.update((statement.id, statement) for statement in knowledge.statements)
    return items
