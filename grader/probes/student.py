"""Importing the student's module and calling into it without ever hanging the test run."""

from __future__ import annotations

import importlib
import sys
import sysconfig
import threading
import time
import traceback
from types import ModuleType
from typing import Any, Callable

import pytest


def load_student(name: str) -> ModuleType:
    """Import the student's module ``name``; a broken module fails the test with one clear line.

    Hidden tests call this from a fixture, never at import time, so a module that does not exist,
    does not compile or crashes at import costs each test of the topic, not the collection.
    """
    try:
        return importlib.import_module(name)
    except SyntaxError as exc:
        where = f"{name}.py line {exc.lineno}" if exc.lineno else f"{name}.py"
        pytest.fail(f"SyntaxError in {where}: {exc.msg}", pytrace=False)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            pytest.fail(f"{name}.py was not found in the submission", pytrace=False)
        pytest.fail(f"importing {name}.py failed: {_one_line(exc)}", pytrace=False)
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything at import
        pytest.fail(f"importing {name}.py failed: {_one_line(exc)}", pytrace=False)


def call_with_timeout(fn: Callable[..., Any], *args: Any, timeout: float = 5.0, **kwargs: Any) -> Any:
    """Call ``fn`` in a daemon thread; return its result, re-raise its exception, or fail on a hang.

    A hung call (deadlock, a queue nobody fills) then costs ``timeout`` seconds and a clear
    message instead of the whole per-test budget. The stuck daemon thread is harmless: the
    runner ends with ``os._exit``.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box["error"] = exc

    name = getattr(fn, "__name__", "call")
    thread = threading.Thread(target=target, name=f"call-{name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(
            f"{name}() did not return within {timeout:g} s: it is blocked "
            f"(a deadlock, a join before draining a queue, or a get() nobody answers)",
            pytrace=False,
        )
    if "error" in box:
        raise box["error"]
    return box.get("value")


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.005) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` seconds have passed (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def _one_line(exc: BaseException) -> str:
    """``Type: message`` plus where in the student's file it happened, on one line."""
    where = ""
    library = tuple(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        # The student's line: not the standard library's (context.py:193), nor ours, nor importlib's.
        if not frame.filename.startswith((sys.prefix, sys.base_prefix, *library, "<")) \
                and "/grader/" not in frame.filename:
            where = f" (at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"
            break
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}{where}"
