"""What the tests share: paths, a clean environment, and the real bot against the emulator.

Fixtures live in `conftest.py`; tests import helpers from here, never from `conftest`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.discord_emulator import Emulator, FakeChannel, FakeUser
from tests.discord_emulator.log import RecordedRequest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_KNOWLEDGE = REPO / "knowledge"
KNOWLEDGE_FILE_NAME = "nvidia-huang-china-ai.yaml"
# Two small synthetic articles and a shared identities file, loaded beside the shipped article.
MORE_ARTICLES = REPO / "tests" / "articles"
BRIEFBOT = Path(sys.executable).with_name("briefbot")
EPHEMERAL = 1 << 6  # the message flag of a reply only its user sees
START_TIMEOUT = 20.0
REPLY_TIMEOUT = 10.0
# discord.py logs at ERROR or CRITICAL for anything that went wrong; we never expect one.
_LOGGED_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b|Traceback")


@dataclass
class BotProcess:
    """The bot as users run it, configured only by its environment; its log is kept."""

    emulator: Emulator
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None
    log: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the bot and wait until it holds a gateway session and has seen its guild."""
        self.process = await asyncio.create_subprocess_exec(
            str(BRIEFBOT),
            "run",
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read_log())
        await self.emulator.wait_for_session(START_TIMEOUT)
        await self.wait_for_log("is now ready|has connected to Gateway", START_TIMEOUT)

    async def _read_log(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        async for raw in self.process.stdout:
            self.log.append(raw.decode("utf-8", "replace").rstrip())

    async def wait_for_log(self, pattern: str, timeout: float = REPLY_TIMEOUT) -> str:
        """The first log line matching a regular expression."""
        regex = re.compile(pattern)

        async def found() -> str:
            while True:
                for line in self.log:
                    if regex.search(line):
                        return line
                await asyncio.sleep(0.05)

        try:
            return await asyncio.wait_for(found(), timeout)
        except TimeoutError:
            tail = "\n".join(self.log[-30:])
            raise TimeoutError(f"no log line matched {pattern!r} in {timeout}s:\n{tail}") from None

    def signal(self, number: signal.Signals) -> None:
        """Send a signal to the bot process."""
        assert self.process is not None
        self.process.send_signal(number)

    async def stop(self) -> int:
        """SIGTERM, then the exit status (killing it if it does not stop in time)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            status = await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            status = await self.process.wait()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 5)
        return status

    def logged_errors(self) -> list[str]:
        """Every log line that reports an error."""
        return [line for line in self.log if _LOGGED_ERROR.search(line)]


def edit_file(path: Path, old: str, new: str) -> str:
    """Replace one piece of a file's text, failing loudly if the piece is not there once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path.name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def copy_knowledge(target: Path) -> Path:
    """A private, editable copy of knowledge/ and seeds/; returns the knowledge directory."""
    shutil.copytree(SHIPPED_KNOWLEDGE, target / "knowledge")
    shutil.copytree(REPO / "seeds", target / "seeds")
    return target / "knowledge"


class FixedSource:
    """A knowledge source that always serves one index."""

    def __init__(self, index: Any) -> None:
        self.current = index


def copy_several_articles(target: Path) -> Path:
    """The shipped article plus the synthetic ones of tests/articles/; returns the knowledge."""
    knowledge = copy_knowledge(target)
    for folder in ("knowledge", "seeds"):
        for path in (MORE_ARTICLES / folder).iterdir():
            shutil.copy(path, target / folder / path.name)
    return knowledge


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any Discord or briefbot setting, plus `extra`.

    The usage log is off unless `extra` turns it on (a test must not write into the checkout),
    and so is the file watcher (a test that edits knowledge reloads it when it means to).
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "BRIEFBOT_"))
    }
    env.update(BRIEFBOT_USAGE_LOG="off", BRIEFBOT_WATCH="off")
    env.update(extra)
    return env


