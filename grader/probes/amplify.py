"""Race amplification by opcode tracing: make a lock-less read-modify-write lose updates every time.

On CPython 3.10+ a plain ``counter += 1`` loop almost never loses an update: the eval loop only
checks for a thread switch on calls and backward jumps (research E1). This tracer turns on
per-opcode tracing for the student's code objects only and yields the GIL (``os.sched_yield()``)
between opcodes, so another thread runs between the read and the write of an unprotected update,
while correctly locked code still serialises (research E2: 50/50 runs detected, 0 false alarms).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from types import FrameType, ModuleType
from typing import Any, Iterator


# sched_yield() releases the GIL and hands the CPU to another runnable thread; time.sleep(0) does
# not hand the GIL over reliably on 3.10 (a read-outside-the-lock counter lost updates in 7 of 20
# trials with it, 20 of 20 with sched_yield; 3.11 and 3.13: 20 of 20 with either).
_yield = getattr(os, "sched_yield", None) or (lambda: time.sleep(0))


@contextmanager
def amplified(*modules: ModuleType) -> Iterator[None]:
    """Within the block, every thread started (and the current one) yields between the modules' opcodes."""
    files = {m.__file__ for m in modules if getattr(m, "__file__", None)}

    def local(frame: FrameType, event: str, arg: Any):
        if event == "opcode":
            _yield()
        return local

    def tracer(frame: FrameType, event: str, arg: Any):
        if event == "call" and frame.f_code.co_filename in files:
            frame.f_trace_opcodes = True
            return local
        return None

    old_sys, old_threading = sys.gettrace(), threading.gettrace() if hasattr(threading, "gettrace") else None
    threading.settrace(tracer)
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(old_sys)
        threading.settrace(old_threading)  # type: ignore[arg-type]
