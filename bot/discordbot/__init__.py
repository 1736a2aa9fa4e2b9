"""The Discord adapter: a thin layer that turns Discord events into engine calls and back."""
