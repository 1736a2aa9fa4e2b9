"""Settings.from_env: defaults, every variable, and one clear SettingsError per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, default_knowledge_dir

REPO = Path(__file__).resolve().parents[1]


def test_defaults_from_an_empty_environment() -> None:
    settings = Settings.from_env({})
    assert settings == Settings(
        token=None,
        prefix="!",
        knowledge_dir=REPO / "knowledge",
        admin_ids=frozenset(),
        cooldown_rate=5,
        cooldown_seconds=10.0,
        shard_count=None,
        shard_ids=None,
        api_base=None,
        gateway_url=None,
    )


def test_the_default_knowledge_is_the_checkouts() -> None:
    assert default_knowledge_dir() == REPO / "knowledge"
    assert (default_knowledge_dir() / "nvidia-huang-china-ai.yaml").is_file()


def test_reads_os_environ_when_given_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_PREFIX", "?")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    settings = Settings.from_env()
    assert settings.prefix == "?"
    assert settings.token is None


@pytest.mark.parametrize(
    ("env", "field", "value"),
    [
        ({"DISCORD_TOKEN": "abc.def"}, "token", "abc.def"),
        ({"DISCORD_TOKEN": "  abc.def \n"}, "token", "abc.def"),
        ({"DISCORD_TOKEN": ""}, "token", None),
        ({"DISCORD_TOKEN": "   "}, "token", None),
        ({"BRIEFBOT_PREFIX": "?"}, "prefix", "?"),
        ({"BRIEFBOT_PREFIX": "bb."}, "prefix", "bb."),
        ({"BRIEFBOT_PREFIX": "x" * 10}, "prefix", "x" * 10),
        ({"BRIEFBOT_KNOWLEDGE": "/srv/kb"}, "knowledge_dir", Path("/srv/kb")),
        ({"BRIEFBOT_KNOWLEDGE": "  /srv/kb  "}, "knowledge_dir", Path("/srv/kb")),
        ({"BRIEFBOT_KNOWLEDGE": "~/kb"}, "knowledge_dir", Path("~/kb").expanduser()),
        ({"BRIEFBOT_KNOWLEDGE": "  "}, "knowledge_dir", REPO / "knowledge"),
        ({"BRIEFBOT_ADMIN_IDS": "42"}, "admin_ids", frozenset({42})),
        ({"BRIEFBOT_ADMIN_IDS": "1,2, 3  4"}, "admin_ids", frozenset({1, 2, 3, 4})),
        ({"BRIEFBOT_ADMIN_IDS": ""}, "admin_ids", frozenset()),
        ({"BRIEFBOT_COOLDOWN_RATE": "3"}, "cooldown_rate", 3),
        ({"BRIEFBOT_COOLDOWN_RATE": " 1 "}, "cooldown_rate", 1),
        ({"BRIEFBOT_COOLDOWN_RATE": ""}, "cooldown_rate", 5),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "2.5"}, "cooldown_seconds", 2.5),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "0"}, "cooldown_seconds", 0.0),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "86400"}, "cooldown_seconds", 86400.0),
        ({"BRIEFBOT_HEARTBEAT_TIMEOUT": "2"}, "heartbeat_timeout", 2.0),
        ({"BRIEFBOT_LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"BRIEFBOT_SHARD_COUNT": "4"}, "shard_count", 4),
        ({"BRIEFBOT_SHARD_COUNT": "4", "BRIEFBOT_SHARD_IDS": "0, 3"}, "shard_ids", (0, 3)),
        ({"BRIEFBOT_SHARD_COUNT": "1", "BRIEFBOT_SHARD_IDS": "0"}, "shard_ids", (0,)),
        ({"BRIEFBOT_SHARD_COUNT": "2"}, "shard_ids", None),
        (
            {"DISCORD_API_BASE": "http://127.0.0.1:8080/api"},
            "api_base",
            "http://127.0.0.1:8080/api",
        ),
        ({"DISCORD_API_BASE": "https://example.test/api/"}, "api_base", "https://example.test/api"),
        ({"DISCORD_API_BASE": ""}, "api_base", None),
        ({"DISCORD_GATEWAY_URL": "ws://127.0.0.1:8081"}, "gateway_url", "ws://127.0.0.1:8081"),
        ({"DISCORD_GATEWAY_URL": "wss://gw.example.test/"}, "gateway_url", "wss://gw.example.test"),
        ({"DISCORD_GATEWAY_URL": " "}, "gateway_url", None),
        ({"BRIEFBOT_DATA": "/srv/briefbot-data"}, "data_dir", Path("/srv/briefbot-data")),
        ({"XDG_STATE_HOME": "/var/state"}, "data_dir", Path("/var/state/briefbot")),
        (
            {"XDG_STATE_HOME": "/var/state", "BRIEFBOT_DATA": "/data"},
            "data_dir",
            Path("/data"),
        ),
        ({}, "data_dir", Path.home() / ".local" / "state" / "briefbot"),
    ],
)
def test_each_variable(env: dict[str, str], field: str, value: object) -> None:
    assert getattr(Settings.from_env(env), field) == value


def test_unrelated_variables_change_nothing() -> None:
    assert Settings.from_env({"HOME": "/tmp", "BRIEFBOT_UNKNOWN": "x"}) == Settings.from_env({})


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DISCORD_TOKEN": "abc def"}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "abc\x00def"}, "DISCORD_TOKEN"),
        ({"BRIEFBOT_PREFIX": ""}, "BRIEFBOT_PREFIX"),
        ({"BRIEFBOT_PREFIX": "   "}, "BRIEFBOT_PREFIX"),
        ({"BRIEFBOT_PREFIX": "a b"}, "BRIEFBOT_PREFIX"),
        ({"BRIEFBOT_PREFIX": " !"}, "BRIEFBOT_PREFIX"),
        ({"BRIEFBOT_PREFIX": "x" * 11}, "BRIEFBOT_PREFIX"),
        ({"BRIEFBOT_ADMIN_IDS": "alice"}, "BRIEFBOT_ADMIN_IDS"),
        ({"BRIEFBOT_ADMIN_IDS": "1;2"}, "BRIEFBOT_ADMIN_IDS"),
        ({"BRIEFBOT_ADMIN_IDS": "1.5"}, "BRIEFBOT_ADMIN_IDS"),
        ({"BRIEFBOT_COOLDOWN_RATE": "many"}, "BRIEFBOT_COOLDOWN_RATE"),
        ({"BRIEFBOT_COOLDOWN_RATE": "2.5"}, "BRIEFBOT_COOLDOWN_RATE"),
        ({"BRIEFBOT_COOLDOWN_RATE": "0"}, "BRIEFBOT_COOLDOWN_RATE"),
        ({"BRIEFBOT_COOLDOWN_RATE": "-3"}, "BRIEFBOT_COOLDOWN_RATE"),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "ten"}, "BRIEFBOT_COOLDOWN_SECONDS"),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "-1"}, "BRIEFBOT_COOLDOWN_SECONDS"),
        ({"BRIEFBOT_HEARTBEAT_TIMEOUT": "0"}, "BRIEFBOT_HEARTBEAT_TIMEOUT"),
        ({"BRIEFBOT_LOG_LEVEL": "LOUD"}, "BRIEFBOT_LOG_LEVEL"),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "86401"}, "BRIEFBOT_COOLDOWN_SECONDS"),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "nan"}, "BRIEFBOT_COOLDOWN_SECONDS"),
        ({"BRIEFBOT_COOLDOWN_SECONDS": "inf"}, "BRIEFBOT_COOLDOWN_SECONDS"),
        ({"BRIEFBOT_SHARD_COUNT": "two"}, "BRIEFBOT_SHARD_COUNT"),
        ({"BRIEFBOT_SHARD_COUNT": "0"}, "BRIEFBOT_SHARD_COUNT"),
        ({"BRIEFBOT_SHARD_IDS": "0,1"}, "BRIEFBOT_SHARD_IDS"),  # without a shard count
        ({"BRIEFBOT_SHARD_COUNT": "2", "BRIEFBOT_SHARD_IDS": "0,2"}, "BRIEFBOT_SHARD_IDS"),
        ({"BRIEFBOT_SHARD_COUNT": "2", "BRIEFBOT_SHARD_IDS": "zero"}, "BRIEFBOT_SHARD_IDS"),
        ({"DISCORD_API_BASE": "discord.com/api"}, "DISCORD_API_BASE"),
        ({"DISCORD_API_BASE": "ws://127.0.0.1"}, "DISCORD_API_BASE"),
        ({"DISCORD_GATEWAY_URL": "https://gateway.discord.gg"}, "DISCORD_GATEWAY_URL"),
        ({"DISCORD_GATEWAY_URL": "gateway.discord.gg"}, "DISCORD_GATEWAY_URL"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    message = str(raised.value)
    assert variable in message
    assert message.endswith(".")  # one sentence, as the CLI prints it
    assert "\n" not in message


def test_a_negative_shard_id_is_refused() -> None:
    with pytest.raises(SettingsError, match="BRIEFBOT_SHARD_IDS"):
        Settings.from_env({"BRIEFBOT_SHARD_COUNT": "2", "BRIEFBOT_SHARD_IDS": "-1"})


def test_settings_error_is_a_value_error() -> None:
    assert issubclass(SettingsError, ValueError)
