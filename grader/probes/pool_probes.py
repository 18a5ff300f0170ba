"""Probes for 04_pool's ``run_with_setup`` and ``checked_results``: a setup() that says where and how
often it ran, tasks that say which worker ran them or fail while another is held at a gate, and a
watch on the pool's worker processes.

Pool workers import these by name (spawn, forkserver), so they live here, not in the test file.
"""

from __future__ import annotations

import multiprocessing.pool
import os
import time
from dataclasses import dataclass, field

#: how many times ``open_resource`` ran in this process
_opened = 0


def open_resource(log, tag: str):
    """A ``setup()``: append this process's pid to ``log`` (a manager list); return ``(tag, pid, n)``.

    ``n`` counts the calls in this process: 1 for a worker that is set up once, 2 and more when
    setup runs per task. Under fork, a worker made after a setup() in the parent inherits its count.
    """
    global _opened
    _opened += 1
    pid = os.getpid()
    log.append(pid)
    return (tag, pid, _opened)


def add_with_pid(resource, a, b):
    """A ``func(resource, a, b)``: ``(a + b, the pid of the worker running it, resource)``."""
    return (a + b, os.getpid(), resource)


def add_first_last(event, timeout: float, delay: float, resource, a, b):
    """Like ``add_with_pid``, but the pair with ``a == 0`` finishes only after another pair has.

    The others set ``event`` and return at once; ``a == 0`` waits for it (at most ``timeout``),
    then ``delay`` seconds more. Completion order then differs from input order.
    """
    if a == 0:
        event.wait(timeout)
        time.sleep(delay)
    else:
        event.set()
    return (a + b, os.getpid(), resource)


def held_or_failing(gate, timeout: float, x):
    """Item 0 waits for ``gate`` (at most ``timeout``) and returns 0; every other item raises at once.

    The failure arrives while item 0 is still running: a caller that waits for every task before
    it looks at the failures waits for the gate.
    """
    if x == 0:
        gate.wait(timeout)
        return 0
    raise ValueError(f"bad item {x}")


@dataclass
class WorkerWatch:
    """Every worker process the pools of this process start (``Pool.Process`` is spied on)."""

    workers: list = field(default_factory=list)

    def crashed(self) -> list:
        """Workers that exited with an error (exit code above 0): an initializer that raised, say.

        Reads the exit code the pool's own worker-handler thread collected and never polls: a
        second thread polling a forkserver worker would race the pool for its exit status (the
        loser reads EOF and records 255).
        """
        return [w for w in self.workers if (getattr(getattr(w, "_popen", None), "returncode", None) or 0) > 0]


def watch_workers(monkeypatch) -> WorkerWatch:
    """Record every Pool worker process made in this process until the test ends."""
    watch = WorkerWatch()
    real = multiprocessing.pool.Pool.Process

    def process(ctx, *args, **kwds):
        proc = real(ctx, *args, **kwds)
        watch.workers.append(proc)
        return proc

    monkeypatch.setattr(multiprocessing.pool.Pool, "Process", staticmethod(process))
    return watch
