"""Visible tests for 15_capstone. Run them with:  pytest exercises/15_capstone

They use only the public API of JobRunner. Jobs that must stay busy wait on a threading.Event
that the test sets, so nothing here depends on how fast your machine is. Every call into the
runner has a time limit, so a runner that hangs fails a test instead of hanging pytest.
(Make your threads daemon threads, as the docstring says, so a bug cannot keep pytest alive.)
The grader's hidden tests check more.
"""

from __future__ import annotations

import threading
import time

import pytest

from job_runner import CANCELLED, DONE, FAILED, PENDING, RUNNING, TIMED_OUT, JobRunner


def call(fn, *args, limit=5.0, **kwargs):
    """Run fn in a helper thread; fail (instead of hanging) if it takes longer than ``limit``."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"{getattr(fn, '__name__', 'call')}() did not return within {limit:g} s", pytrace=False)
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def release():
    """An Event that blocked jobs wait on; it is always set at the end of the test."""
    event = threading.Event()
    yield event
    event.set()


def wait_until_running(runner, job_id, limit=3.0):
    deadline = time.monotonic() + limit
    while runner.status(job_id) != RUNNING:
        assert time.monotonic() < deadline, f"job {job_id} did not start within {limit:g} s"
        time.sleep(0.01)


def blocked(event, value):
    event.wait(10)
    return value


def square(x):
    return x * x


def fail():
    raise KeyError("missing")


class TestSubmitAndCollect:
    def test_results_and_errors(self):
        runner = call(JobRunner, 2)
        try:
            a = call(runner.submit, square, 3)
            b = call(runner.submit, fail)
            assert call(runner.outcome, a, 3.0).value == 9
            failed = call(runner.outcome, b, 3.0)
            assert failed.status == FAILED and isinstance(failed.error, KeyError)
        finally:
            call(runner.shutdown)

    def test_only_max_workers_run(self, release):
        runner = call(JobRunner, 2)
        try:
            ids = [call(runner.submit, blocked, release, i) for i in range(3)]
            wait_until_running(runner, ids[0])
            wait_until_running(runner, ids[1])
            time.sleep(0.1)
            assert [runner.status(i) for i in ids] == [RUNNING, RUNNING, PENDING]
            release.set()
            assert [call(runner.outcome, i, 3.0).value for i in ids] == [0, 1, 2]
        finally:
            release.set()
            call(runner.shutdown)


class TestJobTimeouts:
    def test_timed_out_job_does_not_block_the_next(self, release):
        runner = call(JobRunner, 1)
        try:
            slow = call(runner.submit, blocked, release, "slow", timeout=0.2)
            quick = call(runner.submit, square, 5)
            assert call(runner.outcome, quick, 3.0).value == 25, "the next job must run once the slow one timed out"
            assert call(runner.outcome, slow, 3.0).status == TIMED_OUT
        finally:
            release.set()
            call(runner.shutdown)


class TestCancelJobs:
    def test_cancel_a_queued_job(self, release):
        runner = call(JobRunner, 1)
        try:
            first = call(runner.submit, blocked, release, "first")
            queued = call(runner.submit, square, 4)
            wait_until_running(runner, first)
            assert runner.cancel(queued) is True
            assert call(runner.outcome, queued, 1.0).status == CANCELLED
            assert runner.cancel(first) is False, "a running job cannot be cancelled"
        finally:
            release.set()
            call(runner.shutdown)


class TestGracefulShutdown:
    def test_shutdown_waits_and_then_refuses_jobs(self):
        before = set(threading.enumerate())
        runner = call(JobRunner, 2)
        ids = [call(runner.submit, time.sleep, 0.1) for _ in range(3)]
        call(runner.shutdown)
        assert [runner.status(i) for i in ids] == [DONE] * 3, "shutdown() should wait for every job"
        left = [t.name for t in threading.enumerate() if t not in before]
        assert not left, f"threads still alive after shutdown(): {left}"
        with pytest.raises(RuntimeError):
            runner.submit(square, 2)
