"""Picklable jobs for the models lab (14c_models_lab): child processes import them by name.

* ``rendezvous`` proves that two calls ran in two processes at the same time: each call drops a
  file named after its pid into ``folder`` and waits (bounded) until files from ``parties``
  different pids are there.
* ``reversed_square`` finishes the items in reverse order (later items sleep less), so a runner
  that collects results in completion order returns them reversed.
* ``square_or_fail`` raises ``ValueError`` for one item.
"""

from __future__ import annotations

import os
import time


def rendezvous(x: int, folder: str, parties: int = 2, timeout: float = 5.0) -> tuple[int, int, bool]:
    """(pid, x * x, whether ``parties`` processes were inside a call at the same time)."""
    pid = os.getpid()
    with open(os.path.join(folder, f"{pid}-{x}"), "w"):
        pass
    deadline = time.monotonic() + timeout
    while True:
        pids = {name.split("-", 1)[0] for name in os.listdir(folder)}
        if len(pids) >= parties:
            return pid, x * x, True
        if time.monotonic() >= deadline:
            return pid, x * x, False
        time.sleep(0.01)


def reversed_square(x: int, n: int = 6, step: float = 0.06) -> tuple[int, int]:
    """(pid, x * x) after ``(n - x) * step`` seconds."""
    time.sleep(max(0, n - x) * step)
    return os.getpid(), x * x


def square_or_fail(x: int, bad: int = 3) -> int:
    if x == bad:
        raise ValueError(f"item {x} failed")
    return x * x
