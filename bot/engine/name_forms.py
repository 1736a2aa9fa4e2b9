"""A name matcher that also meets plurals of names: "RTX Pros", "Hoppers", "H20s".

Whether a plural ending can go depends on the names (query_forms.Singular), so it is applied
here, where the names are known, to every query before NameMatcher sees it; names themselves
are never changed, so two names that exist ("Hopper", "Hoppers") are never merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.engine.matching import MAX_QUERY_CHARS, Match, NameMatcher, Scored, normalise_name
from bot.engine.query_forms import NARROWING, Singular


class FormsMatcher(NameMatcher):
    """NameMatcher whose queries first lose plural endings that hide a name word."""

    def __init__(
        self,
        names: Mapping[str, Iterable[str]],
        context: Mapping[str, Iterable[str]] | None = None,
        common_words: Iterable[str] = (),
    ) -> None:
        """As NameMatcher; the name words are what plurals may fold onto."""
        names = {key: list(key_names) for key, key_names in names.items()}
        super().__init__(names, context, common_words)
        self._name_words = frozenset(
            word
            for key_names in names.values()
            for n in key_names
            for word in normalise_name(n).split()
        )
        self._singular = Singular(
            word
            for key_names in names.values()
            for n in key_names
            for word in normalise_name(n).split()
        )

    def query(self, query: str) -> str:
        """The query as the matcher compares it: normalised, plurals of name words singular."""
        return self._singular.text(normalise_name(query[:MAX_QUERY_CHARS]))

    def rank(self, query: str, keys: Iterable[str] | None = None) -> list[Scored]:
        """NameMatcher.rank of the folded query."""
        return super().rank(self.query(query), keys)

    def candidates(self, query: str) -> set[str]:
        """NameMatcher.candidates of the folded query."""
        return super().candidates(self.query(query))

    def starting_with(self, typed: str, keys: Iterable[str] | None = None) -> list[str]:
        """NameMatcher.starting_with, as typed: a prefix is not a plural."""
        return super().starting_with(typed, keys)

    def narrowed(self, query: str, keys: Iterable[str] | None = None) -> Match | None:
        """The match of the query less the words that only narrow it ("China's AI talent
        pool" is "AI talent in China"), when the rest names one key outright; else None.

        Only NARROWING words that are no word of any name go: "AI talent in the US" keeps
        "US" (a name's word), so it is never taken for China's entry.
        """
        words = self.query(query).split()
        kept = [word for word in words if word not in NARROWING or word in self._name_words]
        if len(kept) == len(words) or not kept:
            return None
        match = self.match(" ".join(kept), keys)
        return match if match.winner else None
