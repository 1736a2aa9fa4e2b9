"""Which answer the bot sent to which command message, for the recent ones only.

An edited command edits its answer and a deleted one deletes it; only recent commands are
remembered, so memory stays bounded. After a restart nothing is remembered: an edited command
is then answered anew, so nothing is lost, only tidiness.
"""

from __future__ import annotations

from collections import OrderedDict

REMEMBERED = 1000


class SentAnswers:
    """A bounded map from a command's message id to the id of the bot's answer."""

    def __init__(self, limit: int = REMEMBERED) -> None:
        self._limit = limit
        self._answers: OrderedDict[int, int] = OrderedDict()

    def remember(self, command_id: int, answer_id: int) -> None:
        """Note the answer to a command, forgetting the oldest past the limit."""
        self._answers[command_id] = answer_id
        self._answers.move_to_end(command_id)
        while len(self._answers) > self._limit:
            self._answers.popitem(last=False)

    def answer_to(self, command_id: int) -> int | None:
        """The answer sent to a command, if it is remembered."""
        return self._answers.get(command_id)

    def forget(self, command_id: int) -> int | None:
        """Forget a command; the id of its answer, if there was one."""
        return self._answers.pop(command_id, None)
