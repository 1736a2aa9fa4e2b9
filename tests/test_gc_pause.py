"""The collector pauses for a load and comes back as it was, even when the load fails."""

import gc

import pytest

from bot.knowledge.gc_pause import gc_paused


def test_the_collector_pauses_and_comes_back_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a broken load")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
