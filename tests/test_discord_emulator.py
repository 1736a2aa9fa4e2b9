"""Tests of the Discord emulator itself, driven by a real in-process discord.py client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.discord_emulator import CommandNotAvailableError, Emulator
from tests.discord_emulator.inprocess import (
    WAIT,
    EchoClient,
    default_intents,
    pointed_at,
    posted_to,
    running,
)
from tests.discord_emulator.intents import MESSAGE_CONTENT

pytestmark = pytest.mark.timeout(30)

MESSAGES_ROUTE = "/channels/{channel_id}/messages"


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A started emulator; afterwards, its own answers must have matched Discord's spec."""
    async with Emulator(heartbeat_interval_ms=1000) as emu:
        yield emu
        assert emu.response_schema_errors == []


async def test_login_ready_guild_members_and_permissions(emulator: Emulator) -> None:
    client = EchoClient(intents=default_intents(members=True))
    async with running(client, emulator):
        guild = client.get_guild(int(emulator.guild.id))
        assert guild is not None
        assert {m.id for m in guild.members} == {int(u.id) for u in emulator.cast.users}
        admin = guild.get_member(int(emulator.admin.id))
        regular = guild.get_member(int(emulator.regular.id))
        assert admin is not None and admin.guild_permissions.manage_guild
        assert regular is not None and not regular.guild_permissions.manage_guild
        assert {c.name for c in guild.text_channels} == {"general", "briefs"}
        assert client.application_id == int(emulator.application_id)
        assert client.application is not None
        assert client.application.owner.id == int(emulator.owner.id)
    assert emulator.identify_count == 1
    assert emulator.identified_intents is not None and emulator.identified_intents & MESSAGE_CONTENT
    first = emulator.connections[0]
    assert first.compression == "zlib-stream" and first.query["v"] == "10"
    login = emulator.requests[0]
    assert (login.method, login.path, login.status) == ("GET", "/users/@me", 200)
    assert login.headers["Authorization"] == "[redacted]"


async def test_guild_message_and_dm_replies_pass_openapi(emulator: Emulator) -> None:
    if emulator.schema_validation_disabled_reason:
        pytest.skip(emulator.schema_validation_disabled_reason)
    async with running(EchoClient(intents=default_intents()), emulator) as client:
        await emulator.send_guild_message(emulator.admin, "!echo hello")
        seen = await client.next_message()
        assert seen.content == "!echo hello" and seen.guild is not None
        reply = await emulator.wait_for_request(posted_to(emulator.channel.id), WAIT)
        assert reply.json["content"] == "echo: !echo hello"
        assert reply.json["embeds"][0]["title"] == "Echo"
        assert reply.route == MESSAGES_ROUTE and reply.schema_errors == []

        bot_message_id = reply.response["id"]
        await emulator.send_guild_message(emulator.regular, "thanks", reply_to=bot_message_id)
        answer = await client.next_message()
        assert answer.reference is not None and answer.reference.message_id == int(bot_message_id)
        assert client.user in answer.mentions
        await emulator.edit_message(str(answer.id), "thanks a lot")
        edited = await asyncio.wait_for(client.edits.get(), WAIT)
        assert edited.content == "thanks a lot" and edited.edited_at is not None

        dm_channel = emulator.dm_channel(emulator.regular)
        await emulator.send_dm(emulator.regular, "psst")
        assert (await client.next_message()).content == "psst"
        dm_reply = await emulator.wait_for_request(posted_to(dm_channel.id), WAIT)
        assert dm_reply.json["content"] == "echo: psst"

        await emulator.send_guild_message(emulator.regular, "!dm me")
        await client.next_message()
        await emulator.wait_for_request(lambda r: r.path == "/users/@me/channels", WAIT)
        await emulator.wait_for_request(
            lambda r: posted_to(dm_channel.id)(r) and r.json["content"] == "hello in private", WAIT
        )
    assert emulator.schema_errors == []
    assert [m["content"] for m in emulator.bot_messages()] == [
        "echo: !echo hello",
        "echo: psst",
        "hello in private",
    ]


