"""Hidden tests for 09_sync_primitives (module ``sync_primitives``).

Waiting is observed, not timed: a thread that should block on a primitive must be seen inside
``Event.wait``/``Condition.wait`` (its stack, via ``threading_probes.is_blocked_in_wait``), a
Mailbox consumer must be registered as a waiter of ``box.cond``, spurious wake-ups are sent by
the test itself, concurrency limits are read from in-flight counters, and lock-step order is
checked on the recorded sequence of step starts and ends. Every call that could hang runs under
``call_with_timeout``; threads a wrong solution leaves stuck on a Barrier are woken afterwards.
"""

from __future__ import annotations

import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.inflight import InFlight
from grader.probes.threading_probes import (
    ThreadErrors,
    abort_stuck_barriers,
    amplified,
    is_blocked_in_wait,
    wait_until,
    waiters,
)

CALL_LIMIT = 5.0
HANG_LIMIT = 2.0  # for calls that a correct solution finishes in well under 0.5 s
LOCKSTEP_LIMIT = 2.5  # a correct lockstep here takes at most about 0.35 s


@pytest.fixture
def sp():
    return load_student("sync_primitives")


class Caller:
    """Runs ``fn(*args)`` in a daemon thread and keeps the outcome and when it arrived."""

    def __init__(self, fn, *args) -> None:
        self.result = None
        self.error: BaseException | None = None
        self.done_at: float | None = None
        self.thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self.thread.start()

    def _run(self, fn, args) -> None:
        try:
            self.result = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - inspected by the test
            self.error = exc
        self.done_at = time.monotonic()

    def join(self, timeout: float) -> bool:
        self.thread.join(timeout)
        return not self.thread.is_alive()


def call_zero_timeout(fn, what):
    """Call fn(0); a hang means timeout=0 was treated as "no timeout"."""
    try:
        return call_with_timeout(fn, 0, timeout=HANG_LIMIT)
    except pytest.fail.Exception:
        pytest.fail(
            f"{what}(0) blocked: a timeout of 0 means do not wait at all. Pass it on as it is; "
            "`if timeout:` treats 0 like None (wait forever), test `timeout is None` instead",
            pytrace=False,
        )


