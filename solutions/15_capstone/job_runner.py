"""Capstone: a job runner with a bounded worker pool, per-job timeouts, cancellation and graceful shutdown.

``JobRunner(max_workers)`` runs submitted jobs (plain functions) in worker threads:

* ``submit(fn, *args, timeout=None)`` queues a job and returns its id at once;
* at most ``max_workers`` jobs run at the same time, the others wait in FIFO order;
* a job that runs longer than its ``timeout`` is reported as ``"timed out"`` when the time is up,
  and the next queued job starts, without waiting for the slow one (a thread cannot be killed:
  the slow call goes on in the background, and its late result is ignored);
* ``cancel(job_id)`` stops a job that has not started yet;
* ``shutdown(wait=True)`` lets every queued and running job finish, then ends every thread the
  runner started.

``status(job_id)`` and ``outcome(job_id, timeout=None)`` report on a job. ``Outcome`` and the
status names are given; how you organise the threads, queues and locks inside is up to you.
"""

from __future__ import annotations

import itertools
import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

PENDING = "pending"      # submitted, waiting for a free worker
RUNNING = "running"      # its function is being called
DONE = "done"            # returned a value
FAILED = "failed"        # raised an exception
TIMED_OUT = "timed out"  # still running when its timeout expired (its result is never used)
CANCELLED = "cancelled"  # cancelled before it started; its function is never called
FINISHED = frozenset({DONE, FAILED, TIMED_OUT, CANCELLED})


@dataclass(frozen=True)
class Outcome:
    """How a job ended (given: not an exercise).

    ``status`` is one of DONE, FAILED, TIMED_OUT, CANCELLED; ``value`` is the function's return
    value (DONE only); ``error`` the exception it raised (FAILED only).
    """

    status: str
    value: Any = None
    error: BaseException | None = None


# Your helpers (a job record, the worker loop, ...) go here: the design inside is yours.
### BEGIN SOLUTION
@dataclass(eq=False)
class _Job:
    id: int
    fn: Callable[..., Any]
    args: tuple
    timeout: float | None
    status: str = PENDING
    outcome: Outcome | None = None


def _finish(runner: "JobRunner", job: _Job, outcome: Outcome) -> None:
    """Record how ``job`` ended, unless it already ended (first outcome wins); wake waiters."""
    with runner._cond:
        if job.status not in FINISHED:
            job.status, job.outcome = outcome.status, outcome
            runner._cond.notify_all()


def _run(runner: "JobRunner", job: _Job) -> None:
    """Body of a job thread: call the function and record what happened."""
    try:
        value = job.fn(*job.args)
    except BaseException as exc:  # noqa: BLE001 - a job must always end with an outcome
        _finish(runner, job, Outcome(FAILED, error=exc))
    else:
        _finish(runner, job, Outcome(DONE, value=value))


def _execute(runner: "JobRunner", job: _Job) -> None:
    """Run ``job`` in its own thread and wait at most its timeout for it."""
    thread = threading.Thread(target=_run, args=(runner, job), name=f"job-{job.id}", daemon=True)
    with runner._cond:
        runner._job_threads = [t for t in runner._job_threads if t.is_alive()]
        runner._job_threads.append(thread)
    thread.start()
    thread.join(job.timeout)  # the clock starts now, when the job starts, not when it was submitted
    if thread.is_alive():
        _finish(runner, job, Outcome(TIMED_OUT))  # the call goes on; shutdown() will join its thread


def _worker(runner: "JobRunner") -> None:
    """Body of a worker thread: run queued jobs one at a time until a sentinel (None) arrives."""
    while True:
        job = runner._queue.get()
        if job is None:
            return
        with runner._cond:
            if job.status != PENDING:  # cancelled while it waited in the queue
                continue
            job.status = RUNNING
        _execute(runner, job)
### END SOLUTION


