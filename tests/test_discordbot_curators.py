"""The curators' features end to end: the real bot against the emulator, recording what readers
asked, `!kb misses`, the version in `!kb`, and a save reloading the bot without a signal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.fingerprint import fingerprint
from bot.knowledge.loader import load_knowledge
from bot.state.usage_log import FILE_NAME, UsageLog
from tests.helpers import (
    KNOWLEDGE_FILE_NAME,
    assert_clean_exit,
    bot_session,
    copy_knowledge,
    edit_file,
    embeds_of,
    operator_command,
    replies_to,
)

pytestmark = [pytest.mark.e2e]


async def _ask(emulator, line: str, author=None) -> dict:
    message = await emulator.send_guild_message(author or emulator.regular, line)
    return embeds_of(await emulator.wait_for_request(replies_to(message)))[0]


async def test_misses_are_recorded_and_shown_to_admins_without_who_asked(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    data = tmp_path / "data"
    async with bot_session(knowledge, BRIEFBOT_USAGE_LOG="on", BRIEFBOT_DATA=str(data)) as (
        emulator,
        bot,
    ):
        for line in ("!product grace", "!product grase", "!company intel", "!product h20"):
            await _ask(emulator, line)
        _, details = await operator_command(emulator, emulator.owner, "!kb misses")
        misses = embeds_of(details)[0]  # an operator's details come privately, by DM
        assert misses["title"] == "What readers asked for that the knowledge lacks"
        assert "`grace` ×2" in misses["description"] and "`grase`" in misses["description"]
        assert "`intel` ×1" in misses["description"]
        _, details = await operator_command(emulator, emulator.owner, "!kb")
        text = str(embeds_of(details)[0])
        assert fingerprint(load_knowledge(knowledge)) in text
        assert "H20: 1" in text
        refused = await _ask(emulator, "!kb misses")
        assert "grace" not in str(refused)
        await assert_clean_exit(emulator, bot)
    rows = (data / FILE_NAME).read_bytes()
    assert str(emulator.regular.id).encode() not in rows
    assert UsageLog.in_directory(data).top_entries() == [("h20", 1)]


async def test_a_save_reloads_the_running_bot_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path)
    knowledge_file = knowledge / KNOWLEDGE_FILE_NAME
    env = {"BRIEFBOT_WATCH": "on", "BRIEFBOT_WATCH_QUIET_SECONDS": "0.3"}
    async with bot_session(knowledge, **env) as (emulator, bot):
        await bot.wait_for_log("watching .* for changes")
        edit_file(
            knowledge_file, "The RTX Pro is a newly released GPU", "RTX Pro, as saved, is a GPU"
        )
        await bot.wait_for_log(r"knowledge reload by file watcher: reloaded: changed 1 \(rtx-pro\)")
        answer = await _ask(emulator, "!product rtx pro")
        assert answer["description"].startswith("RTX Pro, as saved,")
        edit_file(
            knowledge_file,
            "    kind: product\n    name: RTX Pro",
            "    kind: gadget\n    name: RTX Pro",
        )
        await bot.wait_for_log("knowledge reload by file watcher: reload failed with 1 error")
        line = knowledge_file.read_text().splitlines().index("    kind: gadget") + 1
        await bot.wait_for_log(f"{KNOWLEDGE_FILE_NAME}:{line}: entries")
        answer = await _ask(emulator, "!product rtx pro")
        assert answer["description"].startswith("RTX Pro, as saved,")
        await assert_clean_exit(emulator, bot)