class TestTrafficLight:
    def test_starts_red(self, sp):
        light = sp.TrafficLight()
        assert light.is_green() is False, "a new TrafficLight is red: is_green() should be False"
        start = time.monotonic()
        got = call_with_timeout(light.wait_green, 0.05, timeout=HANG_LIMIT)
        assert got is False, f"wait_green(0.05) on a red light should return False, got {got!r}"
        assert time.monotonic() - start >= 0.04, "wait_green(0.05) on a red light should wait about 0.05 s"

    def test_go_green_wakes_a_blocked_waiter(self, sp):
        light = sp.TrafficLight()
        waiter = Caller(light.wait_green, 5.0)
        blocked = wait_until(lambda: is_blocked_in_wait(waiter.thread), 2.0)
        light.go_green()
        assert waiter.join(3.0), "a thread in wait_green(5) did not return after go_green()"
        assert waiter.error is None, f"wait_green raised {waiter.error!r}"
        assert waiter.result is True, f"wait_green should return True once the light is green, got {waiter.result!r}"
        assert blocked, (
            "the thread in wait_green() was never seen blocked in Event.wait: wait on the Event "
            "(self._green.wait(timeout)) instead of a loop with time.sleep"
        )

    def test_go_green_wakes_every_waiter(self, sp):
        light = sp.TrafficLight()
        waiters_ = [Caller(light.wait_green, 5.0) for _ in range(3)]
        wait_until(lambda: all(is_blocked_in_wait(w.thread) for w in waiters_), 2.0)
        light.go_green()
        assert all(w.join(3.0) for w in waiters_), "go_green() should wake every waiting thread, not just one"
        assert [w.result for w in waiters_] == [True] * 3, f"results: {[w.result for w in waiters_]}"

    def test_go_red_makes_waiters_wait_again(self, sp):
        light = sp.TrafficLight()
        light.go_green()
        assert light.is_green() is True
        assert call_with_timeout(light.wait_green, 0.05, timeout=HANG_LIMIT) is True
        light.go_red()
        assert light.is_green() is False, "after go_red(), is_green() should be False"
        got = call_with_timeout(light.wait_green, 0.05, timeout=HANG_LIMIT)
        assert got is False, "after go_red(), wait_green(0.05) should wait and return False: clear() the Event"

    def test_green_light_returns_at_once(self, sp):
        light = sp.TrafficLight()
        light.go_green()
        start = time.monotonic()
        assert call_with_timeout(light.wait_green, 5.0, timeout=CALL_LIMIT) is True
        assert time.monotonic() - start < 1.0, "wait_green() on a green light should return at once"

    def test_timeout_is_honoured(self, sp):
        light = sp.TrafficLight()
        start = time.monotonic()
        got = call_with_timeout(light.wait_green, 0.2, timeout=HANG_LIMIT)
        elapsed = time.monotonic() - start
        assert got is False
        assert 0.15 <= elapsed < 1.5, f"wait_green(0.2) on a red light returned after {elapsed:.2f} s"

    def test_zero_timeout_does_not_wait(self, sp):
        light = sp.TrafficLight()
        got = call_zero_timeout(light.wait_green, "wait_green")
        assert got is False, f"wait_green(0) on a red light should return False at once, got {got!r}"
        light.go_green()
        assert call_with_timeout(light.wait_green, 0, timeout=HANG_LIMIT) is True

    def test_no_timeout_waits_until_green(self, sp):
        light = sp.TrafficLight()
        waiter = Caller(light.wait_green)
        wait_until(lambda: is_blocked_in_wait(waiter.thread) or not waiter.thread.is_alive(), 2.0)
        assert waiter.thread.is_alive(), (
            f"wait_green() without a timeout on a red light returned {waiter.result!r} / raised {waiter.error!r} "
            "at once: timeout=None means wait as long as it takes (Event.wait(None))"
        )
        light.go_green()
        assert waiter.join(3.0), "a thread in wait_green() (no timeout) did not return after go_green()"
        assert waiter.error is None and waiter.result is True, f"got {waiter.result!r} / {waiter.error!r}"

    def test_waiter_blocked_across_go_red_still_wakes(self, sp):
        light = sp.TrafficLight()
        light.go_green()
        light.go_red()
        waiter = Caller(light.wait_green, 5.0)
        assert wait_until(lambda: is_blocked_in_wait(waiter.thread), 2.0), "wait_green(5) on a red light should block"
        light.go_red()  # red again while someone waits: the waiter keeps waiting...
        assert waiter.thread.is_alive(), f"go_red() woke a waiter: it returned {waiter.result!r}"
        light.go_green()  # ...and this green must reach it
        assert waiter.join(3.0) and waiter.result is True, (
            "a thread that was already waiting when go_red() was called never woke up on the next go_green(): "
            "go_red() must clear() the one Event, not replace it with a new Event the waiter does not wait on"
        )

    def test_lights_are_independent(self, sp):
        first = sp.TrafficLight()
        first.go_green()
        second = sp.TrafficLight()
        assert first.is_green() is True, "creating a second TrafficLight turned the first one red"
        assert second.is_green() is False, "a new TrafficLight is green because another light is green"
        second.go_green()
        second.go_red()
        assert first.is_green() is True, "go_red() on one light turned another light red"
        assert call_with_timeout(second.wait_green, 0.05, timeout=HANG_LIMIT) is False, (
            "each TrafficLight needs its own Event (create it in __init__, not as a class attribute)"
        )


def consumer_waiting(box) -> bool:
    return waiters(box.cond) >= 1


