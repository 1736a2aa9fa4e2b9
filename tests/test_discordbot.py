"""The Discord bot end to end: `briefbot run` in a subprocess against the local Discord emulator.

The bot is configured only by its environment and driven as people would: messages in a server
channel, DMs, slash commands with options and autocomplete, admins and non-admins. Every test
asserts on the exact request bodies the bot sent; the emulator checks each against Discord's
OpenAPI description, and any error the bot logs fails the test.
"""

from __future__ import annotations

import asyncio
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.discord_emulator import Emulator
from tests.discord_emulator.log import RecordedRequest
from tests.helpers import (
    BRIEFBOT,
    EPHEMERAL,
    KNOWLEDGE_FILE_NAME,
    BotProcess,
    assert_clean_exit,
    bot_environment,
    copy_knowledge,
    edit_file,
    edits_of,
    embeds_of,
    operator_command,
    replies_to,
    request_after,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SILENCE = 1.0  # how long "no reply" is watched for, after a later command was answered
NOT_OPERATOR = "Only the bot's operators can do that."
IN_YOUR_DMS = "Sent: the details are in your direct messages."


async def started(emulator: Emulator, knowledge: Path, **env: str) -> BotProcess:
    """A running bot whose owner has synced the slash commands."""
    bot = BotProcess(emulator, bot_environment(emulator, knowledge, **env))
    await bot.start()
    assert not any(r.method == "PUT" for r in emulator.requests)  # never synced on start
    acknowledgement, details = await operator_command(emulator, emulator.owner, "!sync")
    assert embeds_of(acknowledgement)[0]["title"] == IN_YOUR_DMS
    assert embeds_of(details)[0]["title"].startswith("Synced ")
    return bot


async def finished(bot: BotProcess, emulator: Emulator) -> None:
    """Stop the bot and hold it to a clean run: exit 0, nothing logged as an error."""
    await assert_clean_exit(emulator, bot)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def emulator() -> AsyncIterator[Emulator]:
    """One emulator for the module's shared bot."""
    async with Emulator(heartbeat_interval_ms=1000) as emu:
        if emu.schema_validation_disabled_reason:
            print(f"request bodies not validated: {emu.schema_validation_disabled_reason}")
        yield emu


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared_bot(
    emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[BotProcess]:
    """One bot for the tests that do not change its knowledge."""
    bot = await started(emulator, copy_knowledge(tmp_path_factory.mktemp("shared")))
    yield bot
    await finished(bot, emulator)


async def ask(
    emulator: Emulator, line: str, author: Any = None, dm: bool = False
) -> RecordedRequest:
    """Post a chat line and return the bot's reply to it."""
    author = author or emulator.regular
    if dm:
        message = await emulator.send_dm(author, line)
    else:
        message = await emulator.send_guild_message(author, line)
    return await emulator.wait_for_request(replies_to(message))


async def slash(emulator: Emulator, name: str, options: dict[str, Any], **where: Any) -> Any:
    """Run a slash command as the regular user; returns the callback request body."""
    author = where.pop("author", emulator.regular)
    sent = await emulator.send_slash_command(author, name, options, **where)
    return (await emulator.wait_for_interaction_response(sent)).json


async def assert_no_reply(emulator: Emulator, message: str) -> None:
    """Nothing answers `message`, judged after a later command in the same place was answered."""
    await ask(emulator, "!brief")
    await asyncio.sleep(SILENCE)
    assert not any(replies_to(message)(request) for request in emulator.requests)


# ------------------------------------------------------------------------ everyone's commands


async def test_prefix_command_in_a_server_answers_with_a_cited_embed(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    message = await emulator.send_guild_message(emulator.regular, "!product RTX Pro")
    reply = await emulator.wait_for_request(replies_to(message))
    assert reply.path == f"/channels/{emulator.channel.id}/messages"
    body = reply.json
    assert body["allowed_mentions"] == {"parse": []}
    assert body.get("content") in (None, "")
    [embed] = body["embeds"]
    assert (embed["author"]["name"], embed["title"]) == ("Product", "RTX Pro")
    assert embed["description"].startswith("The RTX Pro is a newly released GPU")
    assert "from the H20.\u00a0¶3\u00a0¶5" in embed["description"]  # cited inline
    assert embed["footer"]["text"].endswith("¶N = paragraph N of the article")
    assert "seeds/" not in str(body)  # no file path a Discord user cannot open
    assert body["message_reference"]["fail_if_not_exists"] is False


async def test_direct_message_gets_the_same_answer(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    reply = await ask(emulator, "!quote huawei", dm=True)
    assert reply.path == f"/channels/{emulator.dm_channel(emulator.regular).id}/messages"
    [embed] = embeds_of(reply)
    assert embed["title"] == "Jensen Huang on Huawei"
    text = embed["description"]
    naive = "underestimating Huawei and China’s manufacturing capabilities is extremely naive"
    assert text.count(naive) == 1  # each statement once, not again as an excerpt
    assert text.count("As the article reports it") == 1  # labelled once for the group


async def test_commands_are_case_insensitive_and_tolerate_spacing(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    reply = await ask(emulator, "!  PRODUCT    rtxpro  ")
    assert embeds_of(reply)[0]["title"] == "RTX Pro"


async def test_slash_command_answers_publicly(emulator: Emulator, shared_bot: BotProcess) -> None:
    body = await slash(emulator, "product", {"name": "h20"})
    assert body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE
    data = body["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    assert data["embeds"][0]["title"] == "H20"
    assert data["allowed_mentions"] == {"parse": []}


async def test_slash_command_not_found_is_private(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    body = await slash(emulator, "company", {"name": "Intel"})
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["embeds"][0]["title"] == "Not in the article"


async def test_slash_command_in_a_direct_message(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    body = await slash(emulator, "who", {"name": "jensen"}, dm=True)
    assert body["data"]["embeds"][0]["title"] == "Jensen Huang"


async def test_slash_commands_are_declared_for_servers_and_direct_messages(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    sync = next(r for r in emulator.requests if r.method == "PUT" and "/commands" in r.path)
    names = {command["name"] for command in sync.json}
    assert {"brief", "product", "company", "who", "topic", "quote", "figure"} <= names
    assert {"search", "list", "source", "help", "reload", "kb", "sync"} <= names
    for command in sync.json:
        assert set(command["contexts"]) == {0, 1, 2}, command["name"]  # guild, bot DM, group DM


async def test_autocomplete_offers_names_best_first(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    sent = await emulator.send_autocomplete(emulator.regular, "product", {"name": "rt"}, "name")
    body = (await emulator.wait_for_interaction_response(sent)).json
    assert body["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    choices = body["data"]["choices"]
    assert choices[0] == {"name": "RTX Pro", "value": "RTX Pro"}


async def test_autocomplete_never_offers_more_than_discord_allows(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    sent = await emulator.send_autocomplete(emulator.regular, "quote", {"about": ""}, "about")
    choices = (await emulator.wait_for_interaction_response(sent)).json["data"]["choices"]
    assert 20 <= len(choices) <= 25
    assert all(1 <= len(choice["name"]) <= 100 for choice in choices)


# ----------------------------------------------------------------- strangers and near misses


async def test_unknown_word_in_a_server_is_left_to_other_bots(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    message = await emulator.send_guild_message(emulator.regular, "!play despacito")
    await assert_no_reply(emulator, message)


async def test_near_miss_in_a_server_suggests_the_real_command(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    reply = await ask(emulator, "!prodcut rtx pro")
    assert "Did you mean `!product rtx pro`?" in embeds_of(reply)[0]["description"]


async def test_unknown_word_in_a_direct_message_gets_help(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    reply = await ask(emulator, "!play despacito", dm=True)
    assert "`!help` lists what I can do" in embeds_of(reply)[0]["description"]


async def test_mentions_in_a_query_never_ping(emulator: Emulator, shared_bot: BotProcess) -> None:
    reply = await ask(emulator, "!company @everyone <@&456> @here <@123>")
    assert reply.json["allowed_mentions"] == {"parse": []}
    text = embeds_of(reply)[0]["description"]
    outside_code = re.sub(r"`[^`]*`", "", text)
    for mention in ("@everyone", "@here", "<@&456>", "<@123>"):
        assert mention not in outside_code


# ----------------------------------------------------------------------------- admin paths


async def test_regular_member_cannot_reload(emulator: Emulator, shared_bot: BotProcess) -> None:
    reply = await ask(emulator, "!reload")
    assert embeds_of(reply)[0]["title"] == NOT_OPERATOR
    assert not any("knowledge reload by" in line for line in shared_bot.log)


async def test_regular_user_cannot_reload_in_a_direct_message(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    reply = await ask(emulator, "!reload", dm=True)
    assert embeds_of(reply)[0]["title"] == NOT_OPERATOR


async def test_regular_member_cannot_reload_with_a_slash_command(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    body = await slash(emulator, "reload", {}, check_access=False)
    assert body["data"]["flags"] & EPHEMERAL
    assert body["data"]["embeds"][0]["title"] == NOT_OPERATOR


async def test_a_message_edited_into_an_admin_command_is_still_refused(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    message = await emulator.send_guild_message(emulator.regular, "!brief")
    answer = (await emulator.wait_for_request(replies_to(message))).response["id"]
    since = len(emulator.requests)
    await emulator.edit_message(message, "!kb")
    refusal = await request_after(emulator, since, edits_of(answer))  # the answer, corrected
    assert embeds_of(refusal)[0]["title"] == NOT_OPERATOR


async def test_the_owner_sees_what_is_loaded_in_a_direct_message(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    acknowledgement, details = await operator_command(emulator, emulator.owner, "!kb")
    [public] = embeds_of(acknowledgement)
    assert public["title"] == IN_YOUR_DMS
    assert "description" not in public and "fields" not in public  # nothing more, in public
    embed = embeds_of(details)[0]
    assert embed["title"] == "Loaded knowledge"
    assert "Jensen Huang Shares His Vision" in embed["description"]
    assert "**Entries** 49 entries (7 product, 12 organisation, 1 person" in embed["description"]


@pytest.mark.parametrize("command", ["!kb", "!sync", "!reload"])
async def test_a_server_manager_is_not_an_operator(
    emulator: Emulator, shared_bot: BotProcess, command: str
) -> None:
    reply = await ask(emulator, command, author=emulator.admin)
    assert embeds_of(reply)[0]["title"] == NOT_OPERATOR


# ------------------------------------------------------------------- reloads and lifecycle


@pytest_asyncio.fixture(loop_scope="module")
async def own_bot(tmp_path: Path) -> AsyncIterator[tuple[Emulator, BotProcess, Path]]:
    """A bot of its own, with knowledge the test may edit."""
    async with Emulator(heartbeat_interval_ms=1000) as emu:
        knowledge = copy_knowledge(tmp_path)
        bot = await started(emu, knowledge)
        yield emu, bot, knowledge / KNOWLEDGE_FILE_NAME
        await finished(bot, emu)


RTX_SUMMARY = "The RTX Pro is a newly released GPU"


async def test_admin_reload_swaps_good_edits_and_refuses_broken_ones(
    own_bot: tuple[Emulator, BotProcess, Path],
) -> None:
    emulator, bot, knowledge_file = own_bot
    edit_file(knowledge_file, RTX_SUMMARY, "RTX Pro, as edited, is a newly released GPU")
    reply = await ask(emulator, "!reload", author=emulator.owner, dm=True)
    embed = embeds_of(reply)[0]
    assert embed["title"] == "Knowledge reloaded"
    assert "**Changed** rtx-pro" in embed["description"]
    answer = await ask(emulator, "!product rtx pro")
    assert embeds_of(answer)[0]["description"].startswith("RTX Pro, as edited,")

    edit_file(
        knowledge_file,
        "    kind: product\n    name: RTX Pro",
        "    kind: gadget\n    name: RTX Pro",
    )
    reply = await ask(emulator, "!reload", author=emulator.owner, dm=True)
    embed = embeds_of(reply)[0]
    assert embed["title"] == "Reload refused: the previous knowledge is still serving"
    line = knowledge_file.read_text().splitlines().index("    kind: gadget") + 1
    assert (
        f"{KNOWLEDGE_FILE_NAME}:{line}: entries[0] (rtx-pro).kind: must be one of"
        in (embed["description"])
    )
    answer = await ask(emulator, "!product rtx pro")
    assert embeds_of(answer)[0]["description"].startswith("RTX Pro, as edited,")
    await bot.wait_for_log(r"knowledge reload by .*reload failed with 1 error")

    kb = embeds_of(await ask(emulator, "!kb", author=emulator.owner, dm=True))[0]
    assert "Page" not in kb.get("footer", {}).get("text", "")  # the status is one message
    lines = kb["description"].splitlines()
    [error] = [line for line in lines if line.startswith("- **Last reload error**")]
    [last] = [line for line in lines if line.startswith("- **Last reload**")]
    assert "must be one of" in error
    assert f"owner ({emulator.owner.id})" in last


async def test_sighup_reloads_the_knowledge(own_bot: tuple[Emulator, BotProcess, Path]) -> None:
    emulator, bot, knowledge_file = own_bot
    edit_file(knowledge_file, RTX_SUMMARY, "RTX Pro, reloaded by signal, is a newly released GPU")
    bot.signal(signal.SIGHUP)
    await bot.wait_for_log(r"knowledge reload by SIGHUP: reloaded: changed 1 \(rtx-pro\)")
    answer = await ask(emulator, "!product rtx pro")
    assert embeds_of(answer)[0]["description"].startswith("RTX Pro, reloaded by signal,")


async def test_cooldown_refuses_a_flood_with_one_notice(tmp_path: Path) -> None:
    async with Emulator(heartbeat_interval_ms=1000) as emulator:
        env = {"BRIEFBOT_COOLDOWN_RATE": "2", "BRIEFBOT_COOLDOWN_SECONDS": "60"}
        bot = BotProcess(emulator, bot_environment(emulator, copy_knowledge(tmp_path), **env))
        await bot.start()
        first = [await ask(emulator, "!figure") for _ in range(2)]
        assert all(embeds_of(r)[0]["title"] == "Key figures" for r in first)
        notice = await ask(emulator, "!figure")
        assert embeds_of(notice)[0]["title"].startswith("Slow down a little")
        flooded = await emulator.send_guild_message(emulator.regular, "!figure")
        other = await ask(emulator, "!figure", author=emulator.admin)  # others are unaffected
        assert embeds_of(other)[0]["title"] == "Key figures"
        await asyncio.sleep(SILENCE)
        assert not any(replies_to(flooded)(request) for request in emulator.requests)
        await finished(bot, emulator)


async def failed_start(env: dict[str, str]) -> tuple[int, str]:
    """Run a bot that is expected to stop at once; its exit status and standard error."""
    process = await asyncio.create_subprocess_exec(
        str(BRIEFBOT),
        "run",
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


async def test_a_refused_token_ends_with_one_sentence(tmp_path: Path) -> None:
    async with Emulator(token="the-real-token") as emulator:
        env = bot_environment(emulator, copy_knowledge(tmp_path), DISCORD_TOKEN="a-wrong-token")
        status, message = await failed_start(env)
        assert status == 2
        assert "briefbot: Discord refused DISCORD_TOKEN" in message
        assert "Traceback" not in message
        assert "a-wrong-token" not in message


async def test_without_the_message_content_intent_it_says_how_to_enable_it(
    tmp_path: Path,
) -> None:
    async with Emulator(allowed_privileged_intents=0) as emulator:
        status, message = await failed_start(bot_environment(emulator, copy_knowledge(tmp_path)))
        assert status == 2
        assert "Message Content intent is not enabled" in message


async def test_concurrent_reloads_serve_old_or_new_knowledge_whole(
    own_bot: tuple[Emulator, BotProcess, Path],
) -> None:
    emulator, bot, knowledge_file = own_bot
    edit_file(
        knowledge_file, RTX_SUMMARY, "RTX Pro, reloaded concurrently, is a newly released GPU"
    )
    questions = [await emulator.send_guild_message(emulator.regular, "!product rtx pro")]
    reloads = [
        await emulator.send_dm(emulator.owner, "!reload"),
        await emulator.send_dm(emulator.owner, "!reload"),
    ]
    bot.signal(signal.SIGHUP)
    for _ in range(8):
        questions.append(await emulator.send_guild_message(emulator.regular, "!product rtx pro"))
    for message in reloads:
        reply = await emulator.wait_for_request(replies_to(message))
        assert embeds_of(reply)[0]["title"] == "Knowledge reloaded"
    for message in questions:
        description = embeds_of(await emulator.wait_for_request(replies_to(message)))[0][
            "description"
        ]
        assert description.startswith((RTX_SUMMARY, "RTX Pro, reloaded concurrently,"))
    await bot.wait_for_log(r"knowledge reload by SIGHUP")
    final = embeds_of(await ask(emulator, "!product rtx pro"))[0]["description"]
    assert final.startswith("RTX Pro, reloaded concurrently,")


ADMIN_COMMANDS = ("reload", "kb", "sync")


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
@pytest.mark.parametrize("where", ["server", "direct message", "slash", "slash in DM", "edit"])
async def test_admin_commands_are_refused_to_everyone_else(
    emulator: Emulator, shared_bot: BotProcess, command: str, where: str
) -> None:
    reloads_before = sum("knowledge reload by" in line for line in shared_bot.log)
    syncs_before = sum(r.method == "PUT" for r in emulator.requests)
    if where.startswith("slash"):
        body = await slash(emulator, command, {}, dm=where.endswith("DM"), check_access=False)
        assert body["data"]["flags"] & EPHEMERAL
        title = body["data"]["embeds"][0]["title"]
    elif where == "edit":
        message = await emulator.send_guild_message(emulator.regular, "!figure")
        answer = (await emulator.wait_for_request(replies_to(message))).response["id"]
        since = len(emulator.requests)
        await emulator.edit_message(message, f"!{command}")
        title = embeds_of(await request_after(emulator, since, edits_of(answer)))[0]["title"]
    else:
        title = embeds_of(await ask(emulator, f"!{command}", dm=where == "direct message"))[0][
            "title"
        ]
    assert title == NOT_OPERATOR
    assert sum("knowledge reload by" in line for line in shared_bot.log) == reloads_before
    assert sum(r.method == "PUT" for r in emulator.requests) == syncs_before


async def test_the_token_never_reaches_the_log_even_at_debug_level(tmp_path: Path) -> None:
    async with Emulator(heartbeat_interval_ms=1000) as emulator:
        env = {"BRIEFBOT_LOG_LEVEL": "DEBUG"}
        bot = BotProcess(emulator, bot_environment(emulator, copy_knowledge(tmp_path), **env))
        await bot.start()
        await ask(emulator, "!product h20")
        await ask(emulator, "!reload", author=emulator.owner, dm=True)
        await slash(emulator, "quote", {"about": "huawei"}, check_access=False)
        await finished(bot, emulator)
        assert any("DEBUG" in line for line in bot.log)  # debug logging really was on
        assert not any(emulator.token in line for line in bot.log)


async def test_users_named_in_admin_ids_are_admins_everywhere(tmp_path: Path) -> None:
    async with Emulator(heartbeat_interval_ms=1000) as emulator:
        env = {"BRIEFBOT_ADMIN_IDS": f"12345, {emulator.regular.id}"}
        bot = BotProcess(emulator, bot_environment(emulator, copy_knowledge(tmp_path), **env))
        await bot.start()
        in_dm = await ask(emulator, "!kb", dm=True)
        assert embeds_of(in_dm)[0]["title"] == "Loaded knowledge"
        acknowledgement, details = await operator_command(emulator, emulator.regular, "!reload")
        assert embeds_of(acknowledgement)[0]["title"] == IN_YOUR_DMS
        assert embeds_of(details)[0]["title"] == "Knowledge reloaded"
        await bot.wait_for_log(rf"knowledge reload by .*\({emulator.regular.id}\): reloaded")
        await finished(bot, emulator)


async def test_slash_reload_is_deferred_then_answered_privately(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    sent = await emulator.send_slash_command(emulator.owner, "reload", {})
    callback = (await emulator.wait_for_interaction_response(sent)).json
    assert callback["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: no 3 s deadline to miss
    assert callback["data"]["flags"] & EPHEMERAL
    followup = await emulator.wait_for_request(
        lambda r: r.method in ("POST", "PATCH") and "/webhooks/" in r.path and sent.token in r.path
    )
    assert embeds_of(followup)[0]["title"] == "Knowledge reloaded"


async def test_sync_here_in_a_direct_message_is_refused(
    emulator: Emulator, shared_bot: BotProcess
) -> None:
    syncs_before = sum(r.method == "PUT" for r in emulator.requests)
    reply = await ask(emulator, "!sync here", author=emulator.owner, dm=True)
    assert embeds_of(reply)[0]["title"] == "Sync here works in a server, not in a DM."
    assert sum(r.method == "PUT" for r in emulator.requests) == syncs_before
