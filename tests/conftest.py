"""Shared fixtures: the shipped knowledge, and private copies of it to break."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.discordbot.client import EXTENSIONS, Briefbot
from bot.engine.commands import Engine
from bot.engine.index import KnowledgeIndex
from bot.knowledge.loader import load_knowledge
from bot.settings import Settings
from bot.state.store import KnowledgeStore
from tests.helpers import (
    KNOWLEDGE_FILE_NAME,
    SHIPPED_KNOWLEDGE,
    FixedSource,
    copy_knowledge,
    copy_several_articles,
)


@pytest.fixture(scope="session")
def shipped_index() -> KnowledgeIndex:
    """The shipped knowledge, loaded once for the whole run (it is immutable)."""
    return KnowledgeIndex.build(load_knowledge(SHIPPED_KNOWLEDGE))


@pytest.fixture(scope="session")
def engine(shipped_index: KnowledgeIndex) -> Engine:
    """An engine over the shipped knowledge with the default prefix."""
    return Engine(FixedSource(shipped_index))


@pytest.fixture(scope="session")
def several_index(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeIndex:
    """The shipped article with the two synthetic ones of tests/articles/, loaded once."""
    knowledge = copy_several_articles(tmp_path_factory.mktemp("several"))
    return KnowledgeIndex.build(load_knowledge(knowledge))


@pytest.fixture(scope="session")
def several(several_index: KnowledgeIndex) -> Engine:
    """An engine over three articles that share NVIDIA, Huawei, the H20 and SMIC."""
    return Engine(FixedSource(several_index))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ and seeds/ side by side; returns the knowledge directory."""
    return copy_knowledge(tmp_path)


@pytest.fixture
def knowledge_file(knowledge_copy: Path) -> Path:
    """The writable copy of the shipped knowledge file."""
    return knowledge_copy / KNOWLEDGE_FILE_NAME


@pytest.fixture
def store(knowledge_copy: Path) -> KnowledgeStore:
    """A store serving a writable copy of the shipped knowledge."""
    return KnowledgeStore.open(knowledge_copy)


@pytest_asyncio.fixture
async def discord_bot(store: KnowledgeStore) -> AsyncIterator[Briefbot]:
    """The Discord bot with its cogs loaded, never connected."""
    async with Briefbot(Settings(knowledge_dir=store.directory), store) as bot:
        for extension in EXTENSIONS:
            await bot.load_extension(extension)
        yield bot