class TestMailbox:
    def test_items_come_out_in_order_without_waiting(self, sp):
        box = sp.Mailbox()
        for i in range(5):
            call_with_timeout(box.put, i, timeout=CALL_LIMIT)
        got = []
        for _ in range(5):
            start = time.monotonic()
            got.append(call_with_timeout(box.get, 3.0, timeout=CALL_LIMIT))
            elapsed = time.monotonic() - start
            assert elapsed < 1.0, (
                f"get(timeout=3) on a box that already held an item took {elapsed:.2f} s: check for an item "
                "BEFORE you wait; an item put earlier sends no notification you could still receive"
            )
        assert got == [0, 1, 2, 3, 4], f"get() should return items oldest first, got {got}"

    def test_get_waits_for_a_put(self, sp):
        box = sp.Mailbox()
        consumer = Caller(box.get, 5.0)
        assert wait_until(lambda: consumer_waiting(box) or not consumer.thread.is_alive(), 2.0)
        assert consumer.thread.is_alive() and consumer_waiting(box), (
            f"get() on an empty box should wait on self.cond (returned {consumer.result!r}, raised {consumer.error!r})"
        )
        call_with_timeout(box.put, "x", timeout=CALL_LIMIT)
        assert consumer.join(3.0), "a get() waiting on an empty box did not return after put(): notify() in put"
        assert consumer.error is None, f"get() raised {consumer.error!r}"
        assert consumer.result == "x"

    def test_survives_a_wakeup_without_an_item(self, sp):
        box = sp.Mailbox()
        consumer = Caller(box.get, 5.0)
        assert wait_until(lambda: consumer_waiting(box), 2.0), "get() on an empty box should wait on self.cond"
        with box.cond:
            box.cond.notify_all()  # a wake-up with nothing in the box
        wait_until(lambda: consumer_waiting(box) or not consumer.thread.is_alive(), 2.0)
        assert consumer.thread.is_alive(), (
            f"get() returned {consumer.result!r} / raised {consumer.error!r} after a wake-up with an empty box: "
            "check again after every wake-up (a while loop or cond.wait_for)"
        )
        call_with_timeout(box.put, "real", timeout=CALL_LIMIT)
        assert consumer.join(3.0)
        assert consumer.error is None and consumer.result == "real", (
            f"expected 'real', got {consumer.result!r} / {consumer.error!r}"
        )

    def test_timeout_raises_TimeoutError(self, sp):
        box = sp.Mailbox()
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            call_with_timeout(box.get, 0.2, timeout=HANG_LIMIT)
        elapsed = time.monotonic() - start
        assert 0.15 <= elapsed < 1.5, f"get(timeout=0.2) on an empty box raised after {elapsed:.2f} s"

    def test_timeout_is_total_despite_wakeups(self, sp):
        box = sp.Mailbox()
        stop = threading.Event()

        def spam():  # wake-ups with an empty box, every 20 ms, for up to 3 s
            end = time.monotonic() + 3.0
            while not stop.is_set() and time.monotonic() < end:
                with box.cond:
                    box.cond.notify_all()
                time.sleep(0.02)

        spammer = threading.Thread(target=spam, daemon=True)
        spammer.start()
        start = time.monotonic()
        try:
            with pytest.raises(TimeoutError):
                call_with_timeout(box.get, 0.4, timeout=CALL_LIMIT)
            elapsed = time.monotonic() - start
        finally:
            stop.set()
            spammer.join(2)
        assert elapsed < 1.2, (
            f"get(timeout=0.4) took {elapsed:.2f} s while empty wake-ups kept coming: the timeout is the total "
            "wait, so use cond.wait_for(predicate, timeout) or wait only for the time that is left"
        )

    def test_many_producers_and_consumers(self, sp):
        box = sp.Mailbox()
        got: list = []
        failures: list[str] = []
        lock = threading.Lock()

        def produce(p):
            try:
                for i in range(20):
                    box.put((p, i))
            except Exception as exc:  # noqa: BLE001 - reported by the test
                failures.append(f"put() raised {exc!r}")

        def consume():
            try:
                for _ in range(20):
                    item = box.get(2.0)
                    with lock:
                        got.append(item)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                failures.append(f"get() raised {exc!r}")

        threads = [threading.Thread(target=consume, daemon=True) for _ in range(3)]
        threads += [threading.Thread(target=produce, args=(p,), daemon=True) for p in range(3)]
        for t in threads:
            t.start()
        finished = wait_until(lambda: not any(t.is_alive() for t in threads), 5.0)
        assert not failures, f"with 3 producers and 3 consumers, {failures[0]}"
        assert finished, "3 producers x 20 put() and 3 consumers x 20 get() were still running after 5 s"
        assert sorted(got) == sorted((p, i) for p in range(3) for i in range(20)), (
            "3 producers x 20 items and 3 consumers x 20 get() calls: every item should arrive exactly once"
        )


    def test_zero_timeout(self, sp):
        box = sp.Mailbox()
        with pytest.raises(TimeoutError):
            call_zero_timeout(box.get, "get")
        call_with_timeout(box.put, "z", timeout=CALL_LIMIT)
        assert call_with_timeout(box.get, 0, timeout=HANG_LIMIT) == "z"

    def test_get_without_timeout_waits(self, sp):
        box = sp.Mailbox()
        consumer = Caller(box.get)
        wait_until(lambda: consumer_waiting(box) or not consumer.thread.is_alive(), 2.0)
        assert consumer.thread.is_alive(), (
            f"get() without a timeout raised {consumer.error!r} / returned {consumer.result!r} on an empty box: "
            "timeout=None means wait as long as it takes"
        )
        call_with_timeout(box.put, 7, timeout=CALL_LIMIT)
        assert consumer.join(3.0), "get() (no timeout) did not return after put()"
        assert consumer.error is None and consumer.result == 7, f"got {consumer.result!r} / {consumer.error!r}"

    def test_item_is_taken_while_holding_the_lock(self, sp):
        box = sp.Mailbox()
        owned: list[bool] = []
        cond = box.cond

        class CheckedDeque(type(box.items)):
            def popleft(self):
                owned.append(cond._is_owned())
                return super().popleft()

        box.items = CheckedDeque(box.items)
        consumer = Caller(box.get, 5.0)
        assert wait_until(lambda: consumer_waiting(box), 2.0), "get() on an empty box should wait on self.cond"
        call_with_timeout(box.put, "x", timeout=CALL_LIMIT)
        call_with_timeout(box.put, "y", timeout=CALL_LIMIT)
        assert consumer.join(3.0) and consumer.result == "x", f"got {consumer.result!r} / {consumer.error!r}"
        assert call_with_timeout(box.get, 1.0, timeout=CALL_LIMIT) == "y"
        assert all(owned), (
            "get() removed the item after releasing self.cond: between the check and the popleft() another "
            "consumer can take the same last item. Check and take the item inside one `with self.cond:` block"
        )


