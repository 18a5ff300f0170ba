"""Build your own event loop from generators and ``selectors``: the bridge from 12 to 13 and 14.

A *task* is a generator. It runs until its next ``yield``, which tells the loop what it waits
for; the loop resumes it (``next(gen)``) when that has happened:

* ``yield``                  give the other tasks a turn; resume after every task that is ready now
* ``yield ("sleep", s)``     resume after at least ``s`` seconds
* ``yield ("read", sock)``   resume when ``sock`` can be read without blocking (data, EOF or a
  connection to accept)
* ``yield ("write", sock)``  resume when ``sock`` can be written without blocking

A task ends by returning (its return value becomes ``Task.result``) or by raising (the exception
becomes ``Task.exception``); either way the other tasks go on.

* ``scheduler``    ``spawn``, ``run``, bare yields and sleeps, results and errors.
* ``io_waits``     ``("read", sock)`` and ``("write", sock)`` waiting on the selector.
* ``echo_server``  a TCP echo server written as tasks for this loop.

Only the standard library; everything works on Python 3.10 to 3.14.
"""

from __future__ import annotations

import heapq
import itertools
import selectors
import time
from collections import deque


class Task:
    """One spawned generator and how it ended (given: not an exercise).

    ``done`` is False until the generator has returned or raised; then ``result`` holds what it
    returned (None if it raised) and ``exception`` what it raised (None if it returned).
    """

    def __init__(self, gen):
        self.gen = gen
        self.done = False
        self.result = None
        self.exception = None

    def __repr__(self):
        state = "done" if self.done else "pending"
        return f"<Task {getattr(self.gen, '__name__', self.gen)!r} {state}>"


class EventLoop:
    """A single-threaded loop that runs generator tasks (see the module docstring for what a
    task may yield).

    * ``EventLoop(selector=None)``: ``self.selector`` is the given selector or a new
      ``selectors.DefaultSelector()``. Whenever no task is ready to run, the loop waits in ONE
      call of ``self.selector.select(timeout)``: ``timeout`` is the time left until the earliest
      sleeper's deadline (``None`` if nobody sleeps). This is the only place the loop waits: no
      ``time.sleep``, and no busy loop calling ``select(0)`` over and over.
    """

    def __init__(self, selector=None):
        ### BEGIN SOLUTION
        self.selector = selector if selector is not None else selectors.DefaultSelector()
        self._ready = deque()  # tasks to resume, first in first out
        self._sleepers = []  # heap of (deadline, tie-breaker, task)
        self._order = itertools.count()
        self._waiting = {}  # fileobj -> {selectors.EVENT_READ: task, selectors.EVENT_WRITE: task}
        ### END SOLUTION

    def spawn(self, gen):
        """Add the generator ``gen`` as a new task at the BACK of the ready queue and return its
        ``Task``. Works before ``run()`` and from inside a running task."""
        ### BEGIN SOLUTION
        task = Task(gen)
        self._ready.append(task)
        return task
        ### END SOLUTION

    def run(self):
        """Run until every spawned task has finished (returned or raised), then return None.

        * Ready tasks run one step each (up to their next ``yield``) in first-in-first-out order:
          a task that did a bare ``yield`` goes to the back of the queue, behind the tasks that
          were already ready.
        * A sleeping task is not resumed before its deadline; sleepers whose deadlines have
          passed are resumed in deadline order (earliest first), whatever order they went to
          sleep in.
        * A task waiting on a socket is resumed only once the selector reports that socket ready
          for that direction; the loop stops watching the socket for that direction when it
          resumes the task (the task may close the socket right away).
        * A task that raises is finished with ``Task.exception`` set; the loop and the other
          tasks go on, and ``run()`` does not raise it.
        """
        ### BEGIN SOLUTION
        while self._ready or self._sleepers or self._waiting:
            if self._waiting or not self._ready:
                self._wait(0.0 if self._ready else None)  # poll when others are ready, else wait
            now = time.monotonic()
            while self._sleepers and self._sleepers[0][0] <= now:
                self._ready.append(heapq.heappop(self._sleepers)[2])
            for _ in range(len(self._ready)):  # one round: tasks readied during it go next round
                self._step(self._ready.popleft())

    def _step(self, task):
        try:
            command = next(task.gen)
        except StopIteration as stop:
            task.done, task.result = True, stop.value
            return
        except Exception as exc:  # noqa: BLE001 - the task's error, kept on its Task
            task.done, task.exception = True, exc
            return
        if command is None:
            self._ready.append(task)
        elif command[0] == "sleep":
            deadline = time.monotonic() + command[1]
            heapq.heappush(self._sleepers, (deadline, next(self._order), task))
        elif command[0] in ("read", "write"):
            event = selectors.EVENT_READ if command[0] == "read" else selectors.EVENT_WRITE
            self._watch(command[1], event, task)
        else:
            task.done, task.exception = True, ValueError(f"unknown command {command!r}")

    def _wait(self, timeout):
        if timeout is None and self._sleepers:
            timeout = max(0.0, self._sleepers[0][0] - time.monotonic())
        for key, events in self.selector.select(timeout):
            for event in (selectors.EVENT_READ, selectors.EVENT_WRITE):
                if events & event and event in key.data:
                    self._ready.append(self._unwatch(key.fileobj, event))

    def _watch(self, sock, event, task):
        waiters = self._waiting.setdefault(sock, {})
        waiters[event] = task
        mask = sum(waiters)  # EVENT_READ | EVENT_WRITE
        if len(waiters) == 1:
            self.selector.register(sock, mask, waiters)
        else:
            self.selector.modify(sock, mask, waiters)

    def _unwatch(self, sock, event):
        waiters = self._waiting[sock]
        task = waiters.pop(event)
        if waiters:
            self.selector.modify(sock, sum(waiters), waiters)
        else:
            del self._waiting[sock]
            self.selector.unregister(sock)
        return task
        ### END SOLUTION


def handle_client(sock):
    """A task that echoes everything it receives on the connected, non-blocking socket ``sock``
    back to it, and closes ``sock`` when the peer has closed its side (``recv`` returned b'').

    Wait with ``yield ("read", sock)`` before each ``recv`` and with ``yield ("write", sock)``
    whenever the socket cannot take more data: a ``send`` on a non-blocking socket may send only
    part of the bytes, or raise ``BlockingIOError`` when the buffer is full, and nothing may be
    lost. Never block: other clients are served by the same thread.
    """
    ### BEGIN SOLUTION
    try:
        while True:
            yield ("read", sock)
            data = sock.recv(65536)
            if not data:
                return
            while data:
                yield ("write", sock)
                try:
                    sent = sock.send(data)
                except BlockingIOError:
                    continue
                data = data[sent:]
    finally:
        sock.close()
    ### END SOLUTION


def echo_server(loop, listener):
    """A task that serves every client of ``listener`` (a bound, listening, non-blocking TCP
    socket) forever: it accepts each connection, makes the new socket non-blocking and spawns
    ``handle_client`` for it on ``loop``, so clients are served at the same time.

    Wait with ``yield ("read", listener)`` before each ``accept``: a listening socket is readable
    when a connection is waiting.
    """
    ### BEGIN SOLUTION
    while True:
        yield ("read", listener)
        try:
            client, _address = listener.accept()
        except BlockingIOError:
            continue
        client.setblocking(False)
        loop.spawn(handle_client(client))
    ### END SOLUTION
