"""The floor for the end-to-end figure: a bare discord.py bot that answers `!ping`, nothing else.

Started by bench.e2e with the emulator's environment; it prints "ready" once it can answer.
"""

from __future__ import annotations

import os

import discord
import yarl
from discord.ext import commands


def main() -> None:
    """Log in where DISCORD_API_BASE and DISCORD_GATEWAY_URL point, and answer `!ping`."""
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    intents = discord.Intents(guilds=True, guild_messages=True, dm_messages=True)
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents, help_command=None)

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.reply("pong", mention_author=False)

    @bot.event
    async def on_ready() -> None:
        print("ready", flush=True)

    bot.run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
