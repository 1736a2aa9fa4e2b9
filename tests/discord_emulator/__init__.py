"""A small Discord API emulator (REST + gateway on 127.0.0.1) for end-to-end bot tests.

A real, unpatched discord.py client logs into it once `discord.http.Route.BASE` is set to
`Emulator.api_base` and `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` to
`yarl.URL(Emulator.gateway_url)`.
"""

from .cast import Cast, FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser
from .components import ComponentNotAvailableError
from .emulator import DEFAULT_TOKEN, Emulator
from .faults import FaultRule
from .interactions import CommandNotAvailableError, InteractionState, SentInteraction
from .log import GatewayFrame, RecordedRequest

__all__ = [
    "DEFAULT_TOKEN",
    "Cast",
    "CommandNotAvailableError",
    "ComponentNotAvailableError",
    "Emulator",
    "FakeChannel",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "FaultRule",
    "GatewayFrame",
    "InteractionState",
    "RecordedRequest",
    "SentInteraction",
]
