"""The next step one tap away, end to end: buttons, menus, pages, replies in place, edits.

`briefbot run` in a subprocess against the local emulator; users click, pick, edit, delete and
reply as they would on Discord, and every body the bot sends is checked against Discord's
OpenAPI description. Nothing may be logged as an error, whatever is clicked.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.discord_emulator import Emulator
from tests.discord_emulator.log import RecordedRequest
from tests.helpers import (
    EPHEMERAL,
    KNOWLEDGE_FILE_NAME,
    BotProcess,
    assert_clean_exit,
    bot_environment,
    copy_knowledge,
    edit_file,
    edits_of,
    embeds_of,
    replies_to,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

UPDATE_MESSAGE = 7
CHANNEL_MESSAGE = 4
STATEMENT = re.compile(r"^- .*\u00a0¶\d+$", flags=re.MULTILINE)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def emulator() -> AsyncIterator[Emulator]:
    """One emulator for the module; bots come and go, its stored messages stay."""
    async with Emulator(heartbeat_interval_ms=1000) as emu:
        yield emu
        assert emu.schema_errors == []


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge the module's bots serve (one test edits it, last)."""
    return copy_knowledge(tmp_path_factory.mktemp("components"))


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(emulator: Emulator, knowledge: Path) -> AsyncIterator[BotProcess]:
    """The module's bot, with its slash commands synced."""
    process = await start(emulator, knowledge)
    synced = await emulator.send_guild_message(emulator.owner, "!sync")
    await emulator.wait_for_request(replies_to(synced))
    yield process
    await assert_clean_exit(emulator, process)


async def start(emulator: Emulator, knowledge: Path) -> BotProcess:
    process = BotProcess(emulator, bot_environment(emulator, knowledge))
    await process.start()
    return process


async def answer_to(emulator: Emulator, line: str, author: Any = None, **where: Any) -> str:
    """Post a chat line; the id of the bot's answer."""
    message = await emulator.send_guild_message(author or emulator.regular, line, **where)
    reply = await emulator.wait_for_request(replies_to(message))
    return str(reply.response["id"])


def components(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for row in message.get("components", []) for item in row["components"]]


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    [found] = [c for c in components(message) if c.get("label") == label]
    return found


def description(message: dict[str, Any]) -> str:
    return message["embeds"][0].get("description", "")


async def click(emulator: Emulator, user: Any, message_id: str, custom_id: str) -> dict[str, Any]:
    sent = await emulator.click(user, message_id, custom_id)
    return (await emulator.wait_for_interaction_response(sent)).json


async def assert_private_sentence(response: dict[str, Any], words: str) -> None:
    assert response["type"] == CHANNEL_MESSAGE
    assert response["data"]["flags"] & EPHEMERAL
    assert words in response["data"]["embeds"][0]["title"]


# ---------------------------------------------------------------------------- pages


async def test_a_long_answer_pages_in_place_and_loses_nothing(
    emulator: Emulator, bot: BotProcess
) -> None:
    answer = await answer_to(emulator, "!list quotes")
    first = emulator.message(answer)
    assert button(first, "Back").get("disabled") is True
    assert "Page 1 of 4" in first["embeds"][0]["footer"]["text"]
    seen = STATEMENT.findall(description(first))
    for number in (2, 3, 4):
        response = await click(
            emulator, emulator.regular, answer, button(first, "Next")["custom_id"]
        )
        assert response["type"] == UPDATE_MESSAGE  # the same message, edited in place
        first = emulator.message(answer)
        assert f"Page {number} of 4" in first["embeds"][0]["footer"]["text"]
        seen += STATEMENT.findall(description(first))
    assert button(first, "Next").get("disabled") is True
    assert len(seen) == len(set(seen)) == 27
    assert len([m for m in emulator.bot_messages() if m["id"] == answer]) == 1


async def test_someone_elses_click_gets_a_private_copy_and_changes_nothing(
    emulator: Emulator, bot: BotProcess
) -> None:
    answer = await answer_to(emulator, "!quote jensen")
    before = emulator.message(answer)
    response = await click(emulator, emulator.admin, answer, button(before, "Next")["custom_id"])
    assert response["type"] == CHANNEL_MESSAGE and response["data"]["flags"] & EPHEMERAL
    assert "Page 2 of 4" in response["data"]["embeds"][0]["footer"]["text"]
    assert emulator.message(answer)["embeds"] == before["embeds"]


