"""What the benchmarks share: the best of a few timed rounds (the least disturbed by the machine),
and a record of how busy the machine was while a measurement ran."""

from __future__ import annotations

import ctypes
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def best(rounds: int, work: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """The shortest of `rounds` timings of work(*args), in seconds, and its result."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work(*args)
        times.append(time.perf_counter() - start)
    return min(times), result


@dataclass
class Machine:
    """How busy the machine was during a measurement: the 1-minute load average before and
    after, and the cores that processes other than this one and its children used meanwhile."""

    load_before: float = 0.0
    load_after: float = 0.0
    others_cores: float = 0.0
    seconds: float = 0.0

    def __str__(self) -> str:
        cores = os.cpu_count() or 1
        busy = "  BUSY" if self.others_cores >= 0.25 * cores else ""
        return (
            f"load {self.load_before:.2f} -> {self.load_after:.2f}; other processes used "
            f"{self.others_cores:.2f} of {cores} cores{busy}"
        )


def cpu_busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (Linux /proc/stat; 0
    elsewhere, where "other processes" then reads 0)."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


_PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def renderer_command() -> list[str]:
    """How a user runs the command: the console script beside this Python, else `-m`."""
    script = Path(sys.executable).parent / "renderer"
    return [str(script)] if script.exists() else [sys.executable, "-m", "renderer"]


def become_subreaper() -> bool:
    """Have orphaned descendants handed to this process rather than to init (Linux). The
    renderer's forkserver outlives the command that started it, and its workers are its
    children: reaped here (reap_orphans), their CPU and peak memory are counted as ours."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans(limit: float = 30) -> dict[int, resource.struct_rusage]:
    """Wait for the descendants handed to us (they exit once the command that started them is
    gone); the rusage of each, by pid."""
    reaped: dict[int, resource.struct_rusage] = {}
    deadline = time.monotonic() + limit
    while True:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid:
            reaped[pid] = usage
        elif time.monotonic() > deadline:
            print("bench: leftover processes did not exit; not waiting longer", file=sys.stderr)
            return reaped
        else:
            time.sleep(0.02)


@contextmanager
def watch_machine() -> Iterator[Machine]:
    """Fill in a Machine for the code in the `with` block (after it ends). Processes started
    in the block count as ours only once waited for: see become_subreaper."""
    machine = Machine(load_before=os.getloadavg()[0])
    busy, own, start = cpu_busy_seconds(), own_cpu_seconds(), time.perf_counter()
    try:
        yield machine
    finally:
        machine.seconds = time.perf_counter() - start
        others = cpu_busy_seconds() - busy - (own_cpu_seconds() - own)
        machine.others_cores = max(0.0, others) / machine.seconds if machine.seconds else 0.0
        machine.load_after = os.getloadavg()[0]
