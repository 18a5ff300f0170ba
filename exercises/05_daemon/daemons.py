"""Daemons: daemon processes, non-daemon supervisors and daemon threads, and what happens at exit.

Exercises:
* ``beat`` + ``start_heartbeat``: a daemon *process* that writes a heartbeat until the parent's
  Python code ends (multiprocessing then terminates it).
* ``supervise``: run a job that starts processes of its own in a *non-daemon* child
  (a daemonic process is not allowed to have children).
* ``log_events`` + ``start_daemon_logger``: a daemon *thread* that logs each time an event is set;
  it lives until the last non-daemon thread has finished.

Rules: every multiprocessing function takes ``ctx=None`` and uses
``ctx = ctx or multiprocessing.get_context()`` and then only ``ctx.Process``; targets are
module-level functions. Set ``daemon`` before ``start()``: pass ``daemon=True`` to the constructor.
"""

from __future__ import annotations

import multiprocessing
import threading
import time


def beat(path, interval) -> None:
    """Heartbeat loop, run in the child: forever, append one ``"."`` to the file ``path``, then
    sleep ``interval`` seconds.

    Another process reads the file while the loop runs: every dot must be in the file as soon as
    it is written, not sitting in this process's buffer.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    """Start a daemon process running ``beat(path, interval)`` and return it, still running.

    The heartbeat runs until someone terminates it, or until the parent's Python code ends:
    then multiprocessing terminates it, so it never keeps the parent from exiting. The process
    comes from ``ctx`` (see the module's rules).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def supervise(job, ctx=None) -> int:
    """Run ``job()`` in a child process (from ``ctx``), wait for it, and return its exit code.

    * ``job`` is a picklable callable taking no arguments (a module-level function, or a
      ``functools.partial`` of one). It may start processes of its own: the child you run it in
      must be allowed to have children.
    * The exit code is 0 when ``job`` returned normally, 1 when it raised, ``n`` after
      ``sys.exit(n)``. The job may run for any length of time: wait as long as it takes.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def log_events(event, log_path) -> None:
    """Logger loop, run in a thread: forever, wait until ``event`` is set, append one line
    (for example ``"event\\n"``) to the file ``log_path``, then ``clear()`` the event.

    Write (and close) the line *before* clearing the event: whoever sees the event cleared may
    rely on the line being in the file. Write a line only when the event was set: if you wait
    with a timeout, ``event.wait(timeout)`` returns False when the time ran out.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def start_daemon_logger(event: threading.Event, log_path) -> threading.Thread:
    """Start and return a daemon thread running ``log_events(event, log_path)``.

    The thread never ends by itself: being a daemon, it is stopped when the last non-daemon
    thread of the program has finished. It must be a daemon whichever thread calls this
    function, a daemon thread or not.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
