"""Producer/consumer with queue.Queue, and concurrent.futures executors.

* ``run_pipeline``  a producer feeds a ``queue.Queue``; n consumer threads stop on one sentinel each.
* ``fetch_all``     ThreadPoolExecutor + as_completed: at most max_workers fetches at once, errors kept.
* ``process_map``   ProcessPoolExecutor(mp_context=ctx) + add_done_callback, results in input order.
* ``map_bounded``   never more than max_pending futures alive: refill with wait(FIRST_COMPLETED).
* ``drain_with_consumers``  fix this program: n consumer threads that never stop, or stop too early.

``process_map`` takes ``ctx=None`` and uses ``ctx = ctx or multiprocessing.get_context()``, so the
tests can run it under fork, spawn and forkserver; the functions it runs are module-level (picklable).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from concurrent.futures import (
    FIRST_COMPLETED,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    as_completed,
    wait,
)

SENTINEL = None
"""What the producer puts on the queue to tell ONE consumer to stop."""


def run_pipeline(items, work, n_consumers=3) -> list:
    """Process every item with ``work`` in ``n_consumers`` consumer threads; return the sorted results.

    * The calling thread is the producer: it iterates over ``items`` (it may be a slow generator)
      and feeds one ``queue.Queue``. Exactly ``n_consumers`` consumer threads take the items off
      it and call ``work`` on them, all at the same time, and already while the producer is still
      producing. ``work`` never runs in the calling thread.
    * A consumer stops only when it takes a ``SENTINEL`` (one sentinel stops ONE consumer), never
      because the queue looks empty: the producer may just be slow. ``items`` never contains
      ``None`` (but may contain ``0``), and ``work`` never raises here.
    * Return the results, one per item, sorted, once every consumer thread has ended.
    * If iterating over ``items`` raises, the exception propagates, and every consumer thread has
      ended all the same: none may be left waiting.

    >>> run_pipeline([3, 1, 2], abs)
    [1, 2, 3]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


# YOUR CODE HERE


def fetch_all(urls, fetch, max_workers) -> dict:
    """Call ``fetch(url)`` for every url in a ``ThreadPoolExecutor(max_workers=max_workers)``.

    * As many fetches run at the same time as ``max_workers`` allows (all of them when there are
      fewer urls), and never more: the pool size is what the caller asked for, not the default,
      which follows the CPU count.
    * Return ``{url: fetch(url)}`` for every url (``{}`` for no urls). When a fetch raises an
      exception (of any ``Exception`` type), map its url to that exception instance instead: one
      failing url must not lose the others.
    * Each url gets the result of its own fetch, whatever order the fetches finish in. The urls
      are distinct.
    * The executor is shut down before ``fetch_all`` returns.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    """Run ``func(x)`` for every item in a ProcessPoolExecutor and return the results in input order.

    * ONE ``ProcessPoolExecutor`` of ``max_workers`` worker processes, started with ``ctx`` (see
      the module docstring), and shut down, waiting for its work, before ``process_map`` returns
      or raises.
    * The items run at the same time, as many as the pool allows. ``func`` is picklable (a
      module-level function, or a ``functools.partial`` of one): the workers run ``func`` itself,
      never a lambda or a nested function around it.
    * ``on_done`` is called once per item with that item's ``Future`` (not its result), in this
      process, once the task has finished, failed tasks included. Every ``on_done`` call has
      happened by the time ``process_map`` returns or raises.

    If ``func`` raised for some items, raise the exception of the first of them in INPUT order
    (not the first to fail), with its own type and message.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def map_bounded(work, items, max_pending) -> list:
    """Return ``[work(x) for x in items]`` computed by threads, with at most ``max_pending`` futures alive.

    ``items`` may be a huge (or slow) generator: never submit everything up front. Its items are
    arbitrary values, ``None`` and ``0`` included: it ends only when it is exhausted. Use a
    ``ThreadPoolExecutor(max_workers=max_pending)`` and keep a dict of pending futures:

    * While fewer than ``max_pending`` futures are pending, take the next item and submit it.
    * When ``max_pending`` are pending, wait with
      ``concurrent.futures.wait(pending, return_when=FIRST_COMPLETED)``, collect the finished
      ones, and refill at once: do not wait for the whole batch (``ALL_COMPLETED``), or one slow
      item keeps every other slot idle.
    * At the end, collect the rest.

    So you never hold more than ``max_pending`` items that have been taken from ``items`` but
    whose ``work`` has not finished. Return the results in INPUT order (remember each future's
    index). If ``work`` raises, let the exception propagate.

    >>> map_bounded(abs, iter([-1, 2, -3]), max_pending=2)
    [1, 2, 3]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def drain_with_consumers(items, handle, n_consumers=3) -> list:
    """Fix this program: a producer thread fills a queue, ``n_consumers`` consumer threads drain it.

    * A producer thread puts every item of ``items`` (any iterable; it may be a slow generator,
      and iterating over it never raises here) on one ``queue.Queue``.
    * ``n_consumers`` consumer threads (``n_consumers >= 1``) take the items off the queue at the
      same time and call ``handle(item)`` for each one; ``handle`` never raises here.
    * Return the list of the handled items: every item of ``items`` exactly once, in any order.
    * When it returns, every thread it started has ended: no consumer is left waiting on the
      queue, and none is still handling an item.

    The items may be ANY values, ``None``, ``0`` and ``""`` included: each one is an item to
    handle, never a signal to stop.

    As shipped, it loses items, and with two consumers or more it may never return. Find out
    why and fix it.
    """
    q = queue.Queue()
    handled = []
    lock = threading.Lock()

    def produce():
        for item in items:
            q.put(item)
        q.put(None)  # no more items: time to stop

    def consume():
        while True:
            item = q.get()
            if item is None:
                return
            handle(item)
            with lock:
                handled.append(item)

    consumers = [threading.Thread(target=consume, name=f"consumer-{i}") for i in range(n_consumers)]
    producer = threading.Thread(target=produce, name="producer")
    for thread in consumers:
        thread.start()
    producer.start()
    for thread in consumers:
        thread.join()
    producer.join()
    return handled