class TestSlotPool:
    def test_size_limits_holders(self, sp):
        pool = sp.SlotPool(2)
        assert call_with_timeout(pool.acquire, timeout=CALL_LIMIT) is True
        assert call_with_timeout(pool.acquire, 1.0, timeout=CALL_LIMIT) is True
        start = time.monotonic()
        third = call_with_timeout(pool.acquire, 0.1, timeout=HANG_LIMIT)
        elapsed = time.monotonic() - start
        assert third is False, f"a third acquire(0.1) on a full pool of 2 should return False, got {third!r}"
        assert elapsed >= 0.08, f"acquire(0.1) on a full pool gave up after {elapsed:.3f} s, before its timeout"
        pool.release()
        assert call_with_timeout(pool.acquire, 0.1, timeout=HANG_LIMIT) is True, "after a release, acquire should succeed"

    def test_over_release_raises_ValueError(self, sp):
        pool = sp.SlotPool(2)
        with pytest.raises(ValueError):
            pool.release()
        assert call_with_timeout(pool.acquire, 1.0, timeout=CALL_LIMIT) is True
        pool.release()
        with pytest.raises(ValueError):
            pool.release()

    def test_blocked_acquire_gets_a_released_slot(self, sp):
        pool = sp.SlotPool(1)
        assert call_with_timeout(pool.acquire, 1.0, timeout=CALL_LIMIT) is True
        waiter = Caller(pool.acquire, 5.0)
        wait_until(lambda: is_blocked_in_wait(waiter.thread), 1.0)
        assert waiter.thread.is_alive(), f"acquire(5) on a full pool returned {waiter.result!r} at once"
        pool.release()
        assert waiter.join(3.0), "a thread waiting in acquire(5) did not get the slot released by another thread"
        assert waiter.result is True and waiter.error is None, f"got {waiter.result!r} / {waiter.error!r}"

    def test_at_most_size_at_once(self, sp):
        size = 2
        pool = sp.SlotPool(size)
        counter = InFlight()

        def use():
            try:
                with pool:
                    counter.enter()
                    try:
                        wait_until(lambda: counter.now >= size, 0.3)  # give a second holder time to arrive
                    finally:
                        counter.leave()
            except Exception as exc:  # noqa: BLE001 - reported by the test
                failures.append(repr(exc))

        failures: list[str] = []
        threads = [threading.Thread(target=use, daemon=True) for _ in range(6)]
        for t in threads:
            t.start()
        finished = wait_until(lambda: not any(t.is_alive() for t in threads), 8.0)
        assert not failures, f"`with pool:` raised {failures[0]}"
        assert finished, "6 threads using `with pool:` were still running after 8 s"
        assert counter.calls == 6
        assert counter.peak == size, (
            f"a SlotPool({size}) let {counter.peak} threads in at once: it should allow exactly {size} holders"
        )


    def test_zero_timeout_does_not_wait(self, sp):
        pool = sp.SlotPool(1)
        assert call_with_timeout(pool.acquire, 0, timeout=HANG_LIMIT) is True, "acquire(0) on a free pool is True"
        got = call_zero_timeout(pool.acquire, "acquire")
        assert got is False, f"acquire(0) on a full pool should return False at once, got {got!r}"

    def test_acquire_without_timeout_waits(self, sp):
        pool = sp.SlotPool(1)
        assert call_with_timeout(pool.acquire, timeout=CALL_LIMIT) is True, "acquire() on a free pool returns True"
        waiter = Caller(pool.acquire)
        wait_until(lambda: is_blocked_in_wait(waiter.thread) or not waiter.thread.is_alive(), 2.0)
        assert waiter.thread.is_alive(), (
            f"acquire() without a timeout on a full pool returned {waiter.result!r} / raised {waiter.error!r} at "
            "once: timeout=None means wait as long as it takes (blocking stays True)"
        )
        pool.release()
        assert waiter.join(3.0), "a thread in acquire() (no timeout) did not get the slot released by another thread"
        assert waiter.error is None and waiter.result is True, (
            f"acquire() without a timeout should return True once it has a slot, got {waiter.result!r} / {waiter.error!r}"
        )

    def test_many_threads_acquire_and_release(self, sp):
        size, n_threads, rounds = 3, 6, 150
        pool = sp.SlotPool(size)
        failures: list[str] = []

        def churn():
            try:
                for _ in range(rounds):
                    if pool.acquire(2.0) is not True:
                        failures.append("acquire(2) returned something other than True")
                        return
                    pool.release()
            except Exception as exc:  # noqa: BLE001 - reported by the test
                failures.append(repr(exc))

        with amplified(sp):  # thread switches between your opcodes: unprotected bookkeeping loses updates
            threads = [threading.Thread(target=churn, daemon=True) for _ in range(n_threads)]
            for t in threads:
                t.start()
            finished = wait_until(lambda: not any(t.is_alive() for t in threads), 8.0)
        assert finished, f"{n_threads} threads doing acquire()/release() were still running after 8 s"
        assert not failures, (
            f"{n_threads} threads each doing acquire()/release() {rounds} times: {failures[0]}. "
            "Keep no extra counter outside the semaphore: a BoundedSemaphore already counts, thread-safely"
        )
        for _ in range(size):
            assert call_with_timeout(pool.acquire, 0.5, timeout=CALL_LIMIT) is True, (
                f"after balanced acquire()/release() calls from several threads, all {size} slots should be free"
            )
        assert call_with_timeout(pool.acquire, 0.05, timeout=HANG_LIMIT) is False, (
            f"after balanced acquire()/release() calls from several threads, SlotPool({size}) let a fourth holder in"
        )
        for _ in range(size):
            pool.release()
        with pytest.raises(ValueError):
            pool.release()


