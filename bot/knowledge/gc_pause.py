"""Building a large knowledge base without the cyclic garbage collector getting in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a load or an index build runs.

    Both allocate millions of objects that all live on, and each time enough have piled up
    the collector walks every one of them again: a quarter of a load at 10,000 entries, and
    more the larger the knowledge. Reference counting still frees what is dropped; the
    collector is back as it was when the block ends, error or not.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
