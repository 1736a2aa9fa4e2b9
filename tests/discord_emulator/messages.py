"""Message objects as Discord builds them, plus the limits Discord enforces on bodies."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .cast import Cast, FakeChannel, FakeUser
from .components import component_errors
from .ids import SnowflakeFactory, iso_timestamp
from .replies import Reply, error, field_error

DEFAULT = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20
CONTEXT_MENU_COMMAND = 23

EPHEMERAL = 1 << 6
LOADING = 1 << 7
# Flags a bot may set when sending; Discord silently drops the rest.
_SENDABLE_FLAGS = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 15)

MAX_CONTENT = 2000
MAX_EMBED_TOTAL = 6000
_MENTION = re.compile(r"<@!?(\d+)>")
_EMBED_TEXT_KEYS = ("title", "description")


def _embed_size(embed: dict[str, Any]) -> int:
    size = sum(len(str(embed.get(k) or "")) for k in _EMBED_TEXT_KEYS)
    size += len(str((embed.get("footer") or {}).get("text") or ""))
    size += len(str((embed.get("author") or {}).get("name") or ""))
    for item in embed.get("fields") or []:
        size += len(str(item.get("name") or "")) + len(str(item.get("value") or ""))
    return size


def limit_problem(body: Any, *, require_content: bool) -> Reply | None:
    """Discord's own limits that the OpenAPI schema does not fully capture."""
    if not isinstance(body, dict):
        return None
    errors: dict[str, Any] = {}
    content = body.get("content")
    # The spec allows 4000 (Nitro users); bots are held to 2000.
    if isinstance(content, str) and len(content) > MAX_CONTENT:
        errors["content"] = field_error("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    if sum(_embed_size(e) for e in embeds if isinstance(e, dict)) > MAX_EMBED_TOTAL:
        errors["embeds"] = field_error(
            "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )
    errors.update(component_errors(body))
    if errors:
        return error(400, 50035, "Invalid Form Body", errors)
    keys = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")
    if require_content and not any(body.get(k) for k in keys):
        return error(400, 50006, "Cannot send an empty message")
    return None


def _number_components(components: list[Any], counter: list[int]) -> list[Any]:
    """Discord gives every component a numeric id when the sender did not."""
    numbered = []
    for comp in components:
        comp = dict(comp)
        counter[0] += 1
        comp.setdefault("id", counter[0])
        if isinstance(comp.get("components"), list):
            comp["components"] = _number_components(comp["components"], counter)
        numbered.append(comp)
    return numbered


@dataclass
class MessageStore:
    """Every message in every channel, as message objects keyed by id."""

    cast: Cast
    ids: SnowflakeFactory
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, channel_id: str, message_id: str) -> dict[str, Any] | None:
        """The message if it exists in that channel."""
        message = self.by_id.get(message_id)
        return message if message and message["channel_id"] == channel_id else None

    def mentioned(self, content: str) -> list[FakeUser]:
        """Known users mentioned by `<@id>` tokens in content, in order, without repeats."""
        found: list[FakeUser] = []
        for user_id in _MENTION.findall(content):
            user = self.cast.user(user_id)
            if user and user not in found:
                found.append(user)
        return found

    def base(self, channel: FakeChannel, author: FakeUser, content: str) -> dict[str, Any]:
        """A plain message object with Discord's required fields."""
        return {
            "id": self.ids.next(),
            "channel_id": channel.id,
            "type": DEFAULT,
            "author": author.payload(),
            "content": content,
            "timestamp": iso_timestamp(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "flags": 0,
        }

    def add_user_message(
        self,
        channel: FakeChannel,
        author: FakeUser,
        content: str,
        extra_mentions: list[FakeUser],
        reply_to: str | None,
    ) -> dict[str, Any]:
        """Store a message a user typed; mentions come from the content plus `extra_mentions`."""
        if reply_to and self.get(channel.id, reply_to) is None:
            # Discord's client can only reply to a message it shows in that channel.
            raise ValueError(f"no message {reply_to} in channel {channel.id} to reply to")
        message = self.base(channel, author, content)
        users = self.mentioned(content) + [
            u for u in extra_mentions if u not in self.mentioned(content)
        ]
        message["mentions"] = [u.payload() for u in users]
        message["mention_everyone"] = "@everyone" in content or "@here" in content
        if reply_to:
            self.attach_reply(message, channel, reply_to, ping=True)
        self.by_id[message["id"]] = message
        return message

    def add_bot_message(
        self, channel: FakeChannel, body: dict[str, Any], extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Store a message the bot sent (channel message, interaction response or followup)."""
        message = self.base(channel, self.cast.bot_user, body.get("content") or "")
        self._apply_body(message, body)
        reference = body.get("message_reference") or {}
        if reference.get("message_id"):
            allowed = body.get("allowed_mentions")
            # A reply pings its target unless allowed_mentions is given without replied_user.
            ping = allowed is None or bool(allowed.get("replied_user", False))
            self.attach_reply(message, channel, str(reference["message_id"]), ping=ping)
        message.update(extra or {})
        self.by_id[message["id"]] = message
        return message

    def edit(self, message: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """Apply an edit body to a stored message and stamp edited_timestamp."""
        self._apply_body(message, body)
        message["edited_timestamp"] = iso_timestamp()
        return message

    def _apply_body(self, message: dict[str, Any], body: dict[str, Any]) -> None:
        if "content" in body:
            message["content"] = body["content"] or ""
            allowed = body.get("allowed_mentions")
            users = [u for u in self.mentioned(message["content"]) if _may_ping(u, allowed)]
            message["mentions"] = [u.payload() for u in users]
            message["mention_everyone"] = _pings_everyone(message["content"], allowed)
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            message["components"] = _number_components(body["components"] or [], [0])
        if "flags" in body:
            kept = message["flags"] & (EPHEMERAL | LOADING)
            message["flags"] = kept | ((body["flags"] or 0) & _SENDABLE_FLAGS)
        if body.get("poll"):
            message["poll"] = copy.deepcopy(body["poll"])
        if body.get("tts"):
            message["tts"] = True
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]

    def attach_reply(
        self, message: dict[str, Any], channel: FakeChannel, ref_id: str, ping: bool
    ) -> None:
        """Make `message` a reply (type 19) to `ref_id`, with a copy of the referenced message."""
        referenced = self.get(channel.id, ref_id)
        message["type"] = REPLY
        message["message_reference"] = {"type": 0, "channel_id": channel.id, "message_id": ref_id}
        if channel.guild_id:
            message["message_reference"]["guild_id"] = channel.guild_id
        message["referenced_message"] = copy.deepcopy(referenced) if referenced else None
        if (
            referenced
            and ping
            and all(u["id"] != referenced["author"]["id"] for u in message["mentions"])
        ):
            message["mentions"].append(referenced["author"])


def _may_ping(user: FakeUser, allowed: dict[str, Any] | None) -> bool:
    if allowed is None:
        return True
    return "users" in (allowed.get("parse") or []) or user.id in (allowed.get("users") or [])


def _pings_everyone(content: str, allowed: dict[str, Any] | None) -> bool:
    if "@everyone" not in content and "@here" not in content:
        return False
    return allowed is None or "everyone" in (allowed.get("parse") or [])


def gateway_message(message: dict[str, Any], cast: Cast, channel: FakeChannel) -> dict[str, Any]:
    """The MESSAGE_CREATE/UPDATE form: guild messages carry guild_id and the author's member."""
    data = copy.deepcopy(message)
    if channel.guild_id is None:
        return data
    data["guild_id"] = channel.guild_id
    guild = cast.guild_of(channel)
    assert guild is not None, f"channel {channel.id} is in no guild"
    member = guild.member(message["author"]["id"])
    if member is not None and "webhook_id" not in message:
        data["member"] = member.payload(with_user=False)
    for mentioned in data["mentions"]:
        mentioned_member = guild.member(mentioned["id"])
        if mentioned_member is not None:
            mentioned["member"] = mentioned_member.payload(with_user=False)
    return data
