"""Per-server settings without Discord: what managers may type, and a database that may fail."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.state.server_settings import (
    DATABASE_NAME,
    Cooldown,
    ServerSettings,
    ServerSettingsStore,
    SettingError,
    SettingsUnavailableError,
    parse_channel_ids,
    parse_cooldown,
    parse_prefix,
    parse_switch,
)

GUILD, OTHER_GUILD, MANAGER = 111, 222, 333
LIMIT = Cooldown(5, 10.0)


@pytest.mark.parametrize("typed", ["?", "bb!", "!!", "  ?  ", "$" * 10])
def test_plain_prefixes_are_accepted(typed: str) -> None:
    assert parse_prefix(typed) == typed.strip()


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "cannot be blank"),
        ("     ", "cannot be blank"),
        ("x" * 500, "1 to 10 characters"),
        ("! !", "without spaces"),
        ("<@123456789012345678>", "cannot be a mention"),
        ("<#123>", "cannot be a mention"),
        ("@everyone", "cannot be a mention"),
        ("<:e:12>", "cannot be a mention"),
        ("`!", "backtick"),
        ("/", "slash commands"),
    ],
)
def test_hostile_prefixes_get_a_sentence(typed: str, says: str) -> None:
    with pytest.raises(SettingError, match=says) as raised:
        parse_prefix(typed)
    assert str(raised.value).endswith(".")


def test_switches_read_on_and_off() -> None:
    assert parse_switch("ON", "questions") is True
    assert parse_switch("off", "questions") is False
    with pytest.raises(SettingError, match="“questions on” or “questions off”"):
        parse_switch("maybe", "questions")


def test_channels_are_mentions_or_ids() -> None:
    assert parse_channel_ids("<#123> , 123456789012345678 <#123>") == [123, 123456789012345678]
    for hostile in ("", "#news", "<@123>", "1 2 3"):
        with pytest.raises(SettingError):
            parse_channel_ids(hostile)


def test_a_cooldown_may_only_be_stricter_than_the_operators() -> None:
    assert parse_cooldown("3 30", LIMIT) == Cooldown(3, 30.0)
    assert parse_cooldown("2/60s", LIMIT) == Cooldown(2, 60.0)
    for looser in ("6 10", "5 9", "0 10", "1 7200", "fast", "1"):
        with pytest.raises(SettingError, match="at most 5 commands per at least 10 seconds"):
            parse_cooldown(looser, LIMIT)


def store_in(directory: Path) -> ServerSettingsStore:
    store = ServerSettingsStore.in_directory(directory)
    store.load()
    return store


def test_changes_survive_a_restart_and_stay_in_their_server(tmp_path: Path) -> None:
    store = store_in(tmp_path / "data")
    assert store.get(GUILD) == ServerSettings()
    changed = ServerSettings(prefix="?", channels=frozenset({5, 6}), questions=False)
    assert store.update(GUILD, changed, MANAGER) == (
        "prefix default -> ?; channels default -> 5 6; questions on -> off"
    )
    assert store.get(GUILD) == changed
    assert store.get(OTHER_GUILD) == ServerSettings()

    again = store_in(tmp_path / "data")  # a restart, or another shard process
    assert again.get(GUILD) == changed
    assert again.get(OTHER_GUILD) == ServerSettings()
    [entry] = again.recent()
    assert (entry.actor_id, entry.guild_id, entry.action) == (MANAGER, GUILD, "server settings")

    again.update(GUILD, ServerSettings(), MANAGER)  # reset
    assert store_in(tmp_path / "data").get(GUILD) == ServerSettings()


def test_the_database_is_in_wal_mode_for_several_shard_processes(tmp_path: Path) -> None:
    store_in(tmp_path).update(GUILD, ServerSettings(prefix="?"), MANAGER)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_hand_edited_bad_prefix_falls_back_to_the_default(tmp_path: Path) -> None:
    store_in(tmp_path).update(GUILD, ServerSettings(prefix="?", questions=False), MANAGER)
    with sqlite3.connect(tmp_path / DATABASE_NAME) as connection:
        connection.execute("UPDATE server_settings SET prefix = ?", ("<@1> " * 100,))
    assert store_in(tmp_path).get(GUILD) == ServerSettings(questions=False)


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_corrupt_database_gives_defaults_and_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database, just bytes" * 100)
    store = ServerSettingsStore.in_directory(tmp_path)
    assert store.load() is False
    assert store.get(GUILD) == ServerSettings()
    with pytest.raises(SettingsUnavailableError):
        store.update(GUILD, ServerSettings(prefix="?"), MANAGER)
    assert store.get(GUILD) == ServerSettings()  # nothing changed
    store.record(MANAGER, None, "reload", "reloaded")
    assert store.recent() == []
    [warning] = warnings_in(caplog)
    assert "could not read the database" in warning


def test_a_locked_database_gives_defaults_and_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / DATABASE_NAME
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE anything (x)")
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a long write
    try:
        store = ServerSettingsStore.in_directory(tmp_path)
        store.database.busy_timeout = 0.2  # type: ignore[union-attr]
        assert store.load() is False
        with pytest.raises(SettingsUnavailableError):
            store.update(GUILD, ServerSettings(prefix="?"), MANAGER)
        assert store.get(GUILD) == ServerSettings()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    [warning] = warnings_in(caplog)
    assert "locked" in warning
    # Once the lock is gone the same store works again.
    store.update(GUILD, ServerSettings(prefix="?"), MANAGER)
    assert store_in(tmp_path).get(GUILD).prefix == "?"


def test_a_data_directory_that_cannot_be_made_gives_defaults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the data directory should be")
    store = ServerSettingsStore.in_directory(blocker / "data")
    assert store.load() is False
    assert store.get(GUILD) == ServerSettings()
    assert len(warnings_in(caplog)) == 1