async def test_without_message_content_intent_guild_content_is_empty(emulator: Emulator) -> None:
    async with running(EchoClient(intents=default_intents(content=False)), emulator) as client:
        await emulator.send_guild_message(emulator.admin, "secret plans")
        assert (await client.next_message()).content == ""
        await emulator.send_guild_message(emulator.admin, f"{emulator.bot_user.mention} hi")
        mentioned = await client.next_message()
        assert mentioned.content.endswith(" hi") and client.user in mentioned.mentions
        await emulator.send_dm(emulator.admin, "dm content")
        assert (await client.next_message()).content == "dm content"


async def test_intents_gate_guild_messages_and_dms(emulator: Emulator) -> None:
    intents = default_intents()
    intents.guild_messages = False
    async with running(EchoClient(intents=intents), emulator) as client:
        await emulator.send_guild_message(emulator.admin, "not for you")
        await emulator.send_dm(emulator.admin, "for you")
        assert (await client.next_message()).content == "for you"
    intents = default_intents()
    intents.dm_messages = False
    async with running(EchoClient(intents=intents), emulator) as client:
        await emulator.send_dm(emulator.admin, "not for you")
        await emulator.send_guild_message(emulator.admin, "for you")
        assert (await client.next_message()).content == "for you"


async def test_reconnect_and_dropped_socket_resume(emulator: Emulator) -> None:
    async with running(EchoClient(intents=default_intents()), emulator) as client:
        await emulator.send_reconnect()
        await emulator.wait_for_gateway_frame(lambda f: f.op == 6, WAIT)
        await emulator.send_guild_message(emulator.admin, "after reconnect")
        assert (await client.next_message()).content == "after reconnect"

        await emulator.wait_for_session(WAIT)
        await emulator.drop_gateway()
        # Sent while the client is disconnected: it must arrive through RESUME's replay.
        await emulator.send_guild_message(emulator.admin, "while dropped")
        assert (await client.next_message()).content == "while dropped"
    assert emulator.identify_count == 1
    assert emulator.resumed_count == 2
    assert [c.path for c in emulator.connections] == [
        "/gateway/",
        "/resume-gateway/",
        "/resume-gateway/",
    ]


async def test_invalid_session_not_resumable_identifies_again(emulator: Emulator) -> None:
    async with running(EchoClient(intents=default_intents()), emulator) as client:
        await emulator.send_invalid_session(resumable=False)
        await emulator.wait_for_gateway_frame(lambda f: f.op == 2 and f.connection == 1, WAIT)
        await emulator.wait_for_session(WAIT)
        await emulator.send_guild_message(emulator.admin, "new session")
        assert (await client.next_message()).content == "new session"
    assert (emulator.identify_count, emulator.resume_count) == (2, 0)


async def test_missed_heartbeat_acks_lead_to_resume() -> None:
    async with Emulator(heartbeat_interval_ms=300) as emu:
        client = EchoClient(intents=default_intents(), heartbeat_timeout=1.0)
        async with running(client, emu):
            emu.stop_heartbeat_acks()
            await emu.wait_for_gateway_frame(lambda f: f.op == 6, WAIT)
            emu.resume_heartbeat_acks()
            await emu.send_guild_message(emu.admin, "still here")
            assert (await client.next_message()).content == "still here"
        assert emu.resumed_count == 1


async def test_rate_limited_send_is_retried_and_delivered_once(emulator: Emulator) -> None:
    async with running(EchoClient(intents=default_intents()), emulator) as client:
        emulator.fail_next_requests("POST", r"/channels/\d+/messages", 429, retry_after=0.2)
        await emulator.send_guild_message(emulator.admin, "!echo once")
        await client.next_message()
        await emulator.wait_for_message(emulator.channel, WAIT)
    attempts = [r for r in emulator.requests if posted_to(emulator.channel.id)(r)]
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[0].response == {
        "message": "You are being rate limited.",
        "retry_after": 0.2,
        "global": False,
    }
    assert [m["content"] for m in emulator.bot_messages()] == ["echo: !echo once"]


