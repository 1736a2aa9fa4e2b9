"""Running `briefbot run` as a real subprocess against the local Discord API emulator."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.discord_emulator import Emulator
from tests.discord_emulator.log import RecordedRequest

BRIEFBOT = Path(sys.executable).with_name("briefbot")
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


def bot_environment(emulator: Emulator, knowledge: Path, **extra: str) -> dict[str, str]:
    """An environment with nothing but what the bot needs, pointing it at the emulator."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISCORD_", "BRIEFBOT_"))
    }
    env.update(emulator.environment())
    env.update(
        BRIEFBOT_KNOWLEDGE=str(knowledge),
        BRIEFBOT_ADMIN_IDS="",
        BRIEFBOT_COOLDOWN_RATE="1000",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def replies_to(message_id: str) -> Callable[[RecordedRequest], bool]:
    """Matches the bot's answer to one prefix command (it replies to the command)."""

    def matches(request: RecordedRequest) -> bool:
        body = request.json if isinstance(request.json, dict) else {}
        reference = body.get("message_reference") or {}
        return (
            request.method == "POST"
            and request.route == "/channels/{channel_id}/messages"
            and str(reference.get("message_id")) == message_id
        )

    return matches


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


def embeds_of(request: RecordedRequest) -> list[dict[str, Any]]:
    """The embeds of a message or interaction response body."""
    body = request.json or {}
    if "data" in body and isinstance(body["data"], dict):
        body = body["data"]
    return body.get("embeds") or []
