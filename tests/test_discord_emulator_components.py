"""Tests of the emulator's components, message commands, edits, deletes, replies and restarts,
driven by a real in-process discord.py client (DynamicItem buttons and selects, context menus)."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.discord_emulator import (
    CommandNotAvailableError,
    ComponentNotAvailableError,
    Emulator,
    RecordedRequest,
)
from tests.discord_emulator.inprocess import WAIT, EchoClient, default_intents, running

pytestmark = pytest.mark.timeout(30)

RENDER = Path("/work/shared/tools/embed-preview/render.py")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A started emulator; afterwards the client's bodies and its answers matched the spec."""
    async with Emulator(heartbeat_interval_ms=1000) as emu:
        yield emu
        assert emu.schema_errors == []
        assert emu.response_schema_errors == []


def paged_view(page: int) -> discord.ui.View:
    """Page `page` of a paged answer: a Next button and an Info button, state in custom_id."""
    view = discord.ui.View(timeout=None)
    view.add_item(NextPage(page))
    view.add_item(InfoButton(page))
    return view


class NextPage(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"page:(?P<n>\d+)"):
    """Turns the page by editing the message in place (callback type 7)."""

    def __init__(self, page: int) -> None:
        super().__init__(discord.ui.Button(label="Next", custom_id=f"page:{page}"))
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NextPage:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        following = self.page + 1
        await interaction.response.edit_message(
            content=f"page {following}", view=paged_view(following)
        )


class InfoButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"info:(?P<n>\d+)"):
    """Answers with a new ephemeral message (callback type 4, flags 64)."""

    def __init__(self, page: int) -> None:
        super().__init__(discord.ui.Button(label="Info", custom_id=f"info:{page}"))
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> InfoButton:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"you are on page {self.page}", ephemeral=True)


class TopicSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"topic:(?P<kind>\w+)"):
    """Acknowledges with a deferred update (type 6), then edits @original and follows up."""

    def __init__(self, kind: str) -> None:
        options = [discord.SelectOption(label=t.title(), value=t) for t in ("chips", "tariffs")]
        super().__init__(discord.ui.Select(custom_id=f"topic:{kind}", options=options))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TopicSelect:
        return cls(match["kind"])

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.data is not None
        picked = interaction.data.get("values", [])
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"picked {picked[0]}", view=None)
        await interaction.followup.send("noted")


class ComponentClient(EchoClient):
    """Posts a paged message on `!paged` and a menu on `!menu`; records every interaction."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.interactions: asyncio.Queue[discord.Interaction] = asyncio.Queue()
        self.deleted: asyncio.Queue[discord.RawMessageDeleteEvent] = asyncio.Queue()
        self.raw_edits: asyncio.Queue[discord.RawMessageUpdateEvent] = asyncio.Queue()
        menu = app_commands.ContextMenu(name="Brief me on this", callback=self.brief_me)
        pin = app_commands.ContextMenu(name="Pin as brief", callback=self.pin_brief)
        pin.default_permissions = discord.Permissions(manage_guild=True)
        self.tree.add_command(menu)
        self.tree.add_command(pin)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(NextPage, InfoButton, TopicSelect)
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        assert self.user is not None
        if message.author.id == self.user.id:
            return
        await self.seen.put(message)
        if message.content == "!paged":
            await message.reply("page 1", view=paged_view(1), mention_author=False)
        elif message.content == "!menu":
            view = discord.ui.View(timeout=None)
            view.add_item(TopicSelect("news"))
            await message.channel.send("pick a topic", view=view)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.interactions.put(interaction)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.raw_edits.put(payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.deleted.put(payload)

    async def brief_me(self, interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"briefing on: {message.content}")

    async def pin_brief(self, interaction: discord.Interaction, message: discord.Message) -> None:
        # Checked again on the server: Discord only hides the command from non-admins.
        if not interaction.permissions.manage_guild:
            await interaction.response.send_message("admins only", ephemeral=True)
            return
        await interaction.response.send_message(f"pinned {message.id}")


async def posted_message(emu: Emulator, content: str) -> dict[str, Any]:
    """The bot's message with this content, once it has been posted."""
    request = await emu.wait_for_request(
        lambda r: r.method == "POST" and r.status == 200 and _content(r) == content, WAIT
    )
    return request.response


