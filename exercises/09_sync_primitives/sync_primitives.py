"""Synchronisation primitives: Event, Condition, BoundedSemaphore, Barrier.

* ``TrafficLight``  an Event that threads wait on: green = set, red = clear.
* ``Mailbox``       a FIFO mailbox on a Condition: get() waits (with a total timeout) for put().
* ``SlotPool``      at most ``size`` holders at once, on a BoundedSemaphore.
* ``lockstep``      n threads run ``rounds`` rounds, and nobody starts a round before all finished
                    the previous one (a Barrier).
* ``Latch``         fix this program: a count-down latch whose waiters wake too early, or never.

Every wait here is a blocking wait on a primitive (never a sleep loop), and every wait that
the spec gives a timeout honours it.
"""

from __future__ import annotations

import collections
import threading


class TrafficLight:
    """A traffic light that threads can wait on, built on one ``threading.Event`` (set = green).

    * ``TrafficLight()``: the light starts red.
    * ``go_green(self)``: switch to green; every thread waiting in ``wait_green`` wakes up.
    * ``go_red(self)``: switch to red; later ``wait_green`` calls wait again.
    * ``is_green(self) -> bool``: True while green.
    * ``wait_green(self, timeout=None) -> bool``: return True as soon as the light is green (at
      once if it already is), or False when ``timeout`` seconds pass while it stays red
      (``None``: wait as long as it takes). A waiting thread is blocked in the Event's ``wait``
      (the tests look for it there), not in a loop with ``time.sleep``, which wakes up for
      nothing and reacts late.
    """

    def __init__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def go_green(self) -> None:
        # YOUR CODE HERE
        raise NotImplementedError()

    def go_red(self) -> None:
        # YOUR CODE HERE
        raise NotImplementedError()

    def is_green(self) -> bool:
        # YOUR CODE HERE
        raise NotImplementedError()

    def wait_green(self, timeout: float | None = None) -> bool:
        # YOUR CODE HERE
        raise NotImplementedError()


class Mailbox:
    """An unbounded first-in-first-out mailbox on one ``threading.Condition``.

    * ``__init__(self)``: ``self.cond``, a ``threading.Condition``, and ``self.items``, an empty
      ``collections.deque``. Use exactly these names: the tests wake up ``self.cond`` themselves.
    * ``put(self, item)``: add ``item`` at the end and wake one thread waiting in ``get``, if any.
    * ``get(self, timeout=None)``: remove and return the oldest item. Several threads call
      ``put`` and ``get`` at once: no item is lost and no two ``get`` calls return the same one.
      An item already there when ``get`` is called is returned without waiting (its ``put``
      woke nobody that this ``get`` could hear). While the box is empty, ``get`` waits on
      ``self.cond``. A wake-up does not mean an item is there (another consumer may have taken
      it, or the wake-up had another reason): ``get`` never returns without an item, nor gives
      up early, because of one.
      ``timeout`` is the TOTAL time ``get`` may wait, however many wake-ups happen meanwhile
      (``None``: no limit). When it runs out with the box still empty, raise the built-in
      ``TimeoutError``.
    """

    def __init__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def put(self, item) -> None:
        # YOUR CODE HERE
        raise NotImplementedError()

    def get(self, timeout: float | None = None):
        # YOUR CODE HERE
        raise NotImplementedError()


class SlotPool:
    """At most ``size`` holders at a time (think: connections, licences), on a BoundedSemaphore.

    * ``SlotPool(size)``: ``size`` slots, all free.
    * ``acquire(self, timeout=None) -> bool``: take a slot, waiting at most ``timeout`` seconds
      for one to be free (``None``: as long as it takes; ``0``: not at all). Return True if you
      got a slot, False if the time ran out (and then no slot is taken).
    * ``release(self)``: give a slot back. Releasing more slots than were taken is a bug and must
      raise ``ValueError``; it never lets more than ``size`` holders in afterwards.

    ``with pool:`` (given) takes a slot without timeout and gives it back at the end. Many threads
    call ``acquire`` and ``release`` at once: the one ``threading.BoundedSemaphore`` of the pool
    does all the counting, with no bookkeeping of your own beside it.
    """

    def __init__(self, size: int):
        # YOUR CODE HERE
        raise NotImplementedError()

    def acquire(self, timeout: float | None = None) -> bool:
        # YOUR CODE HERE
        raise NotImplementedError()

    def release(self) -> None:
        # YOUR CODE HERE
        raise NotImplementedError()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def lockstep_worker(tid: int, rounds: int, step, barrier: threading.Barrier, errors: list) -> None:
    """The body of thread ``tid`` in ``lockstep`` (a suggested helper; only ``lockstep`` is graded).

    It calls ``step(tid, r)`` for ``r`` in ``range(rounds)``, and never begins round ``r + 1``
    before every thread sharing ``barrier`` has finished round ``r``. If ``step`` raises, the
    exception ends up in ``errors`` and no thread is left waiting at ``barrier`` forever; a thread
    that finds the barrier broken by another thread's failure simply stops.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def lockstep(n: int, rounds: int, step) -> None:
    """Run ``n`` threads in lock-step: thread ``tid`` calls ``step(tid, r)`` for ``r`` in ``range(rounds)``.

    * One new ``threading.Thread`` per ``tid`` in ``range(n)``; all ``step`` calls of a ``tid``
      happen in its thread.
    * No thread calls ``step(_, r + 1)`` before every thread has returned from ``step(_, r)``;
      the threads keep in step on one shared ``threading.Barrier``.
    * Return only after all threads have finished (every one joined), however long the steps
      take: no wait has a timeout.
    * If a ``step`` raises, lockstep must not hang: the other threads stop, every thread has been
      joined, and then ``lockstep`` raises that (first) exception.

    ``lockstep_worker`` is a suggested body for the threads.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


class Latch:
    """Fix this program: a count-down latch on a ``threading.Condition``.

    * ``Latch(count)``: the count starts at ``count``; ``self.cond`` guards it.
    * ``count_down()``: lower the count by one (never below 0); any thread may call it.
    * ``wait(timeout=None)``: block until the count is 0 and return True; if ``timeout`` seconds
      pass first, return False. Once the count is 0, ``wait`` returns True at once.

    When the count reaches 0, EVERY thread waiting in ``wait`` wakes up and returns True; no
    waiter returns before that unless its own timeout has run out (a wake-up that finds the
    count still above 0, whatever woke it, is not a reason to return).

    As shipped, some waiters never wake and others return False too early. Fix it.
    """

    def __init__(self, count):
        self.count = count
        self.cond = threading.Condition()

    def count_down(self):
        with self.cond:
            if self.count > 0:
                self.count -= 1
            self.cond.notify()

    def wait(self, timeout=None):
        with self.cond:
            if self.count > 0:
                self.cond.wait(timeout)
            return self.count == 0
