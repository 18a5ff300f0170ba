"""Pool: apply_async, callbacks, close/join, map_async with a deadline, imap; joblib's Parallel.

Six small functions, each running ``func`` over ``items`` (or pairs) in a ``multiprocessing.Pool``,
and one that runs it with joblib:

* ``parallel_apply``       submit everything with apply_async, close(), join(), collect in order.
* ``apply_with_callbacks`` collect results and errors through callback / error_callback.
* ``map_with_deadline``    map_async + get(timeout); terminate() the pool when the deadline passes.
* ``imap_in_order``        hand each result to ``on_result`` as soon as it is ready, in input order.
* ``run_with_setup``       workers set up once each by an initializer, recycled after a few tasks
                           (maxtasksperchild), fed pairs of arguments with starmap.
* ``checked_results``      fix this program: a failing task's exception vanishes; make it reach the
                           caller at once.
* ``joblib_map``           joblib's Parallel and delayed, in worker processes or worker threads.

Every Pool function takes ``ctx=None`` and uses ``ctx = ctx or multiprocessing.get_context()``,
then only ``ctx.Pool(...)``, so the tests can run it under fork, spawn and forkserver. ``func`` is
always a picklable module-level function (or a functools.partial of one).
"""

from __future__ import annotations

import functools
import multiprocessing
import threading


def parallel_apply(func, items, processes=2, ctx=None) -> list:
    """Run ``func(x)`` for every ``x`` in ``items`` in a pool of ``processes`` workers.

    * One pool, made with ``ctx.Pool(processes)``. Each item is submitted with its own
      ``pool.apply_async`` call, whose ``args`` is the one-element tuple ``(x,)``.
    * The tasks run at the same time, up to ``processes`` of them at once.
    * Before ``parallel_apply`` returns or raises, the pool has been closed with ``close()`` and
      then joined with ``join()``; it is never terminated while tasks are still pending.
    * Return the results in input order.
    * If ``func`` raised for some items, raise the exception of the first of them in input order,
      with its own type and message, whatever order the failures happened in.

    >>> parallel_apply(abs, [-3, 1, -2])
    [3, 1, 2]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def apply_with_callbacks(func, items, processes=2, ctx=None) -> tuple[dict, dict]:
    """Run ``func(x)`` for every item and gather the outcomes through callbacks.

    * One pool, made with ``ctx.Pool(processes)``. Each item is submitted with its own
      ``pool.apply_async`` call, ``args`` ``(x,)``, which has both a ``callback`` and an
      ``error_callback``: the outcomes are gathered by those callbacks.
    * Return ``(results, errors)``: ``results`` maps every item whose task returned to the value
      ``func(x)`` returned, and ``errors`` maps every item whose task raised to the exception
      instance it raised. Every item appears in exactly one of the two dicts, matched with its own
      outcome whatever order the tasks finish in. Items are hashable.
    * Before the dicts are returned, the pool has been closed with ``close()`` and then joined
      with ``join()``, and every callback has run.

    >>> apply_with_callbacks(int, ["1", "x"])
    ({'1': 1}, {'x': ValueError("invalid literal for int() with base 10: 'x'")})
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def map_with_deadline(func, items, timeout, processes=2, ctx=None) -> list:
    """Return ``[func(x) for x in items]`` computed by a pool, or give up after ``timeout`` seconds.

    The pool is made with ``ctx.Pool(processes)``. ``timeout`` is for the whole map, not for each
    result. On every way out the pool is shut down and joined: no worker process may be left
    running when the function returns or raises.

    * In time: return the results in input order; the pool has been closed with ``close()``
      and then joined with ``join()``.
    * Too slow: soon after ``timeout`` seconds, raise ``multiprocessing.TimeoutError`` (which is NOT
      the built-in ``TimeoutError``), after ``terminate()`` and then ``join()`` on the pool, so that
      the workers stop working on the slow tasks.
    * A task raised: that exception propagates, after the pool has been closed or terminated, and
      joined.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def imap_in_order(func, items, on_result, processes=2, ctx=None) -> list:
    """Compute ``func(x)`` for every item with ``pool.imap`` and report each result early.

    * The pool is made with ``ctx.Pool(processes)``.
    * ``on_result(i, r)`` is called for the i-th result ``r``, in input order, as soon as that result
      is ready: result 0 must be reported while the later tasks may still be running, not once all
      of them have finished.
    * Return the list of all results in input order; the pool has been closed with
      ``close()`` and then joined with ``join()``.
    * If a task raised, ``on_result`` has been called for the items before it only, and its
      exception propagates; the pool is closed (or terminated) and joined all the same, and no
      worker process is left running.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


