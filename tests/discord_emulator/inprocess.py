"""An in-process discord.py client pointed at the emulator, for the emulator's own tests.

The bot itself runs as a subprocess (tests/helpers.py); these helpers drive a plain
`discord.Client` in the test's event loop, to check the emulator against what discord.py
really sends and parses.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import discord
import yarl
from discord import app_commands

from .emulator import Emulator
from .log import RecordedRequest

WAIT = 5.0


@contextlib.contextmanager
def pointed_at(emu: Emulator) -> Iterator[None]:
    """Point discord.py at the emulator the way the bot does, restoring the defaults after."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = emu.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


class EchoClient(discord.Client):
    """Answers `!echo ...` in guilds and everything in DMs; records what it saw."""

    def __init__(self, **options: Any) -> None:
        super().__init__(guild_ready_timeout=0.1, **options)
        self.ready = asyncio.Event()
        self.seen: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.edits: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.tree = app_commands.CommandTree(self)

    async def on_ready(self) -> None:
        self.ready.set()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py sleeps 5 s before every re-IDENTIFY to respect Discord's identify
        # rate limit; the emulator has no such limit, so keep tests fast.
        return None

    async def on_message(self, message: discord.Message) -> None:
        assert self.user is not None
        if message.author.id == self.user.id:
            return
        await self.seen.put(message)
        if message.content == "!dm me":
            await message.author.send("hello in private")
        elif message.content.startswith("!echo") or message.guild is None:
            embed = discord.Embed(title="Echo", description=message.content)
            await message.channel.send(f"echo: {message.content}", embed=embed)

    async def on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        await self.edits.put(after)

    async def next_message(self) -> discord.Message:
        return await asyncio.wait_for(self.seen.get(), WAIT)


def default_intents(*, content: bool = True, members: bool = False) -> discord.Intents:
    intents = discord.Intents.default()
    intents.message_content = content
    intents.members = members
    return intents


@contextlib.asynccontextmanager
async def running(client: EchoClient, emu: Emulator) -> AsyncIterator[EchoClient]:
    """Run the client against the emulator until it is ready; close it afterwards."""
    with pointed_at(emu):
        task = asyncio.create_task(client.start(emu.token))
        try:
            await asyncio.wait_for(client.ready.wait(), WAIT)
            yield client
        finally:
            await client.close()
            await asyncio.wait_for(task, WAIT)


def posted_to(channel_id: str) -> Any:
    def matches(r: RecordedRequest) -> bool:
        return r.method == "POST" and r.path == f"/channels/{channel_id}/messages"

    return matches
