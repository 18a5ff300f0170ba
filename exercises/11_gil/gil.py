"""The GIL in practice: choosing threads or processes, sizing a pool, the switch interval, measuring.

* ``choose_executor``   ThreadPoolExecutor for I/O; for CPU work, processes unless the GIL is off.
* ``cpu_workers``       how many CPUs this process may really use (affinity-aware), capped and >= 1.
* ``switch_interval``   a context manager that sets ``sys.setswitchinterval`` and always restores it.
* ``cpu_utilisation``   CPU time / wall time of one call: ~0 when it waits, ~1 per busy core.

Nothing here assumes a GIL build: ``getattr(sys, "_is_gil_enabled", lambda: True)()`` tells
whether the GIL is on right now (the attribute exists from Python 3.13).
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager


def gil_enabled() -> bool:
    """True when the GIL is enabled in this interpreter right now (given: not an exercise).

    ``sys._is_gil_enabled()`` exists from Python 3.13; older versions always have the GIL. On a
    free-threaded build (3.13t, 3.14t) the GIL is off, unless PYTHON_GIL=1 or an extension
    module that is not marked free-threading-safe turned it back on at run time.
    """
    return getattr(sys, "_is_gil_enabled", lambda: True)()


def choose_executor(kind: str) -> type:
    """Return the executor CLASS (not an instance) suited to ``kind`` of work.

    * ``"io"``  (waiting on files, sockets, sleeps): ``ThreadPoolExecutor``. A thread that waits
      releases the GIL, so threads overlap their waits on every build.
    * ``"cpu"`` (pure-Python computation): ``ProcessPoolExecutor`` while the GIL is enabled,
      because only one thread at a time runs Python bytecode; ``ThreadPoolExecutor`` when the
      GIL is disabled (free-threaded build), where threads run in parallel without pickling.
    * anything else: raise ``ValueError``.

    Whether the GIL is enabled is decided at CALL time, from ``sys._is_gil_enabled()`` where it
    exists (3.13+; before 3.13 there is always a GIL), as the given ``gil_enabled()`` reports it:
    it is a run-time state, not a property of the build (``sysconfig``'s ``Py_GIL_DISABLED`` only
    says the interpreter was built able to run without it).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def cpu_workers(n_tasks: int) -> int:
    """How many worker processes to start for ``n_tasks`` CPU-bound tasks.

    Count the CPUs this process may use, with the first of these that exists:

    1. ``os.process_cpu_count()`` (Python 3.13+): respects CPU affinity and the
       ``-X cpu_count`` / ``PYTHON_CPU_COUNT`` override;
    2. ``len(os.sched_getaffinity(0))`` (Linux and some Unixes, not macOS or Windows): the CPUs
       this process is allowed to run on, e.g. 2 under ``taskset -c 0,1`` or a cpuset on a
       64-CPU host (a CPU quota such as ``docker --cpus=2`` does not show up in any of these);
    3. ``os.cpu_count()``: every CPU of the machine.

    A function that exists but returns ``None`` (the count is unknown) counts as 1 CPU; do not
    fall through to the next one. Return that count capped at ``n_tasks`` (more workers than
    tasks only cost start-up time), and never less than 1.

    >>> cpu_workers(1)
    1
    """
    # YOUR CODE HERE
    raise NotImplementedError()


@contextmanager
def switch_interval(seconds: float):
    """Within the ``with`` block, ``sys.getswitchinterval()`` is ``seconds``; afterwards, the old value.

    ``sys.setswitchinterval(s)`` sets how long a thread waiting for the GIL waits before it asks
    the running thread to drop it (default 0.005 s = 5 ms).

    * ``with switch_interval(1e-4) as old:`` gives ``old``, the interval in force before the block.
    * When the block ends, the interval is exactly that old value again (not the default: the
      caller may have changed it), ALSO when the block ends with an exception, which propagates.
    * Invalid values (zero, negative) raise ``ValueError`` from ``sys.setswitchinterval``, before
      the block runs and without changing anything.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def cpu_utilisation(fn, *args, **kwargs) -> float:
    """Call ``fn(*args, **kwargs)`` once and return the CPU time it used divided by the wall time.

    * CPU time: how far ``time.process_time()`` advanced during the call. It counts every thread
      of THIS process (``time.thread_time()`` would count only the calling thread, and misses
      work ``fn`` does in other threads).
    * Wall time: how far ``time.perf_counter()`` advanced during the call (a monotonic,
      high-resolution clock; ``time.time()`` can jump when the system clock is set).
    * The result is ``cpu / wall`` as a float, or ``0.0`` when no wall time passed.

    Read the clocks as ``time.process_time()`` and ``time.perf_counter()`` (the tests replace
    them). A call that sleeps or waits for I/O gives about 0.0; one busy thread about 1.0; with
    the GIL, several busy Python threads still give about 1.0, on a free-threaded build up to
    the number of cores. The return value of ``fn`` is discarded; its exceptions propagate.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
