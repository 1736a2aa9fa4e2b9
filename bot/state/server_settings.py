"""Each server's own settings, and the log of what admins and managers did, kept in SQLite.

Knows nothing of Discord: a server is a number, a channel is a number, an actor is a number.
The Discord cog translates commands into calls here and replies into sentences.

The database is a convenience, never a dependency: every setting has a default, reads come from
an in-memory copy loaded at start-up (no query per message), and any failure of the file
(corrupt, locked, read-only, disk full) leaves the bot serving with what it has, after one
logged warning. Several shard processes may share one file: it is in WAL mode with a busy
timeout, and every write is one short transaction of one server's row and its audit line.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

DATABASE_NAME = "briefbot.sqlite3"
MAX_PREFIX_CHARS = 10
MAX_CHANNELS = 25  # enough for any sensible list, small enough to show in one reply
MAX_COOLDOWN_SECONDS = 3600.0
BUSY_TIMEOUT_SECONDS = 2.0  # a shard holding the write lock finishes well within this
AUDIT_KEPT = 1000  # the audit table is trimmed to this many rows
ON_WORDS = frozenset({"on", "yes", "true", "enable", "enabled"})
OFF_WORDS = frozenset({"off", "no", "false", "disable", "disabled"})
# Markup Discord turns into mentions, channels or emoji: never a prefix people can type.
_MARKUP = re.compile(r"<[@#:/]|<[at]:|@everyone|@here", re.IGNORECASE)
_CHANNEL_TOKEN = re.compile(r"^(?:<#(\d{1,20})>|(\d{15,20}))$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS server_settings (
    guild_id INTEGER PRIMARY KEY,
    prefix TEXT,
    channels TEXT,
    mentions INTEGER NOT NULL DEFAULT 1,
    questions INTEGER NOT NULL DEFAULT 1,
    cooldown_rate INTEGER,
    cooldown_seconds REAL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    guild_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


class SettingError(ValueError):
    """A value a manager gave is not acceptable; the message says what would be."""


class SettingsUnavailableError(RuntimeError):
    """The database could not save a change; nothing changed."""


@dataclass(frozen=True)
class Cooldown:
    """At most `rate` commands per user in `seconds`."""

    rate: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.rate} commands per {self.seconds:g} s"


@dataclass(frozen=True)
class ServerSettings:
    """One server's settings; None means the operator's default."""

    prefix: str | None = None
    channels: frozenset[int] | None = None  # None: every channel
    mentions: bool = True  # answer when the bot is mentioned (read by the mention feature)
    questions: bool = True  # answer plain questions (read by the `ask` feature)
    cooldown: Cooldown | None = None

    def answers_in(self, channel_id: int) -> bool:
        """Whether the bot answers in this channel of the server."""
        return self.channels is None or channel_id in self.channels

    @property
    def is_default(self) -> bool:
        """True when nothing differs from the defaults."""
        return self == ServerSettings()


@dataclass(frozen=True)
class AuditEntry:
    """One thing an operator or manager did: who (a user id), where (a server id), what."""

    actor_id: int
    guild_id: int | None
    action: str
    detail: str
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


# -- what managers type -----------------------------------------------------------------


def parse_prefix(raw: str) -> str:
    """A command prefix as a manager typed it, or SettingError saying what a prefix may be."""
    if not raw.strip():
        raise SettingError("A prefix cannot be blank; give 1 to 10 characters, such as “?”.")
    prefix = raw.strip()
    if _MARKUP.search(prefix) or "`" in prefix:
        raise SettingError(
            "A prefix cannot be a mention, a channel, an emoji or a backtick; "
            "use plain characters such as “?”."
        )
    if any(char.isspace() for char in prefix) or len(prefix) > MAX_PREFIX_CHARS:
        raise SettingError(
            f"A prefix is 1 to {MAX_PREFIX_CHARS} characters without spaces, such as “?” or “bb!”."
        )
    if prefix.startswith("/"):
        raise SettingError(
            "A prefix cannot start with “/”, which Discord keeps for slash commands; "
            "try “?” or “bb!”."
        )
    return prefix


def parse_switch(raw: str, name: str) -> bool:
    """`on` or `off` (and their synonyms), or SettingError."""
    word = raw.strip().casefold()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    raise SettingError(f"Say “{name} on” or “{name} off”.")


def parse_channel_ids(raw: str) -> list[int]:
    """Channel mentions (`<#id>`) or ids, separated by spaces or commas, or SettingError."""
    tokens = raw.replace(",", " ").split()
    if not tokens:
        raise SettingError("Name the channels, such as “#news #ask”, or say “all”.")
    if len(tokens) > MAX_CHANNELS:
        raise SettingError(f"Name at most {MAX_CHANNELS} channels.")
    ids = []
    for token in tokens:
        found = _CHANNEL_TOKEN.match(token)
        if found is None:
            raise SettingError(
                "Name channels by mentioning them, such as “#news #ask”, or say “all”."
            )
        ids.append(int(found.group(1) or found.group(2)))
    return list(dict.fromkeys(ids))


def parse_cooldown(raw: str, limit: Cooldown) -> Cooldown:
    """`RATE SECONDS` within the operator's limit (no looser than it), or SettingError."""
    bounds = (
        f"Give at most {limit.rate} commands per at least {limit.seconds:g} seconds "
        f"(and at most {MAX_COOLDOWN_SECONDS:g}), such as “cooldown 3 30”, or “cooldown default”."
    )
    parts = raw.replace("/", " ").replace("per", " ").removesuffix("s").split()
    try:
        rate, seconds = int(parts[0]), float(parts[1].removesuffix("s"))
    except (IndexError, ValueError):
        raise SettingError(bounds) from None
    if len(parts) != 2 or not 1 <= rate <= limit.rate:
        raise SettingError(bounds)
    if not limit.seconds <= seconds <= MAX_COOLDOWN_SECONDS:
        raise SettingError(bounds)
    return Cooldown(rate, seconds)