async def test_disallowed_privileged_intent_is_refused() -> None:
    async with Emulator(allowed_privileged_intents=0) as emu:
        client = EchoClient(intents=default_intents())
        with pointed_at(emu), pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(client.start(emu.token), WAIT)
        await client.close()
        assert emu.connections[0].close_code == 4014


async def test_wrong_token_is_refused(emulator: Emulator) -> None:
    client = EchoClient(intents=default_intents())
    with pointed_at(emulator), pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    assert emulator.requests[0].status == 401


async def test_unknown_routes_and_faults_answer_discord_json(emulator: Emulator) -> None:
    headers = {"Authorization": f"Bot {emulator.token}"}
    emulator.fail_next_requests("GET", "/users/@me", 500)
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(emulator.api_base + "/guilds/1/bans") as resp:
            assert resp.status == 404 and resp.headers["Content-Type"] == "application/json"
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with http.get(emulator.api_base + "/users/@me") as resp:
            assert resp.status == 500 and (await resp.json())["code"] == 0
        async with http.get(emulator.api_base + "/users/@me") as resp:
            assert resp.status == 200
    with pytest.raises(TimeoutError, match="GET /guilds/1/bans -> 404"):
        await emulator.wait_for_request(lambda r: r.method == "DELETE", timeout=0.1)


async def test_invalid_bodies_are_reported(emulator: Emulator) -> None:
    if emulator.schema_validation_disabled_reason:
        pytest.skip(emulator.schema_validation_disabled_reason)
    headers = {"Authorization": f"Bot {emulator.token}"}
    url = f"{emulator.api_base}/channels/{emulator.channel.id}/messages"
    body = {"content": "x" * 2001, "embeds": [{"title": "t" * 300}]}
    async with aiohttp.ClientSession(headers=headers) as http, http.post(url, json=body) as resp:
        assert resp.status == 400
        assert (await resp.json())["code"] == 50035
    assert emulator.schema_errors == [
        f"POST /channels/{emulator.channel.id}/messages: "
        "embeds/0/title: maxLength 256 failed (got length 300)"
    ]


def test_missing_spec_disables_validation_with_reason() -> None:
    emu = Emulator(spec_path=Path("/nonexistent/openapi.json"))
    reason = emu.schema_validation_disabled_reason
    assert reason is not None and "/nonexistent/openapi.json" in reason


async def topic_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=f"{current} news", value=f"{current}-news")]


class CommandClient(EchoClient):
    """Registers and answers application commands like a typical discord.py bot."""

    def __init__(self, guild_id: int, **options: Any) -> None:
        super().__init__(**options)
        self.guild_id = guild_id
        self.tree.command(name="brief", description="Summarise a topic")(self.brief)
        self.tree.command(name="slow", description="Deferred answer")(self.slow)
        self.tree.command(name="whois", description="Describe a member")(self.whois)
        config: app_commands.Command[Any, ..., None] = app_commands.Command(
            name="config", description="Configure", callback=self.config
        )
        config.default_permissions = discord.Permissions(manage_guild=True)
        self.tree.add_command(config, guild=discord.Object(guild_id))

    async def setup_hook(self) -> None:
        await self.tree.sync()
        await self.tree.sync(guild=discord.Object(self.guild_id))

    @app_commands.autocomplete(topic=topic_choices)
    async def brief(self, interaction: discord.Interaction, topic: str, days: int = 1) -> None:
        await interaction.response.send_message(f"brief on {topic} for {days}d", ephemeral=True)
        await interaction.followup.send("and a followup")

    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="done thinking")

    async def whois(self, interaction: discord.Interaction, member: discord.Member) -> None:
        admin = member.guild_permissions.manage_guild
        await interaction.response.send_message(f"{member.name} admin={admin}")

    async def config(self, interaction: discord.Interaction) -> None:
        allowed = interaction.permissions.manage_guild
        await interaction.response.send_message(f"manage_guild={allowed}")


