"""The Discord bot: a commands.Bot over the engine, with one error handler for every command."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cooldown import UserCooldown
from bot.discordbot.embeds import render_pages
from bot.discordbot.listening import listened_prefixes
from bot.engine import Engine
from bot.reply import Reply, Status, notice
from bot.server_settings import ServerSettingsStore
from bot.settings import Settings
from bot.store import KnowledgeStore, ReloadOutcome

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.discordbot.briefing", "bot.discordbot.admin", "bot.discordbot.server")


class Refused(commands.CheckFailure):
    """A check refused the command; its message is the sentence the user sees."""


class OnCooldown(commands.CommandOnCooldown):
    """A user is over the rate limit; `notify` is true for the first refusal in a window."""

    def __init__(self, cooldown: commands.Cooldown, retry_after: float, notify: bool) -> None:
        super().__init__(cooldown, retry_after, commands.BucketType.user)
        self.notify = notify


class Briefbot(commands.AutoShardedBot):
    """Answers briefing commands in servers and DMs, as prefix and slash commands."""

    def __init__(
        self,
        settings: Settings,
        store: KnowledgeStore,
        server_settings: ServerSettingsStore | None = None,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and permissions of the servers the bot is in
        intents.guild_messages = True
        intents.dm_messages = True
        intents.message_content = True  # privileged: prefix commands in servers need it
        super().__init__(
            command_prefix=listened_prefixes,  # each server's own, and none where it is off
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            case_insensitive=True,
            strip_after_prefix=True,
            help_command=None,
            shard_count=settings.shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
            # discord.py reconnects when the gateway has been silent this long; a zombied
            # connection that no longer acknowledges heartbeats is caught the same way.
            heartbeat_timeout=settings.heartbeat_timeout,
        )
        self.settings = settings
        self.store = store
        # Each server's own settings, in memory; without a database, everyone has the defaults.
        self.server_settings = server_settings or ServerSettingsStore(None)
        self.engine = Engine(store, settings.prefix)
        self.cooldown = UserCooldown(settings.cooldown_rate, settings.cooldown_seconds)
        self.check_once(self._within_cooldown)
        self._background: set[asyncio.Task[Any]] = set()

    async def setup_hook(self) -> None:
        """Read the servers' settings, load the cogs and listen for SIGHUP; slash commands are
        synced only by `sync`."""
        await asyncio.to_thread(self.server_settings.load)  # a locked file must not block
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(
                signal.SIGHUP, lambda: self.run_in_background(self.reload_knowledge("SIGHUP"))
            )
        except (NotImplementedError, AttributeError):  # platforms without SIGHUP
            log.info("SIGHUP reload is not available on this platform")

    def prefix_in(self, guild: discord.abc.Snowflake | None) -> str:
        """The command prefix of a server (its managers' choice, else the operator's)."""
        settings = self.server_settings.get(getattr(guild, "id", None))
        return settings.prefix or self.settings.prefix

    def run_in_background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run work from a signal handler, holding the task so it is not collected mid-way."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def reload_knowledge(self, actor: str) -> ReloadOutcome:
        """Reload in a worker thread so the bot keeps answering from the old knowledge meanwhile."""
        return await asyncio.to_thread(self.store.reload, actor)

    async def send_reply(
        self, ctx: commands.Context[Any], reply: Reply, private: bool = False
    ) -> None:
        """Send a reply as embeds. On a slash command, refusals (and `private` replies) are
        seen only by the user who asked."""
        ephemeral = (private or not reply.ok) and ctx.interaction is not None
        # A prefix command's answer replies to it (without pinging), so readers see which
        # question it answers; a deleted question does not stop the answer.
        reference = None
        if ctx.interaction is None:
            reference = ctx.message.to_reference(fail_if_not_exists=False)
        for page in render_pages(reply, self.prefix_in(ctx.guild)):
            await ctx.send(embeds=list(page.embeds), ephemeral=ephemeral, reference=reference)
            reference = None

    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        """A corrected command is answered like a new one (checks and cooldowns apply again)."""
        if before.content != after.content:
            await self.process_commands(after)

    async def _within_cooldown(self, ctx: commands.Context[Any]) -> bool:
        verdict = self.cooldown.hit(ctx.author.id)
        if not verdict.allowed:
            cooldown = commands.Cooldown(self.cooldown.rate, self.cooldown.per)
            raise OnCooldown(cooldown, verdict.retry_after, verdict.notify)
        return True

    async def on_command_error(
        self, ctx: commands.Context[Any], error: commands.CommandError
    ) -> None:  # type: ignore[override]
        """Every command error: a sentence for user mistakes, an apology and a log for ours."""
        if isinstance(error, commands.HybridCommandError):
            error = getattr(error, "original", error)  # type: ignore[assignment]
        if isinstance(error, commands.CommandNotFound):
            await self._unknown_command(ctx)
        elif isinstance(error, OnCooldown):
            # One notice per window in a channel; a slash command must always be answered,
            # or Discord shows the user that the application did not respond.
            if error.notify or ctx.interaction is not None:
                wait = max(1, round(error.retry_after))
                await self._notice(ctx, f"Slow down a little: you can ask again in {wait} s.")
        elif isinstance(error, commands.NotOwner):
            await self._notice(ctx, "Only the bot's owner can do that.")
        elif isinstance(error, Refused):
            await self._notice(ctx, str(error))
        elif isinstance(error, (commands.CheckFailure, app_commands.CheckFailure)):
            await self._notice(ctx, "You cannot use that command here.")
        elif isinstance(error, commands.UserInputError) and ctx.command is not None:
            await self._usage(ctx, ctx.command)
        elif isinstance(getattr(error, "original", None), discord.Forbidden):
            # The server took away our right to answer here: that is the admins' call to make.
            log.warning("no permission to answer in channel %s", ctx.channel.id)
        elif isinstance(getattr(error, "original", None), discord.NotFound):
            # Most often an interaction that expired before we answered; nothing left to tell.
            log.warning("could not answer command %r: %s", ctx.invoked_with, error)
        else:
            original = getattr(error, "original", error)
            log.error(
                "command %r failed", ctx.command and ctx.command.qualified_name, exc_info=original
            )
            await self._notice(ctx, "Sorry, something went wrong on my side. It has been logged.")

    async def _unknown_command(self, ctx: commands.Context[Any]) -> None:
        # The engine reads the whole line again: it also understands lines discord.py does not
        # split (a zero-width space between command and argument). Other bots share the prefix:
        # in a server, speak up only for a near miss of ours.
        reply = self.engine.handle(ctx.message.content, prefix=self.prefix_in(ctx.guild))
        if reply is None:
            return
        if (
            reply.status is Status.UNKNOWN_COMMAND
            and not reply.suggestions
            and ctx.guild is not None
        ):
            return
        await self.send_reply(ctx, reply)

    async def _usage(
        self, ctx: commands.Context[Any], command: commands.Command[Any, ..., Any]
    ) -> None:
        prefix = self.prefix_in(ctx.guild)
        if command.name in self.engine.commands:
            await self.send_reply(ctx, self.engine.run(command.name, "", prefix))
        else:
            usage = f"{prefix}{command.name} {command.signature}".strip()
            await self._notice(ctx, f"Use it like this: {usage}")

    async def _notice(self, ctx: commands.Context[Any], sentence: str) -> None:
        await self.send_reply(ctx, notice(Status.USAGE, sentence))