# ------------------------------------------------------------- suggestions and menus


async def test_a_did_you_mean_button_runs_the_suggestion_in_place(
    emulator: Emulator, bot: BotProcess
) -> None:
    answer = await answer_to(emulator, "!product h2")
    asked = emulator.message(answer)
    assert asked["embeds"][0]["title"] == "Did you mean …?"
    [suggestion] = [c for c in components(asked) if c.get("label") == "product H20"]
    response = await click(emulator, emulator.regular, answer, suggestion["custom_id"])
    assert response["type"] == UPDATE_MESSAGE
    assert emulator.message(answer)["embeds"][0]["title"] == "H20"


async def test_related_entries_are_one_pick_away(emulator: Emulator, bot: BotProcess) -> None:
    answer = await answer_to(emulator, "!product RTX Pro")
    shown = emulator.message(answer)
    [menu] = [c for c in components(shown) if c["type"] == 3]
    assert "product:Blackwell" in [option["value"] for option in menu["options"]]
    assert len(shown["components"]) <= 2  # buttons help, a wall of them does not
    sent = await emulator.select(emulator.regular, answer, menu["custom_id"], ["product:Blackwell"])
    response = (await emulator.wait_for_interaction_response(sent)).json
    assert response["type"] == UPDATE_MESSAGE
    assert emulator.message(answer)["embeds"][0]["title"] == "Blackwell"


async def test_sources_show_the_verbatim_excerpts_privately(
    emulator: Emulator, bot: BotProcess
) -> None:
    answer = await answer_to(emulator, "!product H20")
    sources = button(emulator.message(answer), "Sources")["custom_id"]
    response = await click(emulator, emulator.regular, answer, sources)
    assert response["data"]["flags"] & EPHEMERAL
    text = response["data"]["embeds"][0]["description"]
    assert "“the resumption of H20 sales in China depends on U.S. government licensing" in text
    assert "\u00a0¶4" in text


# --------------------------------------------------------------- forged and stale clicks


@pytest.mark.parametrize(
    "custom_id",
    ["bb:nonsense", "bb:run:1:nosuchcommand:x", "bb:page:1:99:list:quotes", "x" * 100, "bb:"],
)
async def test_forged_clicks_get_a_private_sentence(
    emulator: Emulator, bot: BotProcess, custom_id: str
) -> None:
    answer = await answer_to(emulator, "!brief")
    sent = await emulator.click(emulator.regular, answer, custom_id, check=False)
    response = (await emulator.wait_for_interaction_response(sent)).json
    await assert_private_sentence(response, "not one of mine")
    assert emulator.message(answer)["embeds"][0]["title"].startswith("Jensen Huang Shares")


async def test_a_page_past_the_end_gets_a_private_sentence(
    emulator: Emulator, bot: BotProcess
) -> None:
    answer = await answer_to(emulator, "!list quotes")
    message = emulator.message(answer)
    for _ in range(3):
        await click(emulator, emulator.regular, answer, button(message, "Next")["custom_id"])
        message = emulator.message(answer)
    past_the_end = button(message, "Next")  # disabled on the last page, but a click is forgeable
    assert past_the_end.get("disabled") is True
    sent = await emulator.click(emulator.regular, answer, past_the_end["custom_id"], check=False)
    response = (await emulator.wait_for_interaction_response(sent)).json
    await assert_private_sentence(response, "has 4 pages now")
    assert "Page 4 of 4" in emulator.message(answer)["embeds"][0]["footer"]["text"]


async def test_a_click_on_a_message_the_bot_did_not_send_is_refused(
    emulator: Emulator, bot: BotProcess
) -> None:
    theirs = await emulator.send_guild_message(emulator.regular, "just chatting")
    sent = await emulator.click(emulator.admin, theirs, "bb:src:product:H20", check=False)
    response = (await emulator.wait_for_interaction_response(sent)).json
    await assert_private_sentence(response, "not one of mine")


# ----------------------------------------------------------------- replies in place


