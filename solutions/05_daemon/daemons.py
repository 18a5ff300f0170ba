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

    Open the file in append mode for each dot (``with open(path, "a") as fh: fh.write(".")``), so
    every dot is on disk as soon as it is written.
    """
    ### BEGIN SOLUTION
    while True:
        with open(path, "a") as fh:
            fh.write(".")
        time.sleep(interval)
    ### END SOLUTION


def start_heartbeat(path, interval=0.05, ctx=None) -> multiprocessing.process.BaseProcess:
    """Start a daemon process running ``beat(path, interval)`` and return it (still running).

    * ``ctx = ctx or multiprocessing.get_context()``; create it with
      ``ctx.Process(target=beat, args=(path, interval), daemon=True)``, then ``start()`` it.
    * Do not join it: it runs until someone terminates it, or until the parent's Python code
      ends, when multiprocessing terminates every daemon child (so the parent can exit).
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=beat, args=(path, interval), daemon=True)
    proc.start()
    return proc
    ### END SOLUTION


def supervise(job, ctx=None) -> int:
    """Run ``job()`` in a child process, wait for it, and return the child's exit code.

    * ``job`` is a picklable callable taking no arguments (a module-level function, or a
      ``functools.partial`` of one). It may start processes of its own.
    * ``ctx = ctx or multiprocessing.get_context()``; the child is
      ``ctx.Process(target=job, daemon=False)``: it must NOT be a daemon, because a daemonic
      process is not allowed to have children.
    * ``start()`` it, ``join()`` it, return its ``exitcode`` (0 when ``job`` returned normally,
      1 when it raised, ``n`` after ``sys.exit(n)``). Wait however long the job runs: a
      ``join(timeout)`` that gives up early leaves ``exitcode`` at None.
    """
    ### BEGIN SOLUTION
    ctx = ctx or multiprocessing.get_context()
    proc = ctx.Process(target=job, daemon=False)
    proc.start()
    proc.join()
    return proc.exitcode
    ### END SOLUTION


def log_events(event, log_path) -> None:
    """Logger loop, run in a thread: forever, wait until ``event`` is set, append one line
    (for example ``"event\\n"``) to the file ``log_path``, then ``clear()`` the event.

    Write (and close) the line *before* clearing the event: whoever sees the event cleared may
    rely on the line being in the file. Write a line only when the event was set: if you wait
    with a timeout, ``event.wait(timeout)`` returns False when the time ran out.
    """
    ### BEGIN SOLUTION
    while True:
        event.wait()
        with open(log_path, "a") as fh:
            fh.write("event\n")
        event.clear()
    ### END SOLUTION


def start_daemon_logger(event: threading.Event, log_path) -> threading.Thread:
    """Start and return a daemon thread running ``log_events(event, log_path)``.

    Create it with ``threading.Thread(target=log_events, args=(event, log_path), daemon=True)``
    (``setDaemon()`` is deprecated, and ``daemon`` cannot change after ``start()``), then start it.
    The thread never ends by itself: being a daemon, it is stopped when the last non-daemon
    thread of the program has finished.
    """
    ### BEGIN SOLUTION
    thread = threading.Thread(target=log_events, args=(event, log_path), daemon=True, name="daemon-logger")
    thread.start()
    return thread
    ### END SOLUTION
