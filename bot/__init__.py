"""Briefbot: briefs people on a news article from a hand-checked knowledge base."""

__version__ = "0.1.0"
