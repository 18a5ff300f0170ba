"""Hidden tests for 15_capstone (module ``job_runner``).

Only the public behaviour is graded: ``JobRunner(max_workers)``, ``submit``, ``status``,
``outcome``, ``cancel``, ``shutdown`` and the ``with`` block, never the internals. Concurrency
is counted, not timed: jobs wrapped by a Gate wait until the test releases them, so the test can
count how many run at once and check what happens while one is stuck. Every blocking call into
the runner goes through a bounded wait, so a runner that hangs fails fast instead of hanging.
"""

from __future__ import annotations

import functools
import sys
import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.amplify import amplified
from grader.probes.executor_probes import Gate, new_threads, thread_snapshot, wait_until
from grader.probes.threading_probes import is_blocked_in_wait

LIMIT = 3.0  # a correct runner answers each call here in well under 0.5 s
SETTLE = 0.3  # once the expected jobs run, extra ones get this long to start too
TRIALS = 5  # independent tries at catching an unlocked id counter (each catches it most of the time)
HOLD = 10.0  # a gated job gives up waiting for its release after this (the tests always release)


@pytest.fixture
def job_runner():
    return load_student("job_runner")


@pytest.fixture
def runners():
    """Runners made by a test; afterwards they are shut down without waiting (cleanup only)."""
    made = []
    yield made
    for runner in made:
        try:
            call_with_timeout(functools.partial(runner.shutdown, wait=False), timeout=2.0)
        except BaseException:  # noqa: BLE001 - cleanup of a runner that is already failing the test
            pass


@pytest.fixture
def gate():
    gate = Gate(hold=HOLD)
    yield gate
    gate.release()


def make(job_runner, runners, max_workers):
    runner = call_with_timeout(job_runner.JobRunner, max_workers, timeout=LIMIT)
    runners.append(runner)
    return runner


def submit(runner, fn, *args, timeout=None):
    """runner.submit(...), which must return at once (it only queues the job)."""
    call = functools.partial(runner.submit, fn, *args, timeout=timeout)
    call.__name__ = "submit"
    return call_with_timeout(call, timeout=LIMIT)


def outcome(runner, job_id, wait=LIMIT):
    """runner.outcome(job_id, timeout=wait), failing the test if the job has not finished by then."""
    call = functools.partial(runner.outcome, job_id, timeout=wait)
    call.__name__ = "outcome"
    try:
        return call_with_timeout(call, timeout=wait + 2.0)
    except TimeoutError:
        pytest.fail(f"job {job_id} had not finished after {wait:g} s (status {runner.status(job_id)!r})",
                    pytrace=False)


def shutdown(runner, limit=LIMIT, **kwargs):
    call = functools.partial(runner.shutdown, **kwargs)
    call.__name__ = "shutdown"
    return call_with_timeout(call, timeout=limit)


