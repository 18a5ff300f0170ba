"""Generators as coroutines (yield, send, throw, yield from) and switching between greenlets.

* ``averager``            a primed running-average coroutine, driven with ``send()``.
* ``delegate``            a generator that hands everything over to a sub-generator with
                          ``yield from`` and returns what the sub-generator returns.
* ``round_robin``         a tiny cooperative scheduler: generator tasks take turns, one step each.
* ``greenlet_ping_pong``  two greenlets that pass control to each other with ``switch()``.
* ``snapshot``            where a generator stands, read from its frame without running it:
                          its state, its line and a copy of its local variables.

Everything here runs in ONE thread. A generator only stops at a ``yield`` and a greenlet only at
a ``switch()``: nothing is preempted, and nothing runs in parallel.
"""

from __future__ import annotations

import inspect
from collections import deque
from typing import NamedTuple

from greenlet import greenlet


def averager():
    """Return a running-average coroutine that is already primed.

    * Each ``send(x)`` (a number) returns the mean of every number sent so far, as a float:
      ``a = averager(); a.send(10) == 10.0; a.send(20) == 15.0; a.send(0) == 10.0``.
    * "Primed" means the generator has already been advanced to its first ``yield`` when
      ``averager()`` returns it, so the caller's very first call can be ``send(10)``. (A
      just-started generator only accepts ``next(g)`` or ``g.send(None)``.)
    * Every call returns a new, independent averager.
    """
    ### BEGIN SOLUTION
    def running_mean():
        total = 0.0
        count = 0
        mean = None
        while True:
            x = yield mean
            total += x
            count += 1
            mean = total / count

    coro = running_mean()
    next(coro)  # prime: run up to the first yield
    return coro
    ### END SOLUTION


def delegate(sub):
    """Generator that hands everything over to the generator ``sub`` and returns what it returns.

    * What ``sub`` yields comes out of ``delegate``; values sent into ``delegate`` with
      ``send()`` reach ``sub``; an exception thrown in with ``throw()`` is raised inside ``sub``
      (which may catch it and go on); ``close()`` closes ``sub`` too.
    * When ``sub`` returns ``v``, ``delegate`` returns ``v`` too: the caller sees
      ``StopIteration`` with ``.value == v`` (and ``x = yield from delegate(sub)`` gives ``v``).
    """
    ### BEGIN SOLUTION
    result = yield from sub
    return result
    ### END SOLUTION


def round_robin(*tasks) -> list:
    """Run generator tasks in turns, one step each, until all have finished; return every value
    they yielded, in the order they yielded it.

    * A turn is one ``next(task)``. The value it yields is appended to the result and the task
      goes to the back of the line.
    * A task whose ``next()`` raises ``StopIteration`` has finished: drop it (there is no value
      to append) and let the others go on taking turns in the same order. A task may yield
      ``None`` (or ``0``, ``""``): that is a value like any other, not the end of the task.
    * Tasks are run lazily, step by step: never run one task to its end (or turn it into a list)
      before the others had their turns.
    * Example: tasks yielding ``a0 a1 a2``, ``b0`` and ``c0 c1`` give
      ``[a0, b0, c0, a1, c1, a2]``.
    * Any other exception raised by a task propagates to the caller.
    """
    ### BEGIN SOLUTION
    ready = deque(tasks)
    produced = []
    while ready:
        task = ready.popleft()
        try:
            value = next(task)
        except StopIteration:
            continue
        produced.append(value)
        ready.append(task)
    return produced
    ### END SOLUTION


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    """Two greenlets take turns appending to one list; return the list.

    * A "ping" greenlet appends ``"ping"`` n times and a "pong" greenlet ``"pong"`` n times. They
      take turns, "ping" first, and each passes control to the other with ``switch()`` after
      each append, so the list is ``["ping", "pong"] * n`` (``[]`` for ``n == 0``).
    * Both are greenlets of their own (neither is the caller's greenlet), all in the caller's
      thread: no threads. ``greenlet_ping_pong`` returns the list once the turns are over.
    * ``on_turn``: when it is not None, call ``on_turn(word)`` right after each append, from the
      greenlet that appended ``word``. (The tests use it to see which greenlet runs each turn.)
    * Thousands of rounds work: the turns never nest plain calls of one function into the other
      (2n nested calls would hit the recursion limit).
    """
    ### BEGIN SOLUTION
    words: list[str] = []

    def ping():
        for _ in range(n):
            words.append("ping")
            if on_turn is not None:
                on_turn("ping")
            pong_greenlet.switch()

    def pong():
        for _ in range(n):
            words.append("pong")
            if on_turn is not None:
                on_turn("pong")
            ping_greenlet.switch()

    ping_greenlet = greenlet(ping)
    pong_greenlet = greenlet(pong)
    ping_greenlet.switch()  # returns when ping() has returned
    return words
    ### END SOLUTION


class GenSnapshot(NamedTuple):
    """What ``snapshot(gen)`` returns (given: not an exercise)."""

    state: str
    """``"GEN_CREATED"``, ``"GEN_RUNNING"``, ``"GEN_SUSPENDED"`` or ``"GEN_CLOSED"``."""
    line: int | None
    """The source line the generator stands at; None once it is closed."""
    locals: dict
    """The generator's local variables, name -> value; ``{}`` once it is closed."""


def snapshot(gen) -> GenSnapshot:
    """Describe where the generator ``gen`` stands, without running it: ``GenSnapshot(state, line, locals)``.

    * ``state``: the name ``inspect.getgeneratorstate`` gives it: ``"GEN_CREATED"`` (not started
      yet), ``"GEN_SUSPENDED"`` (paused at a ``yield``), ``"GEN_RUNNING"`` (``snapshot`` was called
      from inside ``gen``'s own body) or ``"GEN_CLOSED"`` (it returned, raised or was closed).
    * ``line``: the number of the line of ``gen``'s source file it stands at: the line of the
      ``yield`` it is paused at; before it has started, the first line of its function (its
      ``def``); while it runs, the line being run. ``None`` once it is closed.
    * ``locals``: ``gen``'s local variables as they are at the call, in a new plain ``dict`` of
      name -> value (the values themselves, not copies of them). It stays as it is when ``gen``
      runs on, and changing it changes nothing in ``gen``. ``{}`` once ``gen`` is closed.
    * ``snapshot`` never moves ``gen``: whatever its state, and however many times it is called,
      ``gen`` yields afterwards what it would have yielded, with the same side effects, as if
      ``snapshot`` had never been called. It works for a closed generator too.
    * Anything that is not a generator object (a generator FUNCTION, a list, an iterator) raises
      ``TypeError``.
    """
    ### BEGIN SOLUTION
    if not inspect.isgenerator(gen):
        raise TypeError(f"snapshot() needs a generator object, not {type(gen).__name__}")
    state = inspect.getgeneratorstate(gen)
    frame = gen.gi_frame  # None once the generator has finished: its frame is gone
    if frame is None:
        return GenSnapshot(state, None, {})
    # f_locals is a dict refreshed in place (3.10-3.12) or a live write-through proxy (3.13+,
    # PEP 667): dict() takes a copy that the generator's next steps cannot change.
    return GenSnapshot(state, frame.f_lineno, dict(frame.f_locals))
    ### END SOLUTION
