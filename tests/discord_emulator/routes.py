"""REST endpoints for the bot user, application, gateway, commands, channels and messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .interactions import command_errors
from .messages import limit_problem
from .replies import Reply, error, field_error
from .rest import Call, RestServer
from .world import World

UNKNOWN_CHANNEL = error(404, 10003, "Unknown Channel")
UNKNOWN_MESSAGE = error(404, 10008, "Unknown Message")
UNKNOWN_USER = error(404, 10013, "Unknown User")
MISSING_ACCESS = error(403, 50001, "Missing Access")


class CoreRoutes:
    """Endpoints a bot uses outside interactions."""

    def __init__(self, world: World, gateway_url: Callable[[], str]) -> None:
        self.world = world
        self.gateway_url = gateway_url

    def install(self, server: RestServer) -> None:
        """Register every endpoint of this group."""
        add = server.add
        add("GET", "/users/@me", self.get_me)
        add("GET", "/users/{user_id}", self.get_user)
        add("POST", "/users/@me/channels", self.create_dm)
        add("GET", "/oauth2/applications/@me", self.get_application)
        add("GET", "/applications/@me", self.get_application)
        add("GET", "/gateway", self.get_gateway, auth=False)
        add("GET", "/gateway/bot", self.get_gateway_bot)
        for template in (
            "/applications/{app_id}/commands",
            "/applications/{app_id}/guilds/{guild_id}/commands",
        ):
            add("GET", template, self.list_commands)
            add("PUT", template, self.overwrite_commands)
            add("POST", template, self.upsert_command)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member)
        add("GET", "/channels/{channel_id}", self.get_channel)
        add("POST", "/channels/{channel_id}/typing", self.typing)
        add("POST", "/channels/{channel_id}/messages", self.create_message)
        add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)

    # -- identity -------------------------------------------------------------------

    async def get_me(self, call: Call) -> Reply:
        """GET /users/@me: the bot user (discord.py's login check)."""
        return Reply(200, self.world.cast.bot_user.private_payload())

    async def get_user(self, call: Call) -> Reply:
        """GET /users/{id}."""
        user = self.world.cast.user(call.params["user_id"])
        return Reply(200, user.payload()) if user else UNKNOWN_USER

    async def get_application(self, call: Call) -> Reply:
        """GET /oauth2/applications/@me: fetched by discord.py right after login."""
        return Reply(200, application_payload(self.world))

    async def get_gateway(self, call: Call) -> Reply:
        """GET /gateway: where to connect."""
        return Reply(200, {"url": self.gateway_url()})

    async def get_gateway_bot(self, call: Call) -> Reply:
        """GET /gateway/bot: URL, recommended shards and identify budget."""
        used = self.world.gateway.identify_count
        limit = {
            "total": 1000,
            "remaining": max(0, 1000 - used),
            "reset_after": 86_400_000,
            "max_concurrency": 1,
        }
        return Reply(200, {"url": self.gateway_url(), "shards": 1, "session_start_limit": limit})

    # -- commands ---------------------------------------------------------------------

    def _command_scope(self, call: Call) -> tuple[str | None, Reply | None]:
        if call.params["app_id"] != self.world.cast.application_id:
            return None, MISSING_ACCESS
        guild_id = call.params.get("guild_id")
        if guild_id is not None and self.world.cast.guild_by_id(guild_id) is None:
            return None, MISSING_ACCESS
        return guild_id, None

    async def list_commands(self, call: Call) -> Reply:
        """GET .../commands."""
        guild_id, problem = self._command_scope(call)
        return problem or Reply(200, self.world.commands.listing(guild_id))

    async def overwrite_commands(self, call: Call) -> Reply:
        """PUT .../commands: replace the scope's commands; answers them with ids."""
        guild_id, problem = self._command_scope(call)
        bodies = call.body if isinstance(call.body, list) else None
        if problem or bodies is None:
            return problem or error(400, 50035, "Invalid Form Body")
        names = [(b.get("name"), b.get("type") or 1) for b in bodies]
        if len(set(names)) != len(names):
            dup = field_error(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
            return error(400, 50035, "Invalid Form Body", {"0": dup})
        problems = {
            str(i): found
            for i, b in enumerate(bodies)
            if (found := command_errors(b) if isinstance(b, dict) else {})
        }
        if problems:
            return error(400, 50035, "Invalid Form Body", problems)
        return Reply(200, self.world.commands.overwrite(guild_id, bodies))

    async def upsert_command(self, call: Call) -> Reply:
        """POST .../commands: create or replace one command."""
        guild_id, problem = self._command_scope(call)
        if problem or not isinstance(call.body, dict) or not call.body.get("name"):
            return problem or error(400, 50035, "Invalid Form Body")
        problems = command_errors(call.body)
        if problems:
            return error(400, 50035, "Invalid Form Body", problems)
        kind = call.body.get("type") or 1
        existed = self.world.commands.find(call.body["name"], guild_id, kind) is not None
        return Reply(200 if existed else 201, self.world.commands.upsert(guild_id, call.body))

    # -- guild, channels ---------------------------------------------------------------

    async def get_member(self, call: Call) -> Reply:
        """GET /guilds/{id}/members/{user_id}."""
        guild = self.world.cast.guild_by_id(call.params["guild_id"])
        if guild is None:
            return MISSING_ACCESS
        member = guild.member(call.params["user_id"])
        return Reply(200, member.payload()) if member else error(404, 10007, "Unknown Member")

    async def get_channel(self, call: Call) -> Reply:
        """GET /channels/{id}."""
        channel = self.world.channel(call.params["channel_id"])
        return Reply(200, channel.payload()) if channel else UNKNOWN_CHANNEL

    async def create_dm(self, call: Call) -> Reply:
        """POST /users/@me/channels: open (or reuse) the DM channel with a user."""
        body = call.body if isinstance(call.body, dict) else {}
        user = self.world.cast.user(str(body.get("recipient_id")))
        if user is None or user.bot:
            return error(400, 50033, "Invalid Recipient(s)")
        return Reply(200, self.world.dm_channel(user).payload())

    async def typing(self, call: Call) -> Reply:
        """POST /channels/{id}/typing."""
        return Reply(204) if self.world.channel(call.params["channel_id"]) else UNKNOWN_CHANNEL

    # -- messages ------------------------------------------------------------------------

    async def create_message(self, call: Call) -> Reply:
        """POST /channels/{id}/messages: store, echo MESSAGE_CREATE, answer the message."""
        channel = self.world.channel(call.params["channel_id"])
        # A copy: the recorded request must keep exactly what the bot sent.
        body = dict(call.body) if isinstance(call.body, dict) else {}
        if channel is None:
            return UNKNOWN_CHANNEL
        problem = limit_problem(body, require_content=True) or self._reference_problem(
            channel.id, body
        )
        if problem is not None:
            return problem
        message = self.world.messages.add_bot_message(channel, body)
        self.world.bot_message_ids.append(message["id"])
        self.world.record(message, self.world.channel_trigger(message), "create")
        await self.world.publish("MESSAGE_CREATE", message)
        return Reply(200, message)

    def _reference_problem(self, channel_id: str, body: dict[str, Any]) -> Reply | None:
        reference = body.get("message_reference") or {}
        ref_id = reference.get("message_id")
        if not ref_id or self.world.messages.get(
            str(reference.get("channel_id") or channel_id), str(ref_id)
        ):
            return None
        if reference.get("fail_if_not_exists") is False:
            body.pop("message_reference")
            return None
        unknown = field_error("MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
        return error(400, 50035, "Invalid Form Body", {"message_reference": unknown})

    async def get_message(self, call: Call) -> Reply:
        """GET /channels/{id}/messages/{id}."""
        message = self.world.messages.get(call.params["channel_id"], call.params["message_id"])
        return Reply(200, message) if message else UNKNOWN_MESSAGE

    async def edit_message(self, call: Call) -> Reply:
        """PATCH /channels/{id}/messages/{id}: only the bot's own messages."""
        message = self.world.messages.get(call.params["channel_id"], call.params["message_id"])
        body = call.body if isinstance(call.body, dict) else {}
        if message is None:
            return UNKNOWN_MESSAGE
        if message["author"]["id"] != self.world.cast.bot_user.id:
            return error(403, 50005, "Cannot edit a message authored by another user")
        problem = limit_problem(body, require_content=False)
        if problem is not None:
            return problem
        self.world.messages.edit(message, body)
        trigger = self.world.message_trigger.get(message["id"]) or self.world.channel_trigger(
            message
        )
        self.world.record(message, trigger, "edit")
        await self.world.publish("MESSAGE_UPDATE", message)
        return Reply(200, message)

    async def delete_message(self, call: Call) -> Reply:
        """DELETE /channels/{id}/messages/{id}: own messages (the bot has no MANAGE_MESSAGES)."""
        message = self.world.messages.get(call.params["channel_id"], call.params["message_id"])
        if message is None:
            return UNKNOWN_MESSAGE
        if message["author"]["id"] != self.world.cast.bot_user.id:
            return error(403, 50013, "Missing Permissions")
        await self.world.publish_delete(message)
        return Reply(204)


def application_payload(world: World) -> dict[str, Any]:
    """The application object of GET /oauth2/applications/@me."""
    cast = world.cast
    return {
        "id": cast.application_id,
        "name": cast.bot_user.username,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot": cast.bot_user.payload(),
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 1 << 19 | 1 << 23,
        "flags_new": str(1 << 19 | 1 << 23),
        "hook": True,
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "owner": cast.owner.payload(),
        "team": None,
        "approximate_guild_count": len(cast.guilds),
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
        "integration_types_config": {"0": {}},
        "tags": [],
    }
