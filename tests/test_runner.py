"""Start-up plumbing of the Discord bot that the end-to-end tests cannot reach directly."""

import logging

from bot.discordbot.runner import RedactingFormatter

TOKEN = "MTIz.secret.token"


def test_the_token_is_redacted_from_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter(logging.Formatter("%(levelname)s %(message)s"), TOKEN)
    try:
        raise RuntimeError(f"login failed with {TOKEN}")
    except RuntimeError as error:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "token %s", (TOKEN,), (RuntimeError, error, None)
        )
    shown = formatter.format(record)
    assert TOKEN not in shown
    assert shown.count("[token]") == 2  # in the message and in the traceback