def bot_environment(emulator: Emulator, knowledge: Path, **extra: str) -> dict[str, str]:
    """An environment with nothing but what the bot needs, pointing it at the emulator."""
    env = clean_env()
    env.update(emulator.environment())
    env.update(
        BRIEFBOT_KNOWLEDGE=str(knowledge),
        # Beside the test's own copy of the knowledge: never the user's state directory.
        BRIEFBOT_DATA=str(knowledge.parent / "data"),
        BRIEFBOT_ADMIN_IDS="",
        BRIEFBOT_COOLDOWN_RATE="1000",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@asynccontextmanager
async def bot_session(
    knowledge: Path,
    heartbeat_ms: int = 1000,
    emulator_options: dict[str, Any] | None = None,
    before_start: Callable[[Emulator], object] | None = None,
    **env: str,
) -> AsyncIterator[tuple[Emulator, BotProcess]]:
    """A fresh emulator and a bot connected to it; the bot is stopped however the test ends.

    `before_start` shapes the emulator's world (more members, channels) before the bot sees it.
    """
    options = {"heartbeat_interval_ms": heartbeat_ms, **(emulator_options or {})}
    async with Emulator(**options) as emulator:
        if before_start is not None:
            before_start(emulator)
        bot = BotProcess(emulator, bot_environment(emulator, knowledge, **env))
        await bot.start()
        try:
            yield emulator, bot
        finally:
            if bot.process is not None and bot.process.returncode is None:
                await bot.stop()


async def assert_clean_exit(emulator: Emulator, bot: BotProcess) -> None:
    """SIGTERM ends the bot with 0; it logged no error and sent only valid bodies."""
    assert await bot.stop() == 0, "\n".join(bot.log[-20:])
    assert bot.logged_errors() == [], "\n".join(bot.log[-60:])
    assert emulator.schema_errors == []


def reference_of(request: RecordedRequest) -> str | None:
    """The message a message the bot POSTed replies to, if any."""
    body = request.json if isinstance(request.json, dict) else {}
    reference = body.get("message_reference") or {}
    found = reference.get("message_id")
    if request.method != "POST" or request.route != "/channels/{channel_id}/messages":
        return None
    return None if found is None else str(found)


def edits_of(message_id: str) -> Callable[[RecordedRequest], bool]:
    """Matches the bot's edit of one of its messages (a corrected command's answer)."""
    return lambda request: (
        request.method == "PATCH" and request.path.endswith(f"/messages/{message_id}")
    )


def replies_to(message_id: str) -> Callable[[RecordedRequest], bool]:
    """Matches the bot's answer to one prefix command (it replies to the command)."""
    return lambda request: reference_of(request) == message_id


async def request_after(
    emulator: Emulator,
    since: int,
    predicate: Callable[[RecordedRequest], bool],
    timeout: float = REPLY_TIMEOUT,
) -> RecordedRequest:
    """The first request matching `predicate` among those recorded after the first `since`."""
    earlier = {id(request) for request in emulator.requests[:since]}
    return await emulator.wait_for_request(
        lambda request: id(request) not in earlier and predicate(request), timeout
    )


def posted_in(channel_id: str) -> Callable[[RecordedRequest], bool]:
    """Matches a message the bot posted in one channel (a DM channel, for private details)."""
    return lambda request: (
        request.method == "POST" and request.path == f"/channels/{channel_id}/messages"
    )


async def operator_command(
    emulator: Emulator, author: FakeUser, line: str, channel: FakeChannel | None = None
) -> tuple[RecordedRequest, RecordedRequest]:
    """An operator's prefix command in a server channel: the public acknowledgement that
    replies to it, and the first message of the details sent to the operator by DM."""
    since = len(emulator.requests)
    message = await emulator.send_guild_message(author, line, channel)
    acknowledgement = await request_after(emulator, since, replies_to(message))
    details = await request_after(emulator, since, posted_in(emulator.dm_channel(author).id))
    return acknowledgement, details


def embeds_of(request: RecordedRequest) -> list[dict[str, Any]]:
    """The embeds of a message or interaction response body."""
    body = request.json or {}
    if "data" in body and isinstance(body["data"], dict):
        body = body["data"]
    return body.get("embeds") or []


class FakeContext:
    """Just enough of a commands.Context for the error handler: it records what is sent."""

    def __init__(
        self,
        bot: Any,
        command: str | None = None,
        guild: object = None,
        interaction: object = None,
    ) -> None:
        self.bot = bot
        self.command = bot.get_command(command) if command else None
        self.invoked_with = command or "nosuchcommand"
        self.guild = guild
        self.interaction = interaction
        self.author = SimpleNamespace(id=42)
        self.channel = SimpleNamespace(id=7)
        self.message = SimpleNamespace(
            id=1000,
            channel=self.channel,
            reference=None,
            to_reference=lambda **_: None,
            content=f"!{self.invoked_with}",
        )
        self.sent: list[dict[str, Any]] = []

    async def defer(self, **kwargs: Any) -> None:
        pass

    async def send(self, **kwargs: Any) -> SimpleNamespace:
        self.sent.append(kwargs)
        return SimpleNamespace(id=2000 + len(self.sent))

    def embeds(self) -> list[Any]:
        """Every embed sent, in order."""
        return [e for message in self.sent for e in message.get("embeds", [message.get("embed")])]

    def titles(self) -> list[str]:
        return [embed.title for embed in self.embeds()]
