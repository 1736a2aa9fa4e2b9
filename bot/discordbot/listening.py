"""Where the bot listens: each server's prefix, and silence in the channels switched off.

discord.py asks for the prefixes of every message before it parses a command, so this reads
only memory. An ignored channel must stay silent for unknown words and mistypes too, which no
command check would see, so the channel list is applied here, before any parsing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.discordbot.client import Briefbot

SETTINGS_COMMAND = "server"


def listened_prefixes(bot: Briefbot, message: discord.Message) -> str | list[str]:
    """The prefix the bot answers to for this message; none in a channel switched off, except
    a manager's `server` command, so a channel can be switched back on where it went off."""
    prefix = bot.prefix_in(message.guild)
    if message.guild is None or answers_in(bot, message.guild.id, message.channel):
        return prefix
    if is_manager(message.author) and _names(message.content, prefix, SETTINGS_COMMAND):
        return prefix
    return []


def answers_in(bot: Briefbot, guild_id: int, channel: Any) -> bool:
    """Whether the server's settings let the bot answer in this channel (or the channel a
    thread belongs to)."""
    settings = bot.server_settings.get(guild_id)
    parent = getattr(channel, "parent_id", None)
    return settings.answers_in(channel.id) or (parent is not None and settings.answers_in(parent))


def is_manager(user: discord.abc.User) -> bool:
    """A member who may manage the server they wrote in (Discord's Manage Server)."""
    return isinstance(user, discord.Member) and user.guild_permissions.manage_guild


def _names(content: str, prefix: str, command: str) -> bool:
    if not content.startswith(prefix):
        return False
    words = content[len(prefix) :].split(maxsplit=1)
    return bool(words) and words[0].casefold() == command
