"""The cyclic garbage collector, paused where a step makes many small objects at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Hundreds of thousands of small, acyclic objects made at once beside a county's records: the
    collector's full passes over the whole heap cost more than the work (measured where used).
    Re-enabled after only if it was enabled before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
