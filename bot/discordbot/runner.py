"""Starting and stopping the Discord bot: endpoints, logging, signals and exit statuses."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import aiohttp
import discord
import yarl

from bot.discordbot.client import Briefbot
from bot.knowledge.loader import KnowledgeLoadError
from bot.settings import Settings
from bot.state.server_settings import ServerSettingsStore
from bot.state.store import KnowledgeStore
from bot.state.watch import start_watching

EXIT_OK, EXIT_CONFIG = 0, 2

log = logging.getLogger(__name__)


class RedactingFormatter(logging.Formatter):
    """Defence in depth: whatever logs a record, tracebacks included, the token never shows.

    It wraps the formatter it replaces and redacts the finished text, the only place where
    message, arguments and traceback have all been put together.
    """

    def __init__(self, inner: logging.Formatter | None, token: str) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return self.inner.format(record).replace(self.token, "[token]")


def run_bot(settings: Settings) -> int:
    """Run until SIGTERM or SIGINT; returns the exit status."""
    if not settings.token:
        return _fail(
            "DISCORD_TOKEN is not set; set it to your bot's token, or run `briefbot console`."
        )
    # Until the bot's own handlers are in place, a reload signal must not kill the process
    # and a stop signal must still end it cleanly.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        store = KnowledgeStore.open(settings.knowledge_dir)
    except KnowledgeLoadError as error:
        return _fail(f"the knowledge in {settings.knowledge_dir} is broken:\n{error}")
    _point_at_discord(settings)
    discord.utils.setup_logging(level=logging.getLevelName(settings.log_level), root=True)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(handler.formatter, settings.token))
    try:
        asyncio.run(_serve(settings, store))
    except discord.LoginFailure:
        return _fail(
            "Discord refused DISCORD_TOKEN; copy the bot token again from the developer portal."
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "the Message Content intent is not enabled for this bot; turn it on in the developer "
            "portal (Bot > Privileged Gateway Intents) and start again."
        )
    except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError) as error:
        where = settings.api_base or "Discord"
        return _fail(f"could not reach {where} ({type(error).__name__}); check the network.")
    return EXIT_OK


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(EXIT_OK)


def _point_at_discord(settings: Settings) -> None:
    """Use another Discord-compatible server (self-hosted, or the test emulator) when configured."""
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


async def _serve(settings: Settings, store: KnowledgeStore) -> None:
    # Read in setup_hook, off the event loop; a broken database leaves defaults, never a stop.
    server_settings = ServerSettingsStore.in_directory(settings.data_dir)
    bot = Briefbot(settings, store, server_settings)
    loop = asyncio.get_running_loop()
    for stop in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(stop, lambda name=stop.name: _stop(bot, name))
    watcher = start_watching(settings, store)  # reloads in its own thread, as `!reload` does
    try:
        async with bot:
            await bot.start(settings.token)  # type: ignore[arg-type]
    finally:
        if watcher is not None:
            watcher.stop()
    log.info("briefbot stopped")


def _stop(bot: Briefbot, signal_name: str) -> None:
    log.info("received %s, shutting down", signal_name)
    bot.run_in_background(bot.close())


def _fail(sentence: str) -> int:
    print(f"briefbot: {sentence}", file=sys.stderr)
    return EXIT_CONFIG