class JobRunner:
    """Run jobs in at most ``max_workers`` worker threads, with timeouts, cancellation and shutdown.

    Use it as a context manager (``with JobRunner(2) as runner: ...``): leaving the block calls
    ``shutdown(wait=True)``. Every method may be called from any thread, at the same time as
    any other. Every thread the runner starts is a daemon thread, so a program that forgets
    ``shutdown()`` can still exit.
    """

    def __init__(self, max_workers: int = 2) -> None:
        """Create a runner that runs at most ``max_workers`` jobs at the same time.

        ``max_workers`` below 1 raises ``ValueError``. Starting the worker threads here (or
        lazily, on the first submits) is up to you.
        """
        ### BEGIN SOLUTION
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, not {max_workers!r}")
        self._cond = threading.Condition()
        self._queue: queue.Queue = queue.Queue()
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._job_threads: list[threading.Thread] = []
        self._workers = [
            threading.Thread(target=_worker, args=(self,), name=f"job-runner-worker-{i}", daemon=True)
            for i in range(max_workers)
        ]
        for worker in self._workers:
            worker.start()
        ### END SOLUTION

    def submit(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> int:
        """Queue the job ``fn(*args)`` and return its id (a new int) at once, without waiting.

        The job starts when a worker is free, in submission order. ``timeout`` (seconds, or
        ``None`` for no limit) counts from the moment the job STARTS running, not from the
        submit: time spent waiting in the queue does not count. After ``shutdown()``, raise
        ``RuntimeError``.
        """
        ### BEGIN SOLUTION
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot submit jobs after shutdown()")
            job = _Job(next(self._ids), fn, args, timeout)
            self._jobs[job.id] = job
            self._queue.put(job)  # under the lock: never behind the shutdown sentinels
        return job.id
        ### END SOLUTION

    def status(self, job_id: int) -> str:
        """The job's current status: PENDING, RUNNING, DONE, FAILED, TIMED_OUT or CANCELLED.

        An unknown id raises ``KeyError``.
        """
        ### BEGIN SOLUTION
        with self._cond:
            return self._jobs[job_id].status
        ### END SOLUTION

    def outcome(self, job_id: int, timeout: float | None = None) -> Outcome:
        """Wait until the job has finished and return its ``Outcome``.

        * returned a value: ``Outcome(DONE, value=value)`` (any value: ``None``, ``0`` or ``""``
          are results too, so tell a finished job by its status, not by its value);
        * raised (any exception, ``SystemExit`` from ``sys.exit()`` included):
          ``Outcome(FAILED, error=exc)``. The exception is reported, never re-raised, and it must
          not end the worker: later jobs still run;
        * still running when its own timeout expired: ``Outcome(TIMED_OUT)``, available as soon
          as the timeout has expired. A late result of that call (a value or an exception) is
          ignored: the job stays TIMED_OUT;
        * cancelled: ``Outcome(CANCELLED)``, at once.

        If the job has not finished within ``timeout`` seconds of waiting here (``None``: wait as
        long as it takes), raise the built-in ``TimeoutError``; the job itself is not affected.
        An unknown id raises ``KeyError``.
        """
        ### BEGIN SOLUTION
        with self._cond:
            job = self._jobs[job_id]
            if not self._cond.wait_for(lambda: job.status in FINISHED, timeout):
                raise TimeoutError(f"job {job_id} has not finished within {timeout} s")
            return job.outcome
        ### END SOLUTION

    def cancel(self, job_id: int) -> bool:
        """Cancel a job that has not started yet; return whether the job is now cancelled.

        A PENDING job becomes CANCELLED: its function is never called, and ``outcome`` reports
        ``Outcome(CANCELLED)`` at once, also to threads that were already waiting in ``outcome``
        for it (wake them). Return True for it, and also for a job that was already
        cancelled. A job that is running or has finished cannot be cancelled: return False and
        leave it alone (a running thread cannot be stopped from outside). An unknown id raises
        ``KeyError``.
        """
        ### BEGIN SOLUTION
        with self._cond:
            job = self._jobs[job_id]
            if job.status == PENDING:
                job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            return job.status == CANCELLED
        ### END SOLUTION

    def shutdown(self, wait: bool = True, cancel_pending: bool = False) -> None:
        """Stop accepting jobs; with ``wait``, return only when every job and thread has ended.

        * From now on ``submit`` raises ``RuntimeError``. Calling ``shutdown`` again is allowed.
        * ``cancel_pending=True`` first cancels every job that has not started (as ``cancel``,
          waking the threads waiting for their outcome).
        * Jobs already queued (and not cancelled) still run, in order.
        * ``wait=True``: return only after every job has finished AND every thread this runner
          started has ended, including the threads of jobs that timed out (their calls keep
          running until they return: wait for them too). Afterwards no thread of the runner is
          left alive. ``wait=False``: return at once; the threads end by themselves when the
          work is done.
        """
        ### BEGIN SOLUTION
        with self._cond:
            if cancel_pending:
                for job in self._jobs.values():
                    if job.status == PENDING:
                        job.status, job.outcome = CANCELLED, Outcome(CANCELLED)
                self._cond.notify_all()
            if not self._closed:
                self._closed = True
                for _ in self._workers:
                    self._queue.put(None)  # one sentinel per worker, behind every queued job
        if not wait:
            return
        for worker in self._workers:
            worker.join()
        with self._cond:  # the workers are gone: no job thread can be added any more
            job_threads = list(self._job_threads)
        for thread in job_threads:
            thread.join()
        ### END SOLUTION

    def __enter__(self) -> "JobRunner":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown(wait=True)
