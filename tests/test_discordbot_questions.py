"""Questions in people's own words, end to end: `briefbot run` against the local Discord emulator.

In a direct message any line without the prefix is a question; in a server only a message that
mentions the bot is; `/ask` asks one as a slash command. Everything else people say in a server
gets no answer at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tests.discord_emulator import Emulator
from tests.discord_emulator.log import RecordedRequest
from tests.helpers import (
    EPHEMERAL,
    BotProcess,
    assert_clean_exit,
    bot_environment,
    bot_session,
    copy_knowledge,
    edits_of,
    embeds_of,
    replies_to,
    request_after,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

SILENCE = 1.0  # how long "no reply" is watched for, after a later message was answered


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def emulator() -> AsyncIterator[Emulator]:
    """One emulator for the module's bot; the second server is where settings change."""
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emu:
        yield emu


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Any]:
    """A running bot whose owner has synced the slash commands."""
    process = BotProcess(
        emulator, bot_environment(emulator, copy_knowledge(tmp_path_factory.mktemp("questions")))
    )
    await process.start()
    sync = await emulator.send_guild_message(emulator.owner, "!sync")
    await emulator.wait_for_request(replies_to(sync))
    yield process
    await assert_clean_exit(emulator, process)


def mention(emulator: Emulator) -> str:
    return f"<@{emulator.bot_user.id}>"


async def answer_to(emulator: Emulator, message: str) -> dict[str, Any]:
    """The one embed of the bot's reply to a message."""
    reply = await emulator.wait_for_request(replies_to(message))
    [embed] = embeds_of(reply)
    return embed


async def assert_unanswered(emulator: Emulator, since: int) -> None:
    """The bot sent nothing after the first `since` requests but its answer to a later
    command in the same channel (an answer may reply to another message than the question)."""
    later = await emulator.send_guild_message(emulator.regular, "!brief")
    await emulator.wait_for_request(replies_to(later))
    await asyncio.sleep(SILENCE)
    sent = [r for r in emulator.requests[since:] if r.method in ("POST", "PATCH")]
    assert [r for r in sent if not replies_to(later)(r)] == []


async def test_a_line_in_a_direct_message_is_a_question(emulator: Emulator, bot: Any) -> None:
    message = await emulator.send_dm(emulator.regular, "what did huang say about huawei?")
    embed = await answer_to(emulator, message)
    assert embed["title"] == "Jensen Huang on Huawei"
    assert embed["description"].startswith(
        "Understood as: statements by Jensen Huang about Huawei."
    )
    assert "extremely naive" in embed["description"]


async def test_a_question_in_a_direct_message_in_chinese(emulator: Emulator, bot: Any) -> None:
    message = await emulator.send_dm(emulator.regular, "黄仁勋是谁？")
    embed = await answer_to(emulator, message)
    assert embed["title"] == "Jensen Huang"
    assert "NVIDIA's CEO" in embed["description"]


async def test_a_message_that_mentions_the_bot_in_a_server_is_a_question(
    emulator: Emulator, bot: Any
) -> None:
    message = await emulator.send_guild_message(
        emulator.regular, f"{mention(emulator)} is nvidia allowed to sell the h20 in china?"
    )
    reply = await emulator.wait_for_request(replies_to(message))
    assert reply.path == f"/channels/{emulator.channel.id}/messages"
    assert reply.json["allowed_mentions"] == {"parse": []}
    [embed] = embeds_of(reply)
    assert embed["title"] == "From the article"
    assert embed["description"].startswith("Understood as: the passages of the article")
    assert "H20 sales in China depends on U.S. government licensing approval" in str(embed)
    assert "¶4" in str(embed)
    assert "<@" not in embed["description"]  # the mention is not part of the question


async def test_a_question_the_article_does_not_answer_is_refused(
    emulator: Emulator, bot: Any
) -> None:
    message = await emulator.send_guild_message(
        emulator.regular, f"{mention(emulator)} what did Elon Musk say about nvidia?"
    )
    embed = await answer_to(emulator, message)
    assert embed["title"] == "The article does not say"
    assert "it quotes no one called `Elon Musk`" in embed["description"]


async def test_a_bare_mention_says_how_to_ask(emulator: Emulator, bot: Any) -> None:
    message = await emulator.send_guild_message(emulator.regular, mention(emulator))
    embed = await answer_to(emulator, message)
    assert embed["title"] == "!ask needs a question"


async def test_people_talking_in_a_server_get_no_answer(emulator: Emulator, bot: Any) -> None:
    since = len(emulator.requests)
    await emulator.send_guild_message(emulator.regular, "who is Jensen Huang?")
    await emulator.send_guild_message(emulator.regular, "what did huang say about huawei")
    await assert_unanswered(emulator, since)


async def test_a_reply_to_the_bot_that_does_not_mention_it_gets_no_answer(
    emulator: Emulator, bot: Any
) -> None:
    # Discord's reply pings the bot (it is in `mentions`), but the words are not for it.
    command = await emulator.send_guild_message(emulator.regular, "!product H20")
    await emulator.wait_for_request(replies_to(command))
    answer_id = str(emulator.bot_messages()[-1]["id"])
    since = len(emulator.requests)
    message = await emulator.send_guild_message(
        emulator.regular, "thanks, who is Jensen Huang anyway", reply_to=answer_id
    )
    assert any(u["id"] == emulator.bot_user.id for u in emulator.message(message)["mentions"])
    await assert_unanswered(emulator, since)


