"""The usage log: what readers asked for, kept safely, boundedly and anonymously."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.console.render_text import render_text
from bot.engine.commands import Engine
from bot.engine.reply import Status
from bot.settings import Settings, SettingsError
from bot.state import usage_log
from bot.state.usage_log import FILE_NAME, UsageLog, UsageLogError, group_misses, note, open_for
from bot.state.usage_report import misses_reply, most_read_section
from tests.helpers import REPO, clean_env


@pytest.fixture
def usage(tmp_path: Path) -> UsageLog:
    log = UsageLog.in_directory(tmp_path / "data")
    yield log
    log.close()


def test_misses_group_typos_of_one_thing_and_count_them_together(usage: UsageLog) -> None:
    for text in ("Grace Hopper", "grace hopper", "grace hoper", "grase hopper", "zebra"):
        usage.record("product", text, "not_found")
    usage.record("search", "grace  hopper", "not_found")
    usage.record("company", "zebra", "ambiguous")
    first, second = usage.misses()
    assert first.text == "grace hopper" and first.count == 5
    assert set(first.spellings) == {"grace hopper", "grace hoper", "grase hopper"}
    assert first.commands == ("product", "search")
    assert (second.text, second.count) == ("zebra", 2)
    assert set(second.outcomes) == {"not_found", "ambiguous"}


def test_unlike_misses_stay_apart() -> None:
    rows = [("h30", "product", "not_found", 3), ("grace", "product", "not_found", 2)]
    assert [m.text for m in group_misses(rows)] == ["h30", "grace"]


def test_note_records_named_look_ups_from_the_engine(engine: Engine, usage: UsageLog) -> None:
    for line in ("!product blackwel", "!product grace", "!product grace", "!who jensen"):
        note(usage, engine.handle(line))
    for line in ("!brief", "!list", "!help", "!nosuchcommand x", "!product"):
        note(usage, engine.handle(line))  # not look-ups of something named: not recorded
    note(None, engine.handle("!product zebra"))  # the log is off: nothing happens
    [miss] = usage.misses()
    assert (miss.text, miss.count, miss.commands) == ("grace", 2, ("product",))
    assert usage.top_entries() == [("blackwell", 1), ("jensen-huang", 1)]


def test_rows_hold_no_user_channel_or_server(usage: UsageLog) -> None:
    usage.record("product", "grace", "not_found")
    with sqlite3.connect(usage.path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(asks)")]
    assert columns == ["day", "command", "text", "outcome", "entry", "count"]


def test_what_was_asked_is_folded_and_cut(usage: UsageLog) -> None:
    usage.record("search", "  Very   LONG " + "x" * 300, "not_found")
    [miss] = usage.misses()
    assert miss.text.startswith("very long x") and len(miss.text) == usage_log.MAX_TEXT_CHARS


def test_old_days_are_deleted(tmp_path: Path) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    clock = [now - timedelta(days=200)]
    log = UsageLog(tmp_path / FILE_NAME, clock=lambda: clock[0])
    log.record("product", "ancient", "not_found")
    clock[0] = now
    log._writes = 0  # the next write prunes
    log.record("product", "recent", "not_found")
    with sqlite3.connect(log.path) as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM asks")]
    assert texts == ["recent"]
    log.close()


def test_rows_are_capped(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / FILE_NAME, max_rows=10)
    for number in range(30):
        log._writes = 0
        log.record("product", f"thing {number}", "not_found")
    with sqlite3.connect(log.path) as connection:
        (rows,) = connection.execute("SELECT COUNT(*) FROM asks").fetchone()
    assert rows <= 11
    log.close()


def test_a_full_disk_logs_one_warning_and_answering_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(usage_log, "MAX_FILE_BYTES", 3 * 4096)  # SQLite refuses to grow past it
    monkeypatch.setattr(usage_log, "RETRY_SECONDS", 0.0)
    log = UsageLog(tmp_path / FILE_NAME)
    with caplog.at_level(logging.WARNING, "bot.state.usage_log"):
        for number in range(300):
            log.record("search", f"words {number} " + "y" * 80, "not_found")
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1 and "full" in warnings[0].getMessage()
    log.close()


def test_a_locked_database_costs_an_answer_little(
    usage: UsageLog, caplog: pytest.LogCaptureFixture
) -> None:
    usage.record("product", "first", "not_found")
    usage.close()
    holder = sqlite3.connect(usage.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, "bot.state.usage_log"):
            started = time.monotonic()
            for _ in range(20):
                usage.record("product", "second", "not_found")
            elapsed = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert elapsed < 2.0  # one short wait, then quiet for a minute
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1


def test_a_corrupt_database_is_survived(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    log = UsageLog(path)
    with caplog.at_level(logging.WARNING, "bot.state.usage_log"):
        log.record("product", "grace", "not_found")
        log.record("product", "grace", "not_found")
    assert len(caplog.records) == 1
    with pytest.raises(UsageLogError):
        log.misses()
    reply = misses_reply(log)
    assert reply.status is Status.ANSWERED and "cannot be read" in render_text(reply)


def test_reading_an_empty_log_creates_nothing(tmp_path: Path) -> None:
    log = UsageLog.in_directory(tmp_path / "data")
    assert log.misses() == [] and log.top_entries() == []
    assert not (tmp_path / "data").exists()
    assert "went unanswered" in render_text(misses_reply(log))


def test_several_processes_share_one_log(tmp_path: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from bot.state.usage_log import UsageLog\n"
        "log = UsageLog.in_directory(Path(sys.argv[1]))\n"
        "for _ in range(100): log.record('product', 'grace', 'not_found')\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=REPO) for _ in range(3)
    ]
    assert [p.wait(timeout=60) for p in processes] == [0, 0, 0]
    [miss] = UsageLog.in_directory(tmp_path).misses()
    assert miss.count == 300


def test_settings_choose_the_data_directory_and_can_turn_the_log_off(tmp_path: Path) -> None:
    default = Settings.from_env({"BRIEFBOT_KNOWLEDGE": str(tmp_path / "kb"), "HOME": str(tmp_path)})
    assert open_for(default).path == default.data_dir / FILE_NAME  # type: ignore[union-attr]
    chosen = Settings.from_env({"BRIEFBOT_DATA": str(tmp_path / "elsewhere")})
    log = open_for(chosen)
    assert log is not None and log.path == tmp_path / "elsewhere" / FILE_NAME
    assert open_for(Settings.from_env({"BRIEFBOT_USAGE_LOG": "off"})) is None


def test_most_read_names_the_entries(engine: Engine, usage: UsageLog) -> None:
    for line in ("!product h20", "!product h20", "!company huawei"):
        note(usage, engine.handle(line))
    section = most_read_section(usage, engine.source.current)
    assert [(p.label, p.text) for p in section.points] == [
        ("product", ("H20: 2",)),
        ("company or organisation", ("Huawei: 1",)),
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BRIEFBOT_USAGE_LOG", "maybe"),
        ("BRIEFBOT_WATCH", "sometimes"),
        ("BRIEFBOT_WATCH_QUIET_SECONDS", "soon"),
    ],
)
def test_malformed_switches_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


def _briefbot(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_ask_console_and_misses_through_the_command_line(tmp_path: Path) -> None:
    env = clean_env(BRIEFBOT_USAGE_LOG="on", BRIEFBOT_DATA=str(tmp_path))
    _briefbot("ask", "!product grace", "!product h20", env=env)
    _briefbot("console", env=env, stdin="!product grase\n!search zebra crossing\n")
    result = _briefbot("misses", env=env)
    assert result.returncode == 0, result.stderr
    assert "1. “grace” ×2, !product, not found; also typed “grase”" in result.stdout
    assert "2. “zebra crossing” ×1, !search, not found" in result.stdout


def test_with_the_log_off_nothing_is_written(tmp_path: Path) -> None:
    env = clean_env(BRIEFBOT_USAGE_LOG="off", BRIEFBOT_DATA=str(tmp_path / "data"))
    _briefbot("ask", "!product grace", env=env)
    assert not (tmp_path / "data").exists()
    assert "off" in _briefbot("misses", env=env).stdout
