"""Visible tests for 12_generators_greenlet. Run them with:  pytest exercises/12_generators_greenlet

A friendly subset of what the grader checks. Everything runs in one thread; a call that could
loop forever runs in a helper thread with a time limit, so a mistake is a failure, not a hang.
"""

from __future__ import annotations

import inspect
import threading

import pytest
from greenlet import getcurrent

from coroutines import averager, delegate, greenlet_ping_pong, round_robin, snapshot


def call_with_timeout(fn, *args, timeout=5.0, **kwargs):
    """Run fn in a helper thread; fail the test if it has not returned after `timeout` s."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{fn.__name__}() did not return within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


class TestAverager:
    def test_running_mean(self):
        avg = averager()
        assert inspect.isgenerator(avg), "averager() must return a generator"
        assert avg.send(10) == 10.0, "the averager must be primed: the first send(10) gives 10.0"
        assert avg.send(20) == 15.0
        assert avg.send(0) == 10.0


def echo_sub(received):
    x = yield "ready"
    while x is not None:
        received.append(x)
        x = yield f"got {x}"
    return len(received)


class TestDelegate:
    def test_send_and_return_value(self):
        received = []
        gen = delegate(echo_sub(received))
        assert next(gen) == "ready"
        assert gen.send("a") == "got a", "values sent into delegate must reach sub"
        assert received == ["a"]
        with pytest.raises(StopIteration) as info:
            gen.send(None)
        assert info.value.value == 1, "delegate must return what sub returns"


def letters(name, count):
    for i in range(count):
        yield f"{name}{i}"


class TestRoundRobin:
    def test_interleaving(self):
        got = call_with_timeout(round_robin, letters("a", 3), letters("b", 1), letters("c", 2))
        assert got == ["a0", "b0", "c0", "a1", "c1", "a2"]

    def test_no_tasks(self):
        assert call_with_timeout(round_robin) == []


class TestGreenletPingPong:
    def test_alternates(self):
        assert greenlet_ping_pong(3) == ["ping", "pong"] * 3

    def test_turns_run_in_two_other_greenlets(self):
        caller = getcurrent()
        seen = []
        greenlet_ping_pong(2, on_turn=lambda word: seen.append((word, getcurrent())))
        assert [word for word, _ in seen] == ["ping", "pong", "ping", "pong"]
        assert all(g is not caller for _, g in seen), "the turns must run in new greenlets, not in the caller"
        assert seen[0][1] is not seen[1][1], "'ping' and 'pong' must come from two different greenlets"


def counter(limit):
    total = 0
    for n in range(limit):
        total += n
        yield total  # the line the tests expect while it is paused
    return total


class TestSnapshot:
    def test_states_line_and_locals(self):
        gen = counter(2)
        first_line = counter.__code__.co_firstlineno
        assert snapshot(gen) == ("GEN_CREATED", first_line, {"limit": 2}), "a new generator: GEN_CREATED at its def"
        assert next(gen) == 0, "snapshot() must not run the generator"
        assert snapshot(gen) == ("GEN_SUSPENDED", first_line + 4, {"limit": 2, "total": 0, "n": 0}), (
            "paused at the yield: GEN_SUSPENDED, the yield's line, the locals"
        )
        assert next(gen) == 1
        with pytest.raises(StopIteration):
            next(gen)
        assert snapshot(gen) == ("GEN_CLOSED", None, {}), "a finished generator: ('GEN_CLOSED', None, {})"

    def test_old_snapshot_does_not_change(self):
        gen = counter(3)
        next(gen)
        old = snapshot(gen)
        next(gen)
        snapshot(gen)
        assert old.locals == {"limit": 3, "total": 0, "n": 0}, "an old snapshot must keep the values it had"

    def test_not_a_generator(self):
        with pytest.raises(TypeError):
            snapshot(counter)  # the generator function, not a generator
