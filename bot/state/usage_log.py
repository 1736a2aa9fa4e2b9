"""What readers asked for: the look-ups the knowledge could not answer, and the entries read.

Rows hold only what was asked (folded text), its command, its outcome, the entry answered, a
UTC day and a count: never who asked or where. The log is an embedded SQLite database in the
data directory (`usage.sqlite3`), in WAL mode with a short busy timeout, so several shard
processes on one host share it; it is bounded by age, by rows and by file size. Nothing here
ever stops an answer: a full disk, a locked or corrupt database logs one warning, and the log
tries again a minute later.

Callers record through `note(log, reply)`, after the engine answered; answers never record.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.engine.reply import Reply, Status
from bot.settings import Settings

log = logging.getLogger(__name__)

FILE_NAME = "usage.sqlite3"
MAX_AGE_DAYS = 90  # older days are deleted
MAX_ROWS = 50_000  # one row per (day, command, text, outcome, entry): months of a busy bot
MAX_FILE_BYTES = 32 * 1024 * 1024  # enforced by SQLite itself (max_page_count)
MAX_TEXT_CHARS = 100  # what was asked, cut to this
BUSY_TIMEOUT_MS = 100  # a locked database costs an answer at most this long
RETRY_SECONDS = 60.0  # after a failure, the log stays quiet this long
PRUNE_EVERY = 500  # writes between two prunes
TYPO_SIMILARITY = 80.0  # misses this alike (rapidfuzz ratio, 0-100) are one thing asked for
MISSED = (Status.NOT_FOUND, Status.AMBIGUOUS)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS asks (
    day TEXT NOT NULL,
    command TEXT NOT NULL,
    text TEXT NOT NULL,
    outcome TEXT NOT NULL,
    entry TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, command, text, outcome, entry)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS asks_by_outcome ON asks (outcome, day);
"""


class UsageLogError(Exception):
    """The usage log cannot be read just now; the message is one sentence."""


@dataclass(frozen=True)
class Miss:
    """Something readers asked for that the knowledge lacks: typos of it counted together."""

    text: str  # the spelling asked most
    count: int
    spellings: tuple[str, ...]  # every spelling, most asked first
    commands: tuple[str, ...]
    outcomes: tuple[str, ...]  # not_found, ambiguous (a "Did you mean" was offered)


