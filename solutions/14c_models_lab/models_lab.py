"""The models lab: one I/O-bound and one CPU-bound workload through every model.

Five ways to run ``fn`` over a list of items, each returning the results in the order of the
items (like ``map``):

* ``run_sequential(fn, items)``               one after the other (given: the baseline)
* ``run_threads(fn, items, workers)``         a pool of ``workers`` threads
* ``run_processes(fn, items, workers)``       a pool of ``workers`` processes
* ``run_asyncio(afn, items, limit)``          ``afn`` is an ``async def``; at most ``limit`` at once
* ``run_gevent(fn, items, size)``             a gevent pool of ``size`` greenlets

``measure()`` (given) runs both workloads through all five and prints a table of seconds;
``explain(table)`` turns such a table into conclusions.

* ``io_runners``   ``run_threads``, ``run_asyncio``, ``run_gevent``: overlap the waits.
* ``cpu_runner``   ``run_processes``: compute in other processes.
* ``explain``      which model wins each workload, the speed-ups, and where the GIL shows.

Everything works on Python 3.10 to 3.14 (gevent is optional: without it ``measure`` skips it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time

MODELS = ("sequential", "threads", "processes", "asyncio", "gevent")


# --------------------------------------------------------------------------- the workloads (given)
def io_work(x, delay=0.05):
    """I/O-bound: waits ``delay`` seconds (a stand-in for a network call), then answers."""
    time.sleep(delay)
    return x * x


async def io_work_async(x, delay=0.05):
    """The same wait for asyncio: ``await asyncio.sleep``."""
    await asyncio.sleep(delay)
    return x * x


def io_work_gevent(x, delay=0.05):
    """The same wait for gevent without monkey-patching: ``gevent.sleep``."""
    import gevent

    gevent.sleep(delay)
    return x * x


def cpu_work(n):
    """CPU-bound: pure Python arithmetic, holds the GIL the whole time."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


async def cpu_work_async(n):
    """The CPU workload as a coroutine: it never awaits, so asyncio cannot overlap anything."""
    return cpu_work(n)


def run_sequential(fn, items):
    """The baseline: ``[fn(x) for x in items]``."""
    return [fn(x) for x in items]


# --------------------------------------------------------------------------- io_runners
def run_threads(fn, items, workers):
    """Call ``fn(x)`` for every item in a pool of ``workers`` threads; return the results in the
    order of ``items``. Up to ``workers`` calls run at the same time (fewer only when there are
    fewer items), never more; every thread has ended when it returns; an exception of ``fn`` is
    raised to the caller."""
    ### BEGIN SOLUTION
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))
    ### END SOLUTION


def run_asyncio(afn, items, limit):
    """Run ``await afn(x)`` for every item in ONE event loop (``asyncio.run``), at most ``limit``
    at the same time, and exactly ``limit`` while enough are waiting to start; return the results
    in the order of ``items``. An exception of ``afn`` is raised to the caller. Call it from
    ordinary (non-async) code."""
    ### BEGIN SOLUTION
    async def main():
        semaphore = asyncio.Semaphore(limit)

        async def one(x):
            async with semaphore:
                return await afn(x)

        return await asyncio.gather(*(one(x) for x in items))

    return asyncio.run(main())
    ### END SOLUTION


def run_gevent(fn, items, size):
    """Call ``fn(x)`` for every item in greenlets, at most ``size`` at the same time (exactly
    ``size`` while enough are waiting), results in the order of ``items``; an exception of ``fn``
    is raised to the caller. ``fn`` waits cooperatively (``gevent.sleep``), so nothing needs
    monkey-patching: do not call ``gevent.monkey.patch_all()`` here."""
    ### BEGIN SOLUTION
    import gevent.pool

    return list(gevent.pool.Pool(size).map(fn, items))
    ### END SOLUTION


# --------------------------------------------------------------------------- cpu_runner
def run_processes(fn, items, workers):
    """Call ``fn(x)`` for every item in a pool of ``workers`` worker processes (never in this
    process), up to ``workers`` at the same time; return the results in the order of ``items``.
    ``fn`` and the items are picklable. Every worker process has ended when it returns; an
    exception of ``fn`` is raised to the caller."""
    ### BEGIN SOLUTION
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))
    ### END SOLUTION


# --------------------------------------------------------------------------- explain
def explain(table):
    """Conclusions from a measured table ``{workload: {model: seconds}}``.

    Each workload's row must hold ``"sequential"`` (the baseline; else ``ValueError``) and may
    hold any of the other ``MODELS`` (a model that was not measured is missing). For each
    workload return a dict with:

    * ``"best"``: the model with the smallest time; on a tie the one earlier in ``MODELS``;
    * ``"speedups"``: ``{model: sequential seconds / model seconds}`` for every measured model
      (``sequential`` itself is 1.0), rounded to 2 decimals;
    * ``"gil_bound"``: True when the GIL shows: threads were measured and sped the workload up
      less than 1.5 times, while processes were measured and sped it up at least 1.5 times;
      else False.
    """
    ### BEGIN SOLUTION
    conclusions = {}
    for workload, row in table.items():
        if "sequential" not in row:
            raise ValueError(f"{workload}: no sequential baseline")
        measured = [m for m in MODELS if m in row]
        best = min(measured, key=lambda m: (row[m], MODELS.index(m)))
        speedups = {m: round(row["sequential"] / row[m], 2) for m in measured}
        gil_bound = ("threads" in speedups and "processes" in speedups
                     and row["sequential"] / row["threads"] < 1.5 and row["sequential"] / row["processes"] >= 1.5)
        conclusions[workload] = {"best": best, "speedups": speedups, "gil_bound": gil_bound}
    return conclusions
    ### END SOLUTION


# --------------------------------------------------------------------------- measure (given)
def measure(n_items=8, delay=0.1, cpu_n=1_000_000, workers=4):
    """Run both workloads through every model, print a table of seconds, return it."""
    import functools

    io = functools.partial(io_work, delay=delay)
    runs = {
        "io": {
            "sequential": lambda: run_sequential(io, range(n_items)),
            "threads": lambda: run_threads(io, range(n_items), workers),
            "processes": lambda: run_processes(io, range(n_items), workers),
            "asyncio": lambda: run_asyncio(functools.partial(io_work_async, delay=delay), range(n_items), n_items),
            "gevent": lambda: run_gevent(functools.partial(io_work_gevent, delay=delay), range(n_items), n_items),
        },
        "cpu": {
            "sequential": lambda: run_sequential(cpu_work, [cpu_n] * n_items),
            "threads": lambda: run_threads(cpu_work, [cpu_n] * n_items, workers),
            "processes": lambda: run_processes(cpu_work, [cpu_n] * n_items, workers),
            "asyncio": lambda: run_asyncio(cpu_work_async, [cpu_n] * n_items, n_items),
            "gevent": lambda: run_gevent(cpu_work, [cpu_n] * n_items, n_items),
        },
    }
    table = {}
    for workload, models in runs.items():
        row = table.setdefault(workload, {})
        for model, run in models.items():
            start = time.perf_counter()
            try:
                run()
            except ImportError:  # gevent not installed
                continue
            row[model] = time.perf_counter() - start
    print(f"{'workload':<10}" + "".join(f"{m:>12}" for m in MODELS))
    for workload, row in table.items():
        print(f"{workload:<10}" + "".join(f"{row[m]:>11.2f}s" if m in row else f"{'-':>12}" for m in MODELS))
    return table
