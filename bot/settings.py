"""Configuration, read once from the environment into one typed object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
SWITCH = {"on": True, "off": False, "true": True, "false": False, "1": True, "0": False}
WATCH_MODES = ("on", "off", "poll")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one sentence naming the variable."""


def default_knowledge_dir() -> Path:
    """The shipped knowledge: knowledge/ of the checkout, else the copy inside the wheel."""
    checkout = _PACKAGE.parent / "knowledge"
    return checkout if checkout.is_dir() else _PACKAGE / "_shipped" / "knowledge"


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the bot keeps what it writes: the user's state directory (XDG), never beside the
    knowledge, which is often read-only (a container mount, or the copy inside the wheel)."""
    env = os.environ if env is None else env
    state = env.get("XDG_STATE_HOME", "").strip()
    return (Path(state) if state else Path.home() / ".local" / "state") / "briefbot"


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads, with its default."""

    token: str | None = None
    prefix: str = "!"
    knowledge_dir: Path = field(default_factory=default_knowledge_dir)
    admin_ids: frozenset[int] = frozenset()
    cooldown_rate: int = 5
    cooldown_seconds: float = 10.0
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    api_base: str | None = None
    gateway_url: str | None = None
    log_level: str = "INFO"
    heartbeat_timeout: float = 60.0
    data_dir: Path = field(default_factory=default_data_dir)
    usage_log: bool = True
    watch: str = "on"  # reload when the knowledge files change: on, off, or poll
    watch_quiet_seconds: float = 2.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the environment; raise SettingsError naming the variable on a bad value."""
        env = os.environ if env is None else env
        knowledge = env.get("BRIEFBOT_KNOWLEDGE", "").strip()
        data = env.get("BRIEFBOT_DATA", "").strip()
        prefix = env.get("BRIEFBOT_PREFIX", "!")
        if not prefix.strip() or any(char.isspace() for char in prefix) or len(prefix) > 10:
            raise SettingsError(
                "BRIEFBOT_PREFIX must be 1 to 10 characters without spaces, such as '!'."
            )
        shard_ids = _int_list(env, "BRIEFBOT_SHARD_IDS")
        shard_count = _integer(env, "BRIEFBOT_SHARD_COUNT", None, minimum=1)
        if shard_ids is not None and any(shard < 0 for shard in shard_ids):
            raise SettingsError("BRIEFBOT_SHARD_IDS must be shard numbers from 0 up.")
        if shard_ids is not None and shard_count is None:
            raise SettingsError("BRIEFBOT_SHARD_IDS needs BRIEFBOT_SHARD_COUNT set too.")
        if shard_ids and shard_count is not None and max(shard_ids) >= shard_count:
            raise SettingsError("BRIEFBOT_SHARD_IDS must all be below BRIEFBOT_SHARD_COUNT.")
        token = env.get("DISCORD_TOKEN", "").strip() or None
        data = env.get("BRIEFBOT_DATA", "").strip()
        if token and not all("!" <= char <= "~" for char in token):
            raise SettingsError(
                "DISCORD_TOKEN holds spaces or characters no Discord token has; copy it again."
            )
        return cls(
            token=token,
            prefix=prefix,
            knowledge_dir=Path(knowledge).expanduser() if knowledge else default_knowledge_dir(),
            admin_ids=frozenset(_int_list(env, "BRIEFBOT_ADMIN_IDS") or ()),
            cooldown_rate=_integer(env, "BRIEFBOT_COOLDOWN_RATE", 5, minimum=1),
            cooldown_seconds=_number(env, "BRIEFBOT_COOLDOWN_SECONDS", 10.0),
            shard_count=shard_count,
            shard_ids=tuple(shard_ids) if shard_ids is not None else None,
            api_base=_url(env, "DISCORD_API_BASE", ("http://", "https://")),
            gateway_url=_url(env, "DISCORD_GATEWAY_URL", ("ws://", "wss://")),
            log_level=_log_level(env),
            heartbeat_timeout=_number(env, "BRIEFBOT_HEARTBEAT_TIMEOUT", 60.0, minimum=1.0),
            data_dir=Path(data).expanduser() if data else default_data_dir(env),
            usage_log=_switch(env, "BRIEFBOT_USAGE_LOG", True),
            watch=_watch(env),
            watch_quiet_seconds=_number(env, "BRIEFBOT_WATCH_QUIET_SECONDS", 2.0, minimum=0.05),
        )


def _integer(
    env: Mapping[str, str], name: str, default: int | None, minimum: int = 0
) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}.")
    return value


def _number(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if not minimum <= value <= 86400:
        raise SettingsError(f"{name} must be between {minimum:g} and 86400 seconds.")
    return value


def _int_list(env: Mapping[str, str], name: str) -> list[int] | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return [int(part) for part in raw.replace(",", " ").split()]
    except ValueError:
        raise SettingsError(
            f"{name} must be whole numbers separated by commas, not {raw!r}."
        ) from None


def _log_level(env: Mapping[str, str]) -> str:
    raw = env.get("BRIEFBOT_LOG_LEVEL", "").strip().upper() or "INFO"
    if raw not in LOG_LEVELS:
        raise SettingsError(f"BRIEFBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")
    return raw


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if raw and not raw.startswith(schemes):
        raise SettingsError(f"{name} must start with {' or '.join(schemes)}, not {raw!r}.")
    return raw.rstrip("/") or None


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().casefold()
    if not raw:
        return default
    if raw not in SWITCH:
        raise SettingsError(f"{name} must be on or off, not {raw!r}.")
    return SWITCH[raw]


def _watch(env: Mapping[str, str]) -> str:
    raw = env.get("BRIEFBOT_WATCH", "").strip().casefold() or "on"
    raw = {"true": "on", "1": "on", "false": "off", "0": "off"}.get(raw, raw)
    if raw not in WATCH_MODES:
        raise SettingsError("BRIEFBOT_WATCH must be on, off or poll.")
    return raw