class Steps:
    """The step callable: records ('start'/'end', round, tid, thread) in order."""

    def __init__(self, n: int, hold_last_in_round0: float = 0.0, fail_at=None) -> None:
        self.n = n
        self.log: list[tuple[str, int, int, threading.Thread]] = []
        self._lock = threading.Lock()
        self.later_round_started = threading.Event()
        self.hold = hold_last_in_round0
        self.fail_at = fail_at

    def __call__(self, tid: int, r: int) -> None:
        with self._lock:
            self.log.append(("start", r, tid, threading.current_thread()))
        if r > 0:
            self.later_round_started.set()
        if self.fail_at == (tid, r):
            raise ValueError(f"step {tid} failed in round {r}")
        if self.hold and r == 0 and tid == self.n - 1:
            self.later_round_started.wait(self.hold)  # with a barrier, nobody can be in round 1 yet
        with self._lock:
            self.log.append(("end", r, tid, threading.current_thread()))

    def entries(self, kind: str) -> list[tuple[int, int]]:
        with self._lock:
            return [(r, tid) for k, r, tid, _ in self.log if k == kind]


@pytest.fixture
def stuck_threads_woken():
    """Wake threads that a wrong lockstep left waiting on a Barrier (they would hang exit)."""
    before = set(threading.enumerate())
    yield
    with ThreadErrors():  # what the woken threads raise is not this test's business any more
        abort_stuck_barriers()
        wait_until(lambda: not [t for t in threading.enumerate() if t not in before], 2.0)


