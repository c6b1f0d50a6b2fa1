"""Python's cyclic garbage collector, paused around work that makes many objects holding no
reference cycles: on Python 3.11 each burst of allocations sets off full collections of the
whole heap that find nothing (a fifth of an import of 10,000 rows, a sixth of explaining a
cohort of 100,000 applicants)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """The collector paused for the block and resumed after, unless it was already paused."""
    paused_here = gc.isenabled()
    if paused_here:
        gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()
