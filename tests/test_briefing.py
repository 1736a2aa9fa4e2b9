"""Guards over the Discord commands: derived from the engine's table, each wired to its kind."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest

from bot.discordbot.client import Briefbot
from bot.engine.commands import COMMANDS
from bot.knowledge.model import Kind
from tests.helpers import REPO, FakeContext


async def test_every_engine_command_is_a_prefix_and_slash_command(discord_bot: Briefbot) -> None:
    for command in COMMANDS:
        hybrid = discord_bot.get_command(command.name)
        assert hybrid is not None, command.name
        assert set(hybrid.aliases) == set(command.aliases), command.name
        slash = discord_bot.tree.get_command(command.name)
        assert slash is not None, command.name
        assert slash.description == command.summary
        assert len(command.summary) <= 100, command.name  # Discord refuses longer descriptions
        options = slash.to_dict(discord_bot.tree).get("options", [])
        if command.argument is None:
            assert options == [], command.name
            continue
        option, *more = options
        if command.article is None:
            assert more == [], command.name
        else:
            [article] = more
            assert (article["name"], article["required"]) == (command.article.slot, False)
            assert article["autocomplete"] is True
        assert option["name"] == command.argument.slot
        assert option["required"] == command.required
        completes = command.argument.names or command.argument.articles
        assert option.get("autocomplete", False) == completes
        assert [c["value"] for c in option.get("choices", [])] == list(command.argument.choices)


@pytest.mark.parametrize("kind", list(Kind))
async def test_each_lookup_command_answers_entries_of_its_own_kind(
    discord_bot: Briefbot, kind: Kind
) -> None:
    """Wiring `/company` to products (or its autocomplete to another kind) fails here."""
    command = kind.info.command
    index = discord_bot.store.current
    expected = {index.entry(key).name for key in index.keys_of(kind)}
    slash = discord_bot.tree.get_command(command)
    complete = slash._params["argument"].autocomplete  # type: ignore[union-attr]
    choices = await complete(SimpleNamespace(command=slash, client=discord_bot), "")
    assert {choice.value for choice in choices} == expected
    for name in expected:
        ctx = FakeContext(discord_bot, command)
        await ctx.command.callback(ctx, argument=name)  # type: ignore[union-attr]
        [embed] = ctx.embeds()
        assert embed.author.name == kind.info.heading, name
        assert "finds it directly" not in (embed.description or ""), name


async def test_admin_commands_exist_only_once(discord_bot: Briefbot) -> None:
    names = [name for command in discord_bot.commands for name in (command.name, *command.aliases)]
    assert len(names) == len(set(names))
    assert {"reload", "kb", "sync"} <= set(names)


def test_the_core_imports_nothing_of_discord() -> None:
    """Every module of bot/ but the Discord adapter loads without discord.py."""
    core = sorted(
        ".".join(path.relative_to(REPO).with_suffix("").parts)
        for path in (REPO / "bot").rglob("*.py")
        if "discordbot" not in path.parts and path.stem != "__main__"
    )
    assert "bot.engine.commands" in core and "bot.engine.answers" in core
    probe = (
        f"import importlib, sys\nfor name in {core!r}:\n    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"
