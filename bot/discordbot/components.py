"""Buttons and menus under an answer: the next step one tap away.

Every component keeps its state in its `custom_id` (discord.py's `DynamicItem`), never in
memory, so a click still works after a restart, a reload or on another shard: the click names
the command to run again, the page to show and who asked. The person who asked changes their
answer in place; anyone else who clicks gets the answer privately, so nobody can take over
another person's answer.

custom_id layouts (at most 100 characters):
- `bb:run:<asker>:<command>:<argument>`: run a command (a suggestion, "Statements");
- `bb:page:<asker>:<page>:<command>:<argument>`: page N of the same answer;
- `bb:src:<command>:<argument>`: the verbatim excerpts behind an answer, privately;
- `bb:pick:<asker>`: a menu whose options are `<command>:<argument>` (related entries).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.discordbot.embeds import TYPED, CommandStyle, render_pages
from bot.engine.reply import Reply, Status, Suggestion, notice, sources_reply

if TYPE_CHECKING:
    from bot.discordbot.client import Briefbot

log = logging.getLogger(__name__)

CUSTOM_ID_LIMIT = 100  # Discord's limits on components
LABEL_LIMIT = 80
OPTION_LIMIT = 25
BUTTONS_PER_ROW = 5
MAX_SUGGESTION_BUTTONS = 3
_ID = r"(?P<asker>\d{1,20})"
_RUN = r"(?P<command>[a-z]{1,20}):(?P<argument>.{0,80})"
OWN_PREFIX = "bb:"  # every custom_id of ours starts so; anything else under `bb:` is forged


@dataclass(frozen=True)
class Shown:
    """What one message of an answer shows: its embed, its components, and its page."""

    embed: discord.Embed
    view: discord.ui.View | None
    page: int
    pages: int


def shown(reply: Reply, page: int, asker: int, style: CommandStyle = TYPED) -> Shown:
    """Page `page` of a reply (the last one if it has fewer), with its buttons and menu."""
    pages = render_pages(reply, style, next_steps=False)
    page = min(max(page, 1), len(pages))
    view = discord.ui.View(timeout=None)
    for item in _buttons(reply, page, len(pages), asker):
        view.add_item(item)
    menu = _menu(reply, asker)
    if menu is not None:
        view.add_item(menu)
    return Shown(pages[page - 1].embed, view if view.children else None, page, len(pages))


def every_page(reply: Reply, asker: int, style: CommandStyle = TYPED) -> list[Shown]:
    """The messages that show a reply: one page with Back and Next when its command can be
    named in a button, otherwise every page, the buttons under the last."""
    first = shown(reply, 1, asker, style)
    if first.pages == 1 or pageable(reply):
        return [first]
    last = shown(reply, first.pages, asker, style)
    pages = render_pages(reply, style, next_steps=last.view is None)
    return [Shown(p.embed, None, p.number, p.count) for p in pages[:-1]] + [
        Shown(pages[-1].embed, last.view, last.page, last.pages)
    ]


def pageable(reply: Reply) -> bool:
    """Whether this reply's pages can be turned with buttons (its command fits a custom_id)."""
    return reply.asked is not None and _fits(_page_id(0, 999, reply.asked))


def _buttons(reply: Reply, page: int, pages: int, asker: int) -> list[discord.ui.Item[Any]]:
    buttons: list[discord.ui.Item[Any]] = []
    asked = reply.asked
    if pages > 1 and asked is not None and pageable(reply):
        buttons.append(PageButton(asker, page - 1, asked, "Back", disabled=page == 1))
        buttons.append(PageButton(asker, page + 1, asked, "Next", disabled=page == pages))
    if reply.citations and asked is not None and _fits(_source_id(asked)):
        buttons.append(SourcesButton(asked))
    runnable = [s for s in reply.suggestions if s.command != "source"]
    for suggestion in runnable[:MAX_SUGGESTION_BUTTONS]:
        if len(buttons) < BUTTONS_PER_ROW and _fits(_run_id(asker, suggestion)):
            buttons.append(RunButton(asker, suggestion))
    return buttons


