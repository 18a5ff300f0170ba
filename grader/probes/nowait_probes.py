"""Probes for 02_ipc's ``offer`` and ``drain``: a spy around a real ``multiprocessing`` queue.

* ``SpyQueue(real, ...)`` hands the student's code a real queue with three of its behaviours made
  certain instead of likely:

  - ``put()`` that would wait (``block=True`` on a full queue, with or without a timeout) and
    ``get()`` with no timeout raise ``Blocked`` at once, and are recorded in ``blocked``: a call
    that waits is caught by what it asked for, not by how long it took;
  - ``qsize()`` raises ``NotImplementedError``, as it does on macOS;
  - with ``rival=item``, a ``full()`` that answers ``False`` is followed at once by another
    producer putting ``item``: the check-then-put race, every time.

* ``Gated(value, gate)`` pickles (in the putting process's feeder thread) only once ``gate`` is
  set; ``SpyQueue(gate=gate)`` sets it on the student's first read, after computing what
  ``empty()`` or ``get_nowait()`` answers. Items put before are therefore still "on their way"
  when the student first looks: ``empty()`` says ``True`` and ``get_nowait()`` raises
  ``queue.Empty``, every time, while ``get(timeout=...)`` receives them.
* ``Broken()`` pickles fine and raises ``CannotUnpickle`` in the ``get()`` that takes it.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

#: how long a gated item waits for the student's first read before it goes anyway
GATE_LIMIT = 30.0


def macos_qsize_error() -> Exception:
    """What ``multiprocessing.Queue.qsize()`` raises on macOS (no ``sem_getvalue``): the spy raises
    it on every platform, so a solution that relies on ``qsize()`` loses points here too."""
    return NotImplementedError("qsize() is not implemented on this platform (as on macOS)")


class Blocked(AssertionError):
    """The student's code made a call that waits on a queue where it must not."""


class CannotUnpickle(Exception):
    """What taking a ``Broken`` item raises."""


def _cannot_unpickle(message: str) -> Any:
    raise CannotUnpickle(message)


class Broken:
    """An item that goes onto a queue and raises ``CannotUnpickle`` when it is taken off."""

    def __reduce__(self) -> Any:
        return _cannot_unpickle, ("this item cannot be unpickled",)


class Gated:
    """An int that the queue's feeder thread can only pickle once ``gate`` is set."""

    def __init__(self, value: int, gate: threading.Event) -> None:
        self.value, self.gate = value, gate

    def __reduce__(self) -> Any:
        self.gate.wait(GATE_LIMIT)
        return int, (self.value,)


class SpyQueue:
    """A real ``multiprocessing`` queue whose waiting calls, ``qsize()`` and ``full()`` are watched."""

    def __init__(self, real: Any, *, gate: threading.Event | None = None, rival: Any = None) -> None:
        self.real = real
        self.gate = gate
        self.rival = rival
        self.calls: list[str] = []
        self.blocked: list[str] = []
        self.reads = 0
        self.read_event = threading.Event()

    def __getattr__(self, name: str) -> Any:  # _maxsize, close, join_thread, ...
        return getattr(self.real, name)

    def _read(self) -> None:
        self.reads += 1
        self.read_event.set()
        if self.gate is not None:
            self.gate.set()

    def _blocked(self, what: str) -> None:
        self.blocked.append(what)
        raise Blocked(what)

    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        self.calls.append(f"put(block={block}, timeout={timeout})")
        if block and self.real.full():
            self._blocked(f"put(item, block={block}, timeout={timeout}) on a full queue")
        self.real.put(obj, block, timeout)

    def put_nowait(self, obj: Any) -> None:
        self.calls.append("put_nowait")
        self.real.put_nowait(obj)

    def full(self) -> bool:
        self.calls.append("full")
        answer = self.real.full()
        if not answer and self.rival is not None:
            self.real.put_nowait(self.rival)  # another producer takes the slot right after the check
            self.rival = None
        return answer

    def empty(self) -> bool:
        self.calls.append("empty")
        answer = self.real.empty()
        self._read()
        return answer

    def qsize(self) -> int:
        self.calls.append("qsize")
        self._read()
        raise macos_qsize_error()

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        self.calls.append(f"get(block={block}, timeout={timeout})")
        if not block:
            return self.get_nowait()
        if timeout is None:
            self._blocked("get() with no timeout")
        self._read()
        return self.real.get(block, timeout)

    def get_nowait(self) -> Any:
        self.calls.append("get_nowait")
        try:  # the answer first, then the gate: items on their way are not there yet
            return self.real.get_nowait()
        finally:
            self._read()


def take_all(real: Any, wait: float = 0.5) -> list:
    """Everything ``real`` holds (the test's own check, bounded by ``wait`` per item)."""
    items = []
    while True:
        try:
            items.append(real.get(timeout=wait))
        except queue.Empty:
            return items
