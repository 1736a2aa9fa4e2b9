"""Application commands as Discord stores them, and INTERACTION_CREATE payloads."""

from __future__ import annotations

import copy
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from . import permissions as perms
from .cast import Cast, FakeChannel, FakeGuild, FakeRole, FakeUser
from .ids import SnowflakeFactory
from .replies import field_error

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4

# Application command types: slash commands and the two context menus.
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3

SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 6, 7, 8, 9, 10

CONTEXT_GUILD, CONTEXT_BOT_DM = 0, 1
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class CommandNotAvailableError(AssertionError):
    """Discord would not let this user run this command here (context or permissions)."""


@dataclass(frozen=True)
class SentInteraction:
    """What a test gets back after acting as a user: the interaction's id and token."""

    id: str
    token: str


@dataclass
class InteractionState:
    """An interaction the emulator created and how the bot has answered it so far."""

    id: str
    token: str
    type: int
    name: str
    user: FakeUser
    channel: FakeChannel
    # The command type (1 slash, 3 message menu) or, for components, the component type.
    subtype: int = CHAT_INPUT
    # For components: the message the component is on (@original after a type 6 or 7).
    message_id: str | None = None
    # What a user would see they did, for transcripts: "/brief topic:ai", "[Next]".
    label: str = ""
    created_at: float = field(default_factory=time.monotonic)
    response_type: int | None = None
    original_message_id: str | None = None
    followup_ids: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """True once the bot answered the callback."""
        return self.response_type is not None


