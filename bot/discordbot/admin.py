"""Admin commands: reload the knowledge, show what is loaded, sync slash commands."""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord.ext import commands

from bot.discordbot.client import Briefbot, NotAdmin
from bot.knowledge import Kind
from bot.reply import Reply, Section, Status, notice, point
from bot.store import ReloadOutcome
from bot.usage_report import misses_reply, most_read_section

Context = commands.Context[Briefbot]
MAX_ERRORS_SHOWN = 15


async def is_admin(ctx: Context) -> bool:
    """The app's owner or team, BRIEFBOT_ADMIN_IDS, or a member who can manage the server."""
    if ctx.author.id in ctx.bot.settings.admin_ids or await ctx.bot.is_owner(ctx.author):
        return True
    if isinstance(ctx.author, discord.Member) and ctx.author.guild_permissions.manage_guild:
        return True
    raise NotAdmin("Only server managers and the bot's admins can do that.")


def actor(ctx: Context) -> str:
    """Who did it, for logs and `kb`: name and id, never anything secret."""
    return f"{ctx.author} ({ctx.author.id})"


class Admin(commands.Cog):
    """Knowledge reloads and slash-command sync, for admins only."""

    def __init__(self, bot: Briefbot) -> None:
        self.bot = bot

    async def cog_check(self, ctx: Context) -> bool:  # type: ignore[override]
        """Every command here is for admins."""
        return await is_admin(ctx)

    @commands.hybrid_command(
        description="Re-read the knowledge base; a broken edit changes nothing."
    )
    async def reload(self, ctx: Context) -> None:
        """Reload the knowledge."""
        await ctx.defer(ephemeral=True)  # a large reload can outlast the 3 s to acknowledge
        outcome = await self.bot.reload_knowledge(actor(ctx))
        await self.bot.send_reply(ctx, reload_reply(outcome), private=True)

    @commands.hybrid_command(
        description="What knowledge is loaded, and the last reload; misses: what readers lacked.",
        usage="[misses]",
    )
    async def kb(self, ctx: Context, view: Literal["misses"] | None = None) -> None:
        """Show the loaded knowledge, or what readers asked for that it lacks."""
        if view == "misses":
            reply = misses_reply(self.bot.usage, self.bot.settings.prefix)
        else:
            reply = knowledge_reply(self.bot)
        await self.bot.send_reply(ctx, reply, private=True)

    @commands.hybrid_command(
        description="Sync slash commands globally, or to this server.", usage="[global|here]"
    )
    @commands.is_owner()
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
        self.bot.command_ids.update({command.name: command.id for command in synced})
        done = notice(Status.ANSWERED, f"Synced {len(synced)} slash commands to {where}.")
        await self.bot.send_reply(ctx, done, private=True)


def reload_reply(outcome: ReloadOutcome) -> Reply:
    """The reply to a reload: what changed, or every error and the reassurance that nothing did."""
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
    shown = tuple(point(str(error)) for error in outcome.errors[:MAX_ERRORS_SHOWN])
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
    )


def knowledge_reply(bot: Briefbot) -> Reply:
    """What is loaded and the reload history."""
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
        first = str(failure.errors[0]) if failure.errors else ""
        facts.append(
            point(f"{_when(failure.at)} by {failure.actor}: {first}", label="Last reload error")
        )
    articles = tuple(point(a.title, label=a.id) for a in knowledge.articles)
    return Reply(
        Status.ANSWERED,
        "Loaded knowledge",
        sections=(
            Section("Articles", articles),
            Section("", tuple(facts)),
            most_read_section(bot.usage, bot.store.current),
        ),
    )


def _when(moment: Any) -> str:
    return discord.utils.format_dt(moment, "f") + f" ({discord.utils.format_dt(moment, 'R')})"


async def setup(bot: Briefbot) -> None:
    """Extension entry point."""
    await bot.add_cog(Admin(bot))
