"""Guards over the Discord commands: every engine command is there, as prefix and slash."""

from __future__ import annotations

from bot.discordbot.client import Briefbot
from bot.engine import COMMANDS


async def test_every_engine_command_is_a_prefix_and_slash_command(discord_bot: Briefbot) -> None:
    for command in COMMANDS:
        hybrid = discord_bot.get_command(command.name)
        assert hybrid is not None, command.name
        assert set(hybrid.aliases) == set(command.aliases), command.name
        assert discord_bot.tree.get_command(command.name) is not None, command.name


async def test_name_arguments_have_autocomplete(discord_bot: Briefbot) -> None:
    for command in COMMANDS:
        if not command.kind and command.name not in ("quote", "source"):
            continue
        slash = discord_bot.tree.get_command(command.name)
        [parameter] = slash.parameters  # type: ignore[union-attr]
        assert parameter.autocomplete, command.name


async def test_admin_commands_exist_only_once(discord_bot: Briefbot) -> None:
    names = [name for command in discord_bot.commands for name in (command.name, *command.aliases)]
    assert len(names) == len(set(names))
    assert {"reload", "kb", "sync"} <= set(names)
