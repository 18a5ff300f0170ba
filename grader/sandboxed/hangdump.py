"""Inside the sandbox: let every process of the run tell where its threads are when a test hangs.

Two paths, both feeding ``grader.forensics`` on the trusted side:

- ``install(fd)``: ``faulthandler`` dumps all threads' tracebacks to the forensics pipe on
  DUMP_SIGNAL. It runs in C, so it answers even while the main thread is stuck in a C call or a
  loop that swallows exceptions. Forked children inherit it; spawned and forkserver children
  re-register from the environment when they import this package's runner as ``__mp_main__``.
  The supervisor sends the signal (one process at a time, each after a header line) before it
  kills a run that blew its outer deadline.
- ``TimeoutSnapshot``: when pytest-timeout's alarm fires, before the test is failed, a snapshot
  of this process's threads (with their names), asyncio tasks and the RecordingLocks they wait
  for goes to the grader as a ``forensics`` record; then the children are asked for their dumps.

Everything here is advice for the student's message: student code shares these processes and
could fake it, so nothing in it ever counts for the score.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from grader.sandbox import proctable
from grader.sandboxed.protocol import DUMP_SIGNAL, FORENSICS_ENV, Event, dump_header, dump_signal_bit

MAX_THREADS = 40
MAX_FRAMES = 30
_keep: list[Any] = []  # faulthandler needs the file object to stay alive


def install(fd: int | None) -> None:
    """Answer DUMP_SIGNAL with all threads' tracebacks on ``fd``; tell spawned children how to."""
    if fd is None or DUMP_SIGNAL is None:
        return
    try:
        os.set_inheritable(fd, False)  # exec'd programs never see it; forked children keep it
        out = open(fd, "wb", buffering=0, closefd=False)  # noqa: SIM115 - kept for faulthandler
        faulthandler.register(DUMP_SIGNAL, file=out, all_threads=True, chain=False)
        _keep.append(out)
        os.environ[FORENSICS_ENV] = f"/proc/{os.getpid()}/fd/{fd}"
    except (OSError, ValueError, RuntimeError):
        pass


def install_from_env() -> None:
    """In a spawned or forkserver child: open the runner's forensics pipe and register too."""
    path = os.environ.get(FORENSICS_ENV)
    if not path or DUMP_SIGNAL is None:
        return
    try:
        out = open(path, "wb", buffering=0)  # noqa: SIM115 - kept for faulthandler
        faulthandler.register(DUMP_SIGNAL, file=out, all_threads=True, chain=False)
        _keep.append(out)
    except (OSError, ValueError, RuntimeError):
        pass


def children_that_answer() -> list[tuple[int, int, str]]:
    """(pid, ppid, name) of our descendants that handle DUMP_SIGNAL, from /proc."""
    procs = proctable.table()
    if procs is None:
        return []
    live, _ = proctable.descendants(os.getpid(), procs)
    bit = dump_signal_bit()
    found = []
    for pid in sorted(live):
        fields = proctable.status(pid)
        caught = proctable.signal_mask(fields, "SigCgt")
        if caught > 0 and caught & bit:
            found.append((pid, procs[pid].ppid, fields.get("Name", "?")))
    return found


def dump_children(fd: int | None, budget: float = 2.0) -> int:
    """Ask each descendant that handles DUMP_SIGNAL for its stacks, one after another."""
    if fd is None or DUMP_SIGNAL is None:
        return 0
    started, count = time.monotonic(), 0
    for pid, ppid, name in children_that_answer()[:16]:
        if time.monotonic() - started > budget:
            break
        try:
            os.write(fd, dump_header(pid, ppid, name))
            os.kill(pid, DUMP_SIGNAL)
        except OSError:
            continue
        count += 1
        time.sleep(0.15)
    return count


def _stack(frame: Any) -> list[list[Any]]:
    return [[f.filename, f.lineno, f.name, (f.line or "")[:120]]
            for f in traceback.extract_stack(frame)[-MAX_FRAMES:]]


def snapshot(interrupted: Any = None) -> dict[str, Any]:
    """This process's threads (name, daemon, stack: outermost first), asyncio tasks, lock waits."""
    frames = sys._current_frames()
    by_ident = {t.ident: t for t in threading.enumerate()}
    main = threading.main_thread().ident
    threads = []
    for ident, frame in list(frames.items())[:MAX_THREADS]:
        if ident == threading.get_ident() and interrupted is not None:
            frame = interrupted  # the signal handler's caller, not the handler
        thread = by_ident.get(ident)
        threads.append({
            "ident": ident,
            "name": thread.name if thread else f"thread {ident:#x}",
            "daemon": bool(thread and thread.daemon),
            "main": ident == main,
            "stack": _stack(frame),
        })
    return {"pid": os.getpid(), "threads": threads, "tasks": _asyncio_tasks(), "waits": _lock_waits()}


def _asyncio_tasks() -> list[dict[str, Any]]:
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return []
    try:
        loop = asyncio._get_running_loop()
        tasks = list(asyncio.all_tasks(loop)) if loop is not None else []
    except Exception:  # noqa: BLE001 - best effort
        return []
    found = []
    for task in tasks[:MAX_THREADS]:
        try:
            frames = task.get_stack(limit=MAX_FRAMES)
            stack = [[f.f_code.co_filename, f.f_lineno, f.f_code.co_name, ""] for f in frames]
            found.append({"name": task.get_name(), "stack": stack})
        except Exception:  # noqa: BLE001
            continue
    return found


def _lock_waits() -> list[dict[str, Any]]:
    lockdep = sys.modules.get("grader.probes.lockdep")
    waits = getattr(lockdep, "waiting", None)
    if waits is None:
        return []
    try:
        return waits()
    except Exception:  # noqa: BLE001
        return []


class TimeoutSnapshot:
    """Wraps pytest-timeout's alarm handler to take a snapshot before the test is failed."""

    def __init__(self, send: Callable[..., None], fd: int | None) -> None:
        self.send = send
        self.fd = fd

    def _wrap(self, nodeid: str) -> None:
        handler = signal.getsignal(signal.SIGALRM)
        if not callable(handler) or getattr(handler, "_grader_wrapped", False):
            return

        def on_alarm(signum: int, frame: Any) -> None:
            try:
                self.send(Event.FORENSICS, id=nodeid, **snapshot(frame))
                dump_children(self.fd)
            except Exception:  # noqa: BLE001 - the timeout itself must still happen
                pass
            handler(signum, frame)

        on_alarm._grader_wrapped = True  # type: ignore[attr-defined]
        signal.signal(signal.SIGALRM, on_alarm)


def timeout_plugin(send: Callable[..., None], fd: int | None) -> Any:
    """The pytest plugin object (a hookwrapper around pytest-timeout's ``pytest_timeout_set_timer``)."""
    import pytest

    class Plugin:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_timeout_set_timer(self, item: Any, settings: Any) -> Any:
            yield
            if getattr(settings, "method", None) == "signal":
                TimeoutSnapshot(send, fd)._wrap(item.nodeid)

    return Plugin()