@dataclass
class CommandRegistry:
    """Global and per-guild application commands, as the bot last synced them."""

    application_id: str
    ids: SnowflakeFactory
    global_commands: list[dict[str, Any]] = field(default_factory=list)
    guild_commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def listing(self, guild_id: str | None) -> list[dict[str, Any]]:
        """The commands of one scope (None: global)."""
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.setdefault(guild_id, [])

    def overwrite(self, guild_id: str | None, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bulk overwrite a scope; a command keeps its id when name and type are unchanged."""
        old = {(c["name"], c["type"]): c["id"] for c in self.listing(guild_id)}
        fresh = []
        for body in bodies:
            key = (body["name"], body.get("type") or 1)
            fresh.append(self._command(body, guild_id, old.get(key) or self.ids.next()))
        if guild_id is None:
            self.global_commands = fresh
        else:
            self.guild_commands[guild_id] = fresh
        return fresh

    def upsert(self, guild_id: str | None, body: dict[str, Any]) -> dict[str, Any]:
        """Create or replace one command (POST), keeping the id of a same-named command."""
        listing = self.listing(guild_id)
        key = (body["name"], body.get("type") or 1)
        existing = next((c for c in listing if (c["name"], c["type"]) == key), None)
        command = self._command(body, guild_id, existing["id"] if existing else self.ids.next())
        if existing:
            listing.remove(existing)
        listing.append(command)
        return command

    def find(
        self, name: str, guild_id: str | None, command_type: int = CHAT_INPUT
    ) -> dict[str, Any] | None:
        """The command of this type a user would pick here: guild commands first, then global."""
        scopes = ([self.listing(guild_id)] if guild_id else []) + [self.global_commands]
        for listing in scopes:
            found = next(
                (c for c in listing if c["name"] == name and c["type"] == command_type), None
            )
            if found:
                return found
        return None

    def _command(
        self, body: dict[str, Any], guild_id: str | None, command_id: str
    ) -> dict[str, Any]:
        permissions = body.get("default_member_permissions")
        command: dict[str, Any] = {
            "id": command_id,
            "application_id": self.application_id,
            "version": self.ids.next(),
            "type": body.get("type") or 1,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description") or "",
            "description_localizations": body.get("description_localizations"),
            "default_member_permissions": None if permissions is None else str(permissions),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "nsfw": bool(body.get("nsfw")),
        }
        if body.get("options"):
            command["options"] = body["options"]
        if guild_id is None:
            command["dm_permission"] = body.get("dm_permission", True) is not False
        else:
            command["guild_id"] = guild_id
        return command


# Slash command names: lowercase letters, digits, "-", "_" and "'" (Discord allows more scripts).
_CHAT_INPUT_NAME = re.compile(r"[-_'\w]{1,32}")


def command_errors(body: dict[str, Any]) -> dict[str, Any]:
    """Rules Discord applies to a command body beyond the spec: slash names are lowercase
    words; context-menu commands (user, message) have no description and no options."""
    errors: dict[str, Any] = {}
    name = body.get("name")
    kind = body.get("type") or CHAT_INPUT
    if kind == CHAT_INPUT:
        if (
            not isinstance(name, str)
            or not _CHAT_INPUT_NAME.fullmatch(name)
            or name != name.lower()
        ):
            errors["name"] = field_error(
                "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        if not 1 <= len(body.get("description") or "") <= 100:
            errors["description"] = field_error(
                "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
    elif kind in (USER_COMMAND, MESSAGE_COMMAND):
        if body.get("description"):
            errors["description"] = field_error(
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if body.get("options"):
            errors["options"] = field_error(
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options",
            )
    return errors


def check_command_access(
    command: dict[str, Any], cast: Cast, user: FakeUser, channel: FakeChannel
) -> None:
    """Raise CommandNotAvailableError where Discord's client would not offer the command."""
    name = f"/{command['name']}" if command["type"] == CHAT_INPUT else repr(command["name"])
    if channel.is_dm:
        allowed_in_dm = "guild_id" not in command and command.get("dm_permission", True)
        contexts = command.get("contexts")
        if not allowed_in_dm or (contexts is not None and CONTEXT_BOT_DM not in contexts):
            raise CommandNotAvailableError(f"{name} is not available in DMs")
        return
    contexts = command.get("contexts")
    if contexts is not None and CONTEXT_GUILD not in contexts:
        raise CommandNotAvailableError(f"{name} is not available in guilds")
    required = command.get("default_member_permissions")
    if required is not None:
        needed = int(required)
        guild = cast.guild_of(channel)
        has = guild.permissions_of(user.id) if guild else 0
        # "0" means admins only; Discord treats ADMINISTRATOR (expanded to ALL) as passing.
        if (needed == 0 and has != perms.ALL) or (has & needed) != needed:
            raise CommandNotAvailableError(f"{user.username} lacks permissions {needed} for {name}")


@dataclass
class OptionBuilder:
    """Turns a test's `{name: value}` dict into Discord's typed option list plus `resolved`."""

    cast: Cast
    focused: str | None = None
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    guild: FakeGuild | None = None  # where the command runs: members resolve in that guild

    def build(
        self, defs: list[dict[str, Any]] | None, values: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Typed options; types come from the synced definitions, else from the Python values."""
        out = []
        for name, value in values.items():
            definition = next((d for d in defs or [] if d["name"] == name), None)
            kind = definition["type"] if definition else _infer_type(value)
            out.append(self._option(name, kind, value, definition))
        return out

    def _option(
        self, name: str, kind: int, value: Any, definition: dict[str, Any] | None
    ) -> dict[str, Any]:
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            nested = self.build((definition or {}).get("options"), dict(value or {}))
            return {"name": name, "type": kind, "options": nested}
        if kind in (USER, CHANNEL, ROLE, MENTIONABLE):
            value = self._resolve(value)
        option: dict[str, Any] = {"name": name, "type": kind, "value": value}
        if name == self.focused:
            option["focused"] = True
        return option

    def _resolve(self, value: Any) -> str:
        entity_id = str(getattr(value, "id", value))
        user = value if isinstance(value, FakeUser) else self.cast.user(entity_id)
        channel = value if isinstance(value, FakeChannel) else self._channel(entity_id)
        role = value if isinstance(value, FakeRole) else self._role(entity_id)
        if user is not None:
            self._add_user(user)
        elif channel is not None:
            self.resolved.setdefault("channels", {})[entity_id] = _resolved_channel(
                channel, self.cast
            )
        elif role is not None:
            self.resolved.setdefault("roles", {})[entity_id] = role.payload()
        return entity_id

    def _channel(self, channel_id: str) -> FakeChannel | None:
        return next((c for g in self.cast.guilds if (c := g.channel(channel_id))), None)

    def _role(self, role_id: str) -> FakeRole | None:
        return next((r for g in self.cast.guilds if (r := g.role(role_id))), None)

    def _add_user(self, user: FakeUser) -> None:
        self.resolved.setdefault("users", {})[user.id] = user.payload()
        guild = self.guild or self.cast.guild
        member = guild.member(user.id)
        if member is not None:
            data = member.payload(with_user=False)
            data["permissions"] = str(guild.permissions_of(user.id))
            self.resolved.setdefault("members", {})[user.id] = data


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, FakeUser):
        return USER
    if isinstance(value, FakeChannel):
        return CHANNEL
    if isinstance(value, FakeRole):
        return ROLE
    if isinstance(value, dict):
        return SUB_COMMAND
    return STRING


def _resolved_channel(channel: FakeChannel, cast: Cast) -> dict[str, Any]:
    guild = cast.guild_of(channel) or cast.guild
    return {
        "id": channel.id,
        "name": channel.name,
        "type": channel.type,
        "permissions": str(guild.permissions_of(cast.bot_user.id)),
        "flags": 0,
    }


def new_token() -> str:
    """An interaction token: long, opaque and URL-safe like Discord's."""
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(64)


def interaction_payload(
    cast: Cast,
    state: InteractionState,
    data: dict[str, Any],
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The INTERACTION_CREATE payload for a user invoking the bot in a guild channel or DM;
    component interactions carry the whole `message` the component is on."""
    channel = state.channel
    payload: dict[str, Any] = {
        "id": state.id,
        "application_id": cast.application_id,
        "type": state.type,
        "data": data,
        "token": state.token,
        "version": 1,
        "channel_id": channel.id,
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if message is not None:
        payload["message"] = copy.deepcopy(message)
    if channel.is_dm:
        payload.update(_dm_fields(cast, state.user, channel))
    else:
        payload.update(_guild_fields(cast, state.user, channel))
    return payload


def _guild_fields(cast: Cast, user: FakeUser, channel: FakeChannel) -> dict[str, Any]:
    guild = cast.guild_of(channel)
    assert guild is not None, f"channel {channel.id} is in no guild"
    member = guild.member(user.id)
    if member is None:
        raise CommandNotAvailableError(f"{user.username} is not a member of {guild.name}")
    user_perms = str(guild.permissions_of(user.id))
    return {
        "guild_id": guild.id,
        "guild_locale": "en-US",
        "guild": {"id": guild.id, "locale": "en-US", "features": []},
        "member": {**member.payload(), "permissions": user_perms},
        "channel": {**channel.payload(), "permissions": user_perms},
        "app_permissions": str(guild.permissions_of(cast.bot_user.id)),
        "context": CONTEXT_GUILD,
        "authorizing_integration_owners": {"0": guild.id},
    }


def _dm_fields(cast: Cast, user: FakeUser, channel: FakeChannel) -> dict[str, Any]:
    return {
        "user": user.payload(),
        "channel": channel.payload(),
        "app_permissions": str(perms.DM_DEFAULT),
        "context": CONTEXT_BOT_DM,
        # A guild-installed app invoked in its own DM is authorised with owner id "0".
        "authorizing_integration_owners": {"0": "0"},
    }