async def test_a_command_sent_as_a_reply_answers_the_message_it_replies_to(
    emulator: Emulator, bot: BotProcess
) -> None:
    question = await emulator.send_guild_message(emulator.admin, "what is this H20 thing?")
    command = await emulator.send_guild_message(emulator.regular, "!product H20", reply_to=question)
    answer = await emulator.wait_for_request(replies_to(question))
    assert answer.json["allowed_mentions"] == {"parse": []}  # pings no one
    assert embeds_of(answer)[0]["title"] == "H20"
    assert not any(replies_to(command)(r) for r in emulator.requests)


async def test_an_edited_command_edits_its_answer_and_a_deleted_one_deletes_it(
    emulator: Emulator, bot: BotProcess
) -> None:
    command = await emulator.send_guild_message(emulator.regular, "!product hopper")
    first = await emulator.wait_for_request(replies_to(command))
    answer = str(first.response["id"])
    since = len(emulator.requests)
    await emulator.edit_message(command, "!product blackwell")
    edit = await emulator.wait_for_request(edits_of(answer))
    assert embeds_of(edit)[0]["title"] == "Blackwell"
    assert not any(replies_to(command)(r) for r in emulator.requests[since:])  # no second one
    await emulator.delete_message(command)
    await emulator.wait_for_request(
        lambda r: r.method == "DELETE" and r.path.endswith(f"/messages/{answer}")
    )


@pytest.mark.parametrize("edited_into", ["see you all tomorrow", "!play despacito"])
async def test_a_command_edited_into_talk_or_another_bots_command_loses_its_answer(
    emulator: Emulator, bot: BotProcess, edited_into: str
) -> None:
    command = await emulator.send_guild_message(emulator.regular, "!product hopper")
    answer = str((await emulator.wait_for_request(replies_to(command))).response["id"])
    await emulator.edit_message(command, edited_into)
    await emulator.wait_for_request(
        lambda r: r.method == "DELETE" and r.path.endswith(f"/messages/{answer}")
    )


# ------------------------------------------------------------------- the context menu


async def test_brief_me_on_this_answers_privately_about_what_a_message_names(
    emulator: Emulator, bot: BotProcess
) -> None:
    message = await emulator.send_guild_message(emulator.admin, "anyone seen the H20 news?")
    sent = await emulator.send_message_command(emulator.regular, "Brief me on this", message)
    response = (await emulator.wait_for_interaction_response(sent)).json
    assert response["data"]["flags"] & EPHEMERAL
    assert response["data"]["embeds"][0]["title"] == "H20"


async def test_slash_replies_mention_commands_as_clickable(
    emulator: Emulator, bot: BotProcess
) -> None:
    sent = await emulator.send_slash_command(emulator.regular, "company", {"name": "Intel"})
    response: RecordedRequest = await emulator.wait_for_interaction_response(sent)
    text = response.json["data"]["embeds"][0]["description"]
    assert re.search(r"</list:\d+> `companies`", text), text


# -------------------------------------------------------------- restarts and reloads


async def test_buttons_work_after_a_restart_and_tell_what_a_reload_removed(
    emulator: Emulator, bot: BotProcess, knowledge: Path
) -> None:
    answer = await answer_to(emulator, "!product h2")
    suggestion = next(c for c in components(emulator.message(answer)) if c.get("label"))
    await assert_clean_exit(emulator, bot)
    again = await start(emulator, knowledge)
    try:
        response = await click(emulator, emulator.regular, answer, suggestion["custom_id"])
        assert response["type"] == UPDATE_MESSAGE  # a restart lost nothing

        stale = await answer_to(emulator, "!product RTX Pro")
        menu = next(c for c in components(emulator.message(stale)) if c["type"] == 3)
        edit_file(
            knowledge / KNOWLEDGE_FILE_NAME,
            'name: Blackwell\n    aliases: ["Blackwell architecture"]',
            'name: Next architecture\n    aliases: ["NVIDIA architecture"]',
        )
        reloaded = await emulator.send_guild_message(emulator.owner, "!reload")
        await emulator.wait_for_request(replies_to(reloaded))
        sent = await emulator.select(
            emulator.regular, stale, menu["custom_id"], ["product:Blackwell"]
        )
        response = (await emulator.wait_for_interaction_response(sent)).json
        await assert_private_sentence(response, "no longer")
        assert emulator.message(stale)["embeds"][0]["title"] == "RTX Pro"  # left as it was
    finally:
        await assert_clean_exit(emulator, again)
