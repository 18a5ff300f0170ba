"""Threads: start and join them, get results and errors back, run code later with a Timer.

* ``FetchThread``     a Thread subclass whose run() keeps fetch(url)'s result, or its exception.
* ``join_all``        join many threads within ONE overall timeout; name the ones still running.
* ``call_in_thread``  run a function in a new thread; return its result or re-raise its exception.
* ``Debouncer``       run a function once, ``delay`` seconds after the LAST of a burst of triggers.
* ``parallel_fetch``  fix this program: fetches that should run at the same time, errors that vanish.

Everything here is plain ``threading``: no processes, no executors.
"""

from __future__ import annotations

import threading
import time


class FetchThread(threading.Thread):
    """A thread that calls ``fetch(url)`` and keeps the outcome on the thread object.

    * ``FetchThread(fetch, url)`` is a ``threading.Thread`` that is not running yet and can be
      started with ``start()``. It has the attributes ``fetch``, ``url``, ``result`` and
      ``error``; ``result`` and ``error`` are None until the fetch has ended.
    * Once started, it calls ``fetch(url)`` once, in the new thread (the FetchThread itself, not
      the thread that called ``start()``), and ``start()`` returns while the fetch still runs.
    * When ``fetch`` returns, ``result`` is what it returned. When it raises an ``Exception``,
      ``error`` is that exception object and ``result`` stays None, and the exception does not
      escape the thread (``threading.excepthook`` would only print it: the thread that started
      this one would never see it).

    After ``join()``, read ``result`` or ``error``.
    """

    def __init__(self, fetch, url):
        ### BEGIN SOLUTION
        super().__init__()
        self.fetch = fetch
        self.url = url
        self.result = None
        self.error = None
        ### END SOLUTION

    def run(self):
        ### BEGIN SOLUTION
        try:
            self.result = self.fetch(self.url)
        except Exception as exc:  # noqa: BLE001 - handed to the caller through self.error
            self.error = exc
        ### END SOLUTION


def join_all(threads, timeout: float) -> list[str]:
    """Wait for all ``threads`` (already started) for at most ``timeout`` seconds IN TOTAL.

    Return the names (``thread.name``) of the threads that are still alive when the time is up,
    in the order of ``threads``; an empty list when every thread has finished.

    The timeout is one overall deadline, not a timeout per thread: with 5 threads that never
    finish and ``timeout=0.3``, ``join_all`` returns after about 0.3 s, not 1.5 s. Every wait
    ends by that deadline (no wait without a limit), and a thread that finishes before it is
    waited for, whichever thread it is and however late within the deadline it finishes.
    """
    ### BEGIN SOLUTION
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [thread.name for thread in threads if thread.is_alive()]
    ### END SOLUTION


def call_in_thread(fn, *args):
    """Run ``fn(*args)`` in a new thread, wait for it, and hand its outcome to the caller.

    * ``fn`` runs in a new thread, never in the calling one. ``call_in_thread`` waits until ``fn``
      has finished, however long it runs, then returns what ``fn`` returned.
    * If ``fn`` raised, ``call_in_thread`` raises THAT exception object in the calling thread, so
      ``try/except`` around ``call_in_thread`` works as if ``fn`` had been called directly. That
      includes ``BaseException``s such as the ``SystemExit`` of ``sys.exit()``. Nothing escapes
      the new thread (``threading.excepthook`` would only print it).
    * Several threads may call ``call_in_thread`` at the same time: each call returns its own
      ``fn``'s outcome, never another call's.
    """
    ### BEGIN SOLUTION
    outcome = {}

    def target():
        try:
            outcome["result"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name=f"call_in_thread-{getattr(fn, '__name__', 'fn')}")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
    ### END SOLUTION


class Debouncer:
    """Call ``fn`` once, ``delay`` seconds after the last ``trigger()`` of a burst.

    Typical use: a search box calls ``trigger(text)`` on every keystroke, and the search runs
    only when the user has paused for ``delay`` seconds.

    * ``Debouncer(fn, delay)``: nothing is pending yet. The Debouncer has a ``threading.Lock`` of
      its own, an attribute made in ``__init__`` (see below).
    * ``trigger(self, *args)``: ``fn`` runs once, ``delay`` seconds after the LAST trigger of a
      burst, with the arguments of that trigger, in the thread of a ``threading.Timer`` (the
      tests replace ``threading.Timer``); the calls that earlier triggers had scheduled never
      happen. ``trigger()`` returns at once: it never sleeps and never calls ``fn`` itself.
    * ``cancel(self)``: the pending call, if any, never happens. Calling it when nothing is
      pending does nothing. A later ``trigger()`` works as usual.

    ``trigger()`` and ``cancel()`` may be called from several threads at the same moment: a burst
    still gives at most one call. Whatever they do with the pending timer, they do while holding
    the Debouncer's lock (the tests watch who waits for it).
    """

    def __init__(self, fn, delay: float):
        ### BEGIN SOLUTION
        self.fn = fn
        self.delay = delay
        self._timer = None
        self._lock = threading.Lock()
        ### END SOLUTION

    def trigger(self, *args) -> None:
        ### BEGIN SOLUTION
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self.fn, args=args)
            self._timer.start()
        ### END SOLUTION

    def cancel(self) -> None:
        ### BEGIN SOLUTION
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        ### END SOLUTION


def parallel_fetch(urls, fetch) -> list:
    """Fix this program: call ``fetch(url)`` for every url, each in a thread of its own, all at once.

    * One ``threading.Thread`` per url, ALL started before any is waited for: the fetches run at
      the same time (with 5 urls, 5 fetches are in flight together).
    * Wait for every thread (``join()``, however long the fetches take), then return the results
      in the order of ``urls`` (``[]`` for no urls).
    * If a fetch raises (any ``Exception``), ``parallel_fetch`` raises that same exception object
      in the calling thread, but only once every thread has finished. When several fetches fail,
      raise the exception of the failing url that comes first in ``urls``. No exception may
      escape a thread: ``threading.excepthook`` would only print it, and the caller never sees it.

    As shipped, the fetches run one after another, and a failing fetch is printed and then
    forgotten: its result is None and nothing is raised. Find out why and fix it.
    """
    ### BEGIN STUB
    # results = [None] * len(urls)
    #
    # def worker(i, url):
    #     results[i] = fetch(url)
    #
    # for i, url in enumerate(urls):
    #     thread = threading.Thread(target=worker, args=(i, url))
    #     thread.start()
    #     thread.join()
    # return results
    ### END STUB
    ### BEGIN SOLUTION
    results = [None] * len(urls)
    errors: list = [None] * len(urls)

    def worker(i, url):
        try:
            results[i] = fetch(url)
        except Exception as exc:  # noqa: BLE001 - handed to the caller after the joins
            errors[i] = exc

    threads = [threading.Thread(target=worker, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:  # start them all first...
        thread.start()
    for thread in threads:  # ...then wait for every one, failed or not
        thread.join()
    for error in errors:  # the first failing url in the order of urls
        if error is not None:
            raise error
    return results
    ### END SOLUTION
