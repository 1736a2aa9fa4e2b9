"""Reload the knowledge when its files change on disk, after a short quiet period.

Every process watches for itself (each shard, the console), so a curator's save reaches them
all without a signal. A reload goes through `KnowledgeStore.reload`, exactly as `!reload`
does: a broken save is refused and logged with its file and line, and the previous knowledge
keeps serving. File events come from watchfiles (the operating system's notifications; polling
where those are not available, such as some network and container mounts, or when
BRIEFBOT_WATCH=poll).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bot.knowledge.fingerprint import article_file, fingerprint
from bot.knowledge.loader import KNOWLEDGE_SUFFIXES
from bot.settings import Settings
from bot.state.store import KnowledgeStore, ReloadOutcome

log = logging.getLogger(__name__)

ACTOR = "file watcher"
RETRY_SECONDS = 5.0  # after the watcher itself failed (a folder removed, no inotify left)
POLL_DELAY_MS = 500


class KnowledgeWatcher:
    """A background thread that reloads `store` once its files have been quiet a while."""

    def __init__(
        self,
        store: KnowledgeStore,
        quiet_seconds: float = 2.0,
        polling: bool = False,
        on_reload: Callable[[ReloadOutcome], object] | None = None,
    ) -> None:
        self.store = store
        self.quiet_seconds = quiet_seconds
        self.polling = polling
        self.on_reload = on_reload
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="knowledge-watcher", daemon=True)

    def start(self) -> KnowledgeWatcher:
        """Start watching; returns self."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and wait (at most `timeout` seconds) for the thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def paths(self) -> tuple[Path, ...]:
        """The folders watched: the knowledge folder and those of the articles it cites."""
        knowledge = self.store.current.knowledge
        folders = [self.store.directory]
        for article in knowledge.articles:
            seed = article_file(knowledge, article.source)
            if seed is not None:
                folders.append(seed.parent)
        return tuple(dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir()))

    def _relevant(self, path: str) -> bool:
        """A knowledge file, or an article file the knowledge cites (not an editor's swap file)."""
        candidate = Path(path)
        if candidate.suffix in KNOWLEDGE_SUFFIXES and not candidate.name.startswith("."):
            return True
        knowledge = self.store.current.knowledge
        return any(
            (seed := article_file(knowledge, a.source)) is not None
            and seed.resolve() == candidate.resolve()
            for a in knowledge.articles
        )

    def _run(self) -> None:
        polling = self.polling
        while not self._stop.is_set():
            try:
                self._watch(polling)
            except Exception as error:  # the watcher must never take the process down
                log.warning(
                    "watching the knowledge failed (%s); trying again with polling in %gs",
                    error,
                    RETRY_SECONDS,
                )
                polling = True
                self._stop.wait(RETRY_SECONDS)

    def _watch(self, polling: bool) -> None:
        from watchfiles import watch  # imported here: only a watching process needs it

        paths = self.paths()
        if not paths:
            self._stop.wait(RETRY_SECONDS)
            return
        tick = max(0.02, min(0.25, self.quiet_seconds / 4))
        changed_at: float | None = None
        log.info(
            "watching %s for changes (%s, reload after %gs of quiet)",
            ", ".join(map(str, paths)),
            "polling" if polling else "notifications",
            self.quiet_seconds,
        )
        for changes in watch(
            *paths,
            watch_filter=None,
            step=20,
            debounce=int(tick * 1000),
            rust_timeout=int(tick * 1000),
            yield_on_timeout=True,
            stop_event=self._stop,
            raise_interrupt=False,
            force_polling=polling,
            poll_delay_ms=POLL_DELAY_MS,
        ):
            if any(self._relevant(path) for _, path in changes):
                changed_at = time.monotonic()
            if changed_at is not None and time.monotonic() - changed_at >= self.quiet_seconds:
                changed_at = None
                self._reload()
                if self.paths() != paths:
                    return  # an article in a new folder: watch that folder too

    def _reload(self) -> None:
        if fingerprint(self.store.current.knowledge) == self.store.version:
            # Saved without a change (an editor's touch, the tail of a burst a poll split in
            # two): the knowledge serving is already what is on disk.
            log.debug("knowledge files touched but unchanged (%s)", self.store.version)
            return
        outcome = self.store.reload(ACTOR)
        if self.on_reload is not None:
            self.on_reload(outcome)


def start_watching(settings: Settings, store: KnowledgeStore) -> KnowledgeWatcher | None:
    """The watcher the settings ask for, started; None when BRIEFBOT_WATCH is off."""
    if settings.watch == "off":
        return None
    polling = settings.watch == "poll"
    return KnowledgeWatcher(store, settings.watch_quiet_seconds, polling).start()
