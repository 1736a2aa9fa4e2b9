"""Who may do what, end to end, with two servers run by people who do not know each other.

The real bot process against the emulator with a second guild: its manager configures their
own server and nothing else, operators alone reload, sync and read the history, and nothing
about the first server or the host reaches the second.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.discord_emulator import CommandNotAvailableError, Emulator, FakeChannel, FakeUser
from tests.discord_emulator.log import RecordedRequest
from tests.helpers import (
    EPHEMERAL,
    KNOWLEDGE_FILE_NAME,
    BotProcess,
    assert_clean_exit,
    bot_environment,
    copy_knowledge,
    edit_file,
    embeds_of,
    operator_command,
    replies_to,
    request_after,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SILENCE = 1.0
NOT_OPERATOR = "Only the bot's operators can do that."
NOT_MANAGER = "Only this server's managers (Manage Server) can change its settings."
UNSAVED = "I could not save that: the bot's settings database is unavailable"
DATABASE = "briefbot.sqlite3"


async def ask(
    emulator: Emulator, line: str, author: FakeUser, channel: FakeChannel | None = None
) -> RecordedRequest:
    """Post a chat line in a server channel and return the bot's reply to it."""
    since = len(emulator.requests)
    message = await emulator.send_guild_message(author, line, channel)
    return await request_after(emulator, since, replies_to(message))


def title(request: RecordedRequest) -> str:
    return str(embeds_of(request)[0]["title"])


def text(request: RecordedRequest) -> str:
    return json.dumps(embeds_of(request), ensure_ascii=False)


async def assert_silent(
    emulator: Emulator,
    line: str,
    author: FakeUser,
    channel: FakeChannel,
    answered: FakeChannel,
    later: str = "!figure",
) -> None:
    """Nothing answers `line` in `channel`, judged after `later` in `answered` was answered."""
    message = await emulator.send_guild_message(author, line, channel)
    await ask(emulator, later, author, answered)
    await asyncio.sleep(SILENCE)
    assert not any(replies_to(message)(request) for request in emulator.requests)


async def slash_body(
    emulator: Emulator, author: FakeUser, name: str, options: dict[str, Any], **where: Any
) -> dict[str, Any]:
    sent = await emulator.send_slash_command(author, name, options, **where)
    return (await emulator.wait_for_interaction_response(sent)).json


async def start_bot(emulator: Emulator, knowledge: Path, **env: str) -> BotProcess:
    bot = BotProcess(emulator, bot_environment(emulator, knowledge, **env))
    await bot.start()  # both GUILD_CREATEs come before any message the tests send
    return bot


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def two_servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Emulator, BotProcess]]:
    """One bot in two servers; the owner has synced the slash commands."""
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emulator:
        bot = await start_bot(emulator, copy_knowledge(tmp_path_factory.mktemp("two")))
        acknowledgement, details = await operator_command(emulator, emulator.owner, "!sync")
        assert title(acknowledgement) == "Sent: the details are in your direct messages."
        assert title(details).startswith("Synced ")
        yield emulator, bot
        await assert_clean_exit(emulator, bot)


# ------------------------------------------------------------------- operators only


