"""The briefing engine: a chat line or question in, a structured reply out."""
