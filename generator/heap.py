"""The cyclic garbage collector, paused where a step makes many small objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc(freeze: bool = False) -> Iterator[None]:
    """Hundreds of thousands of small, acyclic objects made at once beside a county's records: the
    collector's full passes over the whole heap cost more than the work (measured where used).
    Re-enabled after only if it was enabled before.

    `freeze`: what the block made lives until the process exits (a command's records, its site):
    frozen once the block ends well, before the collector is on again, whose first pass would
    otherwise walk all of it once more (~0.4 s at county scale)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()
