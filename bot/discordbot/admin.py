"""Operator commands: reload the knowledge, show what is loaded, sync slash commands.

They affect every server (or cost the process real work), so they are for the bot's operators
only (`access.py`), and their replies are seen only by the operator who asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot.access import actor, audit, operator_only, send_private
from bot.discordbot.client import Briefbot
from bot.engine.reply import Point, Reply, Section, Status, notice, point
from bot.knowledge.model import Kind
from bot.state.server_settings import AuditEntry
from bot.state.store import ReloadOutcome
from bot.state.usage_report import misses_reply, most_read_section

Context = commands.Context[Briefbot]
MAX_ERRORS_SHOWN = 15
RECENT_ACTIONS_SHOWN = 8


class Admin(commands.Cog):
    """Knowledge reloads, the knowledge status and slash-command sync, for operators only."""

    def __init__(self, bot: Briefbot) -> None:
        self.bot = bot

    # Discord hides each of these slash commands from everyone but a server's administrators
    # (`default_permissions()` with no permission), who may grant them in Server Settings >
    # Integrations; granting does not make anyone an operator: `operator_only` decides.

    @commands.hybrid_command(
        description="Re-read the knowledge base; a broken edit changes nothing."
    )
    @app_commands.default_permissions()
    @operator_only()
    async def reload(self, ctx: Context) -> None:
        """Reload the knowledge."""
        await ctx.defer(ephemeral=True)  # a large reload can outlast the 3 s to acknowledge
        outcome = await self.bot.reload_knowledge(actor(ctx))
        await audit(ctx, "reload", outcome.summary())
        await send_private(ctx, reload_reply(outcome, self.bot.store.directory))

    @commands.hybrid_command(
        description="What knowledge is loaded, and the last reload; misses: what readers lacked.",
        usage="[misses]",
    )
    @app_commands.default_permissions()
    @operator_only()
    async def kb(self, ctx: Context, view: Literal["misses"] | None = None) -> None:
        """The loaded knowledge, its reload history and the latest admin actions; or, with
        `misses`, what readers asked for that the knowledge lacks."""
        await ctx.defer(ephemeral=True)
        if view == "misses":
            reply = misses_reply(self.bot.usage, self.bot.settings.prefix)
        else:
            reply = knowledge_reply(self.bot, await _recent_actions(self.bot))
        await send_private(ctx, reply)

    @commands.hybrid_command(
        description="Sync slash commands globally, or to this server.", usage="[global|here]"
    )
    @app_commands.default_permissions()
    @operator_only()
    async def sync(self, ctx: Context, scope: Literal["global", "here"] = "global") -> None:
        """Publish the slash commands."""
        if scope == "here" and ctx.guild is None:
            here = notice(Status.USAGE, "Sync here works in a server, not in a DM.")
            await self.bot.send_reply(ctx, here)
            return
        await ctx.defer(ephemeral=True)  # Discord may rate-limit a sync for a while
        if scope == "here" and ctx.guild is not None:
            self.bot.tree.copy_global_to(guild=ctx.guild)
            synced = await self.bot.tree.sync(guild=ctx.guild)
            where = "this server"
        else:
            synced = await self.bot.tree.sync()
            where = "every server (global commands can take a while to appear)"
            # Only global ids make mentions that work everywhere, DMs included.
            self.bot.command_ids.update({command.name: command.id for command in synced})
        await audit(ctx, "sync", f"{len(synced)} commands to {scope}")
        done = notice(Status.ANSWERED, f"Synced {len(synced)} slash commands to {where}.")
        await send_private(ctx, done)


async def _recent_actions(bot: Briefbot) -> list[AuditEntry]:
    return await asyncio.to_thread(bot.server_settings.recent, RECENT_ACTIONS_SHOWN)


def reload_reply(outcome: ReloadOutcome, directory: Path) -> Reply:
    """The reply to a reload: what changed, or every error and the reassurance that nothing did.
    Errors name files relative to the knowledge `directory`: a reply never shows a host path."""
    if outcome.ok:
        sections = tuple(
            Section(label, tuple(point(entry_id) for entry_id in ids), names=True)
            for label, ids in (
                ("Added", outcome.added),
                ("Removed", outcome.removed),
                ("Changed", outcome.changed),
            )
            if ids
        )
        return Reply(Status.ANSWERED, "Knowledge reloaded", (point(outcome.summary()),), sections)
    shown = tuple(point(e.shown_from(directory)) for e in outcome.errors[:MAX_ERRORS_SHOWN])
    more = len(outcome.errors) - len(shown)
    lead = [point("Fix these and reload again (briefbot check lists them too):")]
    errors = [Section("Errors", shown)]
    if more > 0:
        errors.append(Section("", (point(f"…and {more} more"),)))
    return Reply(
        Status.ANSWERED,
        "Reload refused: the previous knowledge is still serving",
        tuple(lead),
        tuple(errors),
        whole=True,  # every error in one message: an operator fixes them side by side
    )


def knowledge_reply(bot: Briefbot, recent: Sequence[AuditEntry] = ()) -> Reply:
    """What is loaded, the reload history and the latest admin and manager actions: for
    operators only, since it names people of every server."""
    knowledge = bot.store.current.knowledge
    counts = ", ".join(f"{len(knowledge.of_kind(kind))} {kind.value}" for kind in Kind)
    facts = [
        point(
            f"{len(knowledge.entries)} entries ({counts}); {len(knowledge.statements)} statements",
            label="Entries",
        ),
        point(f"{_when(knowledge.loaded_at)} from {knowledge.directory.name}/", label="Loaded"),
        point(bot.store.version, label="Version"),
    ]
    last = bot.store.last_reload
    if last is not None:
        facts.append(
            point(f"{_when(last.at)} by {last.actor}: {last.summary()}", label="Last reload")
        )
    failure = bot.store.last_failure
    if failure is not None:
        first = failure.errors[0].shown_from(bot.store.directory) if failure.errors else ""
        facts.append(
            point(f"{_when(failure.at)} by {failure.actor}: {first}", label="Last reload error")
        )
    articles = tuple(point(a.title, label=a.id) for a in knowledge.articles)
    sections = [
        Section("Articles", articles),
        Section("", tuple(facts)),
        most_read_section(bot.usage, bot.store.current),
    ]
    if recent:
        sections.append(Section("Recent actions", tuple(_action(entry) for entry in recent)))
    # A status read at a glance: one message, however many sections it has.
    return Reply(Status.ANSWERED, "Loaded knowledge", sections=tuple(sections), whole=True)


def _action(entry: AuditEntry) -> Point:
    where = f"server {entry.guild_id}" if entry.guild_id else "a DM"
    return point(
        f"{_when(entry.at)} user {entry.actor_id} in {where}: {entry.detail}", label=entry.action
    )


def _when(moment: Any) -> str:
    return discord.utils.format_dt(moment, "f") + f" ({discord.utils.format_dt(moment, 'R')})"


async def setup(bot: Briefbot) -> None:
    """Extension entry point."""
    await bot.add_cog(Admin(bot))
