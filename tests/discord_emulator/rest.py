"""HTTP plumbing: routing, auth, recording, schema checks, injected faults, JSON answers."""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .faults import FaultRule, fault_answer
from .log import REDACTED, EventLog, RecordedRequest
from .openapi import SpecValidator
from .replies import Reply, error

API_PREFIX = "/api/v10"
JSON = "application/json"


NOT_FOUND = error(404, 0, "404: Not Found")


@dataclass
class Call:
    """What a route handler gets: the recorded request, path parameters and JSON body."""

    record: RecordedRequest
    params: dict[str, str]

    @property
    def body(self) -> Any:
        """The parsed JSON body (None when there was none)."""
        return self.record.json


Handler = Callable[[Call], Awaitable[Reply]]


@dataclass
class Route:
    """One emulated endpoint."""

    method: str
    template: str
    handler: Handler
    auth: bool
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        parts = [
            f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p)
            for p in self.template.split("/")
        ]
        self.pattern = re.compile("/".join(parts))

    @property
    def literal_segments(self) -> int:
        """How many fixed segments the template has; more literal templates win."""
        return sum(1 for p in self.template.split("/") if p and not p.startswith("{"))


@dataclass
class RestOptions:
    """REST behaviour chosen by the emulator's owner."""

    token: str
    reject_invalid_bodies: bool
    # Requests per one-second window advertised for each route and channel (X-RateLimit-*).
    rate_limit: int = 5


class RestServer:
    """Answers every /api/v10 request and records it, including ones it does not know."""

    def __init__(self, options: RestOptions, validator: SpecValidator) -> None:
        self.options = options
        self.validator = validator
        self.routes: list[Route] = []
        self.faults: list[FaultRule] = []
        self.log: EventLog[RecordedRequest] = EventLog(RecordedRequest.summary)
        self.schema_errors: list[str] = []
        self.response_schema_errors: list[str] = []

    def add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        """Register an endpoint; `auth=False` for token-authenticated webhook routes."""
        self.routes.append(Route(method, template, handler, auth))
        self.routes.sort(key=lambda r: -r.literal_segments)

    async def handle(self, request: web.Request) -> web.Response:
        """aiohttp catch-all handler."""
        record = await self._record(request)
        reply = await self._answer(record, request)
        record.status, record.response = reply.status, reply.body
        self._check_response(record)
        await self.log.append(record)
        bucket = _bucket(f"{record.method} {record.route or record.path}")
        return _to_web(reply, bucket, self.options.rate_limit)

    async def _record(self, request: web.Request) -> RecordedRequest:
        path = request.path
        api_path = path[len(API_PREFIX) :] if path.startswith(API_PREFIX + "/") else path
        headers = {
            k: (REDACTED if k.lower() == "authorization" else v) for k, v in request.headers.items()
        }
        record = RecordedRequest(
            request.method, api_path, dict(request.query), None, headers, time.time()
        )
        raw = await request.read()
        if raw and request.content_type == JSON:
            try:
                record.json = json.loads(raw)
            except ValueError:
                record.schema_errors.append("(body): not valid JSON")
        elif raw:
            record.schema_errors.append(f"(body): {request.content_type} not handled (JSON only)")
        return record

    async def _answer(self, record: RecordedRequest, request: web.Request) -> Reply:
        if not request.path.startswith(API_PREFIX + "/"):
            return NOT_FOUND
        route, params = self._route(record.method, record.path)
        if route is None:
            return NOT_FOUND if params is None else error(405, 0, "405: Method Not Allowed")
        record.route = route.template
        self._validate(record)
        if route.auth and request.headers.get("Authorization") != f"Bot {self.options.token}":
            return error(401, 0, "401: Unauthorized")
        injected = self._take_fault(record, route)
        if injected is not None:
            return injected
        if record.schema_errors and self.options.reject_invalid_bodies:
            problems = {"_errors": [{"code": "SCHEMA", "message": e} for e in record.schema_errors]}
            return error(400, 50035, "Invalid Form Body", problems)
        if any("not handled" in e or "not valid JSON" in e for e in record.schema_errors):
            return error(400, 50109, "The request body contains invalid JSON.")
        return await route.handler(Call(record, params or {}))

    def _route(self, method: str, path: str) -> tuple[Route | None, dict[str, str] | None]:
        path_known = False
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match is None:
                continue
            if route.method == method:
                return route, match.groupdict()
            path_known = True
        return None, ({} if path_known else None)

    def _validate(self, record: RecordedRequest) -> None:
        if record.json is not None:
            record.schema_errors.extend(
                self.validator.validate_request(record.method, record.path, record.json)
            )
        for problem in record.schema_errors:
            self.schema_errors.append(f"{record.method} {record.path}: {problem}")

    def _take_fault(self, record: RecordedRequest, route: Route) -> Reply | None:
        for rule in self.faults:
            if rule.take(record.method, record.path):
                answer = fault_answer(rule, _bucket(f"{route.method} {route.template}"))
                return Reply(answer.status, answer.body, answer.headers)
        return None

    def _check_response(self, record: RecordedRequest) -> None:
        # Our own answers must look like Discord's, or tests would prove little.
        if record.route is None or record.status is None or record.status >= 300:
            return
        for problem in self.validator.validate_response(
            record.method, record.path, record.status, record.response
        ):
            self.response_schema_errors.append(
                f"{record.method} {record.route} -> {record.status}: {problem}"
            )


def _bucket(route_key: str) -> str:
    return hashlib.sha1(route_key.encode()).hexdigest()[:16]


def _rate_limit_headers(bucket: str, limit: int) -> dict[str, str]:
    # Room left after every answer, so one request at a time never waits; discord.py still
    # paces concurrent requests to `limit` per second and per channel, as Discord makes it.
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(limit - 1),
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": bucket,
    }


def _to_web(reply: Reply, bucket: str, limit: int) -> web.Response:
    headers = dict(reply.headers)
    if reply.status < 300:
        headers.update(_rate_limit_headers(bucket, limit))
    if reply.body is None:
        return web.Response(status=reply.status if reply.status != 200 else 204, headers=headers)
    # Exactly "application/json": discord.py parses JSON only for that value, and
    # aiohttp's json_response would append "; charset=utf-8".
    body = json.dumps(reply.body).encode()
    return web.Response(status=reply.status, body=body, headers=headers, content_type=JSON)
