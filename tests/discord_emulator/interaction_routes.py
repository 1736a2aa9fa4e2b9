"""REST endpoints of interaction responses: the callback and the followup webhook."""

from __future__ import annotations

import time
from typing import Any

from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CHAT_INPUT,
    MESSAGE_COMMAND,
    MESSAGE_COMPONENT,
    InteractionState,
)
from .messages import (
    CHAT_INPUT_COMMAND,
    CONTEXT_MENU_COMMAND,
    DEFAULT,
    EPHEMERAL,
    LOADING,
    limit_problem,
)
from .replies import Reply, error, field_error
from .rest import Call, RestServer
from .world import World

CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
# Callback types Discord accepts for each interaction type we emulate.
_ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
}

UNKNOWN_INTERACTION = error(404, 10062, "Unknown interaction")
ALREADY_ACKNOWLEDGED = error(400, 40060, "Interaction has already been acknowledged.")
UNKNOWN_WEBHOOK = error(404, 10015, "Unknown Webhook")
UNKNOWN_MESSAGE = error(404, 10008, "Unknown Message")
NOT_AUTHOR = error(403, 50005, "Cannot edit a message authored by another user")


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true")


class InteractionRoutes:
    """Callback and webhook endpoints, tracking each interaction's response state."""

    def __init__(self, world: World) -> None:
        self.world = world

    def install(self, server: RestServer) -> None:
        """Register every endpoint of this group (token-authenticated, no bot auth)."""
        server.add(
            "POST", "/interactions/{interaction_id}/{token}/callback", self.callback, auth=False
        )
        server.add("POST", "/webhooks/{app_id}/{token}", self.followup, auth=False)
        for ref in ("@original", "{message_id}"):
            template = f"/webhooks/{{app_id}}/{{token}}/messages/{ref}"
            server.add("GET", template, self.get_message, auth=False)
            server.add("PATCH", template, self.edit_message, auth=False)
            server.add("DELETE", template, self.delete_message, auth=False)

    # -- callback ---------------------------------------------------------------------

    async def callback(self, call: Call) -> Reply:
        """POST /interactions/{id}/{token}/callback: the bot's initial response."""
        state = self.world.interactions.get(call.params["interaction_id"])
        if state is None or state.token != call.params["token"]:
            return UNKNOWN_INTERACTION
        # Discord forgets an interaction not acknowledged within 3 seconds.
        if time.monotonic() - state.created_at > self.world.interaction_ack_seconds:
            return UNKNOWN_INTERACTION
        if state.acknowledged:
            return ALREADY_ACKNOWLEDGED
        body = call.body if isinstance(call.body, dict) else {}
        problem = self._callback_problem(state, body)
        if problem is not None:
            return problem
        message = None
        if body["type"] in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            message, problem = self._interacted(state, body)
            if problem is not None or message is None:
                return problem or UNKNOWN_MESSAGE
        state.response_type = body["type"]
        if body["type"] in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            message = await self._create_original(state, body.get("data") or {}, body["type"])
        elif message is not None:
            # After a type 6 or 7, @original is the message the component is on.
            state.original_message_id = message["id"]
            if body["type"] == UPDATE_MESSAGE:
                await self._edit(message, body.get("data") or {}, state)
        if not _truthy(call.record.query.get("with_response")):
            return Reply(204)
        return Reply(200, callback_response(state, body["type"], message))

    def _callback_problem(self, state: InteractionState, body: dict[str, Any]) -> Reply | None:
        allowed = _ALLOWED_CALLBACKS.get(state.type, set())
        if body.get("type") not in allowed:
            detail = field_error("BASE_TYPE_CHOICES", f"Value must be one of {sorted(allowed)}.")
            return error(400, 50035, "Invalid Form Body", {"type": detail})
        if body["type"] == CHANNEL_MESSAGE:
            return limit_problem(body.get("data") or {}, require_content=True)
        if body["type"] == UPDATE_MESSAGE:
            return limit_problem(body.get("data") or {}, require_content=False)
        return None

    def _interacted(
        self, state: InteractionState, body: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, Reply | None]:
        """The component's message, which a type 6 or 7 answer acknowledges or edits."""
        message = self.world.messages.by_id.get(state.message_id or "")
        if message is None:
            return None, UNKNOWN_MESSAGE
        bot_id = self.world.cast.bot_user.id
        if body["type"] == UPDATE_MESSAGE and message["author"]["id"] != bot_id:
            return None, NOT_AUTHOR
        return message, None

    async def _create_original(
        self, state: InteractionState, data: dict[str, Any], kind: int
    ) -> dict[str, Any]:
        ephemeral = bool((data.get("flags") or 0) & EPHEMERAL)
        body = data if kind == CHANNEL_MESSAGE else {"content": ""}
        message = self.world.messages.add_bot_message(
            state.channel, body, self._extra(state, original=True)
        )
        message["flags"] |= (EPHEMERAL if ephemeral else 0) | (
            LOADING if kind == DEFERRED_CHANNEL_MESSAGE else 0
        )
        state.original_message_id = message["id"]
        self.world.bot_message_ids.append(message["id"])
        if kind == CHANNEL_MESSAGE:
            self.world.record(message, state.id, "create")
        if not ephemeral:
            await self.world.publish("MESSAGE_CREATE", message)
        return message

    def _extra(self, state: InteractionState, *, original: bool) -> dict[str, Any]:
        app_id = self.world.cast.application_id
        owner = state.channel.guild_id or "0"
        metadata: dict[str, Any] = {
            "id": state.id,
            "type": state.type,
            "user": state.user.payload(),
            "authorizing_integration_owners": {"0": owner},
        }
        extra: dict[str, Any] = {
            "type": _original_type(state) if original else DEFAULT,
            "webhook_id": app_id,
            "application_id": app_id,
            "interaction_metadata": metadata,
        }
        if state.type == MESSAGE_COMPONENT:
            metadata["interacted_message_id"] = state.message_id
            if original:
                # A component's new response shows as a reply to the component's message.
                self._reply_to_interacted(extra, state)
        elif state.subtype == MESSAGE_COMMAND:
            metadata["target_message_id"] = state.message_id
        if original and state.type == APPLICATION_COMMAND:
            extra["interaction"] = {
                "id": state.id,
                "type": state.type,
                "name": state.name,
                "user": state.user.payload(),
            }
        if not original:
            metadata["original_response_message_id"] = state.original_message_id
        return extra

    def _reply_to_interacted(self, extra: dict[str, Any], state: InteractionState) -> None:
        reply: dict[str, Any] = {"mentions": []}
        self.world.messages.attach_reply(reply, state.channel, state.message_id or "", ping=False)
        if reply["referenced_message"] is not None:
            extra.update(
                type=reply["type"],
                message_reference=reply["message_reference"],
                referenced_message=reply["referenced_message"],
            )

    # -- webhook ------------------------------------------------------------------------

    def _state(self, call: Call) -> InteractionState | None:
        if call.params["app_id"] != self.world.cast.application_id:
            return None
        state = self.world.interaction_by_token(call.params["token"])
        # Followups only work once the interaction has been acknowledged.
        return state if state is not None and state.acknowledged else None

    async def followup(self, call: Call) -> Reply:
        """POST /webhooks/{app_id}/{token}: a followup (the first one after a defer fills it in)."""
        state = self._state(call)
        body = dict(call.body) if isinstance(call.body, dict) else {}
        if state is None:
            return UNKNOWN_WEBHOOK
        problem = limit_problem(body, require_content=True)
        if problem is not None:
            return problem
        original = self._message(state, "@original")
        if original is not None and original["flags"] & LOADING:
            filling = {k: v for k, v in body.items() if k != "flags"}
            message = await self._edit(original, filling, state)
        else:
            message = await self._create_followup(state, body)
        return Reply(200, message) if _truthy(call.record.query.get("wait")) else Reply(204)

    async def _create_followup(
        self, state: InteractionState, body: dict[str, Any]
    ) -> dict[str, Any]:
        message = self.world.messages.add_bot_message(
            state.channel, body, self._extra(state, original=False)
        )
        state.followup_ids.append(message["id"])
        self.world.bot_message_ids.append(message["id"])
        self.world.record(message, state.id, "create")
        if not message["flags"] & EPHEMERAL:
            await self.world.publish("MESSAGE_CREATE", message)
        return message

    def _message(self, state: InteractionState, ref: str) -> dict[str, Any] | None:
        message_id = state.original_message_id if ref == "@original" else ref
        if message_id is None or (
            message_id != state.original_message_id and message_id not in state.followup_ids
        ):
            return None
        return self.world.messages.by_id.get(message_id)

    def _target(
        self, call: Call
    ) -> tuple[InteractionState | None, dict[str, Any] | None, Reply | None]:
        state = self._state(call)
        if state is None:
            return None, None, UNKNOWN_WEBHOOK
        message = self._message(state, call.params.get("message_id", "@original"))
        return (state, message, None) if message is not None else (state, None, UNKNOWN_MESSAGE)

    async def get_message(self, call: Call) -> Reply:
        """GET .../messages/@original or /{id}."""
        _, message, problem = self._target(call)
        return problem or Reply(200, message)

    async def edit_message(self, call: Call) -> Reply:
        """PATCH .../messages/@original or /{id}: edits finish a deferred 'thinking' message;
        after a type 6 or 7, @original is the component's message."""
        state, message, problem = self._target(call)
        body = call.body if isinstance(call.body, dict) else {}
        problem = problem or limit_problem(body, require_content=False)
        if message is not None and message["author"]["id"] != self.world.cast.bot_user.id:
            problem = problem or NOT_AUTHOR
        if problem is not None or message is None or state is None:
            return problem or UNKNOWN_MESSAGE
        return Reply(200, await self._edit(message, body, state))

    async def _edit(
        self, message: dict[str, Any], body: dict[str, Any], state: InteractionState
    ) -> dict[str, Any]:
        was_loading = bool(message["flags"] & LOADING)
        self.world.messages.edit(message, body)
        message["flags"] &= ~LOADING
        if was_loading:
            # Finishing a deferred response is not an edit in Discord's eyes.
            message["edited_timestamp"] = None
        self.world.record(message, state.id, "create" if was_loading else "edit")
        if not message["flags"] & EPHEMERAL:
            await self.world.publish("MESSAGE_UPDATE", message)
        return message

    async def delete_message(self, call: Call) -> Reply:
        """DELETE .../messages/@original or /{id}."""
        _, message, problem = self._target(call)
        if problem is not None or message is None:
            return problem or UNKNOWN_MESSAGE
        if message["flags"] & EPHEMERAL:
            self.world.messages.by_id.pop(message["id"], None)
        else:
            await self.world.publish_delete(message)
        return Reply(204)


def callback_response(
    state: InteractionState, kind: int, message: dict[str, Any] | None
) -> dict[str, Any]:
    """The InteractionCallbackResponse body of `?with_response=true`."""
    interaction: dict[str, Any] = {"id": state.id, "type": state.type}
    if message is not None:
        interaction["response_message_id"] = message["id"]
        interaction["response_message_loading"] = bool(message["flags"] & LOADING)
        interaction["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
    response: dict[str, Any] = {"interaction": interaction}
    # Per Discord's spec a sent or updated message is a resource; a deferred one is not (yet).
    if message is not None and kind in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
        response["resource"] = {"type": kind, "message": message}
    return response


def _original_type(state: InteractionState) -> int:
    """The message type of an interaction's first response message."""
    if state.type == MESSAGE_COMPONENT:
        return DEFAULT  # becomes REPLY when the component's message still exists
    return CHAT_INPUT_COMMAND if state.subtype == CHAT_INPUT else CONTEXT_MENU_COMMAND