class Calls:
    """A job function that records its argument and returns it doubled."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.seen: list = []
        self.finished: list = []
        self.lock = threading.Lock()

    def __call__(self, x):
        with self.lock:
            self.seen.append(x)
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.finished.append(x)
        return 2 * x


def square(x):
    return x * x


def fail(message):
    raise ValueError(message)


def wait_for(event: threading.Event, limit: float):
    event.wait(limit)
    return "woke"


class Waiter:
    """``runner.outcome(job_id, timeout)`` called in a thread of its own, started at once."""

    def __init__(self, runner, job_id, timeout):
        self.box: dict = {}

        def target():
            try:
                self.box["value"] = runner.outcome(job_id, timeout=timeout)
            except BaseException as exc:  # noqa: BLE001 - inspected by the test
                self.box["error"] = exc

        self.thread = threading.Thread(target=target, name=f"waiter-{job_id}", daemon=True)
        self.thread.start()
        # Until it is blocked waiting (a runner that polls with sleep is never seen blocked: then
        # the test goes on after 1 s, and a polling outcome() sees the change anyway).
        wait_until(lambda: is_blocked_in_wait(self.thread), 1.0)

    def result(self, limit):
        self.thread.join(limit)
        if self.thread.is_alive():
            return "still waiting"
        return self.box.get("error", self.box.get("value"))


def late_fail(message):
    raise ValueError(message)


class TestSubmitAndCollect:
    def test_every_job_gets_its_result(self, job_runner, runners):
        runner = make(job_runner, runners, 2)
        ids = [submit(runner, square, x) for x in range(6)]
        ids.append(submit(runner, pow, 2, 10))
        assert len(set(ids)) == len(ids), f"every submit should return a new job id, got {ids!r}"
        got = [outcome(runner, i) for i in ids]
        assert [o.status for o in got] == [job_runner.DONE] * len(ids), f"statuses {[o.status for o in got]!r}"
        assert [o.value for o in got] == [0, 1, 4, 9, 16, 25, 1024], (
            f"values {[o.value for o in got]!r}: submit(fn, *args) runs fn(*args)"
        )
        assert all(runner.status(i) == job_runner.DONE for i in ids)

    def test_a_failing_job_is_reported_and_the_worker_goes_on(self, job_runner, runners):
        runner = make(job_runner, runners, 1)
        bad = submit(runner, fail, "no such file")
        good = submit(runner, square, 7)
        result = outcome(runner, bad)
        assert result.status == job_runner.FAILED, f"a job that raised should be FAILED, got {result!r}"
        assert isinstance(result.error, ValueError) and str(result.error) == "no such file", (
            f"Outcome.error should be the ValueError the job raised, got {result.error!r}"
        )
        after = outcome(runner, good)
        assert (after.status, after.value) == (job_runner.DONE, 49), (
            f"the job after a failing one should still run on the same worker, got {after!r}"
        )

    def test_a_job_raising_system_exit_is_failed_too(self, job_runner, runners):
        runner = make(job_runner, runners, 1)
        bad = submit(runner, sys.exit, 3)
        good = submit(runner, square, 6)
        result = outcome(runner, bad)
        assert result.status == job_runner.FAILED and isinstance(result.error, SystemExit), (
            f"a job that raised SystemExit (sys.exit in a job) should be FAILED with that exception, got {result!r}: "
            "catch BaseException in the job's thread, or the job never gets an outcome"
        )
        assert outcome(runner, good).value == 36, "the worker should go on after a job that raised SystemExit"

    def test_at_most_max_workers_jobs_run_at_once(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 3)
        ids = [submit(runner, gate.wrap(square), x) for x in range(7)]
        reached = gate.wait_in_flight(3, LIMIT)
        time.sleep(SETTLE)
        peak = gate.peak
        statuses = [runner.status(i) for i in ids]
        gate.release()
        results = [outcome(runner, i) for i in ids]
        assert peak <= 3, f"{peak} jobs ran at the same time with max_workers=3"
        assert reached and peak == 3, f"only {peak} job(s) ran at the same time, expected 3 with max_workers=3"
        assert statuses.count(job_runner.RUNNING) == 3 and statuses.count(job_runner.PENDING) == 4, (
            f"with 3 of 7 jobs running, expected 3 'running' and 4 'pending', got {statuses!r}"
        )
        assert [r.value for r in results] == [x * x for x in range(7)]

    def test_outcome_with_a_timeout_does_not_wait_forever(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        job = submit(runner, gate.wrap(square), 3)
        assert gate.wait_in_flight(1, LIMIT), "the job never started"
        call = functools.partial(runner.outcome, job, timeout=0.2)
        call.__name__ = "outcome"
        with pytest.raises(TimeoutError):
            call_with_timeout(call, timeout=LIMIT)
        assert runner.status(job) == job_runner.RUNNING, "waiting for an outcome must not change the job"
        gate.release()
        assert outcome(runner, job).value == 9

    def test_jobs_start_in_submission_order(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        calls = Calls()
        first = submit(runner, gate.wrap(calls), "first")
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        ids = [submit(runner, calls, x) for x in range(5)]  # all queued behind the first job
        gate.release()
        results = [outcome(runner, i) for i in [first, *ids]]
        assert [r.status for r in results] == [job_runner.DONE] * 6, f"statuses {[r.status for r in results]!r}"
        assert calls.seen == ["first", 0, 1, 2, 3, 4], (
            f"with max_workers=1, jobs queued as 0, 1, 2, 3, 4 ran in the order {calls.seen[1:]!r}: queued jobs "
            "start in submission order (first in, first out: queue.Queue, or pop(0) / popleft())"
        )

    def test_none_and_falsy_results(self, job_runner, runners):
        runner = make(job_runner, runners, 2)
        values = [None, 0, "", False, []]
        ids = [submit(runner, lambda v=v: v) for v in values]
        got = [outcome(runner, i, wait=1.0) for i in ids]
        assert [(o.status, o.value) for o in got] == [(job_runner.DONE, v) for v in values], (
            f"jobs returning {values!r} gave {[(o.status, o.value) for o in got]!r}: None (or 0, '', False) is a "
            "result like any other; decide that a job has finished from its status, not from its value"
        )

    def test_outcome_waits_for_its_own_job(self, job_runner, runners):
        runner = make(job_runner, runners, 2)
        gate_a, gate_b = Gate(hold=HOLD), Gate(hold=HOLD)
        try:
            a = submit(runner, gate_a.wrap(square), 2)
            b = submit(runner, gate_b.wrap(square), 3)
            assert gate_a.wait_in_flight(1, LIMIT) and gate_b.wait_in_flight(1, LIMIT), "the two jobs never started"
            waiter = Waiter(runner, a, LIMIT)
            gate_b.release()  # job b finishes while the waiter waits for job a
            assert outcome(runner, b).value == 9
            early = waiter.result(0.2)
            gate_a.release()
            late = waiter.result(LIMIT)
        finally:
            gate_a.release()
            gate_b.release()
        assert early == "still waiting", (
            f"outcome(a) returned {early!r} when ANOTHER job finished, while job a was still running: wait until "
            "THIS job has finished (Condition.wait_for(predicate, timeout), or a loop around wait())"
        )
        assert isinstance(late, job_runner.Outcome) and (late.status, late.value) == (job_runner.DONE, 4), (
            f"outcome(a) gave {late!r} once job a finished, expected Outcome(DONE, value=4)"
        )

    def test_submits_from_several_threads_get_distinct_ids(self, job_runner, runners):
        # An unlocked read-then-write of an id counter shows up only when two submits interleave in
        # that window; amplification makes that likely, not certain, on two cores. So several
        # trials, each starting its threads together at a barrier: one duplicate id anywhere fails.
        threads_n, per_thread = 4, 12
        for trial in range(TRIALS):
            runner = make(job_runner, runners, 2)
            ids: list = []
            errors: list = []
            start = threading.Barrier(threads_n)

            def submitter(k, runner=runner, ids=ids, errors=errors, start=start):
                try:
                    start.wait(LIMIT)
                    for x in range(per_thread):
                        ids.append((runner.submit(square, 100 * k + x), 100 * k + x))
                except BaseException as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)

            with amplified(job_runner):  # yields the GIL between the runner's opcodes: races show up
                threads = [threading.Thread(target=submitter, args=(k,), daemon=True) for k in range(threads_n)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(LIMIT * 2)
            assert not errors, f"submit() from {threads_n} threads at once raised {errors[0]!r}"
            assert not any(t.is_alive() for t in threads), f"submit() from {threads_n} threads at once never returned"
            got = [i for i, _ in ids]
            assert len(set(got)) == len(got) == threads_n * per_thread, (
                f"trial {trial + 1}: {threads_n} threads submitting {per_thread} jobs each at the same time got "
                f"{len(set(got))} distinct ids for {len(got)} jobs: hand out ids under the lock (or from "
                "itertools.count, whose next() is atomic)"
            )
            for job_id, x in ids:
                result = outcome(runner, job_id)
                assert (result.status, result.value) == (job_runner.DONE, x * x), f"job of square({x}) gave {result!r}"

    def test_unknown_ids_and_bad_sizes(self, job_runner, runners):
        runner = make(job_runner, runners, 1)
        with pytest.raises(KeyError):
            runner.status(12345)
        call = functools.partial(runner.outcome, 12345, timeout=0.5)
        call.__name__ = "outcome"
        try:
            call_with_timeout(call, timeout=LIMIT)
        except KeyError:
            pass
        except BaseException as exc:  # noqa: BLE001 - explained below
            pytest.fail(f"outcome() of an unknown job id raised {exc!r}, expected KeyError at once", pytrace=False)
        else:
            pytest.fail("outcome() of an unknown job id returned instead of raising KeyError", pytrace=False)
        with pytest.raises(ValueError):
            job_runner.JobRunner(0)


class TestJobTimeouts:
    def test_a_timed_out_job_does_not_block_the_next_one(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        slow = submit(runner, gate.wrap(square), 2, timeout=0.2)  # runs until the test releases it
        quick = submit(runner, square, 4)
        try:
            after = outcome(runner, quick)
        except pytest.fail.Exception:
            pytest.fail("with max_workers=1, the job queued behind a job that timed out never ran: when the "
                        "timeout expires, report the job and go on without waiting for its call", pytrace=False)
        still_running = gate.inflight.now == 1
        late = outcome(runner, slow)
        assert (after.status, after.value) == (job_runner.DONE, 16), f"the next job should be DONE 16, got {after!r}"
        assert still_running, "the test expected the timed-out call to be still running here"
        assert late.status == job_runner.TIMED_OUT, f"a job still running after its timeout should be TIMED_OUT, got {late!r}"
        gate.release()
        assert wait_until(lambda: gate.inflight.now == 0, LIMIT), "the released call never returned"
        time.sleep(0.05)
        assert runner.status(slow) == job_runner.TIMED_OUT, (
            f"the timed-out job became {runner.status(slow)!r} when its call returned late: it must stay TIMED_OUT"
        )

    def test_a_late_error_does_not_change_a_timed_out_job(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        job = submit(runner, gate.wrap(late_fail), "raised after the timeout", timeout=0.1)
        assert outcome(runner, job).status == job_runner.TIMED_OUT
        gate.release()  # now the call raises ValueError, long after its timeout
        assert wait_until(lambda: gate.inflight.now == 0, LIMIT), "the released call never returned"
        time.sleep(0.05)
        assert runner.status(job) == job_runner.TIMED_OUT, (
            f"the timed-out job became {runner.status(job)!r} when its call raised late: the first outcome "
            "wins, for a late exception as for a late value"
        )
        assert outcome(runner, job).status == job_runner.TIMED_OUT

    def test_the_timeout_counts_from_the_start_not_the_submit(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        first = submit(runner, gate.wrap(square), 1)
        # Queued for 1.2 s, then it runs for 0.1 s of its 1.0 s: well within its timeout, which starts
        # when the job does (a runner that counts the queue time has nothing left for it).
        second = submit(runner, Calls(delay=0.1), 5, timeout=1.0)
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        time.sleep(1.2)
        waiting = runner.status(second)
        gate.release()
        result = outcome(runner, second)
        assert waiting == job_runner.PENDING, (
            f"a job waiting in the queue should stay 'pending', got {waiting!r}: its timeout counts from the "
            "moment it starts running, not from the submit"
        )
        assert (result.status, result.value) == (job_runner.DONE, 10), (
            f"a job that runs 0.1 s with timeout=1.0 should be DONE 10 once it gets to run, got {result!r}: "
            "the time it waited in the queue does not count"
        )
        assert outcome(runner, first).status == job_runner.DONE

    def test_jobs_within_their_timeout(self, job_runner, runners):
        runner = make(job_runner, runners, 2)
        ok = submit(runner, square, 3, timeout=2.0)
        bad = submit(runner, fail, "boom", timeout=2.0)
        assert (outcome(runner, ok).status, outcome(runner, ok).value) == (job_runner.DONE, 9)
        result = outcome(runner, bad)
        assert result.status == job_runner.FAILED and str(result.error) == "boom", (
            f"a job that raised within its timeout should be FAILED with its error, got {result!r}"
        )

    def test_timed_out_is_reported_when_the_timeout_expires(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 2)
        job = submit(runner, gate.wrap(square), 6, timeout=0.3)
        result = outcome(runner, job)  # the call is held for up to 10 s; the outcome is due after 0.3 s
        assert result.status == job_runner.TIMED_OUT, f"expected TIMED_OUT after 0.3 s, got {result!r}"
        assert gate.inflight.now == 1, "the test expected the timed-out call to be still running here"


class TestCancelJobs:
    def test_a_queued_job_is_cancelled_and_never_runs(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        calls = Calls()
        first = submit(runner, gate.wrap(calls), "first")
        doomed = submit(runner, calls, "doomed")
        last = submit(runner, calls, "last")
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        assert runner.cancel(doomed) is True, "cancel() of a job still waiting in the queue should return True"
        assert runner.status(doomed) == job_runner.CANCELLED
        early = outcome(runner, doomed, wait=0.5)
        assert early.status == job_runner.CANCELLED, f"the outcome of a cancelled job should be CANCELLED, got {early!r}"
        assert runner.cancel(doomed) is True, "cancel() of an already cancelled job should return True again"
        gate.release()
        assert outcome(runner, first).status == job_runner.DONE
        assert outcome(runner, last).value == "lastlast"
        assert "doomed" not in calls.seen, f"the cancelled job's function ran anyway (calls: {calls.seen!r})"
        assert runner.status(doomed) == job_runner.CANCELLED

    def test_cancel_wakes_a_thread_waiting_for_the_outcome(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        first = submit(runner, gate.wrap(square), 1)
        doomed = submit(runner, square, 2)
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        waiter = Waiter(runner, doomed, LIMIT)  # blocked in outcome() before the cancel
        assert runner.cancel(doomed) is True
        got = waiter.result(1.5)  # the first job is still held: only the cancel can wake the waiter
        gate.release()
        assert isinstance(got, job_runner.Outcome) and got.status == job_runner.CANCELLED, (
            f"a thread already waiting in outcome() for a job that was then cancelled got {got!r}, expected "
            "Outcome(CANCELLED) at once: cancel() must wake the waiters (notify_all on the Condition)"
        )
        assert outcome(runner, first).status == job_runner.DONE

    def test_running_and_finished_jobs_cannot_be_cancelled(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        job = submit(runner, gate.wrap(square), 8)
        assert gate.wait_in_flight(1, LIMIT), "the job never started"
        assert runner.cancel(job) is False, "cancel() of a running job should return False (it cannot be stopped)"
        assert runner.status(job) == job_runner.RUNNING, f"a refused cancel changed the job to {runner.status(job)!r}"
        gate.release()
        result = outcome(runner, job)
        assert (result.status, result.value) == (job_runner.DONE, 64), f"the job should finish normally, got {result!r}"
        assert runner.cancel(job) is False, "cancel() of a finished job should return False"
        assert runner.status(job) == job_runner.DONE
        with pytest.raises(KeyError):
            runner.cancel(job + 1000)  # an id submit() never returned


class TestGracefulShutdown:
    def test_shutdown_waits_for_queued_and_running_jobs(self, job_runner, runners):
        before = thread_snapshot()
        runner = make(job_runner, runners, 2)
        calls = Calls(delay=0.15)
        ids = [submit(runner, calls, x) for x in range(5)]
        shutdown(runner)
        statuses = [runner.status(i) for i in ids]
        left = new_threads(before)
        assert sorted(calls.finished) == list(range(5)), (
            f"shutdown() returned before every job had finished (finished: {sorted(calls.finished)!r})"
        )
        assert statuses == [job_runner.DONE] * 5, f"after shutdown() every job should be DONE, got {statuses!r}"
        assert not left, f"thread(s) still alive after shutdown(): {[t.name for t in left]}: join them all"

    def test_shutdown_waits_for_the_calls_of_timed_out_jobs(self, job_runner, runners):
        before = thread_snapshot()
        runner = make(job_runner, runners, 1)
        release = threading.Event()
        timer = threading.Timer(0.6, release.set)
        calls = Calls()
        job = submit(runner, wait_for, release, HOLD, timeout=0.1)
        after_it = submit(runner, calls, 1)
        assert outcome(runner, job).status == job_runner.TIMED_OUT
        assert outcome(runner, after_it).status == job_runner.DONE
        timer.start()
        try:
            shutdown(runner)
            woke = release.is_set()
            left = new_threads(before, ignore=(timer,))
        finally:
            timer.cancel()
            release.set()
        assert woke, "shutdown() returned while the call of a timed-out job was still running: wait for it too"
        assert not left, f"thread(s) still alive after shutdown(): {[t.name for t in left]}"

    def test_no_submit_after_shutdown(self, job_runner, runners):
        runner = make(job_runner, runners, 2)
        job = submit(runner, square, 2)
        shutdown(runner)
        assert runner.status(job) == job_runner.DONE
        with pytest.raises(RuntimeError):
            runner.submit(square, 3)
        shutdown(runner)  # a second shutdown is allowed and returns

    def test_cancel_pending_on_shutdown(self, job_runner, runners, gate):
        before = thread_snapshot()
        runner = make(job_runner, runners, 1)
        calls = Calls()
        first = submit(runner, gate.wrap(calls), "first")
        queued = [submit(runner, calls, name) for name in ("b", "c")]
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        timer = threading.Timer(0.3, gate.release)
        timer.start()
        try:
            shutdown(runner, cancel_pending=True)
        finally:
            timer.cancel()
            gate.release()
        assert [runner.status(i) for i in queued] == [job_runner.CANCELLED] * 2, (
            f"shutdown(cancel_pending=True) should cancel the queued jobs, got {[runner.status(i) for i in queued]!r}"
        )
        assert runner.status(first) == job_runner.DONE, "the running job should be allowed to finish"
        assert calls.seen == ["first"], f"cancelled jobs ran anyway: {calls.seen!r}"
        assert not new_threads(before, ignore=(timer,)), "threads still alive after shutdown()"

    def test_cancel_pending_leaves_finished_jobs_alone(self, job_runner, runners):
        runner = make(job_runner, runners, 1)
        done, failed = submit(runner, square, 3), submit(runner, fail, "boom")
        finished = {done: outcome(runner, done), failed: outcome(runner, failed)}
        shutdown(runner, cancel_pending=True)
        after = {job_id: (runner.status(job_id), outcome(runner, job_id)) for job_id in finished}
        assert after == {job_id: (o.status, o) for job_id, o in finished.items()}, (
            f"shutdown(cancel_pending=True) changed jobs that had already finished: before {finished!r}, after "
            f"{after!r}. Only a job still PENDING may become CANCELLED: a finished job keeps its outcome"
        )

    def test_cancel_pending_wakes_waiting_threads(self, job_runner, runners, gate):
        runner = make(job_runner, runners, 1)
        first = submit(runner, gate.wrap(square), 1)
        queued = submit(runner, square, 2)
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        waiter = Waiter(runner, queued, LIMIT)  # blocked in outcome() before the shutdown
        try:
            shutdown(runner, wait=False, cancel_pending=True)
            got = waiter.result(1.5)  # the first job is still held: only the shutdown can wake it
        finally:
            gate.release()
        assert isinstance(got, job_runner.Outcome) and got.status == job_runner.CANCELLED, (
            f"a thread waiting in outcome() for a queued job got {got!r} after shutdown(cancel_pending=True), "
            "expected Outcome(CANCELLED) at once: wake the waiters when you cancel the pending jobs"
        )
        assert outcome(runner, first).status == job_runner.DONE

    def test_shutdown_without_wait_returns_at_once(self, job_runner, runners, gate):
        before = thread_snapshot()
        runner = make(job_runner, runners, 1)
        first = submit(runner, gate.wrap(square), 3)
        queued = submit(runner, square, 4)
        assert gate.wait_in_flight(1, LIMIT), "the first job never started"
        try:
            shutdown(runner, wait=False)  # fails after LIMIT s if it waits for the held job
        finally:
            gate.release()
        assert outcome(runner, first).value == 9 and outcome(runner, queued).value == 16, (
            "after shutdown(wait=False) the running and the queued jobs must still finish"
        )
        assert wait_until(lambda: not new_threads(before), LIMIT), (
            f"after shutdown(wait=False) and the last job, threads {[t.name for t in new_threads(before)]} "
            "did not end by themselves"
        )

    def test_threads_are_daemon_threads(self, job_runner, runners, gate):
        before = thread_snapshot()
        # Made in a NON-daemon thread, as in a program's main thread: a thread inherits the daemon
        # flag of the thread that starts it, so only daemon=True makes the runner's threads daemons.
        box = {}
        maker = threading.Thread(target=lambda: box.setdefault("runner", job_runner.JobRunner(2)), daemon=False)
        maker.start()
        maker.join(LIMIT)
        assert "runner" in box, f"JobRunner(2) did not return within {LIMIT:g} s"
        runner = box["runner"]
        runners.append(runner)
        stuck = submit(runner, gate.wrap(square), 5, timeout=0.1)
        try:
            assert outcome(runner, stuck).status == job_runner.TIMED_OUT
            mine = new_threads(before)
            not_daemon = [t.name for t in mine if not t.daemon]
        finally:
            gate.release()
        shutdown(runner)
        assert mine, "the runner started no thread"
        assert not not_daemon, (
            f"thread(s) {not_daemon} of the runner are not daemon threads: a program that forgets shutdown() "
            "(or a job stuck after its timeout) could then never exit. Start every thread with daemon=True"
        )

    def test_the_with_block_shuts_down(self, job_runner):
        before = thread_snapshot()
        calls = Calls(delay=0.1)

        def use():
            with job_runner.JobRunner(2) as runner:
                ids = [runner.submit(calls, x) for x in range(3)]
            return runner, ids

        runner, ids = call_with_timeout(use, timeout=5.0)
        assert [runner.status(i) for i in ids] == [job_runner.DONE] * 3, "leaving the with block should wait for every job"
        left = new_threads(before)
        assert not left, f"thread(s) still alive after the with block: {[t.name for t in left]}"
