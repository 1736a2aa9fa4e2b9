"""Everything derived from a knowledge base to answer quickly: name matcher and search indexes.

Built once per load, off to the side, so a reload swaps in a complete index or nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cached_property

from bot.engine.lexical import LexicalIndex
from bot.engine.matching import normalise_name
from bot.engine.name_forms import FormsMatcher
from bot.engine.search import Document
from bot.knowledge.gc_pause import gc_paused
from bot.knowledge.model import Entry, Kind, KnowledgeBase, Statement

COMMON_SHARE = 0.2  # a word in a fifth of all entries and sentences ("china") names nothing alone


@dataclass(frozen=True)
class SentenceKey:
    """Identifies one sentence of one article in search results."""

    article_id: str
    position: int


@dataclass(frozen=True)
class KnowledgeIndex:
    """A knowledge base together with the indexes built from it."""

    knowledge: KnowledgeBase
    names: FormsMatcher
    text: LexicalIndex  # entries and article sentences
    statements: LexicalIndex  # statement texts only, for `quote` by words

    @classmethod
    def build(cls, knowledge: KnowledgeBase) -> KnowledgeIndex:
        """Index a validated knowledge base."""
        with gc_paused():
            return cls._build(knowledge)

    @classmethod
    def _build(cls, knowledge: KnowledgeBase) -> KnowledgeIndex:
        documents = [
            Document(entry.id, " ".join(entry.names), entry.every_summary)
            for entry in knowledge.entries.values()
        ]
        for article in knowledge.articles:
            documents += [
                Document(SentenceKey(article.id, position), "", sentence.text)
                for position, sentence in enumerate(article.text.sentences)
            ]
        text = LexicalIndex(documents)
        entries = knowledge.entries.values()
        names = FormsMatcher(
            {entry.id: entry.names for entry in entries},
            {entry.id: _words_about(entry) for entry in entries},
            text.common_words(COMMON_SHARE),
        )
        statements = LexicalIndex(Document(s.id, "", s.text) for s in knowledge.statements)
        knowledge.prepare()
        return cls(knowledge, names, text, statements)

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id."""
        return self.knowledge.entries[entry_id]

    def keys_of(self, kind: Kind) -> list[str]:
        """Ids of every entry of a kind."""
        return list(self._keys_by_kind.get(kind, ()))

    def statement(self, statement_id: str) -> Statement:
        """The statement with this id."""
        return self._statements_by_id[statement_id]

    @cached_property
    def _keys_by_kind(self) -> dict[Kind, tuple[str, ...]]:
        return {kind: tuple(e.id for e in self.knowledge.of_kind(kind)) for kind in Kind}

    @cached_property
    def _statements_by_id(self) -> dict[str, Statement]:
        return {statement.id: statement for statement in self.knowledge.statements}


def _words_about(entry: Entry) -> set[str]:
    """The words an entry's own text uses: a query may add them to its name and still mean it."""
    texts = [*entry.names, entry.every_summary, entry.value or ""]
    texts += [excerpt.text for excerpt in entry.every_source]
    return {sys.intern(word) for word in normalise_name(" ".join(texts)).split()}
