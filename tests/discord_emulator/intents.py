"""Gateway intents, and the filtering Discord applies to events because of them."""

from __future__ import annotations

import copy
from typing import Any

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
GUILD_MESSAGE_TYPING = 1 << 11
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
DIRECT_MESSAGE_TYPING = 1 << 14
MESSAGE_CONTENT = 1 << 15

PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

# Fields Discord empties when the app lacks MESSAGE_CONTENT.
_CONTENT_FIELDS: dict[str, Any] = {
    "content": "",
    "embeds": [],
    "attachments": [],
    "components": [],
}

_GUILD_EVENTS = {
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "GUILD_ROLE_CREATE",
    "GUILD_ROLE_UPDATE",
    "GUILD_ROLE_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
}
_MEMBER_EVENTS = {"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE"}
_MESSAGE_EVENTS = {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK"}


def required_intent(event: str, data: dict[str, Any]) -> int:
    """The intent bit a session needs to receive this event at all (0 if none)."""
    in_guild = bool(data.get("guild_id"))
    if event in _GUILD_EVENTS:
        return GUILDS
    if event in _MEMBER_EVENTS:
        return GUILD_MEMBERS
    if event in _MESSAGE_EVENTS:
        return GUILD_MESSAGES if in_guild else DIRECT_MESSAGES
    if event == "TYPING_START":
        return GUILD_MESSAGE_TYPING if in_guild else DIRECT_MESSAGE_TYPING
    if event.startswith("MESSAGE_REACTION_"):
        return GUILD_MESSAGE_REACTIONS if in_guild else DIRECT_MESSAGE_REACTIONS
    return 0


def _may_read_content(data: dict[str, Any], intents: int, bot_id: str) -> bool:
    if intents & MESSAGE_CONTENT or not data.get("guild_id"):
        return True
    author = data.get("author") or {}
    mentioned = any(u.get("id") == bot_id for u in data.get("mentions", []))
    return author.get("id") == bot_id or mentioned


def filter_event(
    event: str, data: dict[str, Any], intents: int, bot_id: str
) -> dict[str, Any] | None:
    """The event as a session with these intents sees it, or None if it is not sent."""
    needed = required_intent(event, data)
    if needed and not intents & needed:
        return None
    if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and not _may_read_content(
        data, intents, bot_id
    ):
        data = copy.deepcopy(data)
        data.update(copy.deepcopy(_CONTENT_FIELDS))
        data.pop("poll", None)
    return data


def guild_create_members(members: list[Any], intents: int, bot_id: str) -> list[Any]:
    """Without GUILD_PRESENCES, GUILD_CREATE lists only the bot (and users in voice: none here)."""
    if intents & GUILD_PRESENCES:
        return members
    return [m for m in members if m.user.id == bot_id]
