"""Deadlock-free locking: lock ordering, try-lock with a timeout, dining philosophers.

* ``transfer``      move money between two accounts holding both locks, taken in one global order.
* ``acquire_both``  take two locks with timeouts; on failure hold nothing and report False.
* ``dine``          n philosopher threads share n forks and all finish their meals.
* ``Room``          fix this program: a chat room whose broadcast can deadlock with a user leaving.

``Account`` is given. The tests replace locks with recording locks that note which locks each
thread holds and in which order, so an inconsistent order is found without waiting for a hang.
Locks are used only through ``acquire()``, ``release()`` and ``with lock:``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Account:
    """A bank account with its own lock (given: not an exercise)."""

    id: int
    balance: int
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def transfer(src: Account, dst: Account, amount: int) -> None:
    """Move ``amount`` from ``src`` to ``dst`` (two different accounts) while holding both locks.

    * Both balances change while both accounts' locks are held.
    * The two locks are always taken in one global order, the account with the lower ``id``
      attribute first (not Python's ``id()``), whatever the direction of the transfer: then
      transfers between the same accounts in opposite directions can never deadlock.
    * A busy lock delays the transfer, it never cancels it: ``transfer`` always moves the money.
    * Both locks are free again when ``transfer`` returns or raises (``transfer(a, b, None)``
      raises TypeError).

    No overdraft check: a balance may go negative.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def acquire_both(a, b, timeout: float) -> bool:
    """Try to take lock ``a`` and then lock ``b``, waiting at most ``timeout`` seconds for each.

    * Both taken: return True and keep holding both (the caller releases them).
    * ``a`` not taken in time: return False without touching ``b``.
    * ``b`` not taken in time: return False, holding neither lock.

    On a False return the caller holds neither lock, so it can back off and retry without
    blocking anyone: this is the "try-lock with back-off" way out of a deadlock.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def philosopher(i: int, forks: list, meals: int, eat) -> None:
    """One philosopher (a suggested helper for ``dine``; only ``dine`` is graded).

    Philosopher ``i`` needs forks ``i`` and ``(i + 1) % len(forks)``. Eat ``meals`` times, each
    time calling ``eat(i)`` while holding both forks, and put both forks down after each meal.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def dine(forks: list, meals: int, eat) -> None:
    """Run the dining philosophers: ``n = len(forks)`` threads, one per philosopher, and return
    when all have eaten. ``n >= 2``.

    Philosopher ``i`` eats ``meals`` times, calling ``eat(i)`` each time while holding forks ``i``
    and ``(i + 1) % n`` (the locks in ``forks``). A fork whose ``acquire(timeout=...)`` returned
    False is not held: never eat without both forks.

    * The philosophers run at the same time, and ``dine`` returns only after every meal,
      however long the meals take.
    * No deadlock, whatever the timing: if every philosopher picks up the left fork and then
      waits for the right one, they can all wait forever. The tests check the order in which
      forks are taken, so a "waiter" that lets at most n - 1 philosophers sit down while each
      still takes left then right is reported as a lock-order cycle.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


class User:
    """A chat user (given): ``inbox`` holds ``(room name, text)`` pairs, ``rooms`` the rooms joined.

    Both lists are read and changed only while holding ``self.lock``.
    """

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.rooms = []
        self.inbox = []

    def deliver(self, room, text):
        with self.lock:
            self.inbox.append((room.name, text))

    def leave_all(self):
        """Leave every room this user is in."""
        with self.lock:
            for room in self.rooms:
                room.remove(self)
            self.rooms.clear()


class Room:
    """Fix this program: a chat room that many threads use at once.

    * ``join(user)`` adds ``user`` to ``self.members`` and the room to ``user.rooms``;
      ``remove(user)`` takes the user out of ``self.members``.
    * ``broadcast(text)`` delivers ``(room name, text)`` to the inbox of every member, through
      ``user.deliver``. A user who is a member for the whole broadcast gets the message exactly
      once; one who has left before it starts does not get it.
    * ``self.members`` is read and changed only while holding ``self.lock``, and a user's
      ``inbox`` and ``rooms`` only while holding that user's lock.
    * ``join``, ``remove``, ``broadcast`` and ``User.leave_all`` may run in any number of
      threads at once, and no combination of them may ever deadlock.

    As shipped, a thread broadcasting to a room and a thread whose user leaves that room can
    hang each other forever. Find out why and fix it (in ``broadcast``, in ``User.leave_all``,
    or both).
    """

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.members = []

    def join(self, user):
        with self.lock:
            self.members.append(user)
        with user.lock:
            user.rooms.append(self)

    def remove(self, user):
        with self.lock:
            if user in self.members:
                self.members.remove(user)

    def broadcast(self, text):
        with self.lock:
            for user in self.members:
                user.deliver(self, text)
