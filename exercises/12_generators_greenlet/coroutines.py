"""Generators as coroutines (yield, send, throw, yield from) and switching between greenlets.

* ``averager``            a primed running-average coroutine, driven with ``send()``.
* ``delegate``            a generator that hands everything over to a sub-generator with
                          ``yield from`` and returns what the sub-generator returns.
* ``round_robin``         a tiny cooperative scheduler: generator tasks take turns, one step each.
* ``greenlet_ping_pong``  two greenlets that pass control to each other with ``switch()``.

Everything here runs in ONE thread. A generator only stops at a ``yield`` and a greenlet only at
a ``switch()``: nothing is preempted, and nothing runs in parallel.
"""

from __future__ import annotations

from collections import deque

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
    # YOUR CODE HERE
    raise NotImplementedError()


def delegate(sub):
    """Generator that hands everything over to the generator ``sub`` and returns what it returns.

    * What ``sub`` yields comes out of ``delegate``; values sent into ``delegate`` with
      ``send()`` reach ``sub``; an exception thrown in with ``throw()`` is raised inside ``sub``
      (which may catch it and go on); ``close()`` closes ``sub`` too.
    * When ``sub`` returns ``v``, ``delegate`` returns ``v`` too: the caller sees
      ``StopIteration`` with ``.value == v`` (and ``x = yield from delegate(sub)`` gives ``v``).

    One ``yield from`` does all of this; a ``for`` loop over ``sub`` does none of it.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


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
    # YOUR CODE HERE
    raise NotImplementedError()


def greenlet_ping_pong(n, on_turn=None) -> list[str]:
    """Two greenlets take turns appending to one list; return the list.

    * The "ping" greenlet, n times: append ``"ping"``, then ``switch()`` to the "pong" greenlet.
    * The "pong" greenlet, n times: append ``"pong"``, then ``switch()`` back to the "ping" one.
    * Start by switching to the "ping" greenlet from the caller. When the "ping" greenlet's
      function returns, control goes back to its parent (the caller's greenlet); then return
      the list, which is ``["ping", "pong"] * n`` (``[]`` for ``n == 0``).
    * ``on_turn``: when it is not None, call ``on_turn(word)`` right after each append, from the
      greenlet that appended ``word``. (The tests use it to see which greenlet runs each turn.)

    Use ``greenlet.greenlet(function)`` and ``.switch()``: no threads, and no plain calls from
    one function into the other (2n nested calls would also hit the recursion limit).
    """
    # YOUR CODE HERE
    raise NotImplementedError()
