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

    * Create one ``queue.Queue()`` and start ``n_consumers`` threads (``threading.Thread``). Each
      consumer loops: ``item = q.get()``; if it is the sentinel (``None``), it stops; otherwise it
      computes ``work(item)`` and stores the result (appending to a list from several threads is
      fine; a ``threading.Lock`` around it does no harm).
    * The calling thread is the producer: it iterates over ``items`` (it may be a slow generator)
      and puts each one on the queue, then puts ONE sentinel PER CONSUMER: a consumer that took
      the only sentinel stops, and the others would wait for theirs forever.
    * ``join()`` every consumer, then return ``sorted(results)``.

    Do not stop a consumer because the queue looks empty (``q.empty()``, ``qsize()``, or a
    ``get(timeout=...)`` that raises ``queue.Empty``): the producer may just be slow. ``items``
    never contains ``None`` (but may contain ``0``), and ``work`` never raises here.

    Start the consumers BEFORE producing: they must work while the producer is still producing.
    If iterating over ``items`` raises, the consumers must still get their sentinels and be
    joined (``try``/``finally``), and the exception propagates: no consumer may be left waiting.

    >>> run_pipeline([3, 1, 2], abs)
    [1, 2, 3]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


# YOUR CODE HERE


def fetch_all(urls, fetch, max_workers) -> dict:
    """Call ``fetch(url)`` for every url in a ``ThreadPoolExecutor(max_workers=max_workers)``.

    * Submit EVERY url first (``executor.submit(fetch, url)``), remembering which future belongs
      to which url (a dict ``{future: url}``), then collect with ``as_completed``. Calling
      ``.result()`` right after each ``submit`` runs one fetch at a time.
    * Pass ``max_workers`` on: at most ``max_workers`` fetches may run at the same time (the
      default pool size is ``min(32, (os.process_cpu_count() or 1) + 4)`` on 3.13+,
      with ``os.cpu_count()`` before 3.13: not what the caller asked for).
    * Return ``{url: fetch(url)}`` for every url (``{}`` for no urls). When a fetch raises an
      exception (of any ``Exception`` type), map its url to that exception instance instead: one
      failing url must not lose the others.
    * Shut the executor down before returning (a ``with`` block does it).

    ``as_completed`` yields the futures in the order they FINISH, not the order of ``urls``:
    look each future's url up in your dict, never pair them by position. The urls are distinct.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def process_map(func, items, on_done, max_workers=2, ctx=None) -> list:
    """Run ``func(x)`` for every item in a ProcessPoolExecutor and return the results in input order.

    * ``ctx = ctx or multiprocessing.get_context()``, then create the pool with
      ``ProcessPoolExecutor(max_workers=max_workers, mp_context=ctx)`` (in a ``with`` block).
    * Submit every item with ``executor.submit(func, x)``: pass the module-level ``func`` itself,
      never a lambda or a nested function (the worker processes must unpickle it).
    * Right after each submit, call ``future.add_done_callback(on_done)``: ``on_done`` is called
      with the FUTURE (not its result) once the task has finished, in a thread of this process.
    * Return ``[f.result() for f in futures]``, in input order. Every ``on_done`` call must have
      happened by the time ``process_map`` returns or raises: leaving the ``with`` block
      (``shutdown(wait=True)``) guarantees it.

    If ``func`` raised for some item, ``result()`` re-raises that exception: let the first one
    (in input order) propagate, with its own type and message.
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
