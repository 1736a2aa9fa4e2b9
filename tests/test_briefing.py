"""Guards over the Discord commands: every engine command is there, as prefix and slash."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from bot.discordbot.client import EXTENSIONS, Briefbot
from bot.engine import COMMANDS
from bot.settings import Settings
from bot.store import KnowledgeStore


@pytest_asyncio.fixture
async def bot(store: KnowledgeStore) -> AsyncIterator[Briefbot]:
    """The bot with its cogs loaded, never connected."""
    async with Briefbot(Settings(), store) as bot:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        yield bot


async def test_every_engine_command_is_a_prefix_and_slash_command(bot: Briefbot) -> None:
    for command in COMMANDS:
        hybrid = bot.get_command(command.name)
        assert hybrid is not None, command.name
        assert set(hybrid.aliases) == set(command.aliases), command.name
        assert bot.tree.get_command(command.name) is not None, command.name


async def test_name_arguments_have_autocomplete(bot: Briefbot) -> None:
    for command in COMMANDS:
        if not command.kind and command.name not in ("quote", "source"):
            continue
        slash = bot.tree.get_command(command.name)
        [parameter] = slash.parameters  # type: ignore[union-attr]
        assert parameter.autocomplete, command.name


async def test_admin_commands_exist_only_once(bot: Briefbot) -> None:
    names = [name for command in bot.commands for name in (command.name, *command.aliases)]
    assert len(names) == len(set(names))
    assert {"reload", "kb", "sync"} <= set(names)