async def test_another_servers_manager_cannot_reload_sync_or_read_the_history(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = two_servers
    _, details = await operator_command(emulator, emulator.owner, "!reload")
    assert title(details) == "Knowledge reloaded"
    reloads = sum("knowledge reload by" in line for line in bot.log)
    syncs = sum(r.method == "PUT" for r in emulator.requests)
    manager, news = emulator.other_manager, emulator.other_channel
    for command in ("!reload", "!sync", "!sync here", "!kb"):
        refusal = await ask(emulator, command, manager, news)
        assert title(refusal) == NOT_OPERATOR
        assert emulator.owner.id not in text(refusal) and "owner" not in text(refusal)
    # Discord does not even offer the operator commands to them...
    for command in ("reload", "sync", "kb"):
        with pytest.raises(CommandNotAvailableError):
            await emulator.send_slash_command(manager, command, {}, channel=news)
        # ...and a forged or granted one is refused by the bot itself, privately.
        body = await slash_body(emulator, manager, command, {}, channel=news, check_access=False)
        assert body["data"]["flags"] & EPHEMERAL
        assert body["data"]["embeds"][0]["title"] == NOT_OPERATOR
    assert sum("knowledge reload by" in line for line in bot.log) == reloads
    assert sum(r.method == "PUT" for r in emulator.requests) == syncs


async def test_operator_commands_are_hidden_from_everyone_by_default(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, _ = two_servers
    synced = {c["name"]: c for c in emulator.world.commands.global_commands}
    for command in ("reload", "sync", "kb"):
        assert synced[command]["default_member_permissions"] == "0"
    assert synced["server"]["default_member_permissions"] == str(1 << 5)  # Manage Server
    assert synced["brief"].get("default_member_permissions") is None


# ---------------------------------------------------------------- a server's own settings


async def test_a_managers_prefix_changes_their_server_only(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = two_servers
    manager, member, news = emulator.other_manager, emulator.other_member, emulator.other_channel
    saved = await ask(emulator, "!server prefix ?", manager, news)
    assert title(saved) == "Saved: the prefix is now ?"
    assert "**Prefix** ?" in text(saved)
    answer = await ask(emulator, "?brief", member, news)
    assert title(answer) != "" and answer.status == 200
    near = await ask(emulator, "?prodcut rtx pro", member, news)
    assert "Did you mean `?product rtx pro`?" in text(near)  # in this server's prefix
    await assert_silent(emulator, "!brief", member, news, news, later="?figure")
    # The first server still has the operator's prefix, and never hears the other's.
    first = await ask(emulator, "!brief", emulator.regular)
    assert first.status == 200
    await assert_silent(emulator, "?brief", emulator.regular, emulator.channel, emulator.channel)
    await bot.wait_for_log(
        rf"audit: user {manager.id} in server {emulator.other_guild.id}: server settings: "
        r"prefix default -> \?"
    )
    # Operators see the action in kb's history, privately; the manager sees none of it.
    kb = embeds_of(await ask_dm(emulator, emulator.owner, "!kb"))[0]["description"]
    assert f"user {manager.id} in server {emulator.other_guild.id}" in kb
    reset = await ask(emulator, "?server reset", manager, news)
    assert title(reset) == "Saved: every setting is back to its default"


async def ask_dm(emulator: Emulator, author: FakeUser, line: str) -> RecordedRequest:
    since = len(emulator.requests)
    message = await emulator.send_dm(author, line)
    return await request_after(emulator, since, replies_to(message))


async def test_a_channel_switched_off_stays_silent_while_another_answers(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, _ = two_servers
    manager, member = emulator.other_manager, emulator.other_member
    news, ask_channel = emulator.other_channel, emulator.other_second_channel
    saved = await ask(emulator, f"!server channels <#{ask_channel.id}>", manager, news)
    assert title(saved) == "Saved: I answer in #ask"
    for line in ("!brief", "!prodcut rtx", "!server", "!help"):
        await assert_silent(emulator, line, member, news, ask_channel)
    answer = await ask(emulator, "!product rtx pro", member, ask_channel)
    assert answer.status == 200
    body = await slash_body(emulator, member, "brief", {}, channel=news)
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["embeds"][0]["title"] == "In this server I answer in #ask."
    # The first server is not affected, and its manager can switch the channel back on.
    assert (await ask(emulator, "!brief", emulator.regular)).status == 200
    back = await ask(emulator, "!server channels all", manager, news)
    assert title(back) == "Saved: I answer in every channel"
    assert (await ask(emulator, "!brief", member, news)).status == 200


async def test_hostile_settings_get_a_sentence_and_change_nothing(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, _ = two_servers
    manager, news = emulator.other_manager, emulator.other_channel
    hostile = {
        "!server prefix " + "x" * 500: "A prefix is 1 to 10 characters without spaces",
        f"!server prefix {emulator.bot_user.mention}": "A prefix cannot be a mention",
        "!server prefix @everyone": "A prefix cannot be a mention",
        "!server prefix": "Give the new prefix",
        f"!server channels <#{emulator.channel.id}>": "not a text channel of this server",
        "!server channels #news": "Name channels by mentioning them",
        "!server colour blue": "There is no such setting",
        "!server questions maybe": "Say “questions on” or “questions off”.",
        "!server cooldown 1000 1": "Give at most 1000 commands per at least 10 seconds",
    }
    for line, sentence in hostile.items():
        reply = await ask(emulator, line, manager, news)
        assert sentence in title(reply), (line, title(reply))
        assert title(reply).endswith((".", "”.")), line
        assert "general" not in text(reply)  # the first server's channel is never named
    spaces = await slash_body(
        emulator, manager, "server", {"setting": "prefix", "value": "     "}, channel=news
    )
    assert spaces["data"]["flags"] & EPHEMERAL
    assert spaces["data"]["embeds"][0]["title"].startswith("A prefix cannot be blank")
    shown = await ask(emulator, "!server", manager, news)
    assert title(shown) == "Settings for this server"
    for fact in ("**Prefix** ! (the bot's default)", "**Channels** every channel"):
        assert fact in text(shown)
    assert (await ask(emulator, "!brief", emulator.other_member, news)).status == 200


async def test_only_a_servers_managers_may_change_it(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, _ = two_servers
    member, news = emulator.other_member, emulator.other_channel
    refusal = await ask(emulator, "!server prefix ?", member, news)
    assert title(refusal) == NOT_MANAGER
    with pytest.raises(CommandNotAvailableError):
        await emulator.send_slash_command(member, "server", {}, channel=news)
    body = await slash_body(
        emulator,
        member,
        "server",
        {"setting": "prefix", "value": "?"},
        channel=news,
        check_access=False,
    )
    assert body["data"]["embeds"][0]["title"] == NOT_MANAGER
    # The first server's manager configures the first server, and the second is untouched.
    saved = await ask(emulator, "!server prefix ?", emulator.admin)
    assert title(saved) == "Saved: the prefix is now ?"  # in their own server, it works
    assert (await ask(emulator, "?server reset", emulator.admin)).status == 200
    assert (await ask(emulator, "!brief", member, news)).status == 200  # the other is untouched


async def test_nothing_of_the_first_server_or_the_host_reached_the_second(
    two_servers: tuple[Emulator, BotProcess],
) -> None:
    emulator, _ = two_servers
    other = {c.id for c in emulator.other_guild.channels}
    seen = [
        json.dumps(r.json, ensure_ascii=False)
        for r in emulator.requests
        if r.method in ("POST", "PATCH")
        and (
            any(f"/channels/{c}/" in r.path for c in other)
            or (r.path.startswith("/interactions/") and emulator.other_guild.id in str(r.json))
        )
    ]
    assert len(seen) > 20
    first = emulator.guild
    secrets = [first.id, emulator.owner.id, emulator.admin.id, emulator.regular.id]
    secrets += [c.id for c in first.channels] + ["general", "briefs", "/tmp", "knowledge/"]
    for body in seen:
        for secret in secrets:
            assert secret not in body, (secret, body[:300])


# ------------------------------------------------------------ restarts and a broken database


async def test_settings_survive_a_restart(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emulator:
        manager, news = emulator.other_manager, emulator.other_channel
        bot = await start_bot(emulator, knowledge)
        await ask(emulator, "!server prefix ?", manager, news)
        await ask(
            emulator, f"?server channels <#{emulator.other_second_channel.id}>", manager, news
        )
        await assert_clean_exit(emulator, bot)

        again = await start_bot(emulator, knowledge)
        member = emulator.other_member
        answer = await ask(emulator, "?brief", member, emulator.other_second_channel)
        assert answer.status == 200
        await assert_silent(
            emulator, "?brief", member, news, emulator.other_second_channel, later="?figure"
        )
        assert (await ask(emulator, "!brief", emulator.regular)).status == 200
        await assert_clean_exit(emulator, again)


async def test_a_broken_edit_is_refused_to_an_operator_without_a_host_path(
    tmp_path: Path,
) -> None:
    knowledge = copy_knowledge(tmp_path)
    async with Emulator(heartbeat_interval_ms=1000) as emulator:
        bot = await start_bot(emulator, knowledge)
        changed = edit_file(
            knowledge / KNOWLEDGE_FILE_NAME,
            "    kind: product\n    name: RTX Pro",
            "    kind: gadget\n    name: RTX Pro",
        )
        line = changed.splitlines().index("    kind: gadget") + 1
        acknowledgement, details = await operator_command(emulator, emulator.owner, "!reload")
        assert title(details) == "Reload refused: the previous knowledge is still serving"
        shown = embeds_of(details)[0]["description"]
        assert f"{KNOWLEDGE_FILE_NAME}:{line}: entries[0] (rtx-pro).kind: must be one of" in shown
        for where in (str(tmp_path), "/tmp", str(knowledge)):
            assert where not in text(details) and where not in text(acknowledgement)
        assert "Reload refused" not in text(acknowledgement)  # the details stay private
        # The log keeps the full path for whoever fixes it.
        await bot.wait_for_log(rf"knowledge reload error: {knowledge}/{KNOWLEDGE_FILE_NAME}:")
        sent = await emulator.send_slash_command(emulator.owner, "kb", {})
        await emulator.wait_for_interaction_response(sent)
        kb = await emulator.wait_for_request(
            lambda r: (
                r.method in ("POST", "PATCH")
                and f"/webhooks/{emulator.application_id}/{sent.token}" in r.path
            )
        )
        assert "must be one of" in text(kb) and str(tmp_path) not in text(kb)
        await assert_clean_exit(emulator, bot)


def settings_warnings(bot: BotProcess) -> list[str]:
    return [line for line in bot.log if "WARNING" in line and "server settings" in line]


async def test_a_corrupt_database_keeps_the_bot_answering_with_defaults(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    (data / DATABASE).write_bytes(b"\x00garbage, not SQLite\xff" * 512)
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emulator:
        bot = await start_bot(emulator, knowledge, BRIEFBOT_DATA=str(data))
        manager, news = emulator.other_manager, emulator.other_channel
        assert (await ask(emulator, "!brief", emulator.other_member, news)).status == 200
        refused = await ask(emulator, "!server prefix ?", manager, news)
        assert title(refused).startswith(UNSAVED)
        assert title(await ask(emulator, "!server", manager, news)) == "Settings for this server"
        await assert_silent(emulator, "?brief", emulator.other_member, news, news)
        assert len(settings_warnings(bot)) == 1, settings_warnings(bot)
        await assert_clean_exit(emulator, bot)


async def test_a_locked_database_keeps_the_bot_answering_with_defaults(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emulator:
        # Another process holds the file's write lock for as long as the bot runs.
        holder = sqlite3.connect(data / DATABASE, isolation_level=None)
        holder.execute("CREATE TABLE other_tool (x)")
        holder.execute("BEGIN EXCLUSIVE")
        try:
            bot = await start_bot(emulator, knowledge, BRIEFBOT_DATA=str(data))
            news = emulator.other_channel
            assert (await ask(emulator, "!brief", emulator.other_member, news)).status == 200
            refused = await ask(emulator, "!server questions off", emulator.other_manager, news)
            assert title(refused).startswith(UNSAVED)
            assert len(settings_warnings(bot)) == 1, settings_warnings(bot)
            assert any("locked" in line for line in settings_warnings(bot))
            await assert_clean_exit(emulator, bot)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