async def test_slash_commands_sync_and_respond(emulator: Emulator) -> None:
    client = CommandClient(int(emulator.guild.id), intents=default_intents())
    async with running(client, emulator):
        synced = await emulator.wait_for_request(
            lambda r: r.method == "PUT" and "guilds" in r.path, WAIT
        )
        assert [c["name"] for c in synced.response] == ["config"]

        sent = await emulator.send_slash_command(
            emulator.regular, "brief", {"topic": "ai", "days": 3}
        )
        callback = await emulator.wait_for_interaction_response(sent, WAIT)
        assert callback.query == {"with_response": "1"}
        assert callback.json["type"] == 4 and callback.json["data"]["flags"] == 64
        assert callback.json["data"]["content"] == "brief on ai for 3d"
        followup = await emulator.wait_for_request(
            lambda r: r.path.startswith(f"/webhooks/{emulator.application_id}/"), WAIT
        )
        assert followup.json["content"] == "and a followup" and followup.status == 200

        sent = await emulator.send_slash_command(emulator.admin, "slow", dm=True)
        edit = await emulator.wait_for_request(
            lambda r: r.method == "PATCH" and sent.token in r.path, WAIT
        )
        assert edit.json["content"] == "done thinking"
        assert emulator.interaction(sent).response_type == 5

        sent = await emulator.send_slash_command(emulator.admin, "config")
        callback = await emulator.wait_for_interaction_response(sent, WAIT)
        assert callback.json["data"]["content"] == "manage_guild=True"
        with pytest.raises(CommandNotAvailableError):
            await emulator.send_slash_command(emulator.regular, "config")

        sent = await emulator.send_slash_command(
            emulator.regular, "whois", {"member": emulator.admin}
        )
        callback = await emulator.wait_for_interaction_response(sent, WAIT)
        assert callback.json["data"]["content"] == "admin admin=True"

        sent = await emulator.send_autocomplete(
            emulator.regular, "brief", {"topic": "spa"}, focused="topic"
        )
        callback = await emulator.wait_for_interaction_response(sent, WAIT)
        assert callback.json == {
            "type": 8,
            "data": {"choices": [{"name": "spa news", "value": "spa-news"}]},
        }
    assert emulator.schema_errors == []
    assert [m["content"] for m in emulator.bot_messages()] == [
        "brief on ai for 3d",
        "and a followup",
        "done thinking",
        "manage_guild=True",
        "admin admin=True",
    ]
    dump = emulator.payload_dump()
    assert [(r["command"], r["kind"]) for r in dump] == [
        ("/brief topic:ai days:3", "slash"),
        ("/slow", "slash"),
        ("/config", "slash"),
        ("/whois member:@admin", "slash"),
    ]
    assert [m["content"] for m in dump[0]["messages"]] == ["brief on ai for 3d", "and a followup"]
    assert dump[0]["messages"][0]["flags"] == 64


