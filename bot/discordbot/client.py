"""The Discord bot: a commands.Bot over the engine, with one error handler for every command."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
from collections.abc import Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands
from discord.ext.commands.view import StringView

from bot.discordbot.components import (
    DYNAMIC_ITEMS,
    Shown,
    every_page,
    refuse_click,
    will_be_answered,
)
from bot.discordbot.embeds import CommandStyle
from bot.discordbot.listening import answers_in, listened_prefixes
from bot.discordbot.sent import SentAnswers
from bot.engine.commands import Engine
from bot.engine.reply import Reply, Status, notice
from bot.settings import Settings
from bot.state.cooldown import UserCooldown
from bot.state.server_settings import ServerSettingsStore
from bot.state.store import KnowledgeStore, ReloadOutcome
from bot.state.usage_log import open_for

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
        self.sent = SentAnswers()
        self.command_ids: dict[str, int] = {}  # slash command name -> id, once known
        self.usage = open_for(settings)  # what readers asked for (state.usage_log); None: off

    async def setup_hook(self) -> None:
        """Read the servers' settings, load the cogs and listen for SIGHUP; slash commands are
        synced only by `sync`."""
        await asyncio.to_thread(self.server_settings.load)  # a locked file must not block
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
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

    def command_style(
        self, source: commands.Context[Any] | discord.Interaction[Any]
    ) -> CommandStyle:
        """How replies write commands: as typed with the prefix, or in a slash command's reply
        as `/command` (clickable once the commands' ids are known)."""
        interaction = source if isinstance(source, discord.Interaction) else source.interaction
        if (
            interaction is not None
            and interaction.type is discord.InteractionType.application_command
        ):
            return CommandStyle("/", self.command_ids)
        return CommandStyle(self.prefix_in(source.guild))

    async def send_reply(
        self, ctx: commands.Context[Any], reply: Reply, private: bool = False
    ) -> None:
        """Send a reply: one page with its buttons, or edit the answer to a corrected command.

        On a slash command, refusals (and `private` replies) are seen only by the user who
        asked. A prefix command's answer replies to it, or, when the command was itself a
        Discord reply to someone's message, to that message, so the person who asked sees it in
        place; no reply pings anyone, and a deleted message does not stop the answer.
        """
        messages = every_page(reply, ctx.author.id, self.command_style(ctx))
        if ctx.interaction is not None:
            ephemeral = private or not reply.ok
            for shown in messages:
                await ctx.send(ephemeral=ephemeral, **_parts(shown))
            return
        earlier = self.sent.answer_to(ctx.message.id)
        if earlier is not None and len(messages) == 1:
            edited = await self._edit_answer(ctx.channel, earlier, messages[0])
            if edited:
                return
        reference = _reference_for(ctx.message)
        for shown in messages:
            answer = await ctx.send(reference=reference, **_parts(shown))
            if reference is not None:
                self.sent.remember(ctx.message.id, answer.id)
            reference = None

    async def _edit_answer(self, channel: Any, answer_id: int, shown: Shown) -> bool:
        try:
            await channel.get_partial_message(answer_id).edit(**_parts(shown, editing=True))
        except discord.NotFound:  # someone deleted the answer: answer anew
            return False
        return True

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """A corrected command is answered again (checks and cooldowns apply again), editing its
        earlier answer; a command edited into plain talk loses its answer."""
        before = payload.cached_message
        after = payload.message
        if after.author.bot or (before is not None and before.content == after.content):
            return
        if "content" not in payload.data:  # an embed appeared, a pin changed: not an edit
            return
        if self.sent.answer_to(after.id) is not None and not await self._is_command(after):
            await self._delete_answer(after.channel, after.id)
            return
        await self.answer_message(after)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """A deleted command takes its answer with it."""
        channel = self.get_partial_messageable(payload.channel_id)
        await self._delete_answer(channel, payload.message_id)

    async def _is_command(self, message: discord.Message) -> bool:
        ctx = await self.get_context(message)
        return (
            ctx.command is not None
            or self.question_in(message) is not None
            or self.engine.handle(message.content, prefix=self.prefix_in(message.guild)) is not None
        )

    async def on_message(self, message: discord.Message) -> None:
        """Commands, and questions put to the bot in people's own words."""
        await self.answer_message(message)

    async def answer_message(self, message: discord.Message) -> None:
        """Run the command a message holds, or `ask` the question it puts to the bot; the
        same checks and cooldowns apply to both."""
        if message.author.bot:
            return
        ctx = await self.get_context(message)
        question = self.question_in(message) if ctx.command is None else None
        if question is not None:
            ctx = commands.Context(
                message=message,
                bot=self,
                view=StringView(question),
                prefix="",
                command=self.get_command("ask"),
                invoked_with="ask",
            )
        await self.invoke(ctx)

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message puts to the bot in its own words, or None for none.

        In a direct message, any line that is not a prefix command; in a server, only a line
        that mentions the bot (`@briefbot who is Jensen Huang?`, the mention removed), so the
        bot stays quiet among people talking, and only where the server's managers leave
        mentions and questions on, in a channel it answers in. A bare mention is a question
        with no words (it is answered with how to ask). `!ask` itself is a command: these
        settings do not touch it.
        """
        content = message.content.strip()
        mention = re.compile(rf"<@!?{self.user.id}>") if self.user is not None else None
        mentioned = mention is not None and mention.search(content) is not None
        question = mention.sub(" ", content).strip() if mention is not None else content
        guild = message.guild
        if guild is None:
            prefix = self.prefix_in(None)
            return question if question and not content.startswith(prefix) else None
        settings = self.server_settings.get(guild.id)
        if not (mentioned and settings.mentions and settings.questions):
            return None
        return question if answers_in(self, guild.id, message.channel) else None

    async def _delete_answer(self, channel: Any, command_id: int) -> None:
        answer_id = self.sent.forget(command_id)
        if answer_id is None:
            return
        try:
            await channel.get_partial_message(answer_id).delete()
        except (discord.NotFound, discord.Forbidden):
            log.info("the answer to message %s was already gone", command_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """A click on something no button of ours made gets a private sentence, not the
        "interaction failed" Discord shows when nobody answers."""
        if interaction.type is not discord.InteractionType.component:
            return
        if not will_be_answered(interaction):
            await refuse_click(interaction, "That button is not one of mine, or it is out of date.")

    async def on_ready(self) -> None:
        """Learn the slash commands' ids, so replies can mention them as clickable commands."""
        try:
            self.command_ids = {c.name: c.id for c in await self.tree.fetch_commands()}
        except discord.HTTPException as error:
            log.warning("could not fetch the slash commands' ids: %s", error)

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
        elif self.is_closed():
            # Stopping (SIGTERM) while an answer was on its way: nothing is wrong, nobody to tell.
            log.info("stopped before answering %r", ctx.invoked_with)
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
            # A command edited into another bot's command takes our old answer away.
            await self._delete_answer(ctx.channel, ctx.message.id)
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


def _parts(shown: Shown, editing: bool = False) -> dict[str, Any]:
    """The keyword arguments that send or edit one message of an answer (an edit without
    buttons removes the old ones)."""
    parts: dict[str, Any] = {"embed": shown.embed}
    if shown.view is not None or editing:
        parts["view"] = shown.view
    return parts


def _reference_for(message: discord.Message) -> discord.MessageReference:
    """What an answer replies to: the message the command itself replied to, or the command."""
    target = message.reference
    if (
        target is not None
        and target.message_id is not None
        and target.channel_id == message.channel.id
        and target.type is discord.MessageReferenceType.default
    ):
        return discord.MessageReference(
            message_id=target.message_id,
            channel_id=target.channel_id,
            guild_id=target.guild_id,
            fail_if_not_exists=False,
        )
    return message.to_reference(fail_if_not_exists=False)
