"""Class-level spies on ``multiprocessing.pool.Pool``: did the code close, join, or terminate?

Patching the class catches pools made by ``multiprocessing.Pool``, ``ctx.Pool`` and
``multiprocessing.pool.Pool`` alike. Spies see only the parent's calls, which is where
close/join/terminate happen. ``forbid_pending_terminate`` turns the `with Pool(...)` pitfall
(``__exit__`` calls ``terminate()`` while results are still pending) into an immediate, named
failure instead of a ``get()`` that waits forever.
"""

from __future__ import annotations

import multiprocessing.pool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

Pool = multiprocessing.pool.Pool


@dataclass
class PoolCall:
    pool: int
    method: str
    pending: int


@dataclass
class PoolSpy:
    calls: list[PoolCall] = field(default_factory=list)
    pools: list[int] = field(default_factory=list)
    async_calls: list[dict] = field(default_factory=list)

    def methods(self, pool: int | None = None) -> list[str]:
        return [c.method for c in self.calls if pool is None or c.pool == pool]

    def problems(self, *, allow_terminate: bool = False) -> list[str]:
        """Every lifecycle mistake seen, one sentence each (empty when all pools were used well)."""
        found = []
        if not self.pools:
            found.append("no multiprocessing Pool was created")
        for pool in self.pools:
            methods = self.methods(pool)
            if "terminate" in methods and allow_terminate:
                continue
            if "terminate" in methods and not _closed_and_joined_before(methods, methods.index("terminate")):
                found.append("terminate() was called: use close() then join() so queued work finishes")
                continue
            # A terminate() after close() and join() (the exit of `with Pool(...)` around a
            # close/join) finds every task done and stops nothing: it is harmless.
            if "close" not in methods:
                found.append("close() was never called on the Pool")
            if "join" not in methods:
                found.append("join() was never called on the Pool")
            if "close" in methods and "join" in methods and methods.index("join") < methods.index("close"):
                found.append("join() was called before close()")
        return found


@contextmanager
def pool_spy(forbid_pending_terminate: bool = True) -> Iterator[PoolSpy]:
    spy = PoolSpy()
    originals = {name: getattr(Pool, name) for name in ("__init__", "close", "join", "terminate", "apply_async")}

    def init(self, *args, **kwargs):
        originals["__init__"](self, *args, **kwargs)
        spy.pools.append(id(self))

    def wrap(name):
        def method(self, *args, **kwargs):
            pending = len(getattr(self, "_cache", {}) or {})
            spy.calls.append(PoolCall(id(self), name, pending))
            if name == "terminate" and pending and forbid_pending_terminate:
                raise AssertionError(
                    f"Pool.terminate() ran with {pending} task(s) still pending: leaving "
                    "`with Pool(...)` terminates the pool, so get() every result inside the block "
                    "(or close() and join() first)"
                )
            return originals[name](self, *args, **kwargs)

        return method

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):  # noqa: B006 - mirrors Pool
        spy.async_calls.append({"args": args, "callback": callback, "error_callback": error_callback})
        return originals["apply_async"](self, func, args, kwds, callback, error_callback)

    Pool.__init__ = init
    Pool.apply_async = apply_async
    for name in ("close", "join", "terminate"):
        setattr(Pool, name, wrap(name))
    try:
        yield spy
    finally:
        for name, original in originals.items():
            setattr(Pool, name, original)


def _closed_and_joined_before(methods: list[str], end: int) -> bool:
    """True when ``methods[:end]`` holds a close() followed by a join()."""
    before = methods[:end]
    return "close" in before and "join" in before[before.index("close"):]
