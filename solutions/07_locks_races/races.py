"""Locks and races: protect read-modify-write, check-then-act, Lock versus RLock, double-checked locking.

* ``SafeCounter``   a counter whose ``increment`` loses no update when many threads call it.
* ``withdraw``      check the balance and take the money as ONE step under the account's lock.
* ``MemoCache``     a cache whose compute function may call the cache again (needs an RLock).
* ``get_instance``  a process-wide singleton created at most once (double-checked locking).
* ``TicketBooth``   fix this program: a booth that sells more tickets than it has seats.

``Account`` and the module globals ``_instance`` / ``_instance_lock`` are given. The tests run
your code with a race amplifier that lets other threads run between any two bytecode
instructions of this module, so an unprotected read-modify-write loses updates every time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


class SafeCounter:
    """A counter that many threads can increment at once without losing updates.

    * ``__init__(self)``: the count starts at 0; the counter's lock is ``self._lock``, a
      ``threading.Lock``.
    * ``increment(self, amount=1)``: add ``amount`` to the count. However many threads call it at
      once, no update is lost. If the addition raises (``increment(None)``: TypeError), the
      exception propagates, the count is unchanged, and the counter goes on working for every
      thread.
    * ``value`` (a read-only property): the current count.
    """

    def __init__(self):
        ### BEGIN SOLUTION
        self._lock = threading.Lock()
        self._count = 0
        ### END SOLUTION

    def increment(self, amount: int = 1) -> None:
        ### BEGIN SOLUTION
        with self._lock:
            self._count += amount
        ### END SOLUTION

    @property
    def value(self) -> int:
        ### BEGIN SOLUTION
        with self._lock:
            return self._count
        ### END SOLUTION


@dataclass
class Account:
    """A shared account balance with its own lock (given: not an exercise)."""

    balance: int
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def withdraw(account: Account, amount: int) -> bool:
    """Take ``amount`` from ``account`` if the balance covers it.

    If ``account.balance >= amount``: subtract ``amount`` and return True. Otherwise change
    nothing and return False. Any number of threads may withdraw from the same account at once,
    and the balance must never go below 0. ``account.lock`` guards the balance.
    """
    ### BEGIN SOLUTION
    with account.lock:
        if account.balance >= amount:
            account.balance -= amount
            return True
        return False
    ### END SOLUTION


class MemoCache:
    """Remembers ``compute(cache, key)`` per key; compute may call ``cache.get`` again.

    * ``__init__(self)``: an empty cache; its lock is ``self._lock``.
    * ``get(self, key, compute)``: return the remembered value for ``key``. If there is none,
      call ``compute(self, key)``, remember what it returns and return it. Whatever compute
      returns is remembered, also ``None``, ``0`` or ``""``: each key is computed once.

    Several threads may ask for the same missing key at the same moment: compute still runs at
    most once per key (the others wait, then find the value). ``compute`` may call
    ``self.get(...)`` for other keys, in the same thread (a recursive Fibonacci, say). If
    ``compute`` raises, nothing is remembered, the exception propagates, and the cache goes on
    working for every thread.
    """

    def __init__(self):
        ### BEGIN SOLUTION
        self._lock = threading.RLock()
        self._values = {}
        ### END SOLUTION

    def get(self, key, compute):
        ### BEGIN SOLUTION
        with self._lock:
            if key not in self._values:
                self._values[key] = compute(self, key)
            return self._values[key]
        ### END SOLUTION


_instance = None  # the singleton, once created
_instance_lock = threading.Lock()  # guards the creation of _instance


def get_instance(factory):
    """Return the process-wide singleton, creating it with ``factory()`` on first use.

    The instance lives in the module global ``_instance``, guarded by ``_instance_lock``.

    * ``factory`` is called at most once, even when many threads call ``get_instance`` at the
      same moment.
    * Once the instance exists, callers never wait for each other: they do not take the lock.
    * If ``factory`` raises, ``_instance`` stays None and the exception propagates; a later call
      tries again.
    """
    ### BEGIN SOLUTION
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = factory()
    return _instance
    ### END SOLUTION


class TicketBooth:
    """Fix this program: a ticket booth that many threads buy from at once.

    * ``TicketBooth(seats)``: ``seats`` tickets are for sale; ``self.sold`` lists the buyers in
      the order they bought, and ``self.lock`` is the booth's lock.
    * ``buy(self, buyer)``: if a seat is left, add ``buyer`` to ``self.sold`` and return True;
      when every seat is sold, return False and change nothing.

    However many threads call ``buy`` at once, ``self.sold`` never holds more than ``seats``
    buyers, every call that returned True has its buyer in ``self.sold`` (and every buyer there
    got True), and ``buy`` keeps answering False, without waiting, once the booth is sold out.

    The program below looks careful: it reads and writes ``self.sold`` only while holding
    ``self.lock``. Yet two threads can both be told True for the last seat. Find out why and fix
    ``buy``.
    """

    def __init__(self, seats):
        self.seats = seats
        self.sold = []
        self.lock = threading.Lock()

    def buy(self, buyer):
        ### BEGIN STUB
        # with self.lock:
        #     left = self.seats - len(self.sold)
        # if left <= 0:
        #     return False
        # with self.lock:
        #     self.sold.append(buyer)
        # return True
        ### END STUB
        ### BEGIN SOLUTION
        with self.lock:
            if len(self.sold) >= self.seats:
                return False
            self.sold.append(buyer)
            return True
        ### END SOLUTION
