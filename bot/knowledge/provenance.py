"""How much of each article the knowledge base cites: the check that nothing is left unbacked."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.article import Sentence
from bot.knowledge.model import Article, KnowledgeBase


@dataclass(frozen=True)
class Coverage:
    """Which content sentences of one article at least one excerpt overlaps."""

    article: Article
    cited: tuple[Sentence, ...]
    uncited: tuple[Sentence, ...]

    @property
    def total(self) -> int:
        """Number of content sentences."""
        return len(self.cited) + len(self.uncited)

    @property
    def percent(self) -> float:
        """Share of sentences cited, 0 to 100."""
        return 100.0 * len(self.cited) / self.total if self.total else 100.0


def coverage(knowledge: KnowledgeBase) -> list[Coverage]:
    """Per article, the sentences cited by some entry, statement, briefing or context point."""
    cited_by_article: dict[str, set[Sentence]] = {
        article.id: set() for article in knowledge.articles
    }
    for excerpt in knowledge.excerpts():
        article = knowledge.article(excerpt.article_id)
        cited_by_article[article.id].update(article.text.sentences_at(excerpt.location))
    return [
        Coverage(
            article,
            tuple(s for s in article.text.sentences if s in cited_by_article[article.id]),
            tuple(s for s in article.text.sentences if s not in cited_by_article[article.id]),
        )
        for article in knowledge.articles
    ]