#: in each worker process: what ``setup()`` returned there (``init_worker`` sets it)
_resource = None


def init_worker(setup) -> None:
    """The Pool's initializer for ``run_with_setup``: runs once in each worker process, as it starts.

    Call ``setup()`` and keep what it returns in the module-level global ``_resource``
    (``global _resource``), where every task that this worker runs will find it.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def call_with_resource(func, a, b):
    """One task of ``run_with_setup``, in a worker: return ``func(_resource, a, b)``.

    ``_resource`` is what ``init_worker`` stored in THIS worker process. Never call ``setup()``
    here: it runs once per worker, not once per task.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def run_with_setup(func, pairs, setup, processes=2, tasks_per_child=2, ctx=None) -> list:
    """Return ``[func(resource, a, b) for (a, b) in pairs]``, computed by a pool whose workers set up once.

    ``setup()`` is expensive (think of opening a database connection or loading a model), so each
    worker calls it once, when it starts, and its tasks reuse what it returned:

    * ``ctx.Pool(processes, initializer=init_worker, initargs=(setup,),
      maxtasksperchild=tasks_per_child)``: each worker runs ``init_worker(setup)`` once, before its
      first task, and exits after ``tasks_per_child`` tasks; the pool then starts a fresh worker,
      which runs the initializer again.
    * ``pool.starmap(functools.partial(call_with_resource, func), pairs, chunksize=1)``: starmap
      unpacks each pair into ``(a, b)``; the results come back in input order. ``chunksize=1``
      makes each pair one task: ``maxtasksperchild`` counts tasks, and a chunk of several pairs
      would be ONE task.
    * Then ``close()`` and ``join()`` the pool (in that order), and return the results.

    ``func`` and ``setup`` are picklable module-level functions (or functools.partial of them).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def checked_results(func, items, processes=2, ctx=None) -> list:
    """Fix this program: ``[func(x) for x in items]`` from a pool, and no failure goes unnoticed.

    * If every task succeeds, return the results in input order.
    * If a task raises, ``checked_results`` raises that task's exception (the exception object the
      worker raised, with its own type and message; the first failure to arrive) as soon as it
      arrives. It does not wait for the tasks still queued or running: it ``terminate()``s the
      pool, ``join()``s it, and then raises.
    * On every way out the pool is shut down and joined: no worker process is left running.

    As shipped, a task that raises leaves ``None`` in its place and nobody hears about it. Fix it.
    """
    ctx = ctx or multiprocessing.get_context()
    results = [None] * len(items)
    pool = ctx.Pool(processes)
    for index, x in enumerate(items):
        pool.apply_async(func, (x,), callback=functools.partial(results.__setitem__, index))
    pool.close()
    pool.join()
    return results


def joblib_map(func, items, n_jobs=2, prefer="processes") -> list:
    """Return ``[func(x) for x in items]``, computed by joblib's ``Parallel`` with ``n_jobs`` workers.

    * Every ``func(x)`` runs in one of joblib's workers, never in the thread that called
      ``joblib_map``: ``n_jobs`` calls at the same time when there are that many items, and never
      more (``n_jobs`` is a positive int).
    * ``prefer="processes"`` (CPU-bound work): the calls run in worker processes.
      ``prefer="threads"`` (I/O-bound work): they run in worker threads of this process. Any other
      value raises ``ValueError`` before any call runs.
    * Return a list of the results in input order, whatever order the calls finish in.
    * If a call raises, ``joblib_map`` raises that exception, with its own type and message.

    ``func`` is a module-level function (or a functools.partial of one), so that worker processes
    can import it.

    >>> joblib_map(abs, [-3, 1, -2])
    [3, 1, 2]
    """
    # YOUR CODE HERE
    raise NotImplementedError()
