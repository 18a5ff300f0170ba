"""Count how many calls are in flight at once, instead of asserting on wall-clock time.

``InFlight`` works for threads, asyncio tasks and greenlets alike: wrap the function under test's
callee, run, then read ``peak``. Cooperative schedulers give exact peaks (research E9, E10).
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any, Callable


class InFlight:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.calls = 0

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """The same function (sync or async), counted while it runs."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                self.enter()
                try:
                    return await fn(*args, **kwargs)
                finally:
                    self.leave()

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.enter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return wrapper
