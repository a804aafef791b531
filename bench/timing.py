"""What the benchmarks share: the best of a few timed rounds (the least disturbed by the machine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best(rounds: int, work: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """The shortest of `rounds` timings of work(*args), in seconds, and its result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work(*args)
        times.append(time.perf_counter() - start)
    return min(times), result
