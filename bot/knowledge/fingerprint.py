"""A short content hash of the knowledge serving: one glance tells whether two shards agree.

The hash covers the bytes of every knowledge file and of the article files they cite, so any
edit that can change an answer changes it, and two processes that loaded the same files show
the same twelve hex digits (`!kb`, `briefbot check`, the reload log).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from bot.knowledge.loader import KNOWLEDGE_SUFFIXES
from bot.knowledge.model import KnowledgeBase

HASH_DIGITS = 12


def article_file(knowledge: KnowledgeBase, source: str) -> Path | None:
    """Where an article's text is on disk: the loader names it relative to the knowledge
    folder's parent (`seeds/<file>`)."""
    candidate = knowledge.directory.parent / source
    return candidate if candidate.is_file() else None


def fingerprint(knowledge: KnowledgeBase) -> str:
    """Twelve hex digits of SHA-256 over each file's name and bytes: every knowledge file of
    the folder (shared identities files too) and every article file they cite.

    An article file the loader names only by its file name (it lies outside the knowledge
    folder's parent) is hashed by the text it was read as.
    """
    digest = hashlib.sha256()
    for path in knowledge_files(knowledge.directory):
        _add(digest, path.name, _bytes(path))
    for article in sorted(knowledge.articles, key=lambda a: a.knowledge_file.name):
        seed = article_file(knowledge, article.source)
        text = "\n".join(p.text for p in article.text.paragraphs).encode("utf-8")
        _add(digest, article.source, _bytes(seed) if seed is not None else text)
    return digest.hexdigest()[:HASH_DIGITS]


def knowledge_files(directory: Path) -> list[Path]:
    """The knowledge files of a folder, by name (editors' hidden swap files left out)."""
    try:
        found = [p for p in directory.iterdir() if p.suffix in KNOWLEDGE_SUFFIXES]
    except OSError:
        return []
    return sorted((p for p in found if not p.name.startswith(".")), key=lambda p: p.name)


def _add(digest: Any, name: str, data: bytes) -> None:
    digest.update(name.encode("utf-8") + b"\0" + data + b"\0")


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"unreadable"