def _menu(reply: Reply, asker: int) -> RelatedMenu | None:
    options = [s for s in reply.related if len(s.argument) <= LABEL_LIMIT and _fits(_option(s))][
        :OPTION_LIMIT
    ]
    return RelatedMenu(asker, options) if options else None


def _run_id(asker: int, suggestion: Suggestion) -> str:
    return f"bb:run:{asker}:{suggestion.command}:{suggestion.argument}"


def _page_id(asker: int, page: int, asked: Suggestion) -> str:
    return f"bb:page:{asker}:{page}:{asked.command}:{asked.argument}"


def _source_id(asked: Suggestion) -> str:
    return f"bb:src:{asked.command}:{asked.argument}"


def _option(suggestion: Suggestion) -> str:
    return f"{suggestion.command}:{suggestion.argument}"


def _fits(custom_id: str) -> bool:
    return len(custom_id) <= CUSTOM_ID_LIMIT and "\n" not in custom_id


def _label(suggestion: Suggestion) -> str:
    text = f"{suggestion.command} {suggestion.argument}".strip()
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


# ---------------------------------------------------------------- what a click does


async def answer_click(
    interaction: discord.Interaction[Briefbot], asker: int, reply: Reply, page: int = 1
) -> None:
    """The asker's answer changes in place; anyone else gets it privately, theirs to page.

    A click that no longer finds what it was made for (a reload removed the entry) is told so
    privately, and the answer it was under stays as it was.
    """
    bot = interaction.client
    if interaction.user.id == asker and reply.ok:
        view = shown(reply, page, asker, bot.command_style(interaction))
        await interaction.response.edit_message(embed=view.embed, view=view.view)
        return
    view = shown(reply, page, interaction.user.id, bot.command_style(interaction))
    await _send_private(interaction, view)


async def refuse_click(interaction: discord.Interaction[Briefbot], sentence: str) -> None:
    """A click that cannot be honoured gets one private sentence, never "interaction failed"."""
    view = shown(notice(Status.USAGE, sentence), 1, interaction.user.id)
    await _send_private(interaction, view)


async def _send_private(interaction: discord.Interaction[Briefbot], view: Shown) -> None:
    kwargs: dict[str, Any] = {"embed": view.embed, "ephemeral": True}
    if view.view is not None:
        kwargs["view"] = view.view
    await interaction.response.send_message(**kwargs)


def _run(interaction: discord.Interaction[Briefbot], asked: Suggestion) -> Reply | None:
    bot = interaction.client
    if asked.command not in bot.engine.commands:
        return None
    return bot.engine.run(asked.command, asked.argument, bot.prefix_in(interaction.guild))


async def _out_of_date(interaction: discord.Interaction[Briefbot]) -> None:
    prefix = interaction.client.prefix_in(interaction.guild)
    await refuse_click(
        interaction, f"That button is out of date. Ask again, for example {prefix}help."
    )


class RunButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"bb:run:{_ID}:{_RUN}\Z",
):
    """Runs a suggested command."""

    def __init__(self, asker: int, suggestion: Suggestion) -> None:
        super().__init__(
            discord.ui.Button(
                label=_label(suggestion),
                style=discord.ButtonStyle.primary,
                custom_id=_run_id(asker, suggestion),
            )
        )
        self.asker = asker
        self.suggestion = suggestion

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Any, match: re.Match[str]
    ) -> RunButton:
        """Rebuild the button from a click."""
        return cls(int(match["asker"]), Suggestion(match["command"], match["argument"]))

    async def callback(self, interaction: discord.Interaction[Briefbot]) -> None:
        """Answer the suggested command."""
        reply = _run(interaction, self.suggestion)
        if reply is None:
            await _out_of_date(interaction)
            return
        await answer_click(interaction, self.asker, reply)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"bb:page:{_ID}:(?P<page>\d{{1,4}}):{_RUN}\Z",
):
    """Back or Next: another page of the same answer."""

    def __init__(
        self, asker: int, page: int, asked: Suggestion, label: str = "Next", disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=_page_id(asker, page, asked),
                disabled=disabled,
            )
        )
        self.asker = asker
        self.page = page
        self.asked = asked

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Any, match: re.Match[str]
    ) -> PageButton:
        """Rebuild the button from a click."""
        asked = Suggestion(match["command"], match["argument"])
        return cls(int(match["asker"]), int(match["page"]), asked)

    async def callback(self, interaction: discord.Interaction[Briefbot]) -> None:
        """Show the page, or the last one when the answer has since grown shorter."""
        reply = _run(interaction, self.asked)
        if reply is None:
            await _out_of_date(interaction)
            return
        count = len(render_pages(reply, next_steps=False))
        if not 1 <= self.page <= count:
            await refuse_click(
                interaction,
                f"That answer has {count} page{'s' if count != 1 else ''} now; "
                "ask again to see it.",
            )
            return
        await answer_click(interaction, self.asker, reply, self.page)


class SourcesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"bb:src:{_RUN}\Z",
):
    """The verbatim excerpts behind an answer, shown only to whoever clicks."""

    def __init__(self, asked: Suggestion) -> None:
        super().__init__(
            discord.ui.Button(
                label="Sources", style=discord.ButtonStyle.secondary, custom_id=_source_id(asked)
            )
        )
        self.asked = asked

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Any, match: re.Match[str]
    ) -> SourcesButton:
        """Rebuild the button from a click."""
        return cls(Suggestion(match["command"], match["argument"]))

    async def callback(self, interaction: discord.Interaction[Briefbot]) -> None:
        """Privately, the excerpts the answer rests on."""
        reply = _run(interaction, self.asked)
        if reply is None:
            await _out_of_date(interaction)
            return
        style = interaction.client.command_style(interaction)
        await _send_private(interaction, shown(sources_reply(reply), 1, interaction.user.id, style))


class RelatedMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=rf"bb:pick:{_ID}\Z",
):
    """A menu of related entries; picking one answers it."""

    def __init__(self, asker: int, options: list[Suggestion] | None = None) -> None:
        choices = [
            discord.SelectOption(label=s.argument, value=_option(s), description=s.command)
            for s in options or []
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=f"bb:pick:{asker}",
                placeholder="Related…",
                options=choices or [discord.SelectOption(label="…", value="help:")],
            )
        )
        self.asker = asker

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: Any, match: re.Match[str]
    ) -> RelatedMenu:
        """Rebuild the menu from a pick."""
        return cls(int(match["asker"]))

    async def callback(self, interaction: discord.Interaction[Briefbot]) -> None:
        """Answer the picked entry."""
        values = (interaction.data or {}).get("values") or [""]
        command, _, argument = str(values[0]).partition(":")
        reply = _run(interaction, Suggestion(command, argument)) if command else None
        if reply is None:
            await _out_of_date(interaction)
            return
        if not reply.entry_id:  # every option is an entry: this one has gone
            await refuse_click(
                interaction,
                f"{argument[:LABEL_LIMIT]} is no longer in the knowledge: "
                "it was renamed or removed.",
            )
            return
        await answer_click(interaction, self.asker, reply)


DYNAMIC_ITEMS = (RunButton, PageButton, SourcesButton, RelatedMenu)


def will_be_answered(interaction: discord.Interaction[Any]) -> bool:
    """Whether one of our dynamic items will answer this click: its custom_id is one of ours
    and stands on the clicked message (discord.py silently drops a click that fails either)."""
    custom_id = str((interaction.data or {}).get("custom_id", ""))
    if not any(item.__discord_ui_compiled_template__.match(custom_id) for item in DYNAMIC_ITEMS):
        return False
    message = interaction.message
    rows = message.components if message is not None else []
    return any(
        getattr(child, "custom_id", None) == custom_id
        for row in rows
        for child in getattr(row, "children", [row])
    )
