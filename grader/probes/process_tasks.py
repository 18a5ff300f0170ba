"""Picklable helpers for the process and daemon topics (01_processes, 05_daemon).

Child processes import these by name, so they live here and not in the hidden test files
(those are imported with importlib mode and cannot be imported by a child).

* ``RendezvousInt`` proves that ``run_squares`` ran its workers at the same time: squaring one
  waits at a shared barrier until every sibling is being squared too.
* ``job_with_helper`` / ``exit_with`` are jobs for ``supervise``: the first starts a helper
  process of its own, which a daemonic process may not do.
* ``WhereInt`` / ``SlowInt`` / ``CrashInt`` (01_processes) tell where a square was computed, fix
  the order in which squares finish, or end the child that computes one.
* ``StoppableEvent`` is a ``threading.Event`` whose waiters can be made to exit, so a test can
  end a logger thread it never got a handle to (and a non-daemon one cannot hang pytest's exit).
* ``run_until_signalled`` / ``ignore_sigterm`` / ``clean_up_on_sigterm`` (01_processes,
  ``stop_worker``): workers that die of SIGTERM, ignore it, or handle it by cleaning up and
  exiting 0. Each sets ``ready`` once its SIGTERM disposition is in place, so a test signals
  only a worker that is ready for it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time

#: what a RendezvousInt squares to when its siblings never arrived (no real square is negative)
NOT_TOGETHER = -1


class RendezvousInt:
    """An int stand-in whose square is only computed while all its siblings are squared too.

    ``x * x`` (or ``x ** 2``) waits at ``barrier`` (a ``Manager().Barrier`` proxy: picklable
    under every start method, also when the student puts ``x`` itself on a queue) for at most
    ``timeout`` seconds. When every sibling arrives, the product is the plain int square; when
    the barrier breaks (the workers ran one after another), it is ``NOT_TOGETHER``.
    """

    def __init__(self, value: int, barrier, timeout: float) -> None:
        self.value = value
        self.barrier = barrier
        self.timeout = timeout

    def _together(self) -> bool:
        try:
            self.barrier.wait(self.timeout)
        except threading.BrokenBarrierError:
            return False
        return True

    def __mul__(self, other):
        if not self._together():
            return NOT_TOGETHER
        return self.value * int(other)

    __rmul__ = __mul__

    def __pow__(self, exponent, modulo=None):
        if not self._together():
            return NOT_TOGETHER
        return pow(self.value, int(exponent), modulo)

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __repr__(self) -> str:
        return f"RendezvousInt({self.value})"


def touch(path: str) -> None:
    """A helper process's whole job: create ``path``."""
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))


def job_with_helper(report_path: str, method: str) -> None:
    """A job for ``supervise``: start a helper process, wait for it, write a JSON report.

    Starting the helper fails with ``AssertionError: daemonic processes are not allowed to have
    children`` when this job itself runs in a daemon process; the job then exits with code 1.
    """
    ctx = multiprocessing.get_context(method)
    helper_file = report_path + ".helper"
    helper = ctx.Process(target=touch, args=(helper_file,))
    helper.start()
    helper.join(30)
    report = {
        "job_pid": os.getpid(),
        "job_daemon": multiprocessing.current_process().daemon,
        "helper_exitcode": helper.exitcode,
        "helper_ran": os.path.exists(helper_file),
    }
    with open(report_path, "w") as fh:
        json.dump(report, fh)
    if helper.exitcode != 0:
        raise RuntimeError(f"the helper process failed with exit code {helper.exitcode}")


def exit_with(code: int) -> None:
    """A job for ``supervise`` that ends its process with exit code ``code``."""
    sys.exit(code)


def fail_with_value_error() -> None:
    """A job for ``supervise`` that raises (its process exits with code 1)."""
    raise ValueError("this job always fails")


class StopWaiting(SystemExit):
    """Raised in a thread that waits on a closed ``StoppableEvent``: it ends that thread."""


class StoppableEvent(threading.Event):
    """A ``threading.Event`` that a test can close, ending every thread that waits on it.

    After ``close()``, ``wait`` raises ``StopWaiting`` (a ``SystemExit``), so a logger thread blocked
    in ``wait()`` ends, daemon or not, and cannot keep the test process from exiting.
    """

    def __init__(self) -> None:
        super().__init__()
        self._closed = False

    def wait(self, timeout: float | None = None) -> bool:
        result = super().wait(timeout)
        if self._closed:
            raise StopWaiting
        return result

    def close(self, threads=(), timeout: float = 2.0) -> list[threading.Thread]:
        """Wake every waiter so it ends; join ``threads`` (at most ``timeout`` s in all).

        While it joins, ``threading.excepthook`` ignores ``StopWaiting`` (pytest's hook would
        report it as an unhandled thread exception). Returns the threads still alive.
        """
        previous = threading.excepthook

        def hook(args) -> None:
            if args.exc_type is None or not issubclass(args.exc_type, StopWaiting):
                previous(args)

        threading.excepthook = hook
        try:
            self._closed = True
            super().set()
            deadline = time.monotonic() + timeout
            for thread in threads:
                if thread is not threading.current_thread() and thread.ident is not None:
                    thread.join(max(0.0, deadline - time.monotonic()))
        finally:
            threading.excepthook = previous
        return [t for t in threads if t.is_alive()]


