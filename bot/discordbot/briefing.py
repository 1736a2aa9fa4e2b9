"""Briefing commands: each engine command as a hybrid command (`!product x` and `/product x`)."""

from __future__ import annotations

from typing import Any

from discord import app_commands
from discord.ext import commands

from bot.discordbot.client import Briefbot
from bot.engine import summary_of

MAX_CHOICES = 25  # Discord's limit on autocomplete choices
MAX_CHOICE_CHARS = 100  # and on each choice's name and value

Context = commands.Context[Briefbot]


class Briefing(commands.Cog):
    """Answers questions about the article; every command is one engine command."""

    def __init__(self, bot: Briefbot) -> None:
        self.bot = bot

    async def answer(self, ctx: Context, command: str, argument: str | None = None) -> None:
        """Run an engine command and send its reply."""
        await self.bot.send_reply(ctx, self.bot.engine.run(command, argument or ""))

    def choices(self, command: str, typed: str) -> list[app_commands.Choice[str]]:
        """Autocomplete choices for a name argument, best first."""
        names = self.bot.engine.complete(command, typed, MAX_CHOICES)
        return [
            app_commands.Choice(name=name[:MAX_CHOICE_CHARS], value=name[:MAX_CHOICE_CHARS])
            for name in names
        ]

    @commands.hybrid_command(aliases=["summary"], description=summary_of("brief"))
    async def brief(self, ctx: Context) -> None:
        """The article's key points."""
        await self.answer(ctx, "brief")

    @commands.hybrid_command(description=summary_of("product"))
    @app_commands.describe(name="Product name, such as RTX Pro or H20")
    async def product(self, ctx: Context, *, name: str) -> None:
        """A product or architecture."""
        await self.answer(ctx, "product", name)

    @product.autocomplete("name")
    async def _product_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("product", typed)

    @commands.hybrid_command(description=summary_of("company"))
    @app_commands.describe(name="Company name, such as Huawei or DeepSeek")
    async def company(self, ctx: Context, *, name: str) -> None:
        """A company or organisation."""
        await self.answer(ctx, "company", name)

    @company.autocomplete("name")
    async def _company_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("company", typed)

    @commands.hybrid_command(description=summary_of("who"))
    @app_commands.describe(name="Person's name, such as Jensen Huang")
    async def who(self, ctx: Context, *, name: str) -> None:
        """A person."""
        await self.answer(ctx, "who", name)

    @who.autocomplete("name")
    async def _who_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("who", typed)

    @commands.hybrid_command(description=summary_of("topic"))
    @app_commands.describe(name="Topic, such as export controls or AI talent")
    async def topic(self, ctx: Context, *, name: str) -> None:
        """A topic."""
        await self.answer(ctx, "topic", name)

    @topic.autocomplete("name")
    async def _topic_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("topic", typed)

    @commands.hybrid_command(description=summary_of("quote"))
    @app_commands.describe(about="A company, product, topic or person, such as Huawei")
    async def quote(self, ctx: Context, *, about: str) -> None:
        """Statements about a subject or by a speaker."""
        await self.answer(ctx, "quote", about)

    @quote.autocomplete("about")
    async def _quote_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("quote", typed)

    @commands.hybrid_command(description=summary_of("figure"))
    @app_commands.describe(name="Which figure; leave empty for all of them")
    async def figure(self, ctx: Context, *, name: str | None = None) -> None:
        """Key figures."""
        await self.answer(ctx, "figure", name)

    @figure.autocomplete("name")
    async def _figure_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("figure", typed)

    @commands.hybrid_command(description=summary_of("search"))
    @app_commands.describe(words="Words to look for, such as inference efficiency")
    async def search(self, ctx: Context, *, words: str) -> None:
        """Free-text search."""
        await self.answer(ctx, "search", words)

    @commands.hybrid_command(name="list", description=summary_of("list"))
    @app_commands.describe(kind="products, companies, people, topics, figures or quotes")
    @app_commands.choices(
        kind=[
            app_commands.Choice(name=kind, value=kind)
            for kind in ("products", "companies", "people", "topics", "figures", "quotes")
        ]
    )
    async def list_(self, ctx: Context, *, kind: str | None = None) -> None:
        """Everything known, or one kind."""
        await self.answer(ctx, "list", kind)

    @commands.hybrid_command(description=summary_of("source"))
    @app_commands.describe(name="An entry, such as H20; leave empty for the article itself")
    async def source(self, ctx: Context, *, name: str | None = None) -> None:
        """Where answers come from."""
        await self.answer(ctx, "source", name)

    @source.autocomplete("name")
    async def _source_names(self, _: Any, typed: str) -> list[app_commands.Choice[str]]:
        return self.choices("source", typed)

    @commands.hybrid_command(description=summary_of("help"))
    @app_commands.describe(command="A command name, such as quote")
    async def help(self, ctx: Context, *, command: str | None = None) -> None:
        """Help."""
        await self.answer(ctx, "help", command)


async def setup(bot: Briefbot) -> None:
    """Extension entry point."""
    await bot.add_cog(Briefing(bot))
