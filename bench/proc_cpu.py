"""CPU time of other processes on this machine, read from Linux ``/proc/<pid>/stat`` (the
PostgreSQL backends serving a benchmark, the API's server workers)."""

from __future__ import annotations

import os

#: Clock ticks per second of the ``/proc`` figures.
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU time of ``pid`` in clock ticks; None where it cannot be read (not
    Linux, another machine's process, or gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name (in parentheses) may hold spaces: count fields after it.
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pids: list[int] | set[int]) -> float | None:
    """User + system CPU seconds of ``pids`` together; None if any cannot be read."""
    total = 0
    for pid in pids:
        ticks = cpu_ticks(pid)
        if ticks is None:
            return None
        total += ticks
    return total / TICKS_PER_SECOND


def run_ns(pid: int) -> int | None:
    """Time ``pid`` has run on a CPU, in nanoseconds (``/proc/<pid>/schedstat``: finer than
    the clock ticks of ``cpu_ticks``, for spans of a few milliseconds); None where it cannot
    be read."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except OSError:
        return None
