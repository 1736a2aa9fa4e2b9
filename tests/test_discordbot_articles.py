"""Several articles on Discord, end to end: the article option of slash commands, and the
article's link on the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import assert_clean_exit, bot_session, copy_several_articles, replies_to

pytestmark = [pytest.mark.e2e]


async def test_a_slash_command_answers_from_the_article_chosen_in_its_option(
    tmp_path: Path,
) -> None:
    async with bot_session(copy_several_articles(tmp_path)) as (emulator, bot):
        synced = await emulator.send_guild_message(emulator.owner, "!sync")
        await emulator.wait_for_request(replies_to(synced))
        sent = await emulator.send_slash_command(
            emulator.regular, "company", {"name": "Huawei", "article": "nvidia-huang-china-ai"}
        )
        [embed] = (await emulator.wait_for_interaction_response(sent)).json["data"]["embeds"]
        assert "extremely naive" in embed["description"]  # that article's words, not the newest's
        assert embed["footer"]["text"].startswith("Jensen Huang Shares His Vision")
        newest = await emulator.send_slash_command(emulator.regular, "company", {"name": "Huawei"})
        [embed] = (await emulator.wait_for_interaction_response(newest)).json["data"]["embeds"]
        assert "Ascend 910C" in embed["description"]
        assert embed["url"] == "https://example.com/2025/08/02/huawei-ascend-h20"
        await assert_clean_exit(emulator, bot)
