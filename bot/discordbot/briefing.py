"""Briefing commands, generated from the engine's command table: `!product x` and `/product x`.

Nothing here names a command: each engine command becomes one hybrid command whose single
argument takes its slash name, description, choices and autocomplete from the table. One
function answers them all and one autocomplete serves every name argument, picking the kind
from the command being typed, so no command can be wired to another's kind.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import Briefbot
from bot.discordbot.components import every_page
from bot.engine.commands import COMMANDS, Command
from bot.state.usage_log import note

MAX_CHOICES = 25  # Discord's limit on autocomplete choices
MAX_CHOICE_CHARS = 100  # and on each choice's name and value

Context = commands.Context[Briefbot]
Callback = Callable[..., Coroutine[Any, Any, None]]


async def answer(ctx: Context, argument: str | None = None, article: str | None = None) -> None:
    """Run the engine command this hybrid command stands for and send its reply."""
    assert ctx.command is not None
    prefix = ctx.bot.prefix_in(ctx.guild)  # the server's own, in sentences that name commands
    reply = ctx.bot.engine.run(ctx.command.name, argument or "", prefix, article or "")
    await ctx.bot.send_reply(ctx, reply)
    note(ctx.bot.usage, reply)


async def complete_name(
    interaction: discord.Interaction[Briefbot], typed: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for every name argument: names of the kind the typed command looks up."""
    command = interaction.command.name if interaction.command else ""
    names = interaction.client.engine.complete(command, typed, MAX_CHOICES)
    return [
        app_commands.Choice(name=name[:MAX_CHOICE_CHARS], value=name[:MAX_CHOICE_CHARS])
        for name in names
    ]


async def complete_article(
    interaction: discord.Interaction[Briefbot], typed: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for the article option: article ids, newest first."""
    ids = interaction.client.engine.complete_article(typed, MAX_CHOICES)
    return [app_commands.Choice(name=i[:MAX_CHOICE_CHARS], value=i[:MAX_CHOICE_CHARS]) for i in ids]


def hybrid_command(spec: Command) -> commands.HybridCommand[Any, ..., None]:
    """The hybrid command for one engine command."""
    callback = _callback(spec)
    argument = spec.argument
    if argument is not None:
        # The callback's parameter is `argument`; users see the table's name for it.
        callback = app_commands.rename(argument=argument.slot)(callback)
        callback = app_commands.describe(argument=argument.hint)(callback)
        if argument.names or argument.articles:
            callback = app_commands.autocomplete(argument=complete_name)(callback)
        if argument.choices:
            options = [app_commands.Choice(name=c, value=c) for c in argument.choices]
            callback = app_commands.choices(argument=options)(callback)
    if spec.article is not None:  # a second, optional slash option; prefix users type in:ID
        callback = app_commands.rename(article=spec.article.slot)(callback)
        callback = app_commands.describe(article=spec.article.hint)(callback)
        callback = app_commands.autocomplete(article=complete_article)(callback)
    return commands.hybrid_command(
        name=spec.name, aliases=list(spec.aliases), description=spec.summary
    )(callback)


def _callback(spec: Command) -> Callback:
    # One shape per signature, because discord.py reads from the callback's signature whether
    # there is an argument, whether it is required, and which slash options there are. A
    # prefix command's text is all `argument` (its keyword-only parameter takes the rest).
    if spec.argument is None:

        async def no_argument(ctx: Context) -> None:
            await answer(ctx)

        return no_argument
    if spec.article is None:
        if spec.required:

            async def required(ctx: Context, *, argument: str) -> None:
                await answer(ctx, argument)

            return required

        async def optional(ctx: Context, *, argument: str | None = None) -> None:
            await answer(ctx, argument)

        return optional
    if spec.required:

        async def required_in_article(
            ctx: Context, *, argument: str, article: str | None = None
        ) -> None:
            await answer(ctx, argument, article)

        return required_in_article

    async def optional_in_article(
        ctx: Context, *, argument: str | None = None, article: str | None = None
    ) -> None:
        await answer(ctx, argument, article)

    return optional_in_article


async def brief_me_on_this(
    interaction: discord.Interaction[Briefbot], message: discord.Message
) -> None:
    """The message context menu: privately, what the knowledge says about what it names."""
    bot = interaction.client
    reply = bot.engine.about(message.content)
    [first, *_] = every_page(reply, interaction.user.id, bot.command_style(interaction))
    parts: dict[str, Any] = {"embed": first.embed, "ephemeral": True}
    if first.view is not None:
        parts["view"] = first.view
    await interaction.response.send_message(**parts)


BRIEF_ME = "Brief me on this"


async def setup(bot: Briefbot) -> None:
    """Extension entry point: one hybrid command per engine command, and the context menu."""
    for spec in COMMANDS:
        bot.add_command(hybrid_command(spec))
    bot.tree.add_command(app_commands.ContextMenu(name=BRIEF_ME, callback=brief_me_on_this))


async def teardown(bot: Briefbot) -> None:
    """Remove what `setup` added, so the extension can be reloaded."""
    for spec in COMMANDS:
        bot.remove_command(spec.name)
    bot.tree.remove_command(BRIEF_ME, type=discord.AppCommandType.message)