async def test_interaction_endpoints_follow_discord_rules() -> None:
    async with Emulator(interaction_ack_seconds=0.3) as emu, aiohttp.ClientSession() as http:
        sent = await emu.send_slash_command(emu.admin, "brief", {"topic": "x"})
        callback = f"{emu.api_base}/interactions/{sent.id}/{sent.token}/callback"
        hook = f"{emu.api_base}/webhooks/{emu.application_id}/{sent.token}"
        async with http.post(hook, json={"content": "too early"}) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10015
        async with http.post(callback, json={"type": 5}) as resp:
            assert resp.status == 204
        async with http.post(callback, json={"type": 4, "data": {"content": "again"}}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 40060
        async with http.post(hook, params={"wait": "true"}, json={"content": "filled in"}) as resp:
            original = await resp.json()
            assert (
                resp.status == 200 and original["id"] == emu.interaction(sent).original_message_id
            )
        async with http.post(hook, params={"wait": "true"}, json={"content": "second"}) as resp:
            followup = await resp.json()
        async with http.patch(f"{hook}/messages/{followup['id']}", json={"content": "2nd"}) as resp:
            assert (await resp.json())["content"] == "2nd"
        async with http.delete(f"{hook}/messages/@original") as resp:
            assert resp.status == 204
        async with http.get(f"{hook}/messages/@original") as resp:
            assert resp.status == 404

        late = await emu.send_slash_command(emu.admin, "brief", {"topic": "y"})
        await asyncio.sleep(0.35)
        late_url = f"{emu.api_base}/interactions/{late.id}/{late.token}/callback"
        async with http.post(late_url, json={"type": 4, "data": {"content": "late"}}) as resp:
            assert resp.status == 404 and (await resp.json())["code"] == 10062
        assert [m["content"] for m in emu.bot_messages()] == ["2nd"]
        assert emu.schema_errors == [] and emu.response_schema_errors == []


async def test_channel_typing_and_message_edits(emulator: Emulator) -> None:
    auth = {"Authorization": f"Bot {emulator.token}"}
    channel_url = f"{emulator.api_base}/channels/{emulator.channel.id}"
    user_message = await emulator.send_guild_message(emulator.regular, "hi")
    async with aiohttp.ClientSession(headers=auth) as http:
        async with http.post(f"{channel_url}/typing") as resp:
            assert resp.status == 204
        async with http.post(f"{channel_url}/messages", json={"content": "v1"}) as resp:
            sent = await resp.json()
        async with http.patch(
            f"{channel_url}/messages/{sent['id']}", json={"content": "v2"}
        ) as resp:
            assert resp.status == 200 and (await resp.json())["edited_timestamp"] is not None
        async with http.patch(
            f"{channel_url}/messages/{user_message}", json={"content": "x"}
        ) as resp:
            assert resp.status == 403 and (await resp.json())["code"] == 50005
        async with http.post(f"{channel_url}/messages", json={"content": ""}) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 50006
    assert [m["content"] for m in emulator.bot_messages(emulator.channel)] == ["v2"]


async def test_a_second_guild_has_its_own_people_channels_and_permissions() -> None:
    async with Emulator(heartbeat_interval_ms=1000, other_guild=True) as emulator:
        other = emulator.other_guild
        client = CommandClient(int(other.id), intents=default_intents(members=True))
        async with running(client, emulator):
            creates = [
                frame
                for conn in emulator.connections
                for frame in conn.sent
                if frame.get("t") == "GUILD_CREATE"
            ]
            assert [frame["d"]["id"] for frame in creates] == [emulator.guild.id, other.id]
            second = client.get_guild(int(other.id))
            assert second is not None
            assert {c.name for c in second.text_channels} == {"news", "ask"}
            assert {m.id for m in second.members} == {
                int(u.id)
                for u in (
                    emulator.bot_user,
                    emulator.other_owner,
                    emulator.other_manager,
                    emulator.other_member,
                )
            }
            manager = second.get_member(int(emulator.other_manager.id))
            assert manager is not None and manager.guild_permissions.manage_guild
            assert second.get_member(int(emulator.admin.id)) is None  # no one crosses over

            await emulator.send_guild_message(
                emulator.other_member, "!echo hi", emulator.other_channel
            )
            seen = await client.next_message()
            assert seen.guild is not None and seen.guild.id == int(other.id)
            assert isinstance(seen.author, discord.Member)
            with pytest.raises(ValueError):
                await emulator.send_guild_message(emulator.admin, "hi", emulator.other_channel)

            # The guild command was synced to the second guild only; its managers are offered
            # it there, its plain members and the first guild's managers are not.
            synced = await emulator.wait_for_request(
                lambda r: r.method == "PUT" and other.id in r.path, WAIT
            )
            assert synced.status == 200
            sent = await emulator.send_slash_command(
                emulator.other_manager, "config", channel=emulator.other_channel
            )
            callback = await emulator.wait_for_interaction_response(sent, WAIT)
            assert callback.json["data"]["content"] == "manage_guild=True"
            interaction = emulator.interaction(sent)
            assert interaction.channel.guild_id == other.id
            with pytest.raises(CommandNotAvailableError):
                await emulator.send_slash_command(
                    emulator.other_member, "config", channel=emulator.other_channel
                )
        assert emulator.response_schema_errors == []
        assert emulator.schema_errors == []