@pytest.mark.usefixtures("stuck_threads_woken")
class TestLockstep:
    def test_no_round_starts_before_the_previous_one_ended(self, sp):
        n, rounds = 4, 3
        steps = Steps(n, hold_last_in_round0=0.3)
        call_with_timeout(sp.lockstep, n, rounds, steps, timeout=LOCKSTEP_LIMIT)
        with steps._lock:
            log = [(k, r, tid) for k, r, tid, _ in steps.log]
        ends = steps.entries("end")
        assert sorted(ends) == sorted((r, tid) for r in range(rounds) for tid in range(n)), (
            f"every thread should finish step(tid, r) for all {rounds} rounds; finished: {sorted(ends)}"
        )
        for r in range(rounds - 1):
            last_end = max(i for i, (k, rr, _) in enumerate(log) if k == "end" and rr == r)
            first_next = min(i for i, (k, rr, _) in enumerate(log) if k == "start" and rr == r + 1)
            if first_next < last_end:
                k, rr, tid = log[first_next]
                pytest.fail(
                    f"thread {tid} started round {r + 1} while another thread was still in round {r}: "
                    "wait on one shared threading.Barrier(n) after each step",
                    pytrace=False,
                )

    def test_one_thread_per_tid(self, sp):
        n, rounds = 3, 2
        steps = Steps(n)
        callers = []

        def run():
            callers.append(threading.current_thread())
            sp.lockstep(n, rounds, steps)

        call_with_timeout(run, timeout=LOCKSTEP_LIMIT)
        with steps._lock:
            by_tid: dict[int, set] = {}
            for _, _, tid, thread in steps.log:
                by_tid.setdefault(tid, set()).add(thread)
        assert sorted(by_tid) == list(range(n)), f"step should be called for tids 0..{n - 1}, got {sorted(by_tid)}"
        assert all(len(ts) == 1 for ts in by_tid.values()), "all steps of one tid should run in the same thread"
        threads = [next(iter(ts)) for ts in by_tid.values()]
        assert len(set(threads)) == n, f"the {n} tids should run in {n} different threads"
        assert callers[0] not in threads, "the steps must run in new threads, not in the thread that called lockstep"

    def test_returns_after_every_step(self, sp):
        n, rounds = 3, 2
        done_at_return = []

        class SlowLast(Steps):
            def __call__(self, tid, r):
                if r == rounds - 1 and tid == 0:
                    time.sleep(0.2)
                super().__call__(tid, r)

        steps = SlowLast(n)

        def run():
            sp.lockstep(n, rounds, steps)
            done_at_return.append(len(steps.entries("end")))

        call_with_timeout(run, timeout=LOCKSTEP_LIMIT)
        assert done_at_return == [n * rounds], (
            f"lockstep returned after {done_at_return[0] if done_at_return else '?'} of {n * rounds} steps: "
            "join every thread before returning"
        )

    def test_failing_step_is_reraised_without_hanging(self, sp):
        n, rounds = 3, 3
        steps = Steps(n, fail_at=(1, 1))
        with ThreadErrors() as errors:
            with pytest.raises(ValueError, match="step 1 failed in round 1"):
                call_with_timeout(sp.lockstep, n, rounds, steps, timeout=LOCKSTEP_LIMIT)
        with steps._lock:
            threads = {thread for _, _, _, thread in steps.log}
        assert not any(t.is_alive() for t in threads), "lockstep returned while some of its threads were still running"
        assert not errors.caught, f"an exception escaped a lockstep thread: {errors.describe()}"
        started = steps.entries("start")
        assert not [1 for r, _ in started if r == 2], "no thread may start round 2 after a step of round 1 failed"

    def test_the_first_failure_is_the_one_reraised(self, sp):
        # Two steps of round 0 fail: tid 0 at once, tid 1 once tid 0's step has raised (and 0.2 s
        # more, for its exception to be recorded). lockstep re-raises the FIRST, not the last.
        first_raised = threading.Event()

        def step(tid, r):
            if tid == 0:
                first_raised.set()
                raise ValueError("the first failure")
            first_raised.wait(LOCKSTEP_LIMIT)
            time.sleep(0.2)
            raise RuntimeError("a later failure")

        with ThreadErrors():
            try:
                call_with_timeout(sp.lockstep, 2, 2, step, timeout=LOCKSTEP_LIMIT)
            except Exception as exc:  # noqa: BLE001 - inspected below
                raised = exc
            else:
                raised = None
        assert isinstance(raised, ValueError) and str(raised) == "the first failure", (
            f"two steps failed, the first with ValueError('the first failure'); lockstep raised {raised!r}: "
            "re-raise the first exception recorded, not the last"
        )

    def test_failure_still_waits_for_the_other_threads(self, sp):
        n, rounds = 3, 2
        steps = Steps(n, hold_last_in_round0=0.3, fail_at=(0, 0))  # tid 2 is still in round 0 for 0.3 s
        with ThreadErrors():
            with pytest.raises(ValueError, match="step 0 failed in round 0"):
                call_with_timeout(sp.lockstep, n, rounds, steps, timeout=LOCKSTEP_LIMIT)
            with steps._lock:
                threads = {thread for _, _, _, thread in steps.log}
            alive = [t for t in threads if t.is_alive()]
        assert not alive, (
            "lockstep re-raised the failing step's exception while another thread was still running its step: "
            "join ALL threads first, then re-raise"
        )
        assert (0, n - 1) in steps.entries("end")

    def test_a_slow_step_is_waited_for_however_long(self, sp, monkeypatch):
        """Every finite join/barrier timeout is shortened to 10 ms here, as if the steps took longer than it."""
        n, rounds = 3, 2
        caller: list[threading.Thread] = []
        original_join = threading.Thread.join

        def join(self, timeout=None):
            if timeout is not None and caller and threading.current_thread() is caller[0]:
                timeout = min(timeout, 0.01)
            return original_join(self, timeout)

        class ShortTimeoutBarrier(threading.Barrier):
            def __init__(self, parties, action=None, timeout=None):
                super().__init__(parties, action, None if timeout is None else min(timeout, 0.01))

            def wait(self, timeout=None):
                return super().wait(None if timeout is None else min(timeout, 0.01))

        class SlowFirst(Steps):
            def __call__(self, tid, r):
                if r == 0 and tid == 0:
                    time.sleep(0.3)
                super().__call__(tid, r)

        steps = SlowFirst(n)
        done_at_return = []

        def run():
            caller.append(threading.current_thread())
            sp.lockstep(n, rounds, steps)
            done_at_return.append(len(steps.entries("end")))

        monkeypatch.setattr(threading.Thread, "join", join)
        monkeypatch.setattr(threading, "Barrier", ShortTimeoutBarrier)
        with ThreadErrors():
            call_with_timeout(run, timeout=LOCKSTEP_LIMIT)
        assert done_at_return == [n * rounds], (
            f"lockstep returned after {done_at_return[0] if done_at_return else '?'} of {n * rounds} steps when one "
            "step was slower than a timeout it chose (join(timeout) or Barrier(..., timeout)): wait as long as the "
            "steps take, with join() and a Barrier without timeout; abort() the barrier when a step fails"
        )


