"""Visible tests for 09_sync_primitives. Run them with:  pytest exercises/09_sync_primitives

A friendly subset of what the grader checks. Helper threads are daemon threads and every wait
has a timeout, so a mistake shows up as a failure, never as a hang.
"""

from __future__ import annotations

import threading
import time

import pytest

from sync_primitives import Latch, Mailbox, SlotPool, TrafficLight, lockstep


def call_with_timeout(fn, *args, timeout=3.0):
    """Run fn in a helper thread; fail the test if it has not returned after `timeout` s."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def in_background(fn, *args):
    """Start fn(*args) in a daemon thread; returns (thread, box) where box gets 'value' or 'error'."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - inspected by the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


class TestTrafficLight:
    def test_red_then_green_then_red(self):
        light = TrafficLight()
        assert call_with_timeout(light.wait_green, 0.05) is False
        waiter, box = in_background(light.wait_green, 3.0)
        time.sleep(0.1)
        light.go_green()
        waiter.join(3)
        assert box.get("value") is True, f"wait_green should return True after go_green(), got {box}"
        light.go_red()
        assert light.is_green() is False
        assert call_with_timeout(light.wait_green, 0.05) is False


class TestMailbox:
    def test_put_then_get(self):
        box = Mailbox()
        box.put("a")
        box.put("b")
        start = time.monotonic()
        assert call_with_timeout(box.get, 2.0) == "a"
        assert call_with_timeout(box.get, 2.0) == "b"
        assert time.monotonic() - start < 1.0, "get() must not wait when an item is already there"

    def test_get_waits_for_put(self):
        box = Mailbox()
        consumer, result = in_background(box.get, 3.0)
        time.sleep(0.1)
        box.put(42)
        consumer.join(3)
        assert result.get("value") == 42, f"got {result}"

    def test_empty_box_times_out(self):
        with pytest.raises(TimeoutError):
            call_with_timeout(Mailbox().get, 0.1)

    def test_wakeup_without_item(self):
        box = Mailbox()
        consumer, result = in_background(box.get, 3.0)
        time.sleep(0.1)
        with box.cond:
            box.cond.notify_all()  # nothing was put: get() must go back to waiting
        time.sleep(0.1)
        assert consumer.is_alive(), f"get() stopped waiting after a wake-up with an empty box: {result}"
        box.put("real")
        consumer.join(3)
        assert result.get("value") == "real"


class TestSlotPool:
    def test_limit_and_over_release(self):
        pool = SlotPool(2)
        assert call_with_timeout(pool.acquire, 1.0) is True
        assert call_with_timeout(pool.acquire, 1.0) is True
        assert call_with_timeout(pool.acquire, 0.1) is False, "the pool holds 2: a third acquire must time out"
        pool.release()
        pool.release()
        with pytest.raises(ValueError):
            pool.release()


class TestLockstep:
    def test_rounds_do_not_overlap(self):
        log = []
        lock = threading.Lock()

        def step(tid, r):
            time.sleep(0.005 * tid)  # thread 0 is fastest and would race ahead without a barrier
            with lock:
                log.append(r)

        call_with_timeout(lockstep, 3, 4, step, timeout=5.0)
        assert log == sorted(log), f"a round started before the previous one ended: {log}"
        assert len(log) == 12


class TestLatch:
    def test_all_waiters_wake_at_zero(self):
        latch = Latch(2)
        waiting = [in_background(latch.wait) for _ in range(3)]
        time.sleep(0.2)  # let them start waiting (the grader checks this without sleeping)
        latch.count_down()
        time.sleep(0.2)
        assert all(t.is_alive() for t, _ in waiting), "a waiter returned while the count was still 1"
        latch.count_down()
        for t, _ in waiting:
            t.join(3)
        assert [box.get("value") for _, box in waiting] == [True] * 3, "every waiter must wake and return True"

    def test_timeout(self):
        assert call_with_timeout(Latch(1).wait, 0.05) is False
