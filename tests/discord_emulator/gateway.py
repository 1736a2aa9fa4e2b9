"""The gateway websocket: HELLO/IDENTIFY/READY, heartbeats, RESUME with replay, faults."""

from __future__ import annotations

import asyncio
import copy
import json
import secrets
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import intents as it
from .cast import Cast, FakeGuild
from .log import REDACTED, EventLog, GatewayFrame

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE_UPDATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_INVALID_API_VERSION = 4012
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014

ZLIB_STREAM = "zlib-stream"
# Application flags for an unverified app allowed its privileged intents ("_LIMITED").
_APP_FLAG_FOR_INTENT = {
    it.GUILD_PRESENCES: 1 << 13,
    it.GUILD_MEMBERS: 1 << 15,
    it.MESSAGE_CONTENT: 1 << 19,
}


@dataclass
class GatewayConnection:
    """One websocket connection from the client."""

    index: int
    ws: web.WebSocketResponse
    request: web.Request
    path: str
    query: dict[str, str]
    compression: str | None
    opened_at: float = field(default_factory=time.time)
    closed_at: float | None = None
    close_code: int | None = None
    closed_by_server: bool = False
    session: GatewaySession | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    _compressor: Any = None

    def __post_init__(self) -> None:
        if self.compression == ZLIB_STREAM:
            self._compressor = zlib.compressobj()

    @property
    def open(self) -> bool:
        """True while the socket is usable."""
        return self.closed_at is None and not self.ws.closed

    async def send(self, payload: dict[str, Any]) -> bool:
        """Send one payload (zlib-stream: ends in a sync flush); False if the socket is gone."""
        if not self.open:
            return False
        text = json.dumps(payload, separators=(",", ":"))
        try:
            if self._compressor is None:
                await self.ws.send_str(text)
            else:
                data = self._compressor.compress(text.encode()) + self._compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)
        except (ConnectionError, RuntimeError):
            return False
        self.sent.append(payload)
        return True

    async def close(self, code: int, reason: str) -> None:
        """Close with a gateway close code, as Discord does on protocol errors."""
        self.closed_by_server = True
        # Keep our code: aiohttp would report the client's echo of the close frame.
        self.close_code = code
        await self.ws.close(code=code, message=reason.encode())

    def abort(self) -> None:
        """Drop the TCP connection without a close frame (a network failure)."""
        self.closed_by_server = True
        transport = self.request.transport
        if transport is not None:
            transport.abort()


@dataclass
class GatewaySession:
    """A gateway session: survives disconnects and can be resumed until invalidated."""

    session_id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    connection: GatewayConnection | None = None
    resumable: bool = True
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class GatewayConfig:
    """Gateway behaviour the emulator's owner chooses."""

    token: str
    heartbeat_interval_ms: int
    allowed_privileged_intents: int
    resume_gateway_url: str = ""