class LatchWaiter:
    """A daemon thread in ``latch.wait(timeout)``; ``result`` is what it returned (``"error"`` on an exception)."""

    def __init__(self, latch, timeout=None):
        self.result = None
        self.thread = threading.Thread(target=self._run, args=(latch, timeout), daemon=True)
        self.thread.start()

    def _run(self, latch, timeout):
        try:
            self.result = latch.wait(timeout) if timeout is not None else latch.wait()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.result = ("error", exc)

    def still_waiting(self, latch, n=1):
        """Wait until this thread has returned or ``n`` threads wait on latch.cond; True if still waiting."""
        wait_until(lambda: not self.thread.is_alive() or waiters(latch.cond) >= n, CALL_LIMIT)
        return self.thread.is_alive()


def registered(latch, n):
    assert wait_until(lambda: waiters(latch.cond) >= n, CALL_LIMIT), (
        f"{n} thread(s) called wait() but only {waiters(latch.cond)} wait on self.cond: wait() must block in "
        "self.cond.wait (or wait_for) while the count is above 0"
    )


def watched_latch(sp, count):
    """A Latch whose every write to ``count`` records whether ``self.cond`` was held: the deterministic twin of a
    lost decrement, which the race amplifier provokes only in some runs."""
    latch = sp.Latch(count)
    owned: list[bool] = []
    cond = latch.cond

    class Watched(type(latch)):
        @property
        def count(self):
            return self.__dict__["count"]

        @count.setter
        def count(self, value):
            owned.append(cond._is_owned())
            self.__dict__["count"] = value

    latch.__class__ = Watched
    return latch, owned


