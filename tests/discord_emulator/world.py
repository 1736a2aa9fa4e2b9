"""The emulator's shared state: cast, messages, commands, interactions and the gateway."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .cast import DM, Cast, FakeChannel, FakeUser, cast_id
from .gateway import Gateway
from .ids import SnowflakeFactory
from .interactions import CommandRegistry, InteractionState
from .messages import MessageStore, gateway_message

# The keys of a posted message body that a transcript entry keeps (what a user sees).
_BODY_KEYS = ("content", "embeds", "components", "flags", "message_reference")
UNPROMPTED = "unprompted"


@dataclass(frozen=True)
class Trigger:
    """What a user did that the bot answered: a typed message or an interaction."""

    command: str
    kind: str  # "prefix" (a typed message) or "slash" (any interaction), as embed-preview reads


@dataclass
class World:
    """Everything REST handlers and user actions read and change."""

    cast: Cast
    gateway: Gateway
    ids: SnowflakeFactory
    messages: MessageStore
    commands: CommandRegistry
    interaction_ack_seconds: float
    interactions: dict[str, InteractionState] = field(default_factory=dict)
    bot_message_ids: list[str] = field(default_factory=list)
    deleted_ids: set[str] = field(default_factory=set)
    # Transcript of the bot's messages: who prompted each, and every post or edit in order.
    triggers: dict[str, Trigger] = field(default_factory=dict)
    message_trigger: dict[str, str] = field(default_factory=dict)
    last_user_message: dict[str, str] = field(default_factory=dict)
    transcript: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def channel(self, channel_id: str) -> FakeChannel | None:
        """A guild channel or an existing DM channel."""
        for guild in self.cast.guilds:
            found = guild.channel(channel_id)
            if found is not None:
                return found
        return next((c for c in self.cast.dm_channels.values() if c.id == channel_id), None)

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and a user, created on first use with a fixed id."""
        existing = self.cast.dm_channels.get(user.id)
        if existing is not None:
            return existing
        # Stable ids per user keep logs comparable between runs.
        index = 100 + [u.id for u in self.cast.users].index(user.id)
        channel = FakeChannel(cast_id(index), DM, recipient=user)
        self.cast.dm_channels[user.id] = channel
        return channel

    def interaction_by_token(self, token: str) -> InteractionState | None:
        """The interaction a webhook token belongs to."""
        return next((i for i in self.interactions.values() if i.token == token), None)

    async def publish(self, event: str, message: dict[str, Any]) -> None:
        """Dispatch MESSAGE_CREATE/UPDATE for a stored message, in its gateway form."""
        channel = self.channel(message["channel_id"])
        assert channel is not None
        await self.gateway.dispatch(event, gateway_message(message, self.cast, channel))

    async def publish_delete(self, message: dict[str, Any]) -> None:
        """Dispatch MESSAGE_DELETE and forget the message."""
        self.deleted_ids.add(message["id"])
        self.messages.by_id.pop(message["id"], None)
        data = {"id": message["id"], "channel_id": message["channel_id"]}
        channel = self.channel(message["channel_id"])
        if channel is not None and channel.guild_id:
            data["guild_id"] = channel.guild_id
        await self.gateway.dispatch("MESSAGE_DELETE", data)

    def bot_messages(self, channel_id: str | None = None) -> list[dict[str, Any]]:
        """Current state of every message the bot sent and did not delete, oldest first."""
        found = [self.messages.by_id[i] for i in self.bot_message_ids if i in self.messages.by_id]
        return [m for m in found if channel_id is None or m["channel_id"] == channel_id]

    # -- transcript -------------------------------------------------------------------

    def user_posted(self, message: dict[str, Any]) -> None:
        """Remember a user's message as a possible trigger of the bot's next answers."""
        self.triggers[message["id"]] = Trigger(message["content"], "prefix")
        self.last_user_message[message["channel_id"]] = message["id"]

    def user_interacted(self, state: InteractionState) -> None:
        """Remember an interaction as the trigger of its responses."""
        self.triggers[state.id] = Trigger(state.label or state.name, "slash")

    def channel_trigger(self, message: dict[str, Any]) -> str:
        """The trigger of a message the bot posted in a channel: the message it replies to,
        else the latest user message in that channel."""
        reference = message.get("message_reference") or {}
        ref_id = str(reference.get("message_id") or "")
        if ref_id in self.triggers:
            return ref_id
        if ref_id in self.message_trigger:
            return self.message_trigger[ref_id]
        return self.last_user_message.get(message["channel_id"], UNPROMPTED)

    def record(self, message: dict[str, Any], trigger: str, action: str) -> None:
        """Add the bot's message, as it looks now, to the transcript under its trigger."""
        self.message_trigger.setdefault(message["id"], trigger)
        entry = {k: copy.deepcopy(message[k]) for k in _BODY_KEYS if k in message}
        entry.update(
            id=message["id"], action=action, edited=message["edited_timestamp"] is not None
        )
        self.transcript.append((trigger, entry))

    def transcript_records(self) -> list[dict[str, Any]]:
        """The transcript grouped by trigger, in order of first answer, in embed-preview's shape:
        [{"command": ..., "kind": "prefix"|"slash", "messages": [body, ...]}]."""
        grouped: dict[str, dict[str, Any]] = {}
        for trigger, entry in self.transcript:
            if trigger not in grouped:
                who = self.triggers.get(trigger, Trigger("", "prefix"))
                grouped[trigger] = {"command": who.command, "kind": who.kind, "messages": []}
            grouped[trigger]["messages"].append(copy.deepcopy(entry))
        return list(grouped.values())
