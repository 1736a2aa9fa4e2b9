"""The Discord API emulator: REST + gateway on 127.0.0.1 for a real discord.py client."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from . import components as comp
from . import intents as it
from .cast import Cast, FakeChannel, FakeGuild, FakeRole, FakeUser, default_cast
from .faults import FaultRule
from .gateway import Gateway, GatewayConfig, GatewayConnection
from .ids import SnowflakeFactory
from .interaction_routes import InteractionRoutes
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CHAT_INPUT,
    MESSAGE_COMMAND,
    MESSAGE_COMPONENT,
    CommandRegistry,
    InteractionState,
    OptionBuilder,
    SentInteraction,
    check_command_access,
    interaction_payload,
    new_token,
)
from .log import EventLog, GatewayFrame, RecordedRequest
from .messages import EPHEMERAL, MessageStore
from .openapi import SpecValidator
from .rest import RestOptions, RestServer
from .routes import CoreRoutes
from .world import World

DEFAULT_TOKEN = "emulator.bot.token"
DISCORD_HEARTBEAT_MS = 41_250


class Emulator:
    """A small Discord: REST under /api/v10 and a gateway websocket, both on 127.0.0.1."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        heartbeat_interval_ms: int = DISCORD_HEARTBEAT_MS,
        allowed_privileged_intents: int = it.PRIVILEGED,
        interaction_ack_seconds: float = 3.0,
        reject_invalid_bodies: bool = False,
        rate_limit: int = 5,
        spec_path: Path | None = None,
        host: str = "127.0.0.1",
        other_guild: bool = False,
    ) -> None:
        self.token = token
        self.host = host
        self.port: int | None = None
        self.cast: Cast = default_cast()
        if other_guild:  # a second server run by other people, for tests of what leaks
            self.cast.add_other_guild()
        self.validator = SpecValidator.load(spec_path)
        self.gateway = Gateway(
            self.cast, GatewayConfig(token, heartbeat_interval_ms, allowed_privileged_intents)
        )
        ids = SnowflakeFactory()
        self.world = World(
            self.cast,
            self.gateway,
            ids,
            MessageStore(self.cast, ids),
            CommandRegistry(self.cast.application_id, ids),
            interaction_ack_seconds,
        )
        if rate_limit < 1:
            raise ValueError("rate_limit must be at least 1 request per second")
        self.rest = RestServer(
            RestOptions(token, reject_invalid_bodies, rate_limit), self.validator
        )
        CoreRoutes(self.world, lambda: self.gateway_url).install(self.rest)
        InteractionRoutes(self.world).install(self.rest)
        self._runner: web.AppRunner | None = None

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> Emulator:
        """Bind an ephemeral port on 127.0.0.1 and start serving."""
        app = web.Application()
        for path in ("/gateway", "/gateway/", "/resume-gateway/"):
            app.router.add_get(path, self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.gateway.config.resume_gateway_url = self.resume_gateway_url
        return self

    async def stop(self) -> None:
        """Close gateway sockets (1001) and stop the server."""
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- addresses ----------------------------------------------------------------------

    def _origin(self, scheme: str) -> str:
        if self.port is None:
            raise RuntimeError("the emulator is not started")
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for discord.http.Route.BASE (DISCORD_API_BASE)."""
        return self._origin("http") + "/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for DiscordWebSocket.DEFAULT_GATEWAY (DISCORD_GATEWAY_URL)."""
        return self._origin("ws") + "/gateway/"

    @property
    def resume_gateway_url(self) -> str:
        """The READY resume_gateway_url; a distinct path so tests can see RESUME used it."""
        return self._origin("ws") + "/resume-gateway/"

    def environment(self) -> dict[str, str]:
        """The variables `briefbot run` reads to log in here instead of at Discord."""
        return {
            "DISCORD_TOKEN": self.token,
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
        }

    # -- the cast -----------------------------------------------------------------------

    @property
    def bot_user(self) -> FakeUser:
        """The bot's user (its id equals application_id)."""
        return self.cast.bot_user

    @property
    def application_id(self) -> str:
        """The bot's application id."""
        return self.cast.application_id

    @property
    def owner(self) -> FakeUser:
        """The application owner; also the guild owner."""
        return self.cast.owner

    @property
    def admin(self) -> FakeUser:
        """A guild member whose role grants MANAGE_GUILD."""
        return self.cast.admin

    @property
    def regular(self) -> FakeUser:
        """A guild member without MANAGE_GUILD."""
        return self.cast.regular

    @property
    def guild(self) -> FakeGuild:
        """The test guild."""
        return self.cast.guild

    @property
    def channel(self) -> FakeChannel:
        """The guild's first text channel (#general)."""
        return self.cast.channel

    @property
    def second_channel(self) -> FakeChannel:
        """The guild's second text channel (#briefs)."""
        return self.cast.second_channel

    @property
    def admin_role(self) -> FakeRole:
        """The role granting MANAGE_GUILD."""
        return self.cast.admin_role

    @property
    def guilds(self) -> list[FakeGuild]:
        """Every guild the bot is in (two with `other_guild=True`)."""
        return self.cast.guilds

    @property
    def other_guild(self) -> FakeGuild:
        """The second guild (`Emulator(other_guild=True)`); none of the first guild's people
        are in it."""
        if self.cast.other_guild is None:
            raise RuntimeError("start the emulator with other_guild=True")
        return self.cast.other_guild

    def _other(self, index: int) -> FakeUser:
        self.other_guild  # noqa: B018 - raises a clear error when there is no other guild
        return self.cast.other_users[index]

    @property
    def other_owner(self) -> FakeUser:
        """The owner of the second guild."""
        return self._other(0)

    @property
    def other_manager(self) -> FakeUser:
        """A member of the second guild whose role grants MANAGE_GUILD there."""
        return self._other(1)

    @property
    def other_member(self) -> FakeUser:
        """A plain member of the second guild."""
        return self._other(2)

    @property
    def other_channel(self) -> FakeChannel:
        """The second guild's first text channel (#news)."""
        return self.other_guild.channels[0]

    @property
    def other_second_channel(self) -> FakeChannel:
        """The second guild's second text channel (#ask)."""
        return self.other_guild.channels[1]

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and a user (created on first use)."""
        return self.world.dm_channel(user)

    def add_members(self, count: int) -> list[FakeUser]:
        """Add `count` plain members (no roles) to the guild; only before a client connects,
        because a connected client would need GUILD_MEMBER_ADD events to learn of them."""
        self._before_any_connection("add members")
        return self.cast.add_members(count)

    def add_text_channels(self, count: int) -> list[FakeChannel]:
        """Add `count` text channels to the guild; only before a client connects (no
        CHANNEL_CREATE is sent), so they arrive with GUILD_CREATE."""
        self._before_any_connection("add text channels")
        return self.cast.add_text_channels(count)

    def _before_any_connection(self, what: str) -> None:
        if self.gateway.connections:
            raise RuntimeError(f"{what} before the client connects to the gateway")

    # -- what the client did ---------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every HTTP request received, in order."""
        return self.rest.log.items

    @property
    def schema_errors(self) -> list[str]:
        """Request bodies that Discord's OpenAPI spec (or Discord's limits) reject."""
        return self.rest.schema_errors

    @property
    def response_schema_errors(self) -> list[str]:
        """Emulator answers that do not match the spec: bugs in the emulator itself."""
        return self.rest.response_schema_errors

    @property
    def schema_validation_disabled_reason(self) -> str | None:
        """Why bodies are not validated (spec missing), or None when they are."""
        return self.validator.disabled_reason

    @property
    def gateway_frames(self) -> EventLog[GatewayFrame]:
        """Every payload the client sent over the gateway (tokens redacted)."""
        return self.gateway.frames

    @property
    def connections(self) -> list[GatewayConnection]:
        """Every gateway connection, in order."""
        return self.gateway.connections

    @property
    def identify_count(self) -> int:
        """Accepted IDENTIFYs (new sessions)."""
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        """RESUME attempts received."""
        return self.gateway.resume_count

    @property
    def resumed_count(self) -> int:
        """RESUMEs that succeeded (RESUMED sent)."""
        return self.gateway.resumed_count

    @property
    def identified_intents(self) -> int | None:
        """The intents of the latest session, or None before any IDENTIFY."""
        sessions = list(self.gateway.sessions.values())
        return sessions[-1].intents if sessions else None

    @property
    def identified_shard(self) -> list[int] | None:
        """The [shard_id, shard_count] of the latest IDENTIFY (None when not sharded)."""
        sessions = list(self.gateway.sessions.values())
        return sessions[-1].shard if sessions else None

    def bot_messages(self, channel: FakeChannel | None = None) -> list[dict[str, Any]]:
        """Current state of the messages the bot sent (and did not delete), oldest first."""
        return self.world.bot_messages(channel.id if channel else None)

    def replies_by_reference(self) -> Counter[str]:
        """How many messages the bot posted successfully as a reply to each message id."""
        counts: Counter[str] = Counter()
        for request in self.requests:
            if (
                request.method == "POST"
                and request.route == "/channels/{channel_id}/messages"
                and request.status == 200
                and isinstance(request.json, dict)
            ):
                reference = request.json.get("message_reference") or {}
                if reference.get("message_id") is not None:
                    counts[str(reference["message_id"])] += 1
        return counts

    def payload_dump(self) -> list[dict[str, Any]]:
        """Every message body the bot posted or edited, in order, grouped by what prompted it,
        in the shape `embed-preview` reads: [{"command", "kind", "messages": [...]}]. Each
        message is the bot's message as users saw it right after that post or edit (content,
        embeds, components, flags, message_reference), plus its id, "action" and "edited"."""
        return self.world.transcript_records()

    def write_payload_dump(self, path: Path) -> Path:
        """Write `payload_dump()` as JSON for `embed-preview PATH OUTDIR`; returns the path."""
        path.write_text(json.dumps(self.payload_dump(), indent=2, ensure_ascii=False), "utf-8")
        return path

    def interaction(self, sent: SentInteraction) -> InteractionState:
        """How the bot answered an interaction so far."""
        return self.world.interactions[sent.id]

    async def wait_for_request(
        self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0
    ) -> RecordedRequest:
        """First recorded request matching predicate (earlier ones too); TimeoutError lists all."""
        return await self.rest.log.wait_for(predicate, timeout, "request")

    async def wait_for_message(
        self, channel: FakeChannel | None = None, timeout: float = 5.0
    ) -> RecordedRequest:
        """The first successful POST of a message to a channel (any channel when None)."""

        def matches(r: RecordedRequest) -> bool:
            wanted = (
                r.route == "/channels/{channel_id}/messages"
                and r.method == "POST"
                and r.status == 200
            )
            return wanted and (channel is None or r.path == f"/channels/{channel.id}/messages")

        return await self.wait_for_request(matches, timeout)

    async def wait_for_interaction_response(
        self, sent: SentInteraction, timeout: float = 5.0
    ) -> RecordedRequest:
        """The bot's callback request for this interaction."""
        path = f"/interactions/{sent.id}/{sent.token}/callback"
        return await self.wait_for_request(lambda r: r.path == path, timeout)

    async def wait_for_gateway_frame(
        self, predicate: Callable[[GatewayFrame], bool], timeout: float = 5.0
    ) -> GatewayFrame:
        """The first gateway payload from the client matching predicate."""
        return await self.gateway.frames.wait_for(predicate, timeout, "gateway frame")

    async def wait_for_session(self, timeout: float = 5.0) -> None:
        """Wait until a client has identified or resumed on a still-open connection."""

        async def ready() -> None:
            while not self.gateway.live_connections():
                await asyncio.sleep(0.02)

        try:
            await asyncio.wait_for(ready(), timeout)
        except TimeoutError:
            opened = [f"{c.path} close={c.close_code}" for c in self.connections]
            raise TimeoutError(
                f"no gateway session within {timeout}s; connections: {opened}"
            ) from None

    # -- acting as users --------------------------------------------------------------------

    async def send_guild_message(
        self,
        author: FakeUser,
        content: str,
        channel: FakeChannel | None = None,
        *,
        mentions: Sequence[FakeUser] = (),
        reply_to: str | None = None,
    ) -> str:
        """A member posts in a guild channel (`<@id>` in content mentions); returns the id."""
        channel = channel or self.channel
        guild = self.cast.guild_of(channel)
        if guild is None or guild.member(author.id) is None:
            raise ValueError(f"{author.username} cannot post in {channel.name}")
        return await self._post(channel, author, content, mentions, reply_to)

    async def send_dm(self, author: FakeUser, content: str, *, reply_to: str | None = None) -> str:
        """A user DMs the bot. Returns the message id."""
        return await self._post(self.dm_channel(author), author, content, (), reply_to)

    async def _post(
        self,
        channel: FakeChannel,
        author: FakeUser,
        content: str,
        mentions: Sequence[FakeUser],
        reply_to: str | None,
    ) -> str:
        message = self.world.messages.add_user_message(
            channel, author, content, list(mentions), reply_to
        )
        self.world.user_posted(message)
        await self.world.publish("MESSAGE_CREATE", message)
        return str(message["id"])

    def message(self, message_id: str) -> dict[str, Any]:
        """The stored message as GET /channels/{c}/messages/{m} answers it (a copy)."""
        return copy.deepcopy(self._stored(message_id))

    def _stored(self, message_id: str) -> dict[str, Any]:
        message = self.world.messages.by_id.get(str(message_id))
        if message is None:
            gone = "was deleted" if message_id in self.world.deleted_ids else "does not exist"
            raise ValueError(f"message {message_id} {gone}")
        return message

    async def edit_message(self, message_id: str, content: str) -> None:
        """A user edits their message: the content changes, edited_timestamp is set and
        MESSAGE_UPDATE carries the full message."""
        message = self._stored(message_id)
        if message["author"]["id"] == self.bot_user.id:
            raise ValueError("users cannot edit the bot's messages")
        self.world.messages.edit(message, {"content": content})
        await self.world.publish("MESSAGE_UPDATE", message)

    async def delete_message(self, message_id: str) -> None:
        """A message is deleted (MESSAGE_DELETE with id, channel_id and guild_id)."""
        await self.world.publish_delete(self._stored(message_id))

    async def send_slash_command(
        self,
        author: FakeUser,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        dm: bool = False,
        channel: FakeChannel | None = None,
        check_access: bool = True,
    ) -> SentInteraction:
        """A user runs /name (INTERACTION_CREATE type 2) in a guild channel or the bot's DM."""
        return await self._interact(
            APPLICATION_COMMAND, author, name, options or {}, None, dm, channel, check_access
        )

    async def send_autocomplete(
        self,
        author: FakeUser,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        dm: bool = False,
        channel: FakeChannel | None = None,
    ) -> SentInteraction:
        """A user types into option `focused` of /name (INTERACTION_CREATE type 4)."""
        return await self._interact(AUTOCOMPLETE, author, name, options, focused, dm, channel, True)

    async def send_message_command(
        self,
        author: FakeUser,
        name: str,
        target_message_id: str,
        *,
        check_access: bool = True,
    ) -> SentInteraction:
        """A user picks Apps > `name` on a message (INTERACTION_CREATE type 2, data.type 3,
        data.target_id and the full message in data.resolved.messages)."""
        target = self._stored(target_message_id)
        where = self.world.channel(target["channel_id"])
        assert where is not None
        if check_access:
            self._check_sees(author, target, where)
        command = self.world.commands.find(name, where.guild_id, MESSAGE_COMMAND)
        if command is not None and check_access:
            check_command_access(command, self.cast, author, where)
        data: dict[str, Any] = {
            "id": command["id"] if command else self.world.ids.next(),
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: copy.deepcopy(target)}},
        }
        if command is not None and "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        state = self._new_interaction(APPLICATION_COMMAND, name, author, where, MESSAGE_COMMAND)
        state.message_id = target["id"]
        return await self._dispatch(state, data)

    async def click(
        self, user: FakeUser, message_id: str, custom_id: str, *, check: bool = True
    ) -> SentInteraction:
        """A user clicks the button `custom_id` on a message (INTERACTION_CREATE type 3).
        With check=False the button need not be there (a forged or stale custom_id)."""
        return await self._use_component(user, message_id, custom_id, comp.BUTTON, None, check)

    async def select(
        self,
        user: FakeUser,
        message_id: str,
        custom_id: str,
        values: Sequence[str],
        *,
        check: bool = True,
    ) -> SentInteraction:
        """A user picks `values` in the string select `custom_id` (INTERACTION_CREATE type 3).
        With check=False neither the menu nor the values are checked."""
        return await self._use_component(
            user, message_id, custom_id, comp.STRING_SELECT, list(values), check
        )

    async def _use_component(
        self,
        user: FakeUser,
        message_id: str,
        custom_id: str,
        kind: int,
        values: list[str] | None,
        check: bool,
    ) -> SentInteraction:
        message = self._stored(message_id)
        channel = self.world.channel(message["channel_id"])
        assert channel is not None
        component = comp.find(message, custom_id, kind)
        if check:
            self._check_sees(user, message, channel)
            comp.check_usable(component, custom_id, kind, values)
        label = (component or {}).get("label") or custom_id
        if values is not None:
            label = f"{label}: {', '.join(values)}"
        state = self._new_interaction(MESSAGE_COMPONENT, custom_id, user, channel, kind)
        state.message_id, state.label = message["id"], f"[{label}]"
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if values is not None:
            data["values"] = values
        return await self._dispatch(state, data, message)

    def _check_sees(self, user: FakeUser, message: dict[str, Any], channel: FakeChannel) -> None:
        """Raise ComponentNotAvailableError unless Discord shows this message to this user."""
        if channel.is_dm:
            visible = channel.recipient is not None and channel.recipient.id == user.id
        else:
            guild = self.cast.guild_of(channel)
            visible = guild is not None and guild.member(user.id) is not None
        if visible and message["flags"] & EPHEMERAL:
            # An ephemeral message is shown only to the user of its interaction.
            owner = next(
                (
                    i.user
                    for i in self.world.interactions.values()
                    if message["id"] == i.original_message_id or message["id"] in i.followup_ids
                ),
                None,
            )
            visible = owner is not None and owner.id == user.id
        if not visible:
            raise comp.ComponentNotAvailableError(
                f"{user.username} cannot see message {message['id']}"
            )

    async def _interact(
        self,
        kind: int,
        author: FakeUser,
        name: str,
        options: dict[str, Any],
        focused: str | None,
        dm: bool,
        channel: FakeChannel | None,
        enforce: bool,
    ) -> SentInteraction:
        where = self.dm_channel(author) if dm else (channel or self.channel)
        command = self.world.commands.find(name, where.guild_id)
        if command is not None and enforce:
            check_command_access(command, self.cast, author, where)
        state = self._new_interaction(kind, name, author, where, CHAT_INPUT)
        shown = " ".join(f"{k}:{_shown(v)}" for k, v in options.items())
        state.label = f"/{name} {shown}".strip()
        data = self._command_data(command, name, options, focused, self.cast.guild_of(where))
        return await self._dispatch(state, data)

    def _new_interaction(
        self, kind: int, name: str, user: FakeUser, channel: FakeChannel, subtype: int
    ) -> InteractionState:
        return InteractionState(
            self.world.ids.next(), new_token(), kind, name, user, channel, subtype=subtype
        )

    async def _dispatch(
        self,
        state: InteractionState,
        data: dict[str, Any],
        message: dict[str, Any] | None = None,
    ) -> SentInteraction:
        # Built before it is stored: a non-member raises CommandNotAvailableError here.
        payload = interaction_payload(self.cast, state, data, message)
        self.world.interactions[state.id] = state
        if state.type != AUTOCOMPLETE:
            self.world.user_interacted(state)
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(state.id, state.token)

    def _command_data(
        self,
        command: dict[str, Any] | None,
        name: str,
        options: dict[str, Any],
        focused: str | None,
        guild: FakeGuild | None,
    ) -> dict[str, Any]:
        # Unsynced commands still get an id, as a stale client cache would send.
        data: dict[str, Any] = {
            "id": command["id"] if command else self.world.ids.next(),
            "name": name,
            "type": 1,
        }
        builder = OptionBuilder(self.cast, focused, guild=guild)
        if options:
            data["options"] = builder.build(command.get("options") if command else None, options)
        if builder.resolved:
            data["resolved"] = builder.resolved
        if command is not None and "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        return data

    # -- faults --------------------------------------------------------------------------

    async def drop_gateway(self, code: int | None = None) -> None:
        """Cut gateway connections: abruptly (no close frame) by default, else with `code`."""
        await self.gateway.drop(code)

    async def send_reconnect(self) -> None:
        """Send opcode 7 RECONNECT; the client should reconnect and RESUME."""
        await self.gateway.send_reconnect()

    async def send_invalid_session(self, resumable: bool) -> None:
        """Send opcode 9; with resumable=False the session is gone and a new IDENTIFY is needed."""
        await self.gateway.send_invalid_session(resumable)

    def stop_heartbeat_acks(self) -> None:
        """Stop answering heartbeats (a zombied connection, from the client's view)."""
        self.gateway.acks_enabled = False

    def resume_heartbeat_acks(self) -> None:
        """Answer heartbeats again."""
        self.gateway.acks_enabled = True

    def fail_next_requests(
        self,
        method: str,
        path_regex: str,
        status: int,
        count: int = 1,
        retry_after: float | None = None,
        *,
        is_global: bool = False,
    ) -> FaultRule:
        """Answer the next `count` requests (method + path fullmatching the regex, path relative
        to /api/v10) with `status`: 429 with Discord's body and headers, or e.g. 500."""
        rule = FaultRule(method, re.compile(path_regex), status, count, retry_after, is_global)
        self.rest.faults.append(rule)
        return rule


def _shown(value: Any) -> str:
    """An option value as Discord's client shows it in "/name option:value"."""
    if isinstance(value, FakeUser):
        return f"@{value.username}"
    if isinstance(value, FakeChannel):
        return f"#{value.name}"
    if isinstance(value, FakeRole):
        return f"@{value.name}"
    return str(value)