@dataclass
class UsageLog:
    """The usage database of one data directory."""

    path: Path
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    max_rows: int = MAX_ROWS
    _connection: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _quiet_until: float = 0.0
    _warned: bool = False
    _writes: int = 0

    @classmethod
    def in_directory(cls, data_dir: Path) -> UsageLog:
        """The log kept in `data_dir` (created on first write)."""
        return cls(Path(data_dir) / FILE_NAME)

    def record(self, command: str, text: str, outcome: str, entry: str = "") -> None:
        """Count one look-up; never raises."""
        row = (self.clock().date().isoformat(), command, _fold(text), outcome, entry)
        with self._lock:
            if time.monotonic() < self._quiet_until:
                return
            try:
                connection = self._connect()
                with connection:
                    connection.execute(
                        "INSERT INTO asks VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT "
                        "(day, command, text, outcome, entry) DO UPDATE SET count = count + 1",
                        row,
                    )
                self._writes += 1
                self._warned = False  # a later outage is worth one warning again
                if self._writes % PRUNE_EVERY == 1:
                    self._prune(connection)
            except (sqlite3.Error, OSError) as error:
                self._failed(error)

    def misses(self, limit: int = 10, days: int = MAX_AGE_DAYS) -> list[Miss]:
        """The things most asked for that the knowledge lacks, typos grouped together."""
        since = (self.clock().date() - timedelta(days=days - 1)).isoformat()
        rows = self._read(
            "SELECT text, command, outcome, SUM(count) FROM asks WHERE outcome IN (?, ?) "
            "AND day >= ? GROUP BY text, command, outcome ORDER BY SUM(count) DESC LIMIT 5000",
            (*(status.value for status in MISSED), since),
        )
        return group_misses([(str(t), str(c), str(o), int(n)) for t, c, o, n in rows])[:limit]

    def top_entries(self, limit: int = 5, days: int = MAX_AGE_DAYS) -> list[tuple[str, int]]:
        """The entries answered most often, with their counts."""
        since = (self.clock().date() - timedelta(days=days - 1)).isoformat()
        rows = self._read(
            "SELECT entry, SUM(count) FROM asks WHERE outcome = ? AND entry != '' AND day >= ? "
            "GROUP BY entry ORDER BY SUM(count) DESC, entry LIMIT ?",
            (Status.ANSWERED.value, since, limit),
        )
        return [(str(entry), int(count)) for entry, count in rows]

    def close(self) -> None:
        """Close the database connection (the log reopens on the next use)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _read(self, query: str, parameters: tuple[object, ...]) -> list[tuple[object, ...]]:
        if not self.path.exists():
            return []  # nothing was recorded yet: reading must not create the file
        with self._lock:
            try:
                return list(self._connect().execute(query, parameters))
            except (sqlite3.Error, OSError) as error:
                raise UsageLogError(
                    f"the usage log {self.path} cannot be read just now ({_reason(error)})"
                ) from None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            page_size = connection.execute("PRAGMA page_size").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {MAX_FILE_BYTES // page_size}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.executescript(_SCHEMA)
        except sqlite3.Error:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _prune(self, connection: sqlite3.Connection) -> None:
        cutoff = (self.clock().date() - timedelta(days=MAX_AGE_DAYS - 1)).isoformat()
        with connection:
            connection.execute("DELETE FROM asks WHERE day < ?", (cutoff,))
            (rows,) = connection.execute("SELECT COUNT(*) FROM asks").fetchone()
            if rows > self.max_rows:
                connection.execute(
                    "DELETE FROM asks WHERE (day, command, text, outcome, entry) IN "
                    "(SELECT day, command, text, outcome, entry FROM asks "
                    "ORDER BY day, count LIMIT ?)",
                    (rows - self.max_rows,),
                )

    def _failed(self, error: BaseException) -> None:
        self._quiet_until = time.monotonic() + RETRY_SECONDS
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
        if not self._warned:
            self._warned = True
            log.warning(
                "usage log %s is unavailable (%s); answers go on without it",
                self.path,
                _reason(error),
            )


def open_for(settings: Settings) -> UsageLog | None:
    """The usage log the settings ask for; None when BRIEFBOT_USAGE_LOG is off."""
    return UsageLog.in_directory(settings.data_dir) if settings.usage_log else None


def note(usage: UsageLog | None, reply: Reply) -> None:
    """Record one reply of a front end: a miss with what was asked, or the entry answered.

    Only look-ups of something named count (a name, a subject, search words); the briefing,
    lists, help and mistyped commands do not.
    """
    asked = reply.asked
    if usage is None or asked is None or not asked.argument.strip():
        return
    if reply.status in MISSED:
        usage.record(asked.command, asked.argument, reply.status.value)
    elif reply.status is Status.ANSWERED and reply.entry_id:
        usage.record(asked.command, "", reply.status.value, reply.entry_id)


def group_misses(rows: list[tuple[str, str, str, int]]) -> list[Miss]:
    """Misses grouped so that spellings of one thing count together, most asked first.

    `rows` are (text, command, outcome, count). Each spelling joins the group of the most asked
    spelling it resembles (rapidfuzz ratio after default processing); otherwise it starts one.
    """
    totals: dict[str, int] = {}
    commands: dict[str, dict[str, None]] = {}
    outcomes: dict[str, dict[str, None]] = {}
    for text, command, outcome, count in rows:
        totals[text] = totals.get(text, 0) + count
        commands.setdefault(text, {})[command] = None
        outcomes.setdefault(text, {})[outcome] = None
    heads: list[str] = []
    members: dict[str, list[str]] = {}
    for text in sorted(totals, key=lambda t: (-totals[t], t)):
        found = process.extractOne(
            text,
            heads,
            scorer=fuzz.ratio,
            processor=default_process,
            score_cutoff=TYPO_SIMILARITY,
        )
        head = found[0] if found else text
        if not found:
            heads.append(text)
        members.setdefault(head, []).append(text)
    groups = [
        Miss(
            head,
            sum(totals[t] for t in spellings),
            tuple(spellings),
            tuple(dict.fromkeys(c for t in spellings for c in commands[t])),
            tuple(dict.fromkeys(o for t in spellings for o in outcomes[t])),
        )
        for head, spellings in members.items()
    ]
    return sorted(groups, key=lambda g: (-g.count, g.text))


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())[:MAX_TEXT_CHARS]


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__
