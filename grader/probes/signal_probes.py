"""A child process that runs the student's ``serve_until_terminated`` so a test can send it SIGTERM.

The test never signals itself: it starts :func:`serve_child` in a spawned process, waits for the
reports it sends through a pipe (``("ready", ...)``, ``("started", job)``, ``("idle",)``...),
sends SIGTERM with ``os.kill`` at the moment it chose, and reads what happened. Nothing in here
waits on the clock except bounded waits that a correct solution never reaches:

* :class:`SpyLoop` records the signals given to ``loop.add_signal_handler`` and sets
  ``sigterm_handled`` right after the student's SIGTERM callback has run, so a job can stay "in
  progress" exactly until the service has seen the signal (no sleep, no race).
* :class:`SpyQueue` reports ``("idle",)`` when ``get()`` is about to wait on an empty queue, so
  the test can signal a service that is waiting for work.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import traceback

#: seconds a blocked job waits for the service to see SIGTERM; a correct solution needs milliseconds
#: loop iterations the job in progress still runs after the service has seen SIGTERM, so a service
#: that races the job against the signal sees the signal win
JOB_STEPS_AFTER_SIGNAL = 20
SIGNAL_WAIT = 4.0  # below the test's CHILD_STEP, so the test still sees what the job reported


def previous_sigterm_handler(signum, frame) -> None:  # pragma: no cover - runs only if misused
    """The SIGTERM handler in place before the service starts; it must be in place again after."""
    raise SystemExit(75)


class SpyLoop(asyncio.SelectorEventLoop):  # type: ignore[misc,valid-type]
    """An event loop that records its signal handlers and reports when SIGTERM's has run."""

    def __init__(self) -> None:
        super().__init__()
        self.added: list[int] = []
        self.active: set[int] = set()
        self.sigterm_handled: asyncio.Event | None = None

    def add_signal_handler(self, sig, callback, *args):  # type: ignore[override]
        self.added.append(int(sig))

        def spied(*cb_args):
            try:
                callback(*cb_args)
            finally:
                if sig == signal.SIGTERM and self.sigterm_handled is not None:
                    self.sigterm_handled.set()

        super().add_signal_handler(sig, spied, *args)
        self.active.add(int(sig))

    def remove_signal_handler(self, sig):  # type: ignore[override]
        removed = super().remove_signal_handler(sig)
        self.active.discard(int(sig))
        return removed


class SpyQueue(asyncio.Queue):  # type: ignore[type-arg]
    """An asyncio.Queue that reports when a ``get()`` starts waiting on an empty queue."""

    def __init__(self, report) -> None:
        super().__init__()
        self._report = report

    async def get(self):
        if self.empty():
            self._report("idle")
        return await super().get()


def serve_child(conn, jobs, block=None, fail=None) -> None:
    """Run ``serve_until_terminated`` on a queue holding ``jobs`` and report every step to ``conn``.

    ``handle(block)`` stays in progress until the service's SIGTERM callback has run (bounded by
    SIGNAL_WAIT), then for JOB_STEPS_AFTER_SIGNAL more loop iterations; ``handle(fail)`` raises ``ValueError``. The last report says what the call
    returned or raised and whether SIGTERM's previous handler is back.
    """

    def report(*message) -> None:
        conn.send(message)

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, previous_sigterm_handler)
    loop = SpyLoop()
    asyncio.set_event_loop(loop)
    try:
        module = importlib.import_module("async_tasks")
        loop.run_until_complete(_serve(module, loop, report, jobs, block, fail))
    except BaseException as exc:  # noqa: BLE001 - the parent reports what ended the loop
        report("crashed", f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=-3))
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        conn.close()


async def _serve(module, loop, report, jobs, block, fail) -> None:
    loop.sigterm_handled = asyncio.Event()
    queue = SpyQueue(report)
    for job in jobs:
        queue.put_nowait(job)

    async def handle(job):
        report("started", job)
        try:
            if job == fail:
                raise ValueError(f"job {job} failed")
            if job == block:
                expired = []  # no wait_for: on 3.10 it can swallow a cancellation that comes as it ends

                def expire():
                    expired.append(True)
                    loop.sigterm_handled.set()

                timer = loop.call_later(SIGNAL_WAIT, expire)
                try:
                    await loop.sigterm_handled.wait()
                finally:
                    timer.cancel()
                if expired:
                    report("no_signal", job)
                for _ in range(JOB_STEPS_AFTER_SIGNAL):  # the job goes on a while after the signal
                    await asyncio.sleep(0)
        except asyncio.CancelledError:
            report("cancelled", job)
            raise
        report("finished", job)

    async def cleanup():
        report("cleanup")

    def on_ready():
        report("ready", list(loop.added), signal.SIGTERM in loop.active)

    try:
        result = await module.serve_until_terminated(queue, handle, cleanup, on_ready)
    except BaseException as exc:  # noqa: BLE001
        report("raised", type(exc).__name__, str(exc))
    else:
        report("returned", result)
    report("after", signal.SIGTERM in loop.active,
           signal.getsignal(signal.SIGTERM) is previous_sigterm_handler, queue.qsize())
