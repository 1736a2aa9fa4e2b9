"""End to end: replies per second of `briefbot run` answering `!product` under a burst, against
a bare discord.py bot answering `!ping`, each a real process talking to the local emulator."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from tests.discord_emulator import Emulator, FakeChannel, FakeUser
from tests.helpers import BotProcess, bot_environment

BURST = 400
CHANNELS = 10
# High enough that the emulator's per-channel rate limit never paces the replies: the figure
# is what each bot can answer, not what Discord would let it send.
RATE_LIMIT = 1000
TIMEOUT = 120.0


Place = tuple[list[FakeUser], list[FakeChannel]]


def _place(emulator: Emulator) -> Place:
    """Members and channels for the burst; the emulator takes them before anyone connects."""
    rooms = emulator.add_text_channels(CHANNELS - 2)
    return emulator.add_members(20), [emulator.channel, emulator.second_channel, *rooms]


async def _burst(emulator: Emulator, place: Place, lines: list[str]) -> float:
    """Send every line without waiting; replies per second from the first send to the last reply."""
    users, channels = place
    started = time.monotonic()
    ids = [
        await emulator.send_guild_message(users[i % len(users)], line, channels[i % len(channels)])
        for i, line in enumerate(lines)
    ]
    deadline = started + TIMEOUT
    while time.monotonic() < deadline:
        counts = emulator.replies_by_reference()
        if all(counts[message] for message in ids):
            break
        await asyncio.sleep(0.02)
    else:
        raise TimeoutError(f"only some of {len(ids)} commands were answered in {TIMEOUT}s")
    return len(ids) / (time.monotonic() - started)


async def _ours(knowledge: Path, names: list[str]) -> float:
    async with Emulator(heartbeat_interval_ms=1000, rate_limit=RATE_LIMIT) as emulator:
        env = bot_environment(emulator, knowledge, BRIEFBOT_COOLDOWN_RATE="1000000")
        bot = BotProcess(emulator, env)
        place = _place(emulator)
        await bot.start()
        try:
            return await _burst(
                emulator, place, [f"!product {names[i % len(names)]}" for i in range(BURST)]
            )
        finally:
            await bot.stop()


async def _ping() -> float:
    async with Emulator(heartbeat_interval_ms=1000, rate_limit=RATE_LIMIT) as emulator:
        env = {**os.environ, **emulator.environment(), "PYTHONUNBUFFERED": "1"}
        place = _place(emulator)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.pingbot",
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            assert process.stdout is not None
            while b"ready" not in await asyncio.wait_for(process.stdout.readline(), 30):
                pass
            return await _burst(emulator, place, ["!ping"] * BURST)
        finally:
            process.terminate()
            await process.wait()


def replies_per_second(knowledge: Path, names: list[str]) -> dict[str, float]:
    """Both bursts in one run: our bot on `knowledge`, then the `!ping` floor."""
    ours = asyncio.run(_ours(knowledge, names))
    floor = asyncio.run(_ping())
    return {"briefbot_product": ours, "discordpy_ping": floor, "ratio": ours / floor}