# --------------------------------------------------------------------------- where a square was computed
#: tokens of the WhereInts made in this process; a forked child inherits them, a spawned one does not
_MADE_HERE: set[str] = set()


class Product(int):
    """An int (a square) that remembers where it was computed: ``where`` = (pid, ppid, inherited)."""

    def __new__(cls, value: int, where: tuple) -> Product:
        obj = super().__new__(cls, value)
        obj.where = tuple(where)
        return obj

    def __reduce__(self):
        return (Product, (int(self), self.where))


class WhereInt(int):
    """An int whose square (``x * x``, ``x ** 2``) is a ``Product`` telling which process computed it.

    ``inherited`` is True when the computing process still holds this object's creation token in
    its memory, i.e. it was forked from the creator after the WhereInt was made; a spawned or
    forkserver child imports this module afresh and does not.
    """

    def __new__(cls, value: int) -> WhereInt:
        obj = super().__new__(cls, value)
        obj.token = f"{os.getpid()}-{id(obj)}-{time.monotonic_ns()}"
        obj.creator = os.getpid()
        _MADE_HERE.add(obj.token)
        return obj

    def __reduce__(self):
        return (_rebuild_where_int, (int(self), self.token, self.creator))

    def _where(self) -> tuple:
        return (os.getpid(), os.getppid(), self.token in _MADE_HERE)

    def __mul__(self, other):
        return Product(int(self) * int(other), self._where())

    __rmul__ = __mul__

    def __pow__(self, exponent, modulo=None):
        return Product(pow(int(self), int(exponent), modulo), self._where())

    def __repr__(self) -> str:
        return f"WhereInt({int(self)})"


def _rebuild_where_int(value: int, token: str, creator: int) -> WhereInt:
    obj = int.__new__(WhereInt, value)
    obj.token = token
    obj.creator = creator
    return obj


def start_method_of(product, creator: int) -> str:
    """Which start method made the process that computed ``product`` (a ``Product``)."""
    pid, ppid, inherited = product.where
    if pid == creator:
        return "none (it ran in the calling process)"
    if inherited:
        return "fork"
    return "spawn" if ppid == creator else "forkserver"


class CrashInt(int):
    """An int whose square cannot be computed: the process that tries ends at once (exit code 3)."""

    def __mul__(self, other):
        os._exit(3)

    __rmul__ = __mul__

    def __pow__(self, exponent, modulo=None):
        os._exit(3)


def die_at_once(*args) -> None:
    """A child target that ends its process at once (exit code 3) without sending anything."""
    os._exit(3)


class SlowInt:
    """An int stand-in whose square takes ``delay`` seconds: unequal delays fix the finishing order."""

    def __init__(self, value: int, delay: float) -> None:
        self.value = value
        self.delay = delay

    def __mul__(self, other):
        time.sleep(self.delay)
        return self.value * int(other)

    __rmul__ = __mul__

    def __pow__(self, exponent, modulo=None):
        time.sleep(self.delay)
        return pow(self.value, int(exponent), modulo)

    def __int__(self) -> int:
        return self.value

    __index__ = __int__

    def __repr__(self) -> str:
        return f"SlowInt({self.value}, {self.delay})"


# --------------------------------------------------------------------------- workers to stop (stop_worker)
#: how long a worker to be stopped lives at most, should nobody stop it (a leak then ends by itself)
WORKER_LIFETIME = 60.0


def _on_sigterm(handler) -> None:
    """Install ``handler`` for SIGTERM and make sure the signal is not blocked in this process."""
    signal.signal(signal.SIGTERM, handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def run_until_signalled(ready) -> None:
    """A well-behaved worker: SIGTERM (its default action) ends it at once, exit code -SIGTERM."""
    _on_sigterm(signal.SIG_DFL)
    ready.set()
    time.sleep(WORKER_LIFETIME)


def ignore_sigterm(ready, exit_after: float | None = None, code: int = 0) -> None:
    """A worker that ignores SIGTERM: only SIGKILL ends it, unless it exits with ``code`` after
    ``exit_after`` seconds by itself."""
    _on_sigterm(signal.SIG_IGN)
    ready.set()
    time.sleep(WORKER_LIFETIME if exit_after is None else exit_after)
    os._exit(code)


def clean_up_on_sigterm(ready, seconds: float) -> None:
    """A worker that handles SIGTERM: it cleans up for ``seconds``, then exits with code 0."""

    def handler(signum, frame) -> None:
        time.sleep(seconds)
        os._exit(0)

    _on_sigterm(handler)
    ready.set()
    time.sleep(WORKER_LIFETIME)