async def test_slash_ask(emulator: Emulator, bot: Any) -> None:
    sent = await emulator.send_slash_command(
        emulator.regular, "ask", {"question": "how many AI researchers come from china"}
    )
    body = (await emulator.wait_for_interaction_response(sent)).json
    data = body["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    [embed] = data["embeds"]
    assert embed["title"].startswith("About 50% — Share of the world's AI researchers")
    assert "Understood as: a key figure" in embed["description"]


async def test_a_refused_slash_ask_is_private(emulator: Emulator, bot: Any) -> None:
    sent = await emulator.send_slash_command(
        emulator.regular, "ask", {"question": "how much does the h20 cost?"}
    )
    data = (await emulator.wait_for_interaction_response(sent)).json["data"]
    assert data["flags"] & EPHEMERAL
    assert data["embeds"][0]["title"] == "The article does not say"


async def test_an_edited_question_in_a_direct_message_edits_its_answer(
    emulator: Emulator, bot: Any
) -> None:
    message = await emulator.send_dm(emulator.regular, "who is jensen huang")
    await emulator.wait_for_request(replies_to(message))
    answer_id = str(emulator.bot_messages(emulator.dm_channel(emulator.regular))[-1]["id"])
    since = len(emulator.requests)
    await emulator.edit_message(message, "what is huawei")
    edit: RecordedRequest = await request_after(emulator, since, edits_of(answer_id))
    assert embeds_of(edit)[0]["title"] == "Huawei"


async def test_questions_count_towards_the_cooldown(tmp_path: Any) -> None:
    knowledge = copy_knowledge(tmp_path)
    async with bot_session(knowledge, BRIEFBOT_COOLDOWN_RATE="1") as (emulator, process):
        first = await emulator.send_dm(emulator.regular, "who is jensen huang")
        assert (await answer_to(emulator, first))["title"] == "Jensen Huang"
        second = await emulator.send_dm(emulator.regular, "what is huawei")
        embed = await answer_to(emulator, second)
        assert embed["title"].startswith("Slow down a little")
        await assert_clean_exit(emulator, process)


async def test_an_unclear_question_offers_its_readings_as_buttons(
    emulator: Emulator, bot: Any
) -> None:
    message = await emulator.send_guild_message(
        emulator.regular, f"{mention(emulator)} huang huawei"
    )
    reply = await emulator.wait_for_request(replies_to(message))
    assert embeds_of(reply)[0]["title"] == "Which did you mean?"
    shown = emulator.message(str(reply.response["id"]))
    buttons = [item for row in shown["components"] for item in row["components"]]
    labels = [b["label"] for b in buttons]
    assert labels == [
        "ask what did Jensen Huang say about Huawei",
        "company Huawei",
        "who Jensen Huang",
    ]
    sent = await emulator.click(emulator.regular, shown["id"], buttons[0]["custom_id"])
    response = (await emulator.wait_for_interaction_response(sent)).json
    assert response["type"] == 7  # UPDATE_MESSAGE: the asker's answer changes in place
    assert response["data"]["embeds"][0]["title"] == "Jensen Huang on Huawei"


# ------------------------------------------------------------- each server's own settings


async def said_in_other_server(emulator: Emulator, line: str) -> RecordedRequest:
    """A manager's line in the second server, and the bot's reply to it."""
    since = len(emulator.requests)
    message = await emulator.send_guild_message(
        emulator.other_manager, line, emulator.other_channel
    )
    return await request_after(emulator, since, replies_to(message))


async def assert_silent_in_other_server(emulator: Emulator, line: str) -> None:
    """Nothing answers a member's `line` in the second server, judged after a later command."""
    since = len(emulator.requests)
    await emulator.send_guild_message(emulator.other_member, line, emulator.other_channel)
    later = await emulator.send_guild_message(
        emulator.other_member, "!figure", emulator.other_second_channel
    )
    await emulator.wait_for_request(replies_to(later))
    await asyncio.sleep(SILENCE)
    sent = [r for r in emulator.requests[since:] if r.method in ("POST", "PATCH")]
    assert [r for r in sent if not replies_to(later)(r)] == []


@pytest.mark.parametrize(
    ("setting", "off"),
    [
        ("questions", "!server questions off"),
        ("mentions", "!server mentions off"),
        ("channels", "!server channels <#{ask}>"),
    ],
)
async def test_a_server_can_turn_questions_off(
    emulator: Emulator, bot: Any, setting: str, off: str
) -> None:
    question = f"{mention(emulator)} who is Jensen Huang?"
    before = await emulator.send_guild_message(
        emulator.other_member, question, emulator.other_channel
    )
    assert (await answer_to(emulator, before))["title"] == "Jensen Huang"
    saved = await said_in_other_server(emulator, off.format(ask=emulator.other_second_channel.id))
    assert embeds_of(saved)[0]["title"].startswith("Saved")
    try:
        await assert_silent_in_other_server(emulator, question)
        # The first server keeps its own settings; and `!ask` is a command, not a mention.
        first = await emulator.send_guild_message(emulator.regular, question)
        assert (await answer_to(emulator, first))["title"] == "Jensen Huang"
        if setting != "channels":
            command = await emulator.send_guild_message(
                emulator.other_member, "!ask who is Jensen Huang?", emulator.other_channel
            )
            assert (await answer_to(emulator, command))["title"] == "Jensen Huang"
    finally:
        await said_in_other_server(emulator, "!server reset")