def describe_change(before: ServerSettings, after: ServerSettings) -> str:
    """What changed, for the audit log: `prefix ! -> ?; questions on -> off`."""
    changes = []
    for name in ("prefix", "channels", "mentions", "questions", "cooldown"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes.append(f"{name} {_shown(old)} -> {_shown(new)}")
    return "; ".join(changes) or "nothing changed"


def _shown(value: object) -> str:
    if value is None:
        return "default"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, frozenset):
        return " ".join(str(channel) for channel in sorted(value))
    return str(value)


# -- the database ------------------------------------------------------------------------


class SettingsDatabase:
    """The SQLite file: one row per server that changed anything, and the audit log."""

    def __init__(self, path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap for SQLite, safe across threads, and nothing
        # stays open that another shard process could be waiting on.
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(
            sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        ) as connection:
            connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            if not self._ready:
                connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for writers
                connection.executescript(_SCHEMA)
                self._ready = True
            yield connection

    def load_all(self) -> dict[int, ServerSettings]:
        """Every server's stored settings; raises sqlite3.Error or OSError when it cannot."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT guild_id, prefix, channels, mentions, questions, cooldown_rate,"
                " cooldown_seconds FROM server_settings"
            ).fetchall()
        return {int(row[0]): _from_row(row) for row in rows}

    def save(self, guild_id: int, settings: ServerSettings, entry: AuditEntry) -> None:
        """Store one server's settings (defaults delete its row) with its audit line."""
        with self._connect() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if settings.is_default:
                    connection.execute(
                        "DELETE FROM server_settings WHERE guild_id = ?", (guild_id,)
                    )
                else:
                    connection.execute(
                        "INSERT OR REPLACE INTO server_settings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        _to_row(guild_id, settings, entry.at),
                    )
                _insert_audit(connection, entry)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def record(self, entry: AuditEntry) -> None:
        """Append one line to the audit log."""
        with self._connect() as connection:
            _insert_audit(connection, entry)

    def recent(self, limit: int) -> list[AuditEntry]:
        """The latest audit lines, newest first."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT at, actor_id, guild_id, action, detail FROM audit_log"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            AuditEntry(int(actor), None if guild is None else int(guild), action, detail, _at(at))
            for at, actor, guild, action, detail in rows
        ]


def _insert_audit(connection: sqlite3.Connection, entry: AuditEntry) -> None:
    connection.execute(
        "INSERT INTO audit_log (at, actor_id, guild_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        (entry.at.isoformat(), entry.actor_id, entry.guild_id, entry.action, entry.detail),
    )
    connection.execute(
        "DELETE FROM audit_log WHERE id <= (SELECT MAX(id) FROM audit_log) - ?", (AUDIT_KEPT,)
    )


def _to_row(guild_id: int, settings: ServerSettings, at: datetime) -> tuple[object, ...]:
    channels = None
    if settings.channels is not None:
        channels = " ".join(str(c) for c in sorted(settings.channels))
    cooldown = settings.cooldown
    return (
        guild_id,
        settings.prefix,
        channels,
        int(settings.mentions),
        int(settings.questions),
        cooldown.rate if cooldown else None,
        cooldown.seconds if cooldown else None,
        at.isoformat(),
    )


def _from_row(row: tuple[object, ...]) -> ServerSettings:
    """A stored row, checked again: a hand-edited file must not bring back a bad prefix."""
    guild_id, prefix, channels, mentions, questions, rate, seconds = row
    settings = ServerSettings(mentions=bool(mentions), questions=bool(questions))
    if isinstance(prefix, str):
        try:
            settings = replace(settings, prefix=parse_prefix(prefix))
        except SettingError:
            log.warning("server %s: the stored prefix is not valid; using the default", guild_id)
    if isinstance(channels, str):
        ids = frozenset(int(c) for c in channels.split() if c.isdigit())
        settings = replace(settings, channels=ids or None)
    if isinstance(rate, int) and isinstance(seconds, int | float) and rate >= 1 and seconds > 0:
        settings = replace(settings, cooldown=Cooldown(rate, float(seconds)))
    return settings


def _at(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)


# -- what the bot holds -------------------------------------------------------------------


class ServerSettingsStore:
    """The settings every server has now, in memory, backed by the database when it works.

    `get` never touches the file. `update` writes first and changes the copy in memory only
    once the write succeeded, so a manager is never told a change was made that a restart would
    forget. Failures are logged once as a warning until the database works again.
    """

    def __init__(self, database: SettingsDatabase | None) -> None:
        self.database = database
        self._settings: dict[int, ServerSettings] = {}
        self._loaded = False
        self._degraded = False
        self._lock = threading.Lock()  # one write at a time from this process

    @classmethod
    def in_directory(cls, directory: Path) -> ServerSettingsStore:
        """A store backed by `directory`/briefbot.sqlite3 (created when first used)."""
        return cls(SettingsDatabase(Path(directory) / DATABASE_NAME))

    @property
    def available(self) -> bool:
        """False after a failure, until the database works again."""
        return self.database is not None and not self._degraded

    def load(self) -> bool:
        """Read every server's settings into memory; False (defaults kept) when it cannot."""
        if self.database is None:
            return False
        try:
            loaded = self.database.load_all()
        except (sqlite3.Error, OSError) as error:
            self._failed("read", error)
            return False
        self._settings = loaded
        self._loaded = True
        self._degraded = False
        return True

    def get(self, guild_id: int | None) -> ServerSettings:
        """A server's settings (defaults for a DM or a server that changed nothing)."""
        if guild_id is None:
            return ServerSettings()
        return self._settings.get(guild_id, ServerSettings())

    def update(self, guild_id: int, settings: ServerSettings, actor_id: int) -> str:
        """Save a server's new settings and use them at once; returns what changed.
        Raises SettingsUnavailableError (nothing changed) when the database cannot save them."""
        with self._lock:
            before = self.get(guild_id)
            change = describe_change(before, settings)
            entry = AuditEntry(actor_id, guild_id, "server settings", change)
            log.info("audit: user %s in server %s: server settings: %s", actor_id, guild_id, change)
            if self.database is None:
                raise SettingsUnavailableError("no database is configured")
            try:
                if not self._loaded:
                    self.load()  # the start-up read failed: fetch the others' settings first
                self.database.save(guild_id, settings, entry)
            except (sqlite3.Error, OSError) as error:
                self._failed("save", error)
                raise SettingsUnavailableError(str(error)) from None
            self._degraded = False
            if settings.is_default:
                self._settings.pop(guild_id, None)
            else:
                self._settings[guild_id] = settings
            return change

    def record(self, actor_id: int, guild_id: int | None, action: str, detail: str) -> None:
        """Log an operator's action, and keep it in the audit log when the database works."""
        log.info("audit: user %s in server %s: %s: %s", actor_id, guild_id, action, detail)
        if self.database is None:
            return
        try:
            self.database.record(AuditEntry(actor_id, guild_id, action, detail))
        except (sqlite3.Error, OSError) as error:
            self._failed("record an action in", error)
        else:
            self._degraded = False

    def recent(self, limit: int = 10) -> list[AuditEntry]:
        """The latest audit lines, newest first (none when the database cannot be read)."""
        if self.database is None:
            return []
        try:
            return self.database.recent(limit)
        except (sqlite3.Error, OSError) as error:
            self._failed("read the audit log of", error)
            return []

    def _failed(self, what: str, error: BaseException) -> None:
        if self._degraded:
            log.debug("server settings: could not %s the database: %s", what, error)
            return
        self._degraded = True
        where = self.database.path if self.database else "(none)"
        log.warning(
            "server settings: could not %s the database %s (%s); serving with the settings "
            "already loaded, or the defaults",
            what,
            where,
            error,
        )