class TestLatch:
    def test_every_waiter_wakes_when_the_count_reaches_zero(self, sp):
        latch = sp.Latch(1)
        waiting = [LatchWaiter(latch) for _ in range(3)]
        registered(latch, 3)
        call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
        for w in waiting:
            w.thread.join(HANG_LIMIT)
        woken = sum(not w.thread.is_alive() for w in waiting)
        assert woken == 3, (
            f"the count reached 0 and only {woken} of 3 waiting threads woke up: notify() wakes one waiter, "
            "notify_all() wakes them all"
        )
        assert [w.result for w in waiting] == [True] * 3, f"wait() returned {[w.result for w in waiting]}"

    def test_a_wake_up_before_zero_is_not_a_return(self, sp):
        latch = sp.Latch(2)
        waiter = LatchWaiter(latch)
        registered(latch, 1)
        with latch.cond:
            latch.cond.notify_all()  # a spurious wake-up (or another thread's notify): the count is still 2
        assert waiter.still_waiting(latch), (
            f"wait() returned {waiter.result!r} after a wake-up while the count was still 2: wake-ups happen "
            "for other reasons, so re-check the count after every one (`while`, or cond.wait_for)"
        )
        call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
        assert waiter.still_waiting(latch), f"wait() returned {waiter.result!r} when the count went from 2 to 1"
        call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
        waiter.thread.join(HANG_LIMIT)
        assert not waiter.thread.is_alive() and waiter.result is True, (
            f"the count reached 0: wait() should return True, got {waiter.result!r}"
            + (" (still waiting)" if waiter.thread.is_alive() else "")
        )

    def test_timeouts(self, sp):
        latch = sp.Latch(2)
        waiter = LatchWaiter(latch, timeout=CALL_LIMIT)
        registered(latch, 1)
        call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
        assert waiter.still_waiting(latch), (
            f"wait(timeout) returned {waiter.result!r} when the count went from 2 to 1, long before its timeout"
        )
        call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
        waiter.thread.join(HANG_LIMIT)
        assert waiter.result is True, f"the count reached 0 within the timeout: wait(timeout) returned {waiter.result!r}"
        closed = sp.Latch(1)
        got = call_with_timeout(closed.wait, 0.05, timeout=HANG_LIMIT)
        assert got is False, f"wait(0.05) with the count still 1 should return False when the time runs out, got {got!r}"
        call_with_timeout(closed.count_down, timeout=HANG_LIMIT)
        call_with_timeout(closed.count_down, timeout=HANG_LIMIT)
        assert closed.count == 0, f"count_down() below 0: count is {closed.count}"
        assert call_with_timeout(closed.wait, 0, timeout=HANG_LIMIT) is True, "wait(0) on an open latch must return True"

    def test_count_down_from_many_threads(self, sp):
        for trial in range(3):
            latch, owned = watched_latch(sp, 7)
            waiter = LatchWaiter(latch)
            registered(latch, 1)
            call_with_timeout(latch.count_down, timeout=HANG_LIMIT)
            assert waiter.still_waiting(latch), f"wait() returned {waiter.result!r} when the count went from 7 to 6"
            with amplified(sp):
                threads = [threading.Thread(target=latch.count_down, daemon=True) for _ in range(6)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(CALL_LIMIT)
            waiter.thread.join(HANG_LIMIT)
            assert latch.count == 0 and waiter.result is True, (
                f"trial {trial + 1}: 6 threads called count_down() on a Latch at 6: count is {latch.count}, the waiter "
                f"got {waiter.result!r}" + (" and is still waiting" if waiter.thread.is_alive() else "")
                + ". Change the count only while holding self.cond, and wake the waiters when it reaches 0"
            )
            assert all(owned), (
                "count_down() changed self.count without holding self.cond: two threads can then read the same "
                "count and one decrement is lost, so the latch never opens. Read and change the count inside "
                "`with self.cond:`"
            )
