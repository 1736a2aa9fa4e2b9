"""The bot's one error handler: a sentence for user mistakes, an apology and a log for ours."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import discord
import pytest
from discord.ext import commands

from bot.discordbot.client import Briefbot, OnCooldown
from tests.helpers import FakeContext


async def test_an_unexpected_error_is_logged_and_the_user_gets_an_apology(
    discord_bot: Briefbot, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = FakeContext(discord_bot, "product")
    failure = commands.CommandInvokeError(RuntimeError("index exploded"))
    await discord_bot.on_command_error(ctx, failure)  # type: ignore[arg-type]
    assert ctx.titles() == ["Sorry, something went wrong on my side. It has been logged."]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info and "index exploded" in str(record.exc_info[1])
    assert "index exploded" not in str(ctx.sent)


async def test_a_missing_argument_gets_the_command_usage(discord_bot: Briefbot) -> None:
    ctx = FakeContext(discord_bot, "product")
    parameter = next(iter(ctx.command.clean_params.values()))  # type: ignore[union-attr]
    await discord_bot.on_command_error(ctx, commands.MissingRequiredArgument(parameter))  # type: ignore[arg-type]
    assert ctx.titles() == ["!product needs a name"]


async def test_an_unknown_word_in_a_server_is_ignored_but_answered_in_a_dm(
    discord_bot: Briefbot,
) -> None:
    in_server = FakeContext(discord_bot, guild=object())
    await discord_bot.on_command_error(in_server, commands.CommandNotFound())  # type: ignore[arg-type]
    assert in_server.sent == []
    in_dm = FakeContext(discord_bot)
    await discord_bot.on_command_error(in_dm, commands.CommandNotFound())  # type: ignore[arg-type]
    assert in_dm.titles() == ["Unknown command"]


async def test_a_bad_argument_to_an_admin_command_shows_its_usage(discord_bot: Briefbot) -> None:
    ctx = FakeContext(discord_bot, "sync")
    await discord_bot.on_command_error(ctx, commands.BadArgument("nope"))  # type: ignore[arg-type]
    # Escaped so Discord shows the | rather than reading it as Markdown.
    assert ctx.titles() == ["Use it like this: !sync [global\\|here]"]


def over_the_limit(notify: bool) -> OnCooldown:
    return OnCooldown(commands.Cooldown(1, 60), 42.0, notify)


async def test_past_the_cooldown_a_channel_gets_one_notice_then_quiet(
    discord_bot: Briefbot,
) -> None:
    first, second = FakeContext(discord_bot, "brief"), FakeContext(discord_bot, "brief")
    await discord_bot.on_command_error(first, over_the_limit(True))  # type: ignore[arg-type]
    await discord_bot.on_command_error(second, over_the_limit(False))  # type: ignore[arg-type]
    assert first.titles() == ["Slow down a little: you can ask again in 42 s."]
    assert second.sent == []


async def test_past_the_cooldown_every_slash_command_is_still_answered_privately(
    discord_bot: Briefbot,
) -> None:
    slash = SimpleNamespace(type=discord.InteractionType.application_command)
    ctx = FakeContext(discord_bot, "brief", interaction=slash)
    await discord_bot.on_command_error(ctx, over_the_limit(False))  # type: ignore[arg-type]
    assert ctx.titles() == ["Slow down a little: you can ask again in 42 s."]
    assert ctx.sent[0]["ephemeral"] is True


async def test_an_unknown_command_with_a_zero_width_space_is_understood(
    discord_bot: Briefbot,
) -> None:
    ctx = FakeContext(discord_bot, guild=object())
    ctx.message.content = "!product\u200brtx pro"
    await discord_bot.on_command_error(ctx, commands.CommandNotFound())  # type: ignore[arg-type]
    assert ctx.titles() == ["RTX Pro"]