class Gateway:
    """Serves gateway websockets and delivers events to sessions, filtered by their intents."""

    def __init__(self, cast: Cast, config: GatewayConfig) -> None:
        self.cast = cast
        self.config = config
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[GatewayConnection] = []
        self.frames: EventLog[GatewayFrame] = EventLog(GatewayFrame.summary)
        self.identify_count = 0
        self.resume_count = 0
        self.resumed_count = 0
        self.acks_enabled = True

    # -- connection lifecycle -------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """aiohttp handler for the gateway (and resume gateway) URL."""
        ws = web.WebSocketResponse(max_msg_size=0)
        if not ws.can_prepare(request).ok:
            body = json.dumps({"message": "Expected a websocket upgrade", "code": 0}).encode()
            return web.Response(status=400, body=body, content_type="application/json")
        await ws.prepare(request)
        conn = self._open(request, ws)
        try:
            if await self._accept_query(conn):
                await conn.send(self._hello())
                await self._read_loop(conn)
        finally:
            self._closed(conn)
        return ws

    def _open(self, request: web.Request, ws: web.WebSocketResponse) -> GatewayConnection:
        query = dict(request.query)
        compress = query.get("compress")
        # zlib-stream is what discord.py asks for; anything else is declined by sending
        # plain text frames, which discord.py (and Discord's protocol) also accept.
        compression = ZLIB_STREAM if compress == ZLIB_STREAM else None
        conn = GatewayConnection(
            len(self.connections), ws, request, request.path, query, compression
        )
        self.connections.append(conn)
        return conn

    async def _accept_query(self, conn: GatewayConnection) -> bool:
        if conn.query.get("v", "10") not in ("9", "10"):
            await conn.close(CLOSE_INVALID_API_VERSION, "Invalid API version.")
            return False
        if conn.query.get("encoding", "json") != "json":
            await conn.close(CLOSE_DECODE_ERROR, "The emulator supports encoding=json only.")
            return False
        return True

    def _hello(self) -> dict[str, Any]:
        data = {
            "heartbeat_interval": self.config.heartbeat_interval_ms,
            "_trace": ['["emulator-gateway"]'],
        }
        return {"op": HELLO, "d": data, "s": None, "t": None}

    async def _read_loop(self, conn: GatewayConnection) -> None:
        async for msg in conn.ws:
            if msg.type is not WSMsgType.TEXT:
                await conn.close(CLOSE_DECODE_ERROR, "Error while decoding payload.")
                return
            try:
                payload = json.loads(msg.data)
                op = payload["op"]
            except (ValueError, KeyError, TypeError):
                await conn.close(CLOSE_DECODE_ERROR, "Error while decoding payload.")
                return
            await self.frames.append(
                GatewayFrame(conn.index, op, _redact(payload.get("d")), time.time())
            )
            await self._on_payload(conn, op, payload.get("d"))

    def _closed(self, conn: GatewayConnection) -> None:
        conn.closed_at = time.time()
        conn.close_code = conn.close_code or conn.ws.close_code
        session = conn.session
        if session is None or session.connection is not conn:
            return
        session.connection = None
        # A client closing with 1000/1001 ends its session for good, as on Discord.
        if not conn.closed_by_server and conn.close_code in (1000, 1001):
            session.resumable = False

    # -- opcodes ----------------------------------------------------------------

    async def _on_payload(self, conn: GatewayConnection, op: int, data: Any) -> None:
        if op == HEARTBEAT:
            if self.acks_enabled:
                await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif op not in (PRESENCE_UPDATE, VOICE_STATE_UPDATE, REQUEST_GUILD_MEMBERS):
            await conn.close(CLOSE_UNKNOWN_OPCODE, "Unknown opcode.")
        elif conn.session is None:
            await conn.close(CLOSE_NOT_AUTHENTICATED, "Not authenticated.")
        elif op == REQUEST_GUILD_MEMBERS:
            await self._request_members(conn.session, data or {})

    async def _identify(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        problem = self._identify_problem(conn, data)
        if problem is not None:
            await conn.close(*problem)
            return
        self.identify_count += 1
        self._expire_detached_sessions()
        session = GatewaySession(secrets.token_hex(16), data["intents"], data.get("shard"))
        self.sessions[session.session_id] = session
        session.connection, conn.session = conn, session
        await self._emit(session, "READY", self._ready(session))
        if not session.intents & it.GUILDS:
            return
        for guild in self._guilds_of(session):
            members = it.guild_create_members(guild.members, session.intents, self.cast.bot_user.id)
            await self._emit(session, "GUILD_CREATE", guild.create_payload(members))

    def _identify_problem(
        self, conn: GatewayConnection, data: dict[str, Any]
    ) -> tuple[int, str] | None:
        if conn.session is not None:
            return CLOSE_ALREADY_AUTHENTICATED, "Already authenticated."
        if data.get("token") != self.config.token:
            return CLOSE_AUTHENTICATION_FAILED, "Authentication failed."
        intents = data.get("intents")
        if not isinstance(intents, int) or isinstance(intents, bool) or intents < 0:
            return CLOSE_INVALID_INTENTS, "Invalid intent(s)."
        if intents & it.PRIVILEGED & ~self.config.allowed_privileged_intents:
            return CLOSE_DISALLOWED_INTENTS, "Disallowed intent(s)."
        shard = data.get("shard")
        if shard is not None and not (
            isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]
        ):
            return CLOSE_INVALID_SHARD, "Invalid shard."
        return None

    def _expire_detached_sessions(self) -> None:
        # A fresh IDENTIFY means the client gave up on sessions it is not connected to;
        # Discord would time them out, so stop buffering events for them.
        for session in self.sessions.values():
            if session.connection is None:
                session.resumable = False

    def _guilds_of(self, session: GatewaySession) -> list[FakeGuild]:
        """The guilds a session's shard serves (Discord's rule: (guild_id >> 22) % count)."""
        if session.shard is None:
            return self.cast.guilds
        shard_id, count = session.shard
        return [g for g in self.cast.guilds if (int(g.id) >> 22) % count == shard_id]

    def _ready(self, session: GatewaySession) -> dict[str, Any]:
        flags = sum(
            bit
            for intent, bit in _APP_FLAG_FOR_INTENT.items()
            if intent & self.config.allowed_privileged_intents
        )
        guilds = [{"id": guild.id, "unavailable": True} for guild in self._guilds_of(session)]
        ready: dict[str, Any] = {
            "v": 10,
            "user": self.cast.bot_user.private_payload(),
            "user_settings": {},
            "guilds": guilds,
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.config.resume_gateway_url,
            "application": {"id": self.cast.application_id, "flags": flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam", "frankfurt"],
            "auth": {},
            "_trace": ['["emulator-gateway"]'],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        return ready

    async def _resume(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        self.resume_count += 1
        if data.get("token") != self.config.token:
            await conn.close(CLOSE_AUTHENTICATION_FAILED, "Authentication failed.")
            return
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or not session.resumable:
            await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        previous = session.connection
        if previous is not None and previous is not conn:
            previous.session = None
            await previous.close(4000, "Session resumed elsewhere.")
        client_seq = data.get("seq") or 0
        async with session.lock:
            session.connection, conn.session = conn, session
            for payload in [p for p in session.events if p["s"] > client_seq]:
                await conn.send(payload)
            await self._emit_locked(session, "RESUMED", {"_trace": ['["emulator-gateway"]']})
        self.resumed_count += 1

    async def _request_members(self, session: GatewaySession, data: dict[str, Any]) -> None:
        guild = self.cast.guild_by_id(data.get("guild_id"))
        if guild is None:
            return
        members = list(guild.members)
        user_ids = data.get("user_ids")
        if user_ids is not None:
            wanted = {str(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
            members = [m for m in members if m.user.id in wanted]
        else:
            query = str(data.get("query") or "").lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
            # Listing everyone needs GUILD_MEMBERS; without it the client learns nothing.
            if not query and not session.intents & it.GUILD_MEMBERS:
                members = []
            limit = data.get("limit") or 0
            members = members[:limit] if limit else members
        chunk: dict[str, Any] = {
            "guild_id": guild.id,
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if user_ids is not None:
            chunk["not_found"] = sorted(wanted - {m.user.id for m in members})
        if data.get("presences"):
            chunk["presences"] = []
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self._emit(session, "GUILD_MEMBERS_CHUNK", chunk)

    # -- delivery -----------------------------------------------------------------

    async def _emit(self, session: GatewaySession, event: str, data: dict[str, Any]) -> None:
        async with session.lock:
            await self._emit_locked(session, event, data)

    async def _emit_locked(self, session: GatewaySession, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        # Buffer everything so a RESUME can replay what a dropped connection missed.
        session.events.append(payload)
        if session.connection is not None:
            await session.connection.send(payload)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send an event to every live session that may see it; returns how many got it."""
        delivered = 0
        for session in list(self.sessions.values()):
            if not session.resumable:
                continue
            seen = it.filter_event(event, data, session.intents, self.cast.bot_user.id)
            if seen is not None:
                await self._emit(session, event, copy.deepcopy(seen))
                delivered += 1
        return delivered

    def live_connections(self) -> list[GatewayConnection]:
        """Open connections that have identified or resumed."""
        return [c for c in self.connections if c.open and c.session is not None]

    # -- faults ---------------------------------------------------------------------

    async def send_reconnect(self) -> None:
        """Ask every client to reconnect and resume (opcode 7)."""
        for conn in self.live_connections():
            await conn.send({"op": RECONNECT, "d": None, "s": None, "t": None})

    async def send_invalid_session(self, resumable: bool) -> None:
        """Send opcode 9; when not resumable the sessions are discarded, as Discord does."""
        for conn in self.live_connections():
            if not resumable and conn.session is not None:
                conn.session.resumable = False
            await conn.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})

    async def drop(self, code: int | None = None) -> None:
        """Cut every open connection: abruptly when code is None, else with that close code."""
        for conn in [c for c in self.connections if c.open]:
            if code is None:
                conn.abort()
                # Detach now, not when aiohttp notices: waits for the next session must
                # not mistake the dying connection for a live one.
                self._closed(conn)
            else:
                await conn.close(code, "Closed by the emulator.")

    async def close_all(self) -> None:
        """Close every connection with 1001 (going away) when the emulator stops."""
        for conn in [c for c in self.connections if c.open]:
            await conn.close(1001, "Emulator stopping.")


def _redact(data: Any) -> Any:
    if isinstance(data, dict) and "token" in data:
        return {**data, "token": REDACTED}
    return data
