"""`!server` and `/server`: each server's managers configure the bot in their server, and only
there. The settings themselves live in `bot/state/server_settings.py`; this cog translates.

A server's settings are read from memory for every command (`listening.py` for the prefix and
the channels), so a change takes effect at once; the database keeps them across restarts.
Nothing here reads or shows another server's settings: every call is keyed by `ctx.guild`.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.access import manager_only
from bot.discordbot.client import Briefbot, OnCooldown, Refused
from bot.discordbot.listening import SETTINGS_COMMAND, answers_in
from bot.engine.reply import Reply, Section, Status, notice, point
from bot.state.cooldown import UserCooldown
from bot.state.server_settings import (
    Cooldown,
    ServerSettings,
    SettingError,
    SettingsUnavailableError,
    parse_channel_ids,
    parse_cooldown,
    parse_prefix,
    parse_switch,
)

Context = commands.Context[Briefbot]

SETTINGS = ("prefix", "channels", "mentions", "questions", "cooldown", "reset")
DEFAULT_WORDS = ("default", "reset")
UNSAVED = (
    "I could not save that: the bot's settings database is unavailable, so nothing changed. "
    "Try again in a while, or tell the bot's operators."
)


class Server(commands.Cog):
    """Per-server settings for managers, and the checks that apply them to every command."""

    def __init__(self, bot: Briefbot) -> None:
        self.bot = bot
        self._cooldowns: dict[int, tuple[Cooldown, UserCooldown]] = {}

    async def bot_check_once(self, ctx: Context) -> bool:
        """Before any command in a server: the channels it answers in, and its own cooldown
        (on top of the operator's, which applies everywhere)."""
        if ctx.guild is None:
            return True
        settings = self.bot.server_settings.get(ctx.guild.id)
        is_settings = ctx.command is not None and ctx.command.name == SETTINGS_COMMAND
        if not is_settings and not answers_in(self.bot, ctx.guild.id, ctx.channel):
            # Only slash commands get here (typed ones are not heard, `listening.py`); they
            # must be answered, privately, with where to ask instead.
            raise Refused(f"In this server I answer in {_channel_names(ctx.guild, settings)}.")
        if settings.cooldown is not None:
            limiter = self._cooldown_of(ctx.guild.id, settings.cooldown)
            verdict = limiter.hit(ctx.author.id)
            if not verdict.allowed:
                cooldown = commands.Cooldown(limiter.rate, limiter.per)
                raise OnCooldown(cooldown, verdict.retry_after, verdict.notify)
        return True

    def _cooldown_of(self, guild_id: int, wanted: Cooldown) -> UserCooldown:
        known = self._cooldowns.get(guild_id)
        if known is None or known[0] != wanted:
            known = (wanted, UserCooldown(wanted.rate, wanted.seconds))
            self._cooldowns[guild_id] = known
        return known[1]

    @commands.hybrid_command(
        name=SETTINGS_COMMAND,
        description="This server's settings for the bot (server managers).",
        usage="[prefix|channels|mentions|questions|cooldown|reset] [value]",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.describe(
        setting="What to change; leave it out to see the settings",
        value="A prefix; #channels or all; on or off; RATE SECONDS; or default",
    )
    @app_commands.choices(setting=[app_commands.Choice(name=s, value=s) for s in SETTINGS])
    @manager_only()
    async def server(self, ctx: Context, setting: str | None = None, *, value: str = "") -> None:
        """Show this server's settings, or change one."""
        assert ctx.guild is not None  # manager_only refuses DMs
        guild = ctx.guild
        current = self.bot.server_settings.get(guild.id)
        if setting is None:
            await self._show(ctx, "Settings for this server", current)
            return
        try:
            wanted, saved = self._changed(guild, current, setting.casefold(), value)
        except SettingError as error:
            await self.bot.send_reply(ctx, notice(Status.USAGE, str(error)), private=True)
            return
        try:
            await asyncio.to_thread(
                self.bot.server_settings.update, guild.id, wanted, ctx.author.id
            )
        except SettingsUnavailableError:
            await self.bot.send_reply(ctx, notice(Status.USAGE, UNSAVED), private=True)
            return
        await self._show(ctx, f"Saved: {saved}", wanted)

    def _changed(
        self, guild: discord.Guild, current: ServerSettings, setting: str, value: str
    ) -> tuple[ServerSettings, str]:
        """The settings after one change, and the change in words; SettingError if invalid.
        `value` comes as typed: a prefix of spaces is refused, not taken for no prefix."""
        typed, value = value, value.strip()
        if setting == "reset":
            return ServerSettings(), "every setting is back to its default"
        if setting not in SETTINGS:
            raise SettingError(
                f"There is no such setting; the settings are {', '.join(SETTINGS[:-1])}, "
                f"and “reset” puts them all back."
            )
        to_default = value.casefold() in DEFAULT_WORDS
        if setting == "prefix":
            if to_default:
                return replace(current, prefix=None), f"the prefix is {self.bot.settings.prefix}"
            if not typed:
                raise SettingError("Give the new prefix, such as “server prefix ?”.")
            prefix = parse_prefix(typed)
            return replace(current, prefix=prefix), f"the prefix is now {prefix}"
        if setting == "channels":
            if to_default or value.casefold() == "all":
                return replace(current, channels=None), "I answer in every channel"
            channels = frozenset(_own_channels(guild, parse_channel_ids(value)))
            changed = replace(current, channels=channels)
            return changed, f"I answer in {_channel_names(guild, changed)}"
        if setting == "cooldown":
            if to_default:
                return replace(current, cooldown=None), "the cooldown is the bot's own"
            cooldown = parse_cooldown(value, self._operator_cooldown())
            return replace(current, cooldown=cooldown), f"the cooldown is {cooldown}"
        switched = True if to_default else parse_switch(value, setting)
        shown = "on" if switched else "off"
        return replace(current, **{setting: switched}), f"{setting} {shown}"

    def _operator_cooldown(self) -> Cooldown:
        return Cooldown(self.bot.settings.cooldown_rate, self.bot.settings.cooldown_seconds)

    async def _show(self, ctx: Context, title: str, settings: ServerSettings) -> None:
        assert ctx.guild is not None
        prefix = settings.prefix or self.bot.settings.prefix
        cooldown = settings.cooldown or self._operator_cooldown()
        facts = (
            point(prefix + ("" if settings.prefix else " (the bot's default)"), label="Prefix"),
            point(_channel_names(ctx.guild, settings), label="Channels"),
            point(_on(settings.mentions), label="Mentions"),
            point(_on(settings.questions), label="Questions"),
            point(
                f"{cooldown}" + ("" if settings.cooldown else " (the bot's own)"),
                label="Cooldown",
            ),
        )
        how = (
            point(f"{prefix}server prefix ? · {prefix}server channels #news #ask or all"),
            point(f"{prefix}server questions on|off · {prefix}server mentions on|off"),
            point(f"{prefix}server cooldown RATE SECONDS · {prefix}server reset"),
        )
        reply = Reply(Status.ANSWERED, title, sections=(Section("", facts), Section("Change", how)))
        await self.bot.send_reply(ctx, reply, private=True)


def _own_channels(guild: discord.Guild, ids: list[int]) -> list[int]:
    """The ids, if every one is a channel of this server the bot could answer in."""
    for channel_id in ids:
        channel = guild.get_channel_or_thread(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            # Never says what the id is elsewhere: another server's channel is not ours to name.
            raise SettingError(
                "One of those is not a text channel of this server; mention this server's "
                "channels, such as #news #ask, or say “all”."
            )
    return ids


def _channel_names(guild: discord.Guild, settings: ServerSettings) -> str:
    if settings.channels is None:
        return "every channel"
    names = []
    for channel_id in sorted(settings.channels):
        channel = guild.get_channel_or_thread(channel_id)
        names.append(f"#{channel.name}" if channel is not None else "a deleted channel")
    return ", ".join(names)


def _on(value: bool) -> str:
    return "on" if value else "off"


async def setup(bot: Briefbot) -> None:
    """Extension entry point."""
    await bot.add_cog(Server(bot))