def _content(request: RecordedRequest) -> str | None:
    body = request.json if isinstance(request.json, dict) else {}
    return body.get("content")


async def test_click_updates_message_in_place_and_answers_ephemerally(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as client:
        command = await emulator.send_guild_message(emulator.regular, "!paged")
        sent = await posted_message(emulator, "page 1")
        stored = emulator.message(sent["id"])
        buttons = stored["components"][0]["components"]
        assert [(b["label"], b["custom_id"]) for b in buttons] == [
            ("Next", "page:1"),
            ("Info", "info:1"),
        ]
        assert stored["message_reference"]["message_id"] == command

        click = await emulator.click(emulator.admin, sent["id"], "page:1")
        callback = await emulator.wait_for_interaction_response(click, WAIT)
        assert callback.json["type"] == 7 and callback.status == 200
        assert callback.response["resource"]["message"]["content"] == "page 2"
        edited = await asyncio.wait_for(client.edits.get(), WAIT)
        assert edited.id == int(sent["id"]) and edited.content == "page 2"
        stored = emulator.message(sent["id"])
        assert stored["content"] == "page 2" and stored["edited_timestamp"] is not None
        assert stored["components"][0]["components"][0]["custom_id"] == "page:2"
        seen = await asyncio.wait_for(client.interactions.get(), WAIT)
        assert seen.type is discord.InteractionType.component
        assert seen.message is not None and seen.message.id == int(sent["id"])
        assert seen.user.id == int(emulator.admin.id) and seen.guild_id == int(emulator.guild.id)

        # The old button is gone from the message: a user can no longer click it.
        with pytest.raises(ComponentNotAvailableError, match="page:1"):
            await emulator.click(emulator.admin, sent["id"], "page:1")

        info = await emulator.click(emulator.regular, sent["id"], "info:2")
        callback = await emulator.wait_for_interaction_response(info, WAIT)
        assert callback.json["type"] == 4
        assert callback.json["data"]["content"] == "you are on page 2"
        assert callback.json["data"]["flags"] == 64
        answer = emulator.message(emulator.interaction(info).original_message_id or "")
        assert answer["flags"] & 64 and answer["type"] == 19
        assert answer["message_reference"]["message_id"] == sent["id"]
        assert answer["interaction_metadata"]["interacted_message_id"] == sent["id"]
        # An ephemeral message is shown only to the user who clicked.
        with pytest.raises(ComponentNotAvailableError, match="cannot see"):
            await emulator.click(emulator.admin, answer["id"], "anything")

        again = await emulator.click(emulator.admin, sent["id"], "page:2")
        await emulator.wait_for_interaction_response(again, WAIT)
        hook = f"{emulator.api_base}/interactions/{again.id}/{again.token}/callback"
        async with aiohttp.ClientSession() as http, http.post(hook, json={"type": 6}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 40060
    assert emulator.message(sent["id"])["content"] == "page 3"


async def test_select_deferred_update_edits_original_and_follows_up(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator):
        await emulator.send_guild_message(emulator.regular, "!menu")
        menu = await posted_message(emulator, "pick a topic")
        select = emulator.message(menu["id"])["components"][0]["components"][0]
        assert select["type"] == 3 and [o["value"] for o in select["options"]] == [
            "chips",
            "tariffs",
        ]
        with pytest.raises(ComponentNotAvailableError, match="cannot pick"):
            await emulator.select(emulator.regular, menu["id"], "topic:news", ["nonsense"])
        with pytest.raises(ComponentNotAvailableError, match="cannot pick"):
            await emulator.select(emulator.regular, menu["id"], "topic:news", ["chips", "tariffs"])

        picked = await emulator.select(emulator.regular, menu["id"], "topic:news", ["tariffs"])
        callback = await emulator.wait_for_interaction_response(picked, WAIT)
        assert callback.json["type"] == 6
        followup = await posted_message(emulator, "noted")
        edit = await emulator.wait_for_request(
            lambda r: r.method == "PATCH" and picked.token in r.path, WAIT
        )
        assert edit.path.endswith("/messages/@original") and edit.status == 200
        stored = emulator.message(menu["id"])
        assert stored["content"] == "picked tariffs" and stored["components"] == []
        # After a deferred update the followup is a new message, not an edit of @original.
        assert followup["id"] != menu["id"]
        assert emulator.interaction(picked).original_message_id == menu["id"]
    assert [m["content"] for m in emulator.bot_messages()] == ["picked tariffs", "noted"]


async def test_forged_clicks_reach_the_client(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as client:
        user_message = await emulator.send_guild_message(emulator.regular, "just a message")
        await client.next_message()
        with pytest.raises(ComponentNotAvailableError):
            await emulator.click(emulator.regular, user_message, "page:1")
        forged = await emulator.click(emulator.regular, user_message, "page:1", check=False)
        seen = await asyncio.wait_for(client.interactions.get(), WAIT)
        assert seen.id == int(forged.id) and seen.data == {
            "custom_id": "page:1",
            "component_type": 2,
        }
        assert seen.message is not None and seen.message.content == "just a message"

        await emulator.send_guild_message(emulator.regular, "!paged")
        sent = await posted_message(emulator, "page 1")
        long_id = "page:" + "9" * 200
        await emulator.click(emulator.regular, sent["id"], long_id, check=False)
        seen = await asyncio.wait_for(client.interactions.get(), WAIT)
        assert seen.data is not None and seen.data["custom_id"] == long_id
        await emulator.select(emulator.regular, sent["id"], "topic:x", ["nope"], check=False)
        seen = await asyncio.wait_for(client.interactions.get(), WAIT)
        assert seen.data is not None and seen.data.get("values") == ["nope"]

        # Updating (type 7) someone else's message is refused, as Discord refuses the edit.
        url = f"{emulator.api_base}/interactions/{forged.id}/{forged.token}/callback"
        body = {"type": 7, "data": {"content": "hijacked"}}
        async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
            assert resp.status == 403 and (await resp.json())["code"] == 50005
    assert emulator.message(user_message)["content"] == "just a message"


async def test_component_limits_are_refused_like_discord(emulator: Emulator) -> None:
    headers = {"Authorization": f"Bot {emulator.token}"}
    url = f"{emulator.api_base}/channels/{emulator.channel.id}/messages"

    def button(n: int, **extra: Any) -> dict[str, Any]:
        return {"type": 2, "style": 1, "label": f"b{n}", "custom_id": f"b{n}", **extra}

    def row(*children: dict[str, Any]) -> dict[str, Any]:
        return {"type": 1, "components": list(children)}

    options = [{"label": f"o{n}", "value": f"o{n}"} for n in range(26)]
    link = {"type": 2, "style": 5, "label": "site", "url": "https://example.com"}
    select = {"type": 3, "custom_id": "s", "options": options[:2]}
    # (components, where Discord's errors object points, the error code there)
    cases: list[tuple[list[dict[str, Any]], str, str]] = [
        ([row(button(n)) for n in range(6)], "components", "BASE_TYPE_MAX_LENGTH"),
        ([row(*(button(n) for n in range(6)))], "components.0.components", "BASE_TYPE_BAD_LENGTH"),
        (
            [row(button(0, custom_id="x" * 101))],
            "components.0.components.0.custom_id",
            "BASE_TYPE_BAD_LENGTH",
        ),
        (
            [row(button(0, label="x" * 81))],
            "components.0.components.0.label",
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            [row({**select, "options": options})],
            "components.0.components.0.options",
            "BASE_TYPE_BAD_LENGTH",
        ),
        (
            [row(button(0)), row(button(0))],
            "components.1.components.0.custom_id",
            "COMPONENT_CUSTOM_ID_DUPLICATED",
        ),
        ([row(button(0), select)], "components.0.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED"),
        ([row({**link, "url": None})], "components.0.components.0.url", "BASE_TYPE_REQUIRED"),
    ]
    async with aiohttp.ClientSession(headers=headers) as http:
        for components, path, code in cases:
            async with http.post(url, json={"content": "x", "components": components}) as resp:
                answer = await resp.json()
                assert (resp.status, answer["code"]) == (400, 50035), components
                node = answer["errors"]
                for key in path.split("."):
                    node = node[key]
                assert node["_errors"][0]["code"] == code
        good = {"content": "ok", "components": [row(button(0), link)]}
        async with http.post(url, json=good) as resp:
            sent = await resp.json()
        async with http.get(f"{url}/{sent['id']}") as resp:
            fetched = await resp.json()
        assert fetched["components"] == sent["components"]
        assert [c["label"] for c in fetched["components"][0]["components"]] == ["b0", "site"]
    assert emulator.bot_messages() == [emulator.message(sent["id"])]
    # The spec itself already catches the long custom_id and label, the six buttons in a
    # row and the 26 options: those bodies are reported as schema errors too.
    spec_caught = emulator.schema_errors
    assert len(spec_caught) == 4 and all("components/0/components" in e for e in spec_caught)
    emulator.schema_errors.clear()


async def test_message_command_and_default_member_permissions(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as client:
        sync = await emulator.wait_for_request(lambda r: r.method == "PUT", WAIT)
        assert {(c["name"], c["type"]) for c in sync.response} == {
            ("Brief me on this", 3),
            ("Pin as brief", 3),
        }
        assert all(c["id"].isdigit() for c in sync.response)
        pin = next(c for c in sync.response if c["name"] == "Pin as brief")
        assert pin["default_member_permissions"] == str(1 << 5)

        target = await emulator.send_guild_message(emulator.regular, "Huang visits Beijing")
        await client.next_message()
        sent = await emulator.send_message_command(emulator.regular, "Brief me on this", target)
        callback = await emulator.wait_for_interaction_response(sent, WAIT)
        assert callback.json["data"]["content"] == "briefing on: Huang visits Beijing"
        seen = await asyncio.wait_for(client.interactions.get(), WAIT)
        assert seen.data is not None and seen.data["target_id"] == target
        assert seen.data["resolved"]["messages"][target]["content"] == "Huang visits Beijing"
        answer = emulator.message(emulator.interaction(sent).original_message_id or "")
        assert answer["type"] == 23 and answer["interaction"]["name"] == "Brief me on this"

        admin = await emulator.send_message_command(emulator.admin, "Pin as brief", target)
        callback = await emulator.wait_for_interaction_response(admin, WAIT)
        assert callback.json["data"]["content"] == f"pinned {target}"
        with pytest.raises(CommandNotAvailableError, match="lacks permissions 32"):
            await emulator.send_message_command(emulator.regular, "Pin as brief", target)
        forced = await emulator.send_message_command(
            emulator.regular, "Pin as brief", target, check_access=False
        )
        callback = await emulator.wait_for_interaction_response(forced, WAIT)
        assert callback.json["data"]["content"] == "admins only"
        assert callback.json["data"]["flags"] == 64


async def test_command_sync_rules_for_context_menus(emulator: Emulator) -> None:
    headers = {"Authorization": f"Bot {emulator.token}"}
    url = f"{emulator.api_base}/applications/{emulator.application_id}/commands"
    good = [
        {"name": "quote", "description": "A quote", "type": 1},
        {"name": "Brief me on this", "type": 3},
    ]
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.put(url, json=good) as resp:
            synced = await resp.json()
        # Ids let the bot write clickable mentions such as </quote:ID>.
        quote_id = next(c["id"] for c in synced if c["name"] == "quote")
        async with http.put(url, json=good) as resp:
            assert next(c["id"] for c in await resp.json() if c["name"] == "quote") == quote_id
        bad = [
            {"name": "Quote", "description": "caps", "type": 1},
            {"name": "Brief me", "description": "no descriptions here", "type": 3},
        ]
        async with http.put(url, json=bad) as resp:
            answer = await resp.json()
        assert resp.status == 400 and answer["code"] == 50035
        assert set(answer["errors"]) == {"0", "1"}
        assert answer["errors"]["1"]["description"]["_errors"][0]["code"].startswith(
            "APPLICATION_COMMAND_CONTEXT_MENU"
        )
        async with http.get(url) as resp:
            assert [c["id"] for c in await resp.json()] == [c["id"] for c in synced]


async def test_user_edits_deletes_and_replies_reach_the_client(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as client:
        command = await emulator.send_guild_message(emulator.regular, "!paged")
        await client.next_message()
        sent = await posted_message(emulator, "page 1")

        await emulator.edit_message(command, "!paged please")
        edited = await asyncio.wait_for(client.edits.get(), WAIT)
        assert edited.content == "!paged please" and edited.edited_at is not None
        assert edited.guild is not None and edited.author.id == int(emulator.regular.id)
        assert emulator.message(command)["edited_timestamp"] is not None

        reply = await emulator.send_guild_message(emulator.admin, "why?", reply_to=sent["id"])
        seen = await client.next_message()
        assert seen.type is discord.MessageType.reply
        assert seen.reference is not None and seen.reference.message_id == int(sent["id"])
        resolved = seen.reference.resolved
        assert isinstance(resolved, discord.Message) and resolved.content == "page 1"
        assert emulator.message(reply)["referenced_message"]["id"] == sent["id"]
        with pytest.raises(ValueError, match="to reply to"):
            await emulator.send_guild_message(emulator.admin, "huh", reply_to="123")

        await emulator.delete_message(command)
        gone = await asyncio.wait_for(client.deleted.get(), WAIT)
        assert (gone.message_id, gone.channel_id) == (int(command), int(emulator.channel.id))
        assert gone.guild_id == int(emulator.guild.id)
        with pytest.raises(ValueError, match="was deleted"):
            emulator.message(command)

        # The bot's own edit and delete of its message come back as events too.
        channel = client.get_channel(int(emulator.channel.id))
        assert isinstance(channel, discord.TextChannel)
        own = channel.get_partial_message(int(sent["id"]))
        await own.edit(content="page 1 (edited)")
        assert (await asyncio.wait_for(client.edits.get(), WAIT)).content == "page 1 (edited)"
        await own.delete()
        assert (await asyncio.wait_for(client.deleted.get(), WAIT)).message_id == int(sent["id"])
        with pytest.raises(discord.NotFound):
            await own.delete()
        with pytest.raises(discord.Forbidden):
            await channel.get_partial_message(int(reply)).delete()


async def test_restarted_client_handles_clicks_on_old_messages(emulator: Emulator) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as first:
        await emulator.send_guild_message(emulator.regular, "!paged")
        await first.next_message()
        sent = await posted_message(emulator, "page 1")
    # A new process: a new client, a new session, the same Discord with the same messages.
    async with running(ComponentClient(intents=default_intents()), emulator) as second:
        click = await emulator.click(emulator.regular, sent["id"], "page:1")
        callback = await emulator.wait_for_interaction_response(click, WAIT)
        assert callback.json["type"] == 7 and callback.status == 200
        # Not in this client's cache, so discord.py reports only the raw event.
        update = await asyncio.wait_for(second.raw_edits.get(), WAIT)
        assert update.message_id == int(sent["id"]) and update.data["content"] == "page 2"
        assert first.interactions.empty()
    assert emulator.identify_count == 2
    assert emulator.message(sent["id"])["content"] == "page 2"


async def test_payload_dump_feeds_embed_preview(emulator: Emulator, tmp_path: Path) -> None:
    async with running(ComponentClient(intents=default_intents()), emulator) as client:
        await emulator.send_guild_message(emulator.regular, "!paged")
        sent = await posted_message(emulator, "page 1")
        click = await emulator.click(emulator.regular, sent["id"], "page:1")
        await asyncio.wait_for(client.edits.get(), WAIT)
        info = await emulator.click(emulator.regular, sent["id"], "info:2")
        await emulator.wait_for_interaction_response(info, WAIT)
        assert emulator.interaction(click).response_type == 7
    dump = emulator.payload_dump()
    assert [(r["command"], r["kind"]) for r in dump] == [
        ("!paged", "prefix"),
        ("[Next]", "slash"),
        ("[Info]", "slash"),
    ]
    paged, turned, shown = (r["messages"] for r in dump)
    assert [(m["content"], m["action"]) for m in paged] == [("page 1", "create")]
    assert [(m["content"], m["action"], m["edited"]) for m in turned] == [("page 2", "edit", True)]
    assert turned[0]["components"][0]["components"][0]["custom_id"] == "page:2"
    assert shown[0]["flags"] & 64 and shown[0]["content"] == "you are on page 2"
    path = emulator.write_payload_dump(tmp_path / "payloads.json")
    assert json.loads(path.read_text("utf-8")) == dump
    if not RENDER.exists():
        return
    # embed-preview's renderer (no browser needed) reads the dump as it is.
    out = tmp_path / "html"
    subprocess.run([sys.executable, str(RENDER), str(path), str(out)], check=True, timeout=30)
    pages = sorted(p.read_text("utf-8") for p in out.glob("*.html"))
    assert len(pages) == 3 and any("page 2" in p and "Next" in p for p in pages)


async def test_modal_and_deferred_reply_to_a_click(emulator: Emulator) -> None:
    headers = {"Authorization": f"Bot {emulator.token}"}
    go = {"type": 2, "style": 1, "label": "Go", "custom_id": "go"}
    body = {"content": "hi", "components": [{"type": 1, "components": [go]}]}
    modal = {
        "custom_id": "ask",
        "title": "Ask",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "q", "style": 1, "label": "Q"}]}
        ],
    }
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(
            f"{emulator.api_base}/channels/{emulator.channel.id}/messages", json=body
        ) as resp:
            message = await resp.json()
        opened = await emulator.click(emulator.regular, message["id"], "go")
        url = f"{emulator.api_base}/interactions/{opened.id}/{opened.token}/callback"
        async with http.post(url, json={"type": 9, "data": modal}) as resp:
            assert resp.status == 204
        assert emulator.interaction(opened).response_type == 9

        deferred = await emulator.click(emulator.regular, message["id"], "go")
        url = f"{emulator.api_base}/interactions/{deferred.id}/{deferred.token}/callback"
        async with http.post(url, params={"with_response": "1"}, json={"type": 5}) as resp:
            answer = (await resp.json())["interaction"]
        assert answer["response_message_loading"] is True
        hook = f"{emulator.api_base}/webhooks/{emulator.application_id}/{deferred.token}"
        async with http.post(hook, params={"wait": "true"}, json={"content": "done"}) as resp:
            filled = await resp.json()
    # A deferred reply to a click is a new message, shown as a reply to the clicked one.
    assert filled["id"] == answer["response_message_id"] != message["id"]
    assert filled["type"] == 19 and filled["message_reference"]["message_id"] == message["id"]
    assert emulator.message(message["id"])["content"] == "hi"
