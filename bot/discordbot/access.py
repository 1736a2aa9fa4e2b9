"""Who may do what, as command checks: operators govern the bot, managers their own server.

Operators are the application's owner (or its team) and the users in BRIEFBOT_ADMIN_IDS: they
alone may do what affects every server or costs the process real work (reload, sync, the
knowledge status and its history). A server's managers (Discord's Manage Server, in that
server) configure that server only. Slash commands are hidden from the others by Discord
(`default_permissions` on each command), and these checks run again on our side, because a
server's admins can grant a command to anyone and a stale client can send anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import discord
from discord.ext import commands

from bot.discordbot.client import Briefbot, Refused
from bot.discordbot.embeds import render_pages
from bot.discordbot.listening import is_manager
from bot.engine.reply import Reply, Status, notice

Context = commands.Context[Briefbot]
T = TypeVar("T")

NOT_OPERATOR = "Only the bot's operators can do that."
NOT_MANAGER = "Only this server's managers (Manage Server) can change its settings."
NOT_IN_DM = "Server settings belong to a server: run this there, as one of its managers."
IN_YOUR_DMS = "Sent: the details are in your direct messages."
DMS_CLOSED = (
    "I could not send you the details: allow direct messages from this server's members, "
    "or use the slash command (seen only by you), or ask me in a direct message."
)


async def is_operator(bot: Briefbot, user: discord.abc.User) -> bool:
    """The application's owner or team, or a user named in BRIEFBOT_ADMIN_IDS."""
    return user.id in bot.settings.admin_ids or await bot.is_owner(user)


def operator_only() -> Callable[[T], T]:
    """A check: operators only, wherever the command is run."""

    async def predicate(ctx: Context) -> bool:
        if await is_operator(ctx.bot, ctx.author):
            return True
        raise Refused(NOT_OPERATOR)

    return commands.check(predicate)


def manager_only() -> Callable[[T], T]:
    """A check: in a server, and a manager of that server."""

    async def predicate(ctx: Context) -> bool:
        if ctx.guild is None:
            raise Refused(NOT_IN_DM)
        if is_manager(ctx.author):
            return True
        raise Refused(NOT_MANAGER)

    return commands.check(predicate)


def actor(ctx: Context) -> str:
    """Who did it, for logs and `kb`: name and id, never anything secret."""
    return f"{ctx.author} ({ctx.author.id})"


async def audit(ctx: Context, action: str, detail: str) -> None:
    """Log an operator's action (who, which server, what) and keep it for `kb`."""
    guild_id = ctx.guild.id if ctx.guild else None
    await asyncio.to_thread(ctx.bot.server_settings.record, ctx.author.id, guild_id, action, detail)


async def send_private(ctx: Context, reply: Reply) -> None:
    """An operator's reply, seen by the operator alone.

    A slash command answers ephemerally and a DM answers in place. A prefix command in a server
    channel gets a short public acknowledgement, and the details go to the operator by DM:
    deleting a public reply after a while would still show it to everyone in the channel
    meanwhile (and to anything that logs the channel), while a DM stays readable for as long
    as the operator needs it (a list of reload errors is read while fixing them).
    """
    bot = ctx.bot
    if ctx.interaction is not None or ctx.guild is None:
        await bot.send_reply(ctx, reply, private=True)
        return
    try:
        for page in render_pages(reply, bot.command_style(ctx)):  # this server's prefix
            await ctx.author.send(embed=page.embed)
    except discord.Forbidden:
        acknowledgement = notice(Status.USAGE, DMS_CLOSED)
    else:
        acknowledgement = notice(Status.ANSWERED, IN_YOUR_DMS)
    await bot.send_reply(ctx, acknowledgement)
