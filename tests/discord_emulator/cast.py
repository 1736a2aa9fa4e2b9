"""The fixed cast of test data: bot, owner, guilds, channels, roles and members.

Ids are constant so tests and logs are reproducible from run to run. There is always one
guild; `Cast.add_other_guild` adds a second with people of its own, for tests of what one
server may see of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import permissions as perms
from .ids import snowflake_at

GUILD_TEXT = 0
DM = 1

# 2024-03-01T00:00:00Z: a fixed creation time for every cast id.
_CAST_EPOCH_MS = 1_709_251_200_000
_JOINED_AT = "2024-03-01T00:00:00.000000+00:00"
# Cast id counters: the fixed cast uses 1-21 (the other guild 5-7 and 30-41), DM channels
# 100 + the user's index (< 600), extra members and extra channels get their own ranges so no
# two ids ever collide.
MAX_EXTRAS = 500
_EXTRA_USER_IDS = 1000
_EXTRA_CHANNEL_IDS = 2000


def cast_id(n: int) -> str:
    """Return the n-th fixed snowflake of the cast."""
    return snowflake_at(_CAST_EPOCH_MS, n)


@dataclass(frozen=True)
class FakeUser:
    """A Discord user (a person or the bot)."""

    id: str
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        """The `<@id>` token Discord uses to mention this user in message content."""
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        """The user object as Discord serialises it in messages and events."""
        data: dict[str, Any] = {
            "id": self.id,
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    def private_payload(self) -> dict[str, Any]:
        """The user object of GET /users/@me (the current user, with private fields)."""
        return {**self.payload(), "mfa_enabled": False, "locale": "en-US", "verified": True}


@dataclass(frozen=True)
class FakeRole:
    """A guild role; the @everyone role has the guild's id."""

    id: str
    name: str
    permissions: int
    position: int
    bot_id: str | None = None

    def payload(self) -> dict[str, Any]:
        """The role object of GUILD_CREATE."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": self.bot_id}
        return data


@dataclass(frozen=True)
class FakeChannel:
    """A guild text channel or a DM channel between the bot and one user."""

    id: str
    type: int
    name: str | None = None
    guild_id: str | None = None
    position: int = 0
    recipient: FakeUser | None = None

    @property
    def is_dm(self) -> bool:
        """True for a DM channel."""
        return self.type == DM

    def payload(self) -> dict[str, Any]:
        """The channel object as REST answers it (GUILD_CREATE drops guild_id)."""
        if self.recipient is not None:
            return {
                "id": self.id,
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.recipient.payload()],
            }
        return {
            "id": self.id,
            "type": self.type,
            "guild_id": self.guild_id,
            "name": self.name,
            "position": self.position,
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "permission_overwrites": [],
            "flags": 0,
        }


@dataclass(frozen=True)
class FakeMember:
    """A user's membership in the guild."""

    user: FakeUser
    role_ids: tuple[str, ...] = ()
    nick: str | None = None

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        """The guild member object; MESSAGE_CREATE's `member` omits `user`."""
        data: dict[str, Any] = {
            "roles": list(self.role_ids),
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": _JOINED_AT,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class FakeGuild:
    """A test guild: its roles, channels and members."""

    id: str
    name: str
    owner_id: str
    roles: list[FakeRole]
    channels: list[FakeChannel]
    members: list[FakeMember]

    def member(self, user_id: str) -> FakeMember | None:
        """The member with this user id, if they are in the guild."""
        return next((m for m in self.members if m.user.id == user_id), None)

    def channel(self, channel_id: str) -> FakeChannel | None:
        """The guild channel with this id."""
        return next((c for c in self.channels if c.id == channel_id), None)

    def role(self, role_id: str) -> FakeRole | None:
        """The role with this id."""
        return next((r for r in self.roles if r.id == role_id), None)

    def permissions_of(self, user_id: str) -> int:
        """Base guild permissions: owner gets all, else @everyone OR the member's roles."""
        if user_id == self.owner_id:
            return perms.ALL
        member = self.member(user_id)
        role_ids = (self.id, *(member.role_ids if member else ()))
        total = 0
        for role_id in role_ids:
            role = self.role(role_id)
            total |= role.permissions if role else 0
        return perms.effective(total)

    def create_payload(self, members: list[FakeMember]) -> dict[str, Any]:
        """The GUILD_CREATE payload with the given (intent-filtered) members."""
        channels = [
            {k: v for k, v in c.payload().items() if k != "guild_id"} for c in self.channels
        ]
        return {
            **self.summary_payload(),
            "owner_id": self.owner_id,
            "unavailable": False,
            "large": False,
            "member_count": len(self.members),
            "joined_at": _JOINED_AT,
            "roles": [r.payload() for r in self.roles],
            "channels": channels,
            "members": [m.payload() for m in members],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "emojis": [],
            "stickers": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def summary_payload(self) -> dict[str, Any]:
        """Guild fields shared by GUILD_CREATE and other guild objects."""
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "features": [],
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "system_channel_id": self.channels[0].id if self.channels else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "vanity_url_code": None,
            "application_id": None,
            "max_members": 250000,
            "max_video_channel_users": 25,
            "incidents_data": None,
        }


@dataclass
class Cast:
    """Everyone and everything the emulator knows about."""

    bot_user: FakeUser
    application_id: str
    owner: FakeUser
    admin: FakeUser
    regular: FakeUser
    guild: FakeGuild
    channel: FakeChannel
    second_channel: FakeChannel
    admin_role: FakeRole
    dm_channels: dict[str, FakeChannel] = field(default_factory=dict)
    extra_users: list[FakeUser] = field(default_factory=list)
    extra_channels: list[FakeChannel] = field(default_factory=list)
    other_guild: FakeGuild | None = None
    other_users: list[FakeUser] = field(default_factory=list)

    @property
    def users(self) -> list[FakeUser]:
        """Every known user, bot included; the other guild's people, then extra members last."""
        return [
            self.bot_user,
            self.owner,
            self.admin,
            self.regular,
            *self.other_users,
            *self.extra_users,
        ]

    @property
    def guilds(self) -> list[FakeGuild]:
        """Every guild the bot is in, the first guild first."""
        return [self.guild] + ([self.other_guild] if self.other_guild else [])

    def guild_by_id(self, guild_id: str | None) -> FakeGuild | None:
        """The guild with this id, if the bot is in it."""
        return next((g for g in self.guilds if g.id == str(guild_id)), None)

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        """The guild a channel belongs to (None for a DM)."""
        return self.guild_by_id(channel.guild_id) if channel.guild_id else None

    def add_other_guild(self) -> FakeGuild:
        """A second guild run by other people: an owner, a manager (a role with
        MANAGE_GUILD), a plain member, the bot, and two text channels (#news and #ask).
        The first guild's people are not members of it."""
        if self.other_guild is not None:
            return self.other_guild
        owner = FakeUser(cast_id(5), "other_owner", "Other Owner")
        manager = FakeUser(cast_id(6), "other_manager", "Other Manager")
        member = FakeUser(cast_id(7), "other_member", "Other Member")
        guild_id = cast_id(30)
        everyone = FakeRole(guild_id, "@everyone", perms.EVERYONE_DEFAULT, 0)
        editors = FakeRole(cast_id(31), "Editors", perms.MANAGE_GUILD, 2)
        bot_role = FakeRole(
            cast_id(32), "BriefBot", perms.EVERYONE_DEFAULT, 1, bot_id=self.bot_user.id
        )
        channels = [
            FakeChannel(cast_id(40), GUILD_TEXT, "news", guild_id, position=0),
            FakeChannel(cast_id(41), GUILD_TEXT, "ask", guild_id, position=1),
        ]
        members = [
            FakeMember(self.bot_user, (bot_role.id,)),
            FakeMember(owner),
            FakeMember(manager, (editors.id,)),
            FakeMember(member),
        ]
        self.other_guild = FakeGuild(
            guild_id, "Other Test Guild", owner.id, [everyone, bot_role, editors], channels, members
        )
        self.other_users = [owner, manager, member]
        return self.other_guild

    def add_members(self, count: int) -> list[FakeUser]:
        """Add `count` plain members (no roles) to the guild, numbered after earlier extras."""
        start = len(self.extra_users)
        if start + count > MAX_EXTRAS:
            raise ValueError(f"at most {MAX_EXTRAS} extra members")
        added = [
            FakeUser(cast_id(_EXTRA_USER_IDS + n), f"member{n:03d}", f"Member {n:03d}")
            for n in range(start, start + count)
        ]
        self.extra_users.extend(added)
        self.guild.members.extend(FakeMember(user) for user in added)
        return added

    def add_text_channels(self, count: int) -> list[FakeChannel]:
        """Add `count` text channels to the guild, after the existing ones."""
        start = len(self.extra_channels)
        if start + count > MAX_EXTRAS:
            raise ValueError(f"at most {MAX_EXTRAS} extra text channels")
        position = len(self.guild.channels)
        added = [
            FakeChannel(
                cast_id(_EXTRA_CHANNEL_IDS + n),
                GUILD_TEXT,
                f"room-{n:03d}",
                self.guild.id,
                position=position + i,
            )
            for i, n in enumerate(range(start, start + count))
        ]
        self.extra_channels.extend(added)
        self.guild.channels.extend(added)
        return added

    def user(self, user_id: str) -> FakeUser | None:
        """The known user with this id."""
        return next((u for u in self.users if u.id == user_id), None)


def default_cast() -> Cast:
    """Build the standard cast: bot, owner (also guild owner), an admin and a regular member."""
    app_id = cast_id(1)
    # New Discord apps have a bot user whose id equals the application id.
    bot = FakeUser(app_id, "briefbot", "BriefBot", bot=True)
    owner = FakeUser(cast_id(2), "owner", "Owner")
    admin = FakeUser(cast_id(3), "admin", "Admin")
    regular = FakeUser(cast_id(4), "regular", "Regular")
    guild_id = cast_id(10)
    everyone = FakeRole(guild_id, "@everyone", perms.EVERYONE_DEFAULT, 0)
    admin_role = FakeRole(cast_id(11), "Moderators", perms.MANAGE_GUILD, 2)
    bot_role = FakeRole(cast_id(12), "BriefBot", perms.EVERYONE_DEFAULT, 1, bot_id=bot.id)
    channel = FakeChannel(cast_id(20), 0, "general", guild_id, position=0)
    second = FakeChannel(cast_id(21), 0, "briefs", guild_id, position=1)
    members = [
        FakeMember(bot, (bot_role.id,)),
        FakeMember(owner),
        FakeMember(admin, (admin_role.id,)),
        FakeMember(regular),
    ]
    guild = FakeGuild(
        guild_id,
        "Brief Test Guild",
        owner.id,
        [everyone, bot_role, admin_role],
        [channel, second],
        members,
    )
    return Cast(bot, app_id, owner, admin, regular, guild, channel, second, admin_role)
