"""The bot under network faults: `briefbot run` against the emulator while it misbehaves.

Each test starts its own emulator and bot, sends commands from several users (server channels and
a DM) before, during and after one injected fault, and holds the bot to the same promises: it
reconnects or resumes (judged by the emulator's counters), every command gets exactly one reply,
it logs no error, it sends only bodies Discord accepts, and SIGTERM still ends it with status 0.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.discord_emulator import Emulator, RecordedRequest
from tests.helpers import BotProcess, assert_clean_exit, bot_session, replies_to

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(60)]

HEARTBEAT_MS = 1000
# A zombied connection is noticed by the missing ACK; a short interval keeps that quick.
ZOMBIE_HEARTBEAT_MS = 500
# discord.py declares a connection dead when nothing (not even an ACK) has arrived for
# BRIEFBOT_HEARTBEAT_TIMEOUT seconds; four heartbeats here, 60 s against real Discord.
ZOMBIE_SILENCE = 4 * ZOMBIE_HEARTBEAT_MS / 1000
# Ten intervals past that silence leaves ample room for a slow CI machine.
ZOMBIE_NOTICED_WITHIN = ZOMBIE_SILENCE + 10 * ZOMBIE_HEARTBEAT_MS / 1000
# Covers discord.py's 5 s sleep before it identifies again, plus reconnect back-off.
RECOVERY_TIMEOUT = 15.0
ANSWER_TIMEOUT = 15.0
SILENCE = 1.0  # how long a late duplicate reply is watched for once everything was answered
RETRY_AFTER = 1.0


@pytest.fixture
async def connected(knowledge_copy: Path) -> AsyncIterator[tuple[Emulator, BotProcess]]:
    """A bot connected to an emulator with a one-second heartbeat."""
    async with bot_session(knowledge_copy) as pair:
        yield pair


async def send_round(emulator: Emulator) -> list[str]:
    """Three users ask at once, in two server channels and a DM; returns the message ids."""
    return [
        await emulator.send_guild_message(emulator.owner, "!product rtx pro"),
        await emulator.send_guild_message(
            emulator.admin, "!company huawei", emulator.second_channel
        ),
        await emulator.send_dm(emulator.regular, "!figure"),
    ]


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait until `condition()` holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout:.1f}s")
        await asyncio.sleep(0.05)


async def assert_each_answered_once(emulator: Emulator, message_ids: list[str]) -> None:
    """Every command gets a reply, and after a quiet spell still exactly one."""
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        counts = emulator.replies_by_reference()
        if all(counts[message] for message in message_ids):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(SILENCE)
    counts = emulator.replies_by_reference()
    assert {message: counts[message] for message in message_ids} == dict.fromkeys(message_ids, 1)


def attempts_to_reply(emulator: Emulator, message_id: str) -> list[RecordedRequest]:
    """Every POST answering one command, whatever the emulator said to it."""
    return [request for request in emulator.requests if replies_to(message_id)(request)]


# ------------------------------------------------------------------------------ the gateway


async def test_dropped_connection_is_resumed_and_no_command_is_lost(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)  # in flight when the connection goes
    await emulator.drop_gateway()
    during = await send_round(emulator)  # only RESUME's replay can deliver these
    await until(lambda: emulator.resumed_count == 1, RECOVERY_TIMEOUT, "RESUME after a drop")
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, before + during + after)
    assert (emulator.identify_count, emulator.resumed_count) == (1, 1)
    assert emulator.connections[-1].path == "/resume-gateway/"
    await assert_clean_exit(emulator, bot)


async def test_reconnect_request_is_resumed_and_no_command_is_lost(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)
    await emulator.send_reconnect()
    during = await send_round(emulator)
    await until(lambda: emulator.resumed_count == 1, RECOVERY_TIMEOUT, "RESUME after RECONNECT")
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, before + during + after)
    assert (emulator.identify_count, emulator.resumed_count) == (1, 1)
    await assert_clean_exit(emulator, bot)


async def test_resumable_invalid_session_is_resumed_and_no_command_is_lost(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)
    await emulator.send_invalid_session(resumable=True)
    during = await send_round(emulator)
    await until(
        lambda: emulator.resumed_count == 1, RECOVERY_TIMEOUT, "RESUME after INVALID_SESSION"
    )
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, before + during + after)
    assert (emulator.identify_count, emulator.resumed_count) == (1, 1)
    await assert_clean_exit(emulator, bot)


async def test_lost_session_is_identified_again_and_answers_resume(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)  # delivered ahead of the INVALID_SESSION frame
    await emulator.send_invalid_session(resumable=False)
    # Nothing is sent while the bot has no session: Discord delivers such events to nobody,
    # so no client could answer them. discord.py waits 5 s before it identifies again.
    await until(lambda: emulator.identify_count == 2, RECOVERY_TIMEOUT, "a new IDENTIFY")
    await emulator.wait_for_session(RECOVERY_TIMEOUT)
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, before + after)
    assert (emulator.identify_count, emulator.resume_count) == (2, 0)
    await assert_clean_exit(emulator, bot)


async def test_unacknowledged_heartbeats_make_the_bot_reconnect(knowledge_copy: Path) -> None:
    timeout = str(ZOMBIE_SILENCE)
    session = bot_session(knowledge_copy, ZOMBIE_HEARTBEAT_MS, BRIEFBOT_HEARTBEAT_TIMEOUT=timeout)
    async with session as (emulator, bot):
        before = await send_round(emulator)
        await assert_each_answered_once(emulator, before)
        emulator.stop_heartbeat_acks()
        during = await send_round(emulator)  # the socket still carries events, only ACKs stop
        await until(
            lambda: len(emulator.connections) > 1,
            ZOMBIE_NOTICED_WITHIN,
            "a reconnect after heartbeats went unacknowledged",
        )
        emulator.resume_heartbeat_acks()
        await until(lambda: emulator.resumed_count == 1, RECOVERY_TIMEOUT, "RESUME")
        after = await send_round(emulator)
        await assert_each_answered_once(emulator, during + after)
        assert emulator.identify_count == 1
        await assert_clean_exit(emulator, bot)


# ------------------------------------------------------------------------------------ REST


def assert_one_reply_delivered_after_a_failure(
    emulator: Emulator, status: int, delay: float
) -> None:
    """One reply POST was refused with `status`; its retry, `delay` s later, was delivered."""
    [refused] = [r for r in emulator.requests if r.status == status]
    command = str(refused.json["message_reference"]["message_id"])
    attempts = attempts_to_reply(emulator, command)
    assert [attempt.status for attempt in attempts] == [status, 200]
    # A little slack: the recorded times are taken when each request arrives.
    assert attempts[1].time - attempts[0].time >= delay - 0.1


async def test_rate_limited_reply_is_sent_after_the_wait_exactly_once(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)
    await assert_each_answered_once(emulator, before)
    emulator.fail_next_requests(
        "POST", rf"/channels/{emulator.channel.id}/messages", 429, retry_after=RETRY_AFTER
    )
    during = await send_round(emulator)  # the #general reply is the one refused
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, during + after)
    assert_one_reply_delivered_after_a_failure(emulator, 429, RETRY_AFTER)
    await assert_clean_exit(emulator, bot)


async def test_server_error_on_a_reply_is_retried_exactly_once(
    connected: tuple[Emulator, BotProcess],
) -> None:
    emulator, bot = connected
    before = await send_round(emulator)
    await assert_each_answered_once(emulator, before)
    emulator.fail_next_requests("POST", rf"/channels/{emulator.channel.id}/messages", 500)
    during = await send_round(emulator)
    after = await send_round(emulator)
    await assert_each_answered_once(emulator, during + after)
    # discord.py sleeps 1 s before retrying a 5xx.
    assert_one_reply_delivered_after_a_failure(emulator, 500, 1.0)
    await assert_clean_exit(emulator, bot)
