"""Hidden tests for 14_asyncio (module ``async_tasks``).

Every test runs its own ``asyncio.run`` in a helper thread (``async_probes.run_async``), bounded
by a few seconds although a correct solution needs milliseconds. Concurrency is measured with
in-flight counters, which are exact under asyncio (tasks only switch at ``await``); ``time.sleep``
raises when called inside a running loop; fetches record whether they were cancelled, and the
tests look for leftover tasks right after the call under test returns. For ``Service`` the
``watch`` fixture records the student's ``asyncio.sleep`` calls (polling) and makes a
``threading.Event.wait`` inside a running loop raise at once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import struct
import sys
import threading
import time

import pytest

from grader.probes import load_student
from grader.probes.async_probes import (
    TIMEOUT_ERRORS,
    BlockingCallError,
    CancelRecorder,
    contains,
    leftover_tasks,
    run_async,
)
from grader.probes.inflight import InFlight
from grader.probes.signal_probes import serve_child

LIMIT = 2.0  # seconds any single run may take; a correct solution needs a few milliseconds


@pytest.fixture
def async_tasks():
    return load_student("async_tasks")


async def forever(_x):
    await asyncio.sleep(30)


# --------------------------------------------------------------------------- slow_square
class TestSlowSquare:
    def test_suspends_instead_of_blocking(self, async_tasks):
        async def main():
            loop = asyncio.get_running_loop()
            start = loop.time()
            task = asyncio.create_task(async_tasks.slow_square(7, 0.05))
            await asyncio.sleep(0)  # let the task run up to its first real wait
            suspended = not task.done()
            value = await task
            return suspended, value, loop.time() - start

        suspended, value, waited = run_async(main, limit=LIMIT, what="slow_square(7, 0.05)")
        assert value == 49, f"slow_square(7, 0.05) returned {value!r}, expected 49"
        assert suspended, (
            "slow_square finished without ever pausing: `asyncio.sleep(delay)` does nothing unless you "
            "`await` it"
        )
        assert waited >= 0.045, f"slow_square(7, 0.05) returned after {waited:.3f} s: wait the whole delay"

    def test_many_wait_together(self, async_tasks):
        async def main():
            tasks = [asyncio.create_task(async_tasks.slow_square(i, 0.05)) for i in range(10)]
            await asyncio.sleep(0)
            pending = sum(not t.done() for t in tasks)
            return pending, await asyncio.gather(*tasks)

        pending, values = run_async(main, limit=LIMIT, what="10 concurrent slow_square calls")
        assert values == [i * i for i in range(10)], f"got {values}"
        assert pending == 10, f"only {pending} of 10 slow_square tasks were waiting at the same time"

    def test_default_delay(self, async_tasks):
        async def main():
            return await async_tasks.slow_square(-3)

        assert run_async(main, limit=LIMIT, what="slow_square(-3)") == 9


# --------------------------------------------------------------------------- bounded_gather
class TestBoundedGather:
    @staticmethod
    def counted_fetch(probe: InFlight):
        async def fetch(x):
            await asyncio.sleep(0.01)
            return x * 10

        return probe.wrap(fetch)

    def test_at_most_limit_in_flight(self, async_tasks):
        probe = InFlight()

        async def main():
            return await async_tasks.bounded_gather(self.counted_fetch(probe), list(range(8)), 3)

        got = run_async(main, limit=LIMIT, what="bounded_gather(fetch, range(8), 3)")
        assert got == [x * 10 for x in range(8)], f"bounded_gather returned {got}, expected the results in input order"
        assert probe.calls == 8, f"fetch was called {probe.calls} times for 8 items"
        assert probe.peak <= 3, (
            f"{probe.peak} fetches ran at the same time with limit=3: hold ONE asyncio.Semaphore(limit), "
            "created once per call, around each `await fetch(x)`"
        )
        assert probe.peak == 3, (
            f"at most {probe.peak} fetch(es) ran at the same time, expected 3 (limit=3): start every "
            "fetch at once (gather or create_task) instead of awaiting them one by one"
        )

    def test_all_together_when_limit_is_large(self, async_tasks):
        probe = InFlight()

        async def main():
            return await async_tasks.bounded_gather(self.counted_fetch(probe), [5, 1, 4, 2], 10)

        got = run_async(main, limit=LIMIT, what="bounded_gather(fetch, [5, 1, 4, 2], 10)")
        assert got == [50, 10, 40, 20], f"bounded_gather returned {got}, expected [50, 10, 40, 20]"
        assert probe.peak == 4, (
            f"with limit=10 and 4 items, {probe.peak} fetch(es) ran at the same time, expected all 4"
        )

    def test_free_slot_is_reused_at_once(self, async_tasks):
        started = {}

        async def fetch(x):
            started[x] = True
            if x == 0:
                # item 0 holds its slot until item 2 has started: with limit 2 that only
                # happens if item 2 takes the slot item 1 frees, not after a whole batch
                for _ in range(200):
                    if started.get(2):
                        return "0 saw 2 start"
                    await asyncio.sleep(0.005)
                return "0 gave up"
            return f"{x} done"

        async def main():
            return await async_tasks.bounded_gather(fetch, [0, 1, 2, 3], 2)

        got = run_async(main, limit=LIMIT, what="bounded_gather(fetch, [0, 1, 2, 3], 2)")
        assert got[0] == "0 saw 2 start", (
            "with limit=2, item 2 did not start while item 0 was still running although item 1 had "
            "finished: a new fetch must start as soon as any slot is free (a Semaphore), not after a "
            "whole batch has finished"
        )
        assert got == ["0 saw 2 start", "1 done", "2 done", "3 done"], f"bounded_gather returned {got}"

    def test_error_propagates(self, async_tasks):
        async def fetch(x):
            await asyncio.sleep(0)
            if x == 2:
                raise ValueError("fetch 2 failed")
            return x

        async def main():
            return await async_tasks.bounded_gather(fetch, [0, 1, 2, 3], 2)

        with pytest.raises(ValueError, match="fetch 2 failed"):
            run_async(main, limit=LIMIT, what="bounded_gather with a failing fetch")


    def test_failing_fetch_frees_its_slot(self, async_tasks):
        finished = []

        async def fetch(x):
            await asyncio.sleep(0)
            if x == "bad":
                raise ValueError("fetch bad failed")
            await asyncio.sleep(0.01)
            finished.append(x)
            return x

        async def main():
            try:
                await async_tasks.bounded_gather(fetch, ["bad", 1, 2], 1)
            except ValueError:
                pass
            # gather leaves the other fetches running after the error (a TaskGroup cancels them):
            # either way, none may stay blocked waiting for the slot the failed fetch held
            for _ in range(100):
                if not leftover_tasks():
                    return 0
                await asyncio.sleep(0.01)
            return len(leftover_tasks())

        stuck = run_async(main, limit=LIMIT, what="bounded_gather(fetch, ['bad', 1, 2], limit=1)")
        assert stuck == 0, (
            f"with limit=1 the first fetch raised, and {stuck} task(s) were still blocked 1 s later, with "
            f"{finished} finished: a fetch that raises must free its slot (hold the semaphore with "
            "`async with`, or release it in a `finally`)"
        )


async def cancel_while_waiting(call, recorder, items):
    """Start ``call`` as a task, let every fetch start, cancel the task; report what is left over."""
    task = asyncio.create_task(call)
    for _ in range(50):
        if len(recorder.started) == len(items):
            break
        await asyncio.sleep(0)
    task.cancel()
    try:
        await task
        outcome = "returned"
    except asyncio.CancelledError:
        outcome = "cancelled"
    except BaseException as exc:  # noqa: BLE001 - inspected by the test
        outcome = f"raised {exc!r}"
    return {
        "outcome": outcome,
        "leftover": len(leftover_tasks()),
        "not_cancelled": recorder.not_cancelled(items),
        "started": list(recorder.started),
    }


# --------------------------------------------------------------------------- first_done
async def run_and_inspect(call, recorder, items):
    """Await ``call``; then, before anything else runs, note leftovers and uncancelled fetches."""
    try:
        result, error = await call, None
    except BaseException as exc:  # noqa: BLE001 - inspected by the test
        result, error = None, exc
    return {
        "result": result,
        "error": error,
        "leftover": len(leftover_tasks()),
        "not_cancelled": recorder.not_cancelled(items),
        "started": list(recorder.started),
    }


class TestFirstDone:
    def test_returns_first_and_cancels_the_rest(self, async_tasks):
        rec = CancelRecorder()

        async def behaviour(x):
            if x == "fast":
                await asyncio.sleep(0)
                return "fast result"
            await forever(x)

        items = ["slow 1", "fast", "slow 2", "slow 3"]

        async def main():
            return await run_and_inspect(async_tasks.first_done(rec.make(behaviour), items, 30), rec,
                                         ["slow 1", "slow 2", "slow 3"])

        out = run_async(main, limit=LIMIT, what="first_done (one fetch fast, three waiting 30 s, timeout 30)")
        if out["error"] is not None:
            raise out["error"]
        assert sorted(out["started"]) == sorted(items), f"only {out['started']} were started: start every fetch"
        assert out["result"] == "fast result", (
            f"first_done returned {out['result']!r}, expected 'fast result' (the result of the first task "
            "to finish: task.result(), not the task itself)"
        )
        assert not out["not_cancelled"], (
            f"when first_done returned, {out['not_cancelled']} had not been cancelled: cancel() every "
            "unfinished task and await them (e.g. asyncio.gather(*tasks, return_exceptions=True)) before returning"
        )
        assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after first_done returned"

    def test_first_error_is_raised(self, async_tasks):
        rec = CancelRecorder()

        async def behaviour(x):
            if x == "broken":
                await asyncio.sleep(0)
                raise KeyError("broken fetch")
            await forever(x)

        async def main():
            return await run_and_inspect(async_tasks.first_done(rec.make(behaviour), ["a", "broken", "b"], 30),
                                         rec, ["a", "b"])

        out = run_async(main, limit=LIMIT, what="first_done (first to finish raises)")
        assert isinstance(out["error"], KeyError), (
            f"the first fetch to finish raised KeyError; first_done gave {out['error']!r} / returned "
            f"{out['result']!r} instead of raising it"
        )
        assert not out["not_cancelled"], f"{out['not_cancelled']} were not cancelled before first_done raised"
        assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after first_done raised"

    def test_timeout(self, async_tasks):
        rec = CancelRecorder()
        items = ["a", "b", "c"]

        async def main():
            return await run_and_inspect(async_tasks.first_done(rec.make(forever), items, 0.1), rec, items)

        out = run_async(main, limit=LIMIT, what="first_done with timeout=0.1 (no fetch ever finishes)")
        assert out["error"] is not None and isinstance(out["error"], TIMEOUT_ERRORS), (
            f"no fetch finished within the timeout: first_done must raise TimeoutError, it "
            + (f"raised {out['error']!r}" if out["error"] is not None else f"returned {out['result']!r}")
        )
        assert not out["not_cancelled"], f"{out['not_cancelled']} were not cancelled after the timeout"
        assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after first_done raised"


    def test_cancelling_the_caller_cancels_the_fetches(self, async_tasks):
        rec = CancelRecorder()
        items = ["a", "b", "c"]

        async def main():
            return await cancel_while_waiting(async_tasks.first_done(rec.make(forever), items, 30), rec, items)

        out = run_async(main, limit=LIMIT, what="first_done cancelled by its caller")
        assert sorted(out["started"]) == items, f"only {out['started']} were started: start every fetch"
        assert not out["not_cancelled"] and out["leftover"] == 0, (
            f"first_done was cancelled by its caller while it waited, and fetches {out['not_cancelled']} "
            "were left running: cancel and await the tasks in a `finally` block, so they are cleaned up "
            "however first_done ends (result, error, timeout or its own cancellation)"
        )
        assert out["outcome"] == "cancelled", (
            f"first_done was cancelled by its caller, and it {out['outcome']}: let the CancelledError "
            "propagate after cleaning up"
        )


# --------------------------------------------------------------------------- all_or_nothing
class TestAllOrNothing:
    def test_all_results_in_order(self, async_tasks):
        probe = InFlight()

        async def fetch(x):
            await asyncio.sleep(0.01 * (5 - x))
            return x * 2

        async def main():
            return await async_tasks.all_or_nothing(probe.wrap(fetch), [0, 1, 2, 3, 4], 30)

        got = run_async(main, limit=LIMIT, what="all_or_nothing(fetch, range(5), 30)")
        assert got == [0, 2, 4, 6, 8], f"all_or_nothing returned {got}, expected [0, 2, 4, 6, 8] (input order)"
        assert probe.peak == 5, f"only {probe.peak} of 5 fetches ran at the same time: start them all at once"

    def test_failure_cancels_the_others(self, async_tasks):
        rec = CancelRecorder()

        async def behaviour(x):
            if x == 2:
                await asyncio.sleep(0)
                raise ValueError("fetch 2 failed")
            await forever(x)

        async def main():
            return await run_and_inspect(async_tasks.all_or_nothing(rec.make(behaviour), [0, 1, 2, 3], 30), rec,
                                         [0, 1, 3])

        out = run_async(main, limit=LIMIT, what="all_or_nothing (one fetch fails, the others wait 30 s)")
        assert out["error"] is not None and contains(out["error"], ValueError), (
            "fetch 2 raised ValueError: all_or_nothing must raise it (or an ExceptionGroup holding it), it "
            + (f"raised {out['error']!r}" if out["error"] is not None else f"returned {out['result']!r}")
        )
        assert not out["not_cancelled"], (
            f"when all_or_nothing raised, fetches {out['not_cancelled']} were still running: cancel the "
            "others and await them (asyncio.gather alone does not cancel anything)"
        )
        assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after all_or_nothing raised"

    def test_timeout_cancels_everything(self, async_tasks):
        rec = CancelRecorder()
        items = [0, 1, 2]

        async def main():
            return await run_and_inspect(async_tasks.all_or_nothing(rec.make(forever), items, 0.1), rec, items)

        out = run_async(main, limit=LIMIT, what="all_or_nothing with timeout=0.1 (fetches wait 30 s)")
        assert out["error"] is not None and contains(out["error"], TIMEOUT_ERRORS), (
            "the fetches did not finish within timeout=0.1: all_or_nothing must raise TimeoutError, it "
            + (f"raised {out['error']!r}" if out["error"] is not None else f"returned {out['result']!r}")
        )
        assert not out["not_cancelled"], f"fetches {out['not_cancelled']} were not cancelled after the timeout"
        assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after all_or_nothing raised"

    def test_cancelling_the_caller_cancels_the_fetches(self, async_tasks):
        rec = CancelRecorder()
        items = [0, 1, 2]

        async def main():
            return await cancel_while_waiting(async_tasks.all_or_nothing(rec.make(forever), items, 30), rec, items)

        out = run_async(main, limit=LIMIT, what="all_or_nothing cancelled by its caller")
        assert sorted(out["started"]) == items, f"only {out['started']} were started: start every fetch"
        assert not out["not_cancelled"] and out["leftover"] == 0, (
            f"all_or_nothing was cancelled by its caller while it waited, and fetches {out['not_cancelled']} "
            "were left running: cancel and await the tasks in a `finally` block (or use a TaskGroup), so "
            "they are cleaned up however all_or_nothing ends"
        )
        assert out["outcome"] == "cancelled", (
            f"all_or_nothing was cancelled by its caller, and it {out['outcome']}: let the CancelledError "
            "propagate after cleaning up"
        )


# --------------------------------------------------------------------------- queue_pipeline
class ItemsFailed(Exception):
    """What the test's items iterator raises (not a RuntimeError: the stub's NotImplementedError is one)."""


class Feed:
    """An iterator over ``items`` that notes, at each item taken, how far it runs ahead of ``work``."""

    def __init__(self, items, probe: InFlight, fail_after=None):
        self.items, self.probe, self.fail_after = list(items), probe, fail_after
        self.taken = 0
        self.most_ahead = 0  # items taken from the iterator but not yet handed to work()

    def __iter__(self):
        for item in self.items:
            if self.fail_after is not None and self.taken == self.fail_after:
                raise ItemsFailed("the items iterator failed")
            self.taken += 1
            self.most_ahead = max(self.most_ahead, self.taken - self.probe.calls)
            yield item


async def quick_work(x):
    await asyncio.sleep(0.001 * (x % 4))
    return x * 10


class TestQueuePipeline:
    def test_results_in_order_with_n_consumers(self, async_tasks):
        probe = InFlight()

        async def work(x):
            await asyncio.sleep(0.002 * (9 - x))  # later items finish first
            return x * 10

        async def main():
            return await run_and_inspect(async_tasks.queue_pipeline(range(9), probe.wrap(work), 3),
                                         CancelRecorder(), [])

        out = run_async(main, limit=LIMIT, what="queue_pipeline(range(9), work, 3)")
        if out["error"] is not None:
            raise out["error"]
        assert out["result"] == [x * 10 for x in range(9)], (
            f"queue_pipeline returned {out['result']!r}, expected {[x * 10 for x in range(9)]} (the results in "
            "the order of items, not in the order the work finished)"
        )
        assert probe.calls == 9, f"work was called {probe.calls} times for 9 items"
        assert probe.peak == 3, (
            f"{probe.peak} call(s) of work ran at the same time with consumers=3, expected exactly 3: start "
            "`consumers` consumer tasks that all take items from the one queue"
        )
        assert out["leftover"] == 0, (
            f"{out['leftover']} task(s) were still running after queue_pipeline returned: stop every consumer "
            "(a sentinel per consumer, or cancel them) and await them before returning"
        )

    def test_reads_items_only_as_the_queue_has_room(self, async_tasks):
        for maxsize in (1, 3):
            probe = InFlight()
            feed = Feed(range(24), probe)

            async def main():
                return await async_tasks.queue_pipeline(feed, probe.wrap(quick_work), 2, maxsize)

            got = run_async(main, limit=LIMIT, what=f"queue_pipeline(24 items, work, 2, maxsize={maxsize})")
            assert got == [x * 10 for x in range(24)], f"queue_pipeline returned {got!r}"
            assert feed.most_ahead <= maxsize + 1, (
                f"with maxsize={maxsize} the producer took {feed.most_ahead} items from the iterator before "
                "work was called on them: put into an asyncio.Queue(maxsize) with `await queue.put(...)`, so "
                "the producer waits for room instead of reading items far ahead of the consumers"
            )

    def test_default_maxsize_is_one(self, async_tasks):
        probe = InFlight()
        feed = Feed(range(12), probe)

        async def main():
            return await async_tasks.queue_pipeline(feed, probe.wrap(quick_work), 3)

        got = run_async(main, limit=LIMIT, what="queue_pipeline(12 items, work, 3)")
        assert got == [x * 10 for x in range(12)], f"queue_pipeline returned {got!r}"
        assert feed.most_ahead <= 2, (
            f"with the default maxsize=1 the producer took {feed.most_ahead} items ahead of the consumers"
        )

    def test_failing_items_do_not_stop_the_pipeline(self, async_tasks):
        for consumers in (1, 2):
            errors = {}

            async def work(x):
                await asyncio.sleep(0)
                if x % 3 == 1:
                    errors[x] = ValueError(f"item {x} failed")
                    raise errors[x]
                return x * 10

            async def main():
                return await run_and_inspect(async_tasks.queue_pipeline(range(8), work, consumers),
                                             CancelRecorder(), [])

            out = run_async(main, limit=LIMIT,
                            what=f"queue_pipeline(range(8), work failing on 1, 4 and 7, {consumers})")
            assert out["error"] is None, (
                f"work raised on items 1, 4 and 7, and queue_pipeline raised {out['error']!r}: catch the "
                "Exception in the consumer, store it as that item's result and go on with the next item"
            )
            got = out["result"]
            expected = [errors.get(x, x * 10) for x in range(8)]
            assert isinstance(got, list) and len(got) == 8 and all(
                g is e if isinstance(e, BaseException) else g == e for g, e in zip(got, expected)
            ), (
                f"with consumers={consumers}, queue_pipeline returned {got!r}, expected {expected!r}: the "
                "exception object work raised stands at its item's place"
            )
            assert out["leftover"] == 0, f"{out['leftover']} task(s) were still running after queue_pipeline returned"

    def test_few_items_or_none(self, async_tasks):
        for items, consumers in (([], 3), ([4, 5], 5), ([7], 1)):
            async def main():
                return await run_and_inspect(async_tasks.queue_pipeline(items, quick_work, consumers),
                                             CancelRecorder(), [])

            out = run_async(main, limit=LIMIT, what=f"queue_pipeline({items}, work, {consumers})")
            if out["error"] is not None:
                raise out["error"]
            assert out["result"] == [x * 10 for x in items], f"queue_pipeline({items}, work, {consumers}) returned {out['result']!r}"
            assert out["leftover"] == 0, (
                f"{out['leftover']} task(s) were still running after queue_pipeline({items}, work, {consumers}) "
                "returned: every consumer must stop, also those that never got an item"
            )

    def test_no_consumer_is_an_error(self, async_tasks):
        async def main():
            return await async_tasks.queue_pipeline([1, 2], quick_work, 0)

        with pytest.raises(ValueError):
            run_async(main, limit=LIMIT, what="queue_pipeline([1, 2], work, 0)")

    def test_error_reading_items_stops_the_consumers(self, async_tasks):
        probe = InFlight()
        feed = Feed(range(10), probe, fail_after=4)

        async def main():
            return await run_and_inspect(async_tasks.queue_pipeline(feed, probe.wrap(quick_work), 2),
                                         CancelRecorder(), [])

        out = run_async(main, limit=LIMIT, what="queue_pipeline with an items iterator that raises")
        assert isinstance(out["error"], ItemsFailed), (
            "the items iterator raised ItemsFailed after 4 items: queue_pipeline must raise it, it "
            + (f"raised {out['error']!r}" if out["error"] is not None else f"returned {out['result']!r}")
        )
        assert out["leftover"] == 0, (
            f"{out['leftover']} consumer task(s) were still running after queue_pipeline raised: stop and "
            "await the consumers in a `finally` block"
        )

    def test_cancelling_the_caller_stops_the_consumers(self, async_tasks):
        rec = CancelRecorder()
        items = ["a", "b", "c"]

        async def main():
            return await cancel_while_waiting(async_tasks.queue_pipeline(items, rec.make(forever), 2), rec,
                                              ["a", "b"])

        out = run_async(main, limit=LIMIT, what="queue_pipeline cancelled by its caller")
        assert sorted(out["started"]) == ["a", "b"], (
            f"with 2 consumers and work that never ends, work was started on {out['started']}, expected 'a' and 'b'"
        )
        assert not out["not_cancelled"] and out["leftover"] == 0, (
            f"queue_pipeline was cancelled by its caller while it waited, and {out['leftover']} task(s) were "
            "left running: cancel and await the consumers in a `finally` block"
        )
        assert out["outcome"] == "cancelled", (
            f"queue_pipeline was cancelled by its caller, and it {out['outcome']}: let the CancelledError "
            "propagate after cleaning up"
        )


# --------------------------------------------------------------------------- echo_server
HOST = "127.0.0.1"
STEP = 1.0  # seconds one network step may take; a correct solution needs a millisecond


async def within(awaitable, message, seconds=STEP):
    """Await ``awaitable`` for at most ``seconds``; past that, fail the test with ``message``."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except TIMEOUT_ERRORS:
        raise AssertionError(message) from None


async def start_echo_server(async_tasks, stop):
    """Start ``echo_server(ready, stop)`` as a task; return it and the port it passed to ``ready``."""
    port = asyncio.get_running_loop().create_future()

    def ready(p):
        if not port.done():
            port.set_result(p)

    task = asyncio.create_task(async_tasks.echo_server(ready, stop))
    done, _ = await asyncio.wait({port, task}, timeout=STEP, return_when=asyncio.FIRST_COMPLETED)
    if port not in done:
        if task in done:
            task.result()  # its exception, if it raised
            raise AssertionError("echo_server returned without calling ready(port)")
        raise AssertionError("echo_server did not call ready(port) within 1 s of starting")
    assert isinstance(port.result(), int) and port.result() > 0, (
        f"echo_server called ready({port.result()!r}): pass the port the server listens on "
        "(server.sockets[0].getsockname()[1]); with port=0 the OS picks it"
    )
    return task, port.result()


async def connect(port, who="a client"):
    try:
        return await within(asyncio.open_connection(HOST, port), f"{who} could not connect within 1 s")
    except OSError as exc:
        raise AssertionError(f"{who} could not connect to {HOST}:{port}: {exc!r}") from None


async def port_is_closed(port):
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), STEP)
    except (OSError, *TIMEOUT_ERRORS):
        return True
    writer.close()
    return False


async def echo_of(reader, writer, line, who):
    writer.write(line)
    return await within(reader.readline(), (
        f"{who} sent {line!r} and got no echo within 1 s: echo each line as soon as it has arrived, "
        "and serve every client at once (one client waiting must not hold up the others)"
    ))


async def sees_eof(reader, what, reset_ok=False):
    """What the client reads until the connection ends; with ``reset_ok`` a reset counts as an end too
    (the server closing a socket with bytes it has not read yet sends a reset, not a FIN)."""
    try:
        return await within(reader.read(), f"{what}, and the client saw no end of the connection within 1 s")
    except ConnectionResetError:
        if reset_ok:
            return b""
        raise


class HandlerRecord:
    """Runs the student's handle_echo under a test's own asyncio.start_server and notes how each call ended."""

    def __init__(self, async_tasks):
        self.module = async_tasks
        self.ended: list[tuple[str, int]] = []  # (outcome, socket fileno when handle_echo returned)
        self.tasks: list[asyncio.Task] = []
        self.finished = asyncio.Event()

    async def __call__(self, reader, writer):
        self.tasks.append(asyncio.current_task())
        try:
            await self.module.handle_echo(reader, writer)
            outcome = "returned"
        except asyncio.CancelledError:
            outcome = "cancelled"  # not re-raised: the test's own server task just ends
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            outcome = f"raised {exc!r}"
        self.ended.append((outcome, writer.get_extra_info("socket").fileno()))
        self.finished.set()


class TestEchoServer:
    def test_serves_several_clients_at_once(self, async_tasks):
        async def main():
            stop = asyncio.Event()
            task, port = await start_echo_server(async_tasks, stop)
            clients = [await connect(port, f"client {i}") for i in range(3)]
            for i, (reader, writer) in enumerate(clients):  # every client stays connected meanwhile
                line = f"hello from {i}\n".encode()
                got = await echo_of(reader, writer, line, f"client {i} (with clients 0-2 connected)")
                assert got == line, f"client {i} sent {line!r} and got back {got!r}"
            for i, (reader, writer) in enumerate(clients):
                line = f"line two of {i}\n".encode()
                got = await echo_of(reader, writer, line, f"client {i}")
                assert got == line, f"client {i} sent {line!r} and got back {got!r}"
            for i, (reader, writer) in enumerate(clients):
                writer.write_eof()
                rest = await sees_eof(reader, f"client {i} closed its side (readline() then returns b'' in "
                                      "the handler) and the server did not close the connection")
                assert rest == b"", f"client {i} closed its side and then received {rest!r}"
                writer.close()
            stop.set()
            await within(task, "echo_server did not return within 1 s after stop was set")
            return len(leftover_tasks()), await port_is_closed(port), port

        leftover, closed, port = run_async(main, limit=LIMIT * 3, what="echo_server with 3 clients")
        assert leftover == 0, f"{leftover} task(s) were still running after echo_server returned"
        assert closed, f"after echo_server returned, a client could still connect to port {port}: close the server"

    def test_a_last_line_without_newline_is_echoed(self, async_tasks):
        async def main():
            stop = asyncio.Event()
            task, port = await start_echo_server(async_tasks, stop)
            try:
                reader, writer = await connect(port)
                writer.write(b"one\ntwo, with no newline")
                writer.write_eof()
                got = await sees_eof(reader, "the client sent b'one\\ntwo, with no newline' and closed its side")
                writer.close()
                return got
            finally:
                stop.set()
                await within(task, "echo_server did not return within 1 s after stop was set")

        got = run_async(main, limit=LIMIT * 3, what="echo_server with a client closing mid-line")
        assert got == b"one\ntwo, with no newline", (
            f"the client sent b'one\\ntwo, with no newline', closed its side and got back {got!r}: at the end "
            "of the stream readline() returns the last line without b'\\n' (readuntil raises "
            "IncompleteReadError instead); echo it too before closing"
        )

    def _run_handler(self, async_tasks, client, what):
        """Serve one connection with handle_echo under the test's server; ``client(reader, writer, record)``."""

        async def main():
            record = HandlerRecord(async_tasks)
            server = await asyncio.start_server(record, HOST, 0)
            try:
                port = server.sockets[0].getsockname()[1]
                reader, writer = await connect(port)
                await client(reader, writer, record)
                await within(record.finished.wait(), f"{what}: handle_echo had not returned 1 s later")
                writer.close()
                return record.ended[0]
            finally:
                server.close()
                for task in record.tasks:
                    task.cancel()
                await asyncio.gather(*record.tasks, return_exceptions=True)

        return run_async(main, limit=LIMIT * 3, what=what)

    def test_handler_closes_the_connection_before_returning(self, async_tasks):
        async def client(reader, writer, record):
            writer.write(b"ping\n")
            assert await within(reader.readline(), "no echo of b'ping\\n' within 1 s") == b"ping\n"
            writer.write_eof()

        outcome, fileno = self._run_handler(async_tasks, client, "the client closed its side after one line")
        assert outcome == "returned", f"the client closed its side after one line, and handle_echo {outcome}"
        assert fileno == -1, (
            "handle_echo returned while its connection was still open: writer.close(), then "
            "`await writer.wait_closed()` (close() only starts closing)"
        )

    def test_a_client_that_vanishes_mid_line(self, async_tasks):
        async def client(reader, writer, record):
            writer.write(b"half a li")
            await writer.drain()
            for _ in range(200):  # until the handler runs, then a moment for it to read the bytes
                if record.tasks:
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.02)
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # close with a reset (RST), as a crashed client does

        outcome, fileno = self._run_handler(async_tasks, client, "a client reset the connection mid-line")
        assert outcome == "returned", (
            f"a client reset its connection in the middle of a line, and handle_echo {outcome}: a vanished "
            "client is normal for a server; catch ConnectionError (readline, drain and wait_closed can all "
            "raise it) and end quietly"
        )
        assert fileno == -1, "after the client vanished, handle_echo returned without closing its connection"

    def test_cancelled_handler_closes_the_connection(self, async_tasks):
        async def client(reader, writer, record):
            writer.write(b"ping\n")
            assert await within(reader.readline(), "no echo of b'ping\\n' within 1 s") == b"ping\n"
            record.tasks[0].cancel()

        outcome, fileno = self._run_handler(async_tasks, client, "handle_echo cancelled while it waits")
        assert outcome == "cancelled", (
            f"handle_echo was cancelled while it waited for a line, and it {outcome}: close the connection "
            "in a `finally` and let the CancelledError propagate"
        )
        assert fileno == -1, "handle_echo was cancelled and left its connection open: close it in a `finally`"

    def test_stop_closes_the_connections_still_open(self, async_tasks):
        async def main():
            stop = asyncio.Event()
            task, port = await start_echo_server(async_tasks, stop)
            idle = await connect(port, "client 0")
            assert await echo_of(*idle, b"hi\n", "client 0") == b"hi\n"
            midline = await connect(port, "client 1")
            midline[1].write(b"in the middle of a li")
            await midline[1].drain()
            stop.set()
            await within(task, (
                "stop was set with two clients still connected, and echo_server had not returned 1 s later: "
                "close every connection still open (their handlers wait in readline()), then wait for the "
                "handlers and the server (on 3.12+ server.wait_closed() waits for every connection)"
            ))
            leftover = len(leftover_tasks())
            for i, (reader, writer) in enumerate((idle, midline)):
                await sees_eof(reader, f"echo_server returned, and client {i}'s connection was still open", reset_ok=True)
                writer.close()
            return leftover, await port_is_closed(port), port

        leftover, closed, port = run_async(main, limit=LIMIT * 3, what="echo_server stopped with clients connected")
        assert leftover == 0, (
            f"{leftover} task(s) were still running after echo_server returned: close the connections still "
            "open and wait for their handlers to finish"
        )
        assert closed, f"after echo_server returned, a client could still connect to port {port}: close the server"

    def test_cancelling_echo_server_cleans_up(self, async_tasks):
        async def main():
            stop = asyncio.Event()
            task, port = await start_echo_server(async_tasks, stop)
            client = await connect(port)
            assert await echo_of(*client, b"hi\n", "the client") == b"hi\n"
            task.cancel()
            try:
                await within(asyncio.shield(task), "echo_server was cancelled and had not finished 1 s later")
                outcome = "returned"
            except asyncio.CancelledError:
                outcome = "cancelled"
            except AssertionError:
                raise
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                outcome = f"raised {exc!r}"
            leftover = len(leftover_tasks())
            await sees_eof(client[0], "echo_server was cancelled, and its client's connection was still open", reset_ok=True)
            client[1].close()
            return outcome, leftover, await port_is_closed(port), port

        outcome, leftover, closed, port = run_async(main, limit=LIMIT * 3, what="echo_server cancelled by its caller")
        assert leftover == 0, (
            f"echo_server was cancelled and {leftover} task(s) were left running: shut down in a `finally`"
        )
        assert closed, f"echo_server was cancelled, and a client could still connect to port {port}: close the server in a `finally`"
        assert outcome == "cancelled", (
            f"echo_server was cancelled by its caller, and it {outcome}: let the CancelledError propagate "
            "after cleaning up"
        )


# --------------------------------------------------------------------------- async_cache
async def settle(turns=20):
    """Let every task run up to the point where it waits for something the test controls."""
    for _ in range(turns):
        await asyncio.sleep(0)


class FetchFailed(Exception):
    """What the tests' fetch raises (not a RuntimeError: the stub's NotImplementedError is one)."""


class GatedFetch:
    """An async ``fetch(key)`` that waits at its key's gate until the test opens it; it counts the
    calls, and the fetches in flight per key and in all. Keys in ``fail_first`` raise FetchFailed
    on their first fetch (once the gate is open) and return their value on later ones."""

    def __init__(self, fail_first=()):
        self.calls: list = []
        self.in_flight: dict = {}
        self.peak_per_key: dict = {}
        self.peak = 0
        self.gates: dict = {}
        self.fail_first = set(fail_first)
        self.errors: list = []

    def gate(self, key):
        if key not in self.gates:
            self.gates[key] = asyncio.Event()
        return self.gates[key]

    def open(self, *keys):
        for key in keys:
            self.gate(key).set()

    async def __call__(self, key):
        self.calls.append(key)
        first = self.calls.count(key) == 1
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        self.peak_per_key[key] = max(self.peak_per_key.get(key, 0), self.in_flight[key])
        self.peak = max(self.peak, sum(self.in_flight.values()))
        try:
            await self.gate(key).wait()
            if first and key in self.fail_first:
                self.errors.append(FetchFailed(f"the fetch of {key!r} failed"))
                raise self.errors[-1]
            return f"value of {key}"
        finally:
            self.in_flight[key] -= 1


async def outcomes(tasks, what):
    """Each task's result or exception, waiting at most STEP seconds for them all."""
    done, pending = await asyncio.wait(tasks, timeout=STEP)
    if pending:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending, timeout=STEP)
        raise AssertionError(f"{what}, and {len(pending)} of {len(tasks)} get() call(s) had not returned 1 s later")
    return [task.exception() if task.exception() is not None else task.result() for task in tasks]


class TestAsyncCache:
    def test_same_key_is_fetched_once(self, async_tasks):
        async def main():
            fetch = GatedFetch()
            cache = async_tasks.AsyncCache(fetch)
            tasks = [asyncio.create_task(cache.get("a")) for _ in range(5)]
            await settle()  # every caller is now waiting: for the fetch, or for the first caller
            while_in_flight = len(fetch.calls)
            fetch.open("a")
            got = await outcomes(tasks, "5 tasks called get('a') at once and the fetch returned")
            after = len(fetch.calls)
            again = await within(cache.get("a"), "get('a') after 'a' was fetched had not returned 1 s later")
            return while_in_flight, got, after, again, len(fetch.calls)

        while_in_flight, got, after, again, total = run_async(main, limit=LIMIT * 2,
                                                              what="5 concurrent get('a') on AsyncCache")
        assert while_in_flight == 1, (
            f"5 tasks called get('a') at once, and fetch('a') was called {while_in_flight} times while the "
            "first fetch was still in flight: every caller checked `key in self.values`, found nothing and "
            "went on to fetch, because the check and the store are separated by an `await`. Hold an "
            "asyncio.Lock for the key across the check, the await and the store"
        )
        assert got == ["value of a"] * 5, f"the 5 get('a') calls gave {got!r}, expected 'value of a' for each"
        assert after == 1, (
            f"fetch('a') was called {after} times for 5 concurrent get('a'): only one at a time, but one after "
            "the other. Once a caller holds the lock, check again whether the value is there (the caller "
            "before it stored it) before fetching"
        )
        assert again == "value of a" and total == 1, (
            f"get('a') after the fetch returned {again!r} and fetch was called {total} times in all: remember "
            "the value"
        )

    def test_different_keys_are_fetched_at_the_same_time(self, async_tasks):
        async def main():
            fetch = GatedFetch()
            cache = async_tasks.AsyncCache(fetch)
            tasks = {key: [asyncio.create_task(cache.get(key)) for _ in range(2)] for key in "abc"}
            try:
                await settle()
                started = sorted(fetch.calls)
                fetch.open("c")  # 'c' must come back while 'a' and 'b' are still being fetched
                done, _ = await asyncio.wait(tasks["c"], timeout=STEP)
                c_alone = [t.result() for t in done if t.exception() is None]
                fetch.open("a", "b")
                got = await outcomes([t for key in "abc" for t in tasks[key]], "the fetches of 'a', 'b' and 'c' returned")
                return started, c_alone, got, sorted(fetch.calls), fetch.peak
            finally:
                fetch.open("a", "b", "c")

        started, c_alone, got, calls, peak = run_async(main, limit=LIMIT * 2,
                                                       what="get() of 'a', 'b' and 'c', twice each, on AsyncCache")
        assert started == ["a", "b", "c"], (
            f"2 tasks each called get() for 'a', 'b' and 'c' at once, and while the fetches were in flight "
            f"fetch had been called for {started}, expected once for each key"
            + (": one lock for the whole cache held across the fetch makes every key wait for the others; use "
               "one lock per key" if len(started) < 3 else "")
        )
        assert c_alone == ["value of c"] * 2, (
            "the fetch of 'c' returned while 'a' and 'b' were still being fetched, and the two get('c') calls "
            f"had not both returned 1 s later (got {c_alone!r}): a fetch of one key must not wait for another key"
        )
        assert got == ["value of a"] * 2 + ["value of b"] * 2 + ["value of c"] * 2, f"the get() calls returned {got!r}"
        assert calls == ["a", "b", "c"] and peak == 3, f"fetch was called for {calls}, at most {peak} at once"

    def test_a_failed_fetch_is_not_remembered(self, async_tasks):
        async def main():
            fetch = GatedFetch(fail_first={"x"})
            cache = async_tasks.AsyncCache(fetch)
            tasks = [asyncio.create_task(cache.get("x")) for _ in range(3)]
            await settle()
            while_in_flight = len(fetch.calls)
            fetch.open("x")  # the first fetch of 'x' now raises FetchFailed
            got = await outcomes(tasks, "3 tasks called get('x') at once and the first fetch of 'x' raised")
            later = await within(asyncio.gather(cache.get("x"), return_exceptions=True),
                                 "after a failed fetch of 'x', a new get('x') had not returned 1 s later")
            return while_in_flight, got, fetch.errors[:1], fetch.peak_per_key.get("x", 0), later[0]

        while_in_flight, got, errors, peak, later = run_async(main, limit=LIMIT * 3,
                                                              what="get('x') on AsyncCache with a failing fetch")
        assert while_in_flight == 1, (
            f"3 tasks called get('x') at once, and fetch('x') was called {while_in_flight} times while the first "
            "fetch was still in flight: hold an asyncio.Lock for the key across the check, the await and the store"
        )
        assert errors and any(g is errors[0] for g in got), (
            f"the first fetch of 'x' raised FetchFailed, and the 3 get('x') calls gave {got!r}: the exception "
            "must reach the caller whose fetch raised it"
        )
        assert all(g is errors[0] or g == "value of x" for g in got), (
            f"the first fetch of 'x' raised, and the 3 get('x') calls gave {got!r}: a caller that waited for that "
            "fetch gets the same exception, or fetches in its turn"
        )
        assert peak == 1, f"{peak} fetches of 'x' ran at the same time"
        assert later == "value of x", (
            f"after the fetch of 'x' had failed, get('x') gave {later!r} instead of fetching again: do not "
            "remember a failure (store a value only once fetch has returned it)"
        )


# --------------------------------------------------------------------------- stop_workers
class CleanupFailed(Exception):
    """What a test task raises from its clean-up."""


async def until(predicate, what, turns=200):
    """Let the loop run until ``predicate()`` holds (at most ``turns`` turns of the loop)."""
    for _ in range(turns):
        if predicate():
            return
        await asyncio.sleep(0)
    raise AssertionError(what)


async def waits_then_cleans_up(log, name, steps):
    """A task that waits until it is cancelled, then cleans up over ``steps`` turns of the loop."""
    try:
        await asyncio.Event().wait()
    finally:
        for _ in range(steps):
            await asyncio.sleep(0)
        log.append(f"{name} cleaned up")


async def ignores_cancel(release, log):
    """A task that ignores every cancellation until ``release`` is set."""
    while True:
        try:
            await release.wait()
            return "released"
        except asyncio.CancelledError:
            log.append("ignored a cancel")


async def settled_call(call, what, seconds=STEP):
    """``("returned", value)``, ``("raised", exc)`` or ``("cancelled", None)`` for ``call``; a call
    still running after ``seconds`` is cancelled and fails the test."""
    task = asyncio.ensure_future(call)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=STEP)
        raise AssertionError(f"{what} had not returned {seconds:g} s later")
    if task.cancelled():
        return "cancelled", None
    if task.exception() is not None:
        return "raised", task.exception()
    return "returned", task.result()


def describe(outcome):
    kind, value = outcome
    return f"{kind} {value!r}" if kind != "cancelled" else "raised CancelledError"


class TestStopWorkers:
    def test_shutdown_waits_for_every_clean_up(self, async_tasks):
        async def main():
            log = []
            tasks = [asyncio.create_task(waits_then_cleans_up(log, f"task {i}", i + 1)) for i in range(4)]
            await settle()
            outcome = await settled_call(async_tasks.shutdown(tasks, 5), "shutdown(4 waiting tasks, 5)")
            cleaned = sorted(log)
            running = [i for i, t in enumerate(tasks) if not t.done()]
            empty = await settled_call(async_tasks.shutdown([], 5), "shutdown([], 5)")
            await asyncio.wait(tasks, timeout=STEP)
            return outcome, cleaned, running, empty

        outcome, cleaned, running, empty = run_async(main, limit=LIMIT * 2, what="shutdown of 4 waiting tasks")
        assert outcome == ("returned", []), (
            f"shutdown(tasks, 5) of 4 tasks that only wait {describe(outcome)}, expected it to return []"
            + (": asyncio.gather without return_exceptions=True raises the first task's CancelledError"
               if outcome[0] == "cancelled" else "")
        )
        assert not running and len(cleaned) == 4, (
            f"when shutdown returned, {len(cleaned)} of the 4 tasks had finished their clean-up (their `finally` "
            f"blocks) and tasks {running} were still running: cancel() only asks a task to stop; wait for every "
            "task to finish (asyncio.wait(tasks, timeout=...)) before returning"
        )
        assert empty == ("returned", []), f"shutdown([], 5) {describe(empty)}, expected it to return []"

    def test_failures_are_returned_not_raised(self, async_tasks):
        errors = {}

        async def fails_in_clean_up():
            try:
                await asyncio.Event().wait()
            finally:
                await asyncio.sleep(0)
                errors["clean-up"] = CleanupFailed("the clean-up failed")
                raise errors["clean-up"]

        async def failed_before():
            await asyncio.sleep(0)
            errors["before"] = ValueError("failed before the shutdown")
            raise errors["before"]

        async def returned():
            return 42

        async def main():
            log = []
            tasks = [
                asyncio.create_task(fails_in_clean_up()),
                asyncio.create_task(waits_then_cleans_up(log, "slow", 5)),
                asyncio.create_task(failed_before()),
                asyncio.create_task(returned()),
                asyncio.create_task(waits_then_cleans_up(log, "quick", 1)),
            ]
            await settle()
            outcome = await settled_call(async_tasks.shutdown(tasks, 5), "shutdown(5 tasks, 5)")
            running = [i for i, t in enumerate(tasks) if not t.done()]
            await asyncio.wait(tasks, timeout=STEP)
            return outcome, sorted(log), running

        outcome, cleaned, running = run_async(main, limit=LIMIT * 2, what="shutdown of tasks that fail")
        expected = [errors.get("clean-up"), errors.get("before")]
        assert outcome[0] == "returned", (
            f"of 5 tasks, one failed before the shutdown and one fails in its clean-up, and shutdown(tasks, 5) "
            f"{describe(outcome)}: return the exceptions instead of raising them (asyncio.gather without "
            "return_exceptions=True raises the first one and stops waiting for the others)"
        )
        assert isinstance(outcome[1], list) and len(outcome[1]) == 2 and all(
            got is want for got, want in zip(outcome[1], expected)), (
            f"shutdown returned {outcome[1]!r}, expected [{expected[0]!r}, {expected[1]!r}]: the exception of "
            "every task that failed, before the shutdown or while cleaning up, in the order of tasks (and "
            "nothing for a task that was cancelled or returned)"
        )
        assert not running and cleaned == ["quick cleaned up", "slow cleaned up"], (
            f"when shutdown returned, tasks {running} were still running (clean-ups done: {cleaned}): wait for "
            "every task, not only until the first one fails"
        )

    def test_a_task_that_ignores_cancellation_times_out(self, async_tasks):
        async def main():
            log = []
            release = asyncio.Event()
            tasks = [
                asyncio.create_task(waits_then_cleans_up(log, "task 0", 2)),
                asyncio.create_task(ignores_cancel(release, log)),
                asyncio.create_task(waits_then_cleans_up(log, "task 2", 3)),
            ]
            try:
                await settle()
                outcome = await settled_call(async_tasks.shutdown(tasks, 0.2), "shutdown(tasks, 0.2)", seconds=0.2 + STEP)
                return outcome, sorted(log), tasks[1].done()
            finally:
                release.set()
                await asyncio.wait(tasks, timeout=STEP)

        outcome, log, stubborn_done = run_async(main, limit=LIMIT * 2,
                                                what="shutdown(tasks, 0.2) with a task that ignores cancel()")
        assert outcome[0] == "raised" and isinstance(outcome[1], TIMEOUT_ERRORS), (
            f"one of 3 tasks ignores cancel(), and shutdown(tasks, 0.2) {describe(outcome)}: raise TimeoutError "
            "once timeout seconds have passed with a task still running, instead of returning as if it had stopped"
        )
        assert not stubborn_done and "ignored a cancel" in log, (
            f"the task that ignores cancel() was not cancelled (log: {log}): cancel every task"
        )
        assert "task 0 cleaned up" in log and "task 2 cleaned up" in log, (
            f"shutdown raised TimeoutError before the other tasks had finished their clean-up (done: {log}): wait "
            "for all of them (asyncio.wait(tasks, timeout=timeout) waits for every task, and returns the ones "
            "still pending)"
        )

    @staticmethod
    def _handle(rec, gate, fail=("bad",)):
        async def behaviour(job):
            if job in fail:
                await asyncio.sleep(0)
                raise ValueError(f"job {job!r} failed")
            if str(job).startswith("slow"):
                await gate.wait()
            return job

        return rec.make(behaviour)

    def test_worker_stops_when_cancelled_inside_handle(self, async_tasks):
        async def main():
            log, rec, gate, jobs = [], CancelRecorder(), asyncio.Event(), asyncio.Queue()
            jobs.put_nowait("slow 1")
            task = asyncio.create_task(async_tasks.worker("w", jobs, self._handle(rec, gate), log))
            try:
                await until(lambda: rec.started, "the worker did not call handle('slow 1') on the job in its queue")
                task.cancel()  # the worker is inside handle('slow 1')
                done, _ = await asyncio.wait({task}, timeout=STEP)
                return task in done, task in done and task.cancelled(), list(log), dict(rec.outcome)
            finally:
                gate.set()
                task.cancel()
                await asyncio.wait({task}, timeout=STEP)

        stopped, cancelled, log, handled = run_async(main, limit=LIMIT * 2, what="worker cancelled inside handle")
        assert stopped, (
            "the worker was cancelled while it awaited handle(job), and it had not stopped 1 s later (its log: "
            f"{log}): a bare `except:` (or `except BaseException`) around the await catches the CancelledError "
            "too; catch Exception, which a cancellation is not"
        )
        assert handled == {"slow 1": "cancelled"}, f"handle('slow 1') ended as {handled}, expected it cancelled"
        assert log == ["w started", "w stopped"], f"the worker's log is {log}, expected ['w started', 'w stopped']"
        assert cancelled, (
            "the worker was cancelled and then returned normally: let the CancelledError propagate (log in a "
            "`finally`, or re-raise), so the task ends cancelled"
        )

    def test_worker_goes_on_after_a_failing_job_then_stops(self, async_tasks):
        async def main():
            log, rec, gate, jobs = [], CancelRecorder(), asyncio.Event(), asyncio.Queue()
            for job in ("ok 1", "bad", "ok 2", "slow 3"):
                jobs.put_nowait(job)
            task = asyncio.create_task(async_tasks.worker("w", jobs, self._handle(rec, gate), log))
            try:
                await until(lambda: "slow 3" in rec.started,
                            f"the worker did not go on to the 4th job after job 'bad' failed (log: {log})")
                before = list(log)
                task.cancel()
                done, _ = await asyncio.wait({task}, timeout=STEP)
                stopped = task in done
                joined = None
                if stopped:
                    try:
                        joined = await settled_call(jobs.join(), "jobs.join()")
                    except AssertionError:
                        joined = ("still waiting", None)
                return before, stopped, task in done and task.cancelled(), list(log), joined
            finally:
                gate.set()
                task.cancel()
                await asyncio.wait({task}, timeout=STEP)

        before, stopped, cancelled, log, joined = run_async(main, limit=LIMIT * 3,
                                                            what="worker with a failing job, then cancelled")
        assert before == ["w started", "w failed 'bad'"], (
            f"after jobs 'ok 1', 'bad' (its handle raises ValueError) and 'ok 2', the worker's log is {before}, "
            "expected ['w started', \"w failed 'bad'\"]"
        )
        assert stopped and cancelled, (
            "the worker was cancelled while it awaited handle('slow 3'), and it "
            + ("returned normally instead of ending cancelled" if stopped else f"had not stopped 1 s later (its log: {log})")
            + ": catch Exception around the handle, not BaseException or everything (`except:`)"
        )
        assert log == ["w started", "w failed 'bad'", "w stopped"], f"the worker's log is {log}"
        assert joined == ("returned", None), (
            "after the worker was cancelled, jobs.join() never returned: call jobs.task_done() once for every "
            "job taken, however its handle ends (in a `finally`)"
        )

    def test_shutdown_stops_a_pool_of_workers(self, async_tasks):
        async def main():
            log, rec, gate, jobs = [], CancelRecorder(), asyncio.Event(), asyncio.Queue()
            for i in range(5):
                jobs.put_nowait(f"slow {i}")
            workers = [asyncio.create_task(async_tasks.worker(f"w{i}", jobs, self._handle(rec, gate), log))
                       for i in range(3)]
            try:
                await until(lambda: len(rec.started) == 3, "3 workers did not take 3 jobs")
                outcome = await settled_call(async_tasks.shutdown(workers, 1.0), "shutdown(3 workers, 1.0)",
                                             seconds=1.0 + STEP)
                return (outcome, sorted(x for x in log if "stopped" in x), [w.done() and w.cancelled() for w in workers],
                        sorted(rec.not_cancelled(rec.started)), len(leftover_tasks()))
            finally:
                gate.set()
                for w in workers:
                    w.cancel()
                await asyncio.wait(workers, timeout=STEP)

        outcome, stopped, cancelled, busy, leftover = run_async(main, limit=LIMIT * 3,
                                                                what="shutdown of 3 workers busy in handle")
        assert outcome == ("returned", []), (
            f"3 workers were each inside handle(job), and shutdown(workers, 1.0) {describe(outcome)}, expected []"
            + (": the workers did not stop when cancelled (catch Exception in the worker, not everything)"
               if outcome[0] == "raised" and isinstance(outcome[1], TIMEOUT_ERRORS) else "")
        )
        assert stopped == ["w0 stopped", "w1 stopped", "w2 stopped"] and all(cancelled), (
            f"when shutdown returned, the workers' logs said {stopped} and cancelled: {cancelled}: every worker "
            "must have stopped (its `finally` run) before shutdown returns"
        )
        assert not busy and leftover == 0, (
            f"when shutdown returned, handle() was still running for {busy} and {leftover} task(s) were left"
        )


# --------------------------------------------------------------------------- with_timeout
class Slow:
    """A coroutine maker: ``call()`` waits at ``gate`` (until the test opens it or cancels the call),
    returns ``value``, and cleans up over ``steps`` turns of the loop in a ``finally``."""

    def __init__(self, value="done", steps=3):
        self.value, self.steps = value, steps
        self.gate = asyncio.Event()
        self.outcome = None  # "finished", "cancelled" or "failed"
        self.cleaned = False

    async def call(self):
        try:
            await self.gate.wait()
            self.outcome = "finished"
            return self.value
        except asyncio.CancelledError:
            self.outcome = "cancelled"
            raise
        finally:
            for _ in range(self.steps):
                await asyncio.sleep(0)
            self.cleaned = True


class TestWithTimeout:
    def test_returns_the_result_in_time(self, async_tasks):
        async def main():
            quick = Slow("quick value")
            quick.gate.set()
            got = await settled_call(async_tasks.with_timeout(quick.call(), 5), "with_timeout(call, 5)")
            none = Slow("no limit")
            task = asyncio.create_task(async_tasks.with_timeout(none.call(), None))
            await settle()
            waiting = not task.done()
            none.gate.set()
            got_none = await settled_call(task, "with_timeout(call, None) once the call could finish")
            return got, waiting, got_none

        got, waiting, got_none = run_async(main, limit=LIMIT * 2, what="with_timeout of a call that finishes")
        assert got == ("returned", "quick value"), f"with_timeout(call, 5) of a call that returns at once {describe(got)}"
        assert waiting, (
            "with_timeout(call, None) returned or raised before the call had finished: timeout=None means no "
            "limit (asyncio.wait_for(coro, None) waits for as long as it takes), not a timeout of 0"
        )
        assert got_none == ("returned", "no limit"), f"with_timeout(call, None) {describe(got_none)}"

    def test_timeout_cancels_and_waits_for_the_clean_up(self, async_tasks):
        async def main():
            slow = Slow(steps=5)
            outcome = await settled_call(async_tasks.with_timeout(slow.call(), 0.05), "with_timeout(call, 0.05)")
            state = (slow.outcome, slow.cleaned, len(leftover_tasks()))
            slow.gate.set()
            return outcome, state

        outcome, (how, cleaned, leftover) = run_async(main, limit=LIMIT * 2,
                                                      what="with_timeout(call, 0.05) of a call that never finishes")
        assert outcome[0] == "raised" and isinstance(outcome[1], TimeoutError), (
            f"the call did not finish within 0.05 s, and with_timeout {describe(outcome)}: raise the built-in "
            "TimeoutError (on 3.10 asyncio.wait_for raises asyncio.TimeoutError, which is not one: catch it and "
            "raise TimeoutError)"
        )
        assert how == "cancelled", (
            f"with_timeout raised TimeoutError and the call it timed out was {how or 'still waiting'}, not cancelled: "
            "cancel it (asyncio.wait_for does)"
        )
        assert cleaned and leftover == 0, (
            "with_timeout raised TimeoutError before the call it cancelled had finished its clean-up (its `finally` "
            "block): wait for the cancelled call to finish before raising"
        )

    def test_an_error_of_the_call_propagates(self, async_tasks):
        error = ValueError("the call failed")

        async def fails():
            await asyncio.sleep(0)
            raise error

        async def main():
            return await settled_call(async_tasks.with_timeout(fails(), 5), "with_timeout(failing call, 5)")

        outcome = run_async(main, limit=LIMIT, what="with_timeout of a call that raises")
        assert outcome == ("raised", error) and outcome[1] is error, (
            f"the call raised {error!r}, and with_timeout(call, 5) {describe(outcome)}: let the call's own "
            "exception propagate (only a timeout becomes TimeoutError)"
        )

    def test_cancelling_the_caller_cancels_the_call(self, async_tasks):
        async def main():
            slow = Slow(steps=2)
            task = asyncio.create_task(async_tasks.with_timeout(slow.call(), 30))
            await settle()
            task.cancel()
            outcome = await settled_call(asyncio.shield(task), "with_timeout cancelled by its caller")
            state = (slow.outcome, slow.cleaned, len(leftover_tasks()))
            slow.gate.set()
            await asyncio.wait({task}, timeout=STEP)
            return outcome, state

        outcome, (how, cleaned, leftover) = run_async(main, limit=LIMIT * 2, what="with_timeout cancelled by its caller")
        assert how == "cancelled" and cleaned and leftover == 0, (
            f"with_timeout was cancelled by its caller while the call waited, and the call was "
            f"{how or 'still waiting'} (cleaned up: {cleaned}, tasks left: {leftover}): cancel the call too "
            "and wait for it (asyncio.wait_for does)"
        )
        assert outcome[0] == "cancelled", (
            f"with_timeout was cancelled by its caller, and it {describe(outcome)}: let the CancelledError propagate"
        )



# --------------------------------------------------------------------------- service_ready
class InitFailed(Exception):
    """What the tests' init raises (not a RuntimeError: the stub's NotImplementedError is one)."""


class Watch:
    """What the student's code did while the test ran: its asyncio.sleep calls (polling)."""

    def __init__(self):
        self.sleeps: list = []


def _called_from_student(depth):
    return sys._getframe(depth + 1).f_globals.get("__name__") == "async_tasks"


@pytest.fixture
def watch(monkeypatch):
    """Records every ``asyncio.sleep`` the student's module calls, and makes a ``threading.Event``
    wait it calls inside a running event loop raise BlockingCallError (it would freeze the loop)."""
    seen = Watch()
    real_sleep, real_wait = asyncio.sleep, threading.Event.wait

    def sleep(delay, *args, **kwargs):
        if _called_from_student(1):
            seen.sleeps.append(delay)
        return real_sleep(delay, *args, **kwargs)

    def wait(self, timeout=None):
        if _called_from_student(1):
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                pass
            else:
                raise BlockingCallError(
                    "threading.Event.wait() was called inside a running event loop: it blocks every task until "
                    "it returns, start() included. Use an asyncio.Event and `await event.wait()`"
                )
        return real_wait(self, timeout)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    monkeypatch.setattr(threading.Event, "wait", wait)
    return seen


def state(task):
    """``("waiting", None)``, ``("returned", value)``, ``("raised", exc)`` or ``("cancelled", None)``;
    a BlockingCallError the task raised is raised here, with its own message."""
    if not task.done():
        return "waiting", None
    if task.cancelled():
        return "cancelled", None
    if isinstance(task.exception(), BlockingCallError):
        raise task.exception()
    if task.exception() is not None:
        return "raised", task.exception()
    return "returned", task.result()


class GatedInit:
    """An async ``init()`` that waits at ``gate`` until the test opens it, then returns ``value``
    or raises ``error``; it records whether it was cancelled."""

    def __init__(self, value="config", error=None):
        self.value, self.error = value, error
        self.gate = asyncio.Event()
        self.calls = 0
        self.outcome = None

    async def __call__(self):
        self.calls += 1
        try:
            await self.gate.wait()
        except asyncio.CancelledError:
            self.outcome = "cancelled"
            raise
        if self.error is not None:
            self.outcome = "raised"
            raise self.error
        self.outcome = "returned"
        return self.value


async def clean_up(*tasks):
    """Cancel what a failing solution left waiting, so the run ends."""
    tasks = [t for t in tasks if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=STEP)


def no_polling(watch):
    assert not watch.sleeps, (
        f"ready() called asyncio.sleep({watch.sleeps[0]!r}) while it waited: it polls. A waiting task must be "
        "suspended until start() has finished: wait on an asyncio.Event (`await event.wait()`) that start() sets"
    )


class TestServiceReady:
    def test_tasks_already_waiting_wake_when_start_finishes(self, async_tasks, watch):
        service = async_tasks.Service()  # made outside any event loop

        async def main():
            init = GatedInit("config")
            waiters = [asyncio.create_task(service.ready()) for _ in range(3)]
            waiters += [asyncio.create_task(service.ready(30)) for _ in range(2)]
            starter = None
            try:
                await settle()
                before = [state(w)[0] for w in waiters]
                starter = asyncio.create_task(service.start(init))
                await settle()
                during = [state(w)[0] for w in waiters]
                init.gate.set()
                await settle()
                return before, during, state(starter), [state(w) for w in waiters], len(leftover_tasks())
            finally:
                await clean_up(*waiters, *([starter] if starter else []))

        before, during, started, after, leftover = run_async(main, limit=LIMIT,
                                                             what="5 tasks waiting in ready() while start() runs")
        no_polling(watch)
        assert before == ["waiting"] * 5, (
            f"5 tasks called ready() before start() was called, and {5 - before.count('waiting')} of them returned "
            "or raised at once: ready() waits until the service is ready"
        )
        assert during == ["waiting"] * 5, (
            f"{5 - during.count('waiting')} of 5 tasks waiting in ready() returned or raised while init() was still "
            "running: the service is ready only once start() has finished"
        )
        assert started == ("returned", "config"), f"start(init) {describe(started)}, expected it to return 'config'"
        woken = sum(s == ("returned", None) for s in after)
        assert woken == 5, (
            f"start() finished, and 20 turns of the loop later only {woken} of the 5 tasks already waiting in ready() "
            f"had returned None ({[describe(s) if s[0] != 'waiting' else 'waiting' for s in after]}): every task "
            "waiting must wake as soon as start() has finished"
        )
        assert leftover == 0, f"{leftover} task(s) were still running after every ready() had returned"

    def test_a_task_asking_after_the_start_passes_at_once(self, async_tasks, watch):
        service = async_tasks.Service()

        async def main():
            init = GatedInit("config")
            early = asyncio.create_task(service.ready())
            starter = asyncio.create_task(service.start(init))
            late = []
            try:
                await settle()
                init.gate.set()
                await settle()
                started = state(starter)
                late = [asyncio.create_task(service.ready()) for _ in range(3)]
                await settle()
                late.append(asyncio.create_task(service.ready(30)))  # one more, once the others are through
                await settle()
                return started, state(early), [state(t) for t in late]
            finally:
                await clean_up(early, starter, *late)

        started, early, late = run_async(main, limit=LIMIT, what="ready() called after start() finished")
        no_polling(watch)
        assert started == ("returned", "config"), f"start(init) {describe(started)}, expected it to return 'config'"
        assert early == ("returned", None), f"the task that waited in ready() during the start {describe(early)}"
        still = sum(s[0] == "waiting" for s in late)
        assert still == 0, (
            f"once start() had finished, {still} of 4 later ready() calls were still waiting 20 turns of the loop "
            "later: the service stays ready, so a task that asks afterwards must pass at once (an Event stays set "
            "until someone clear()s it)"
        )
        assert late == [("returned", None)] * 4, f"the later ready() calls ended {[describe(s) for s in late]}"

    def test_each_service_has_its_own_state(self, async_tasks, watch):
        first, second = async_tasks.Service(), async_tasks.Service()

        async def main():
            init_first, init_second = GatedInit("first"), GatedInit("second")
            waiting_first = asyncio.create_task(first.ready())
            waiting_second = asyncio.create_task(second.ready())
            start_first = asyncio.create_task(first.start(init_first))
            start_second = None
            try:
                await settle()
                init_first.gate.set()
                await settle()
                after_first = (state(start_first), state(waiting_first), state(waiting_second))
                timed = await settled_call(second.ready(0.05), "second.ready(0.05)")
                start_second = asyncio.create_task(second.start(init_second))
                init_second.gate.set()
                await settle()
                return after_first, timed, state(start_second), state(waiting_second)
            finally:
                await clean_up(waiting_first, waiting_second, start_first, *([start_second] if start_second else []))

        after_first, timed, started_second, second_waiter = run_async(main, limit=LIMIT,
                                                                      what="two services, started one after the other")
        no_polling(watch)
        started_first, first_waiter, second_early = after_first
        assert started_first == ("returned", "first"), f"first.start(init) {describe(started_first)}"
        assert first_waiter == ("returned", None), f"a task waiting in first.ready() {describe(first_waiter)} " \
            "once first.start() had finished"
        assert second_early == ("waiting", None), (
            f"only the first of two services was started, and a task waiting in second.ready() "
            f"{describe(second_early)}: each Service needs an Event of its own (made in __init__, not one shared "
            "at import time or by the class)"
        )
        assert timed[0] == "raised" and isinstance(timed[1], TimeoutError), (
            f"second.ready(0.05) before the second service was started {describe(timed)}, expected TimeoutError"
        )
        assert started_second == ("returned", "second") and second_waiter == ("returned", None), (
            f"once second.start() had finished (it {describe(started_second)}), the task waiting in second.ready() "
            f"was {describe(second_waiter) if second_waiter[0] != 'waiting' else 'still waiting'}"
        )

    def test_a_failed_start_reaches_every_task_waiting(self, async_tasks, watch):
        service = async_tasks.Service()
        error = InitFailed("the set-up failed")

        async def main():
            init = GatedInit(error=error)
            waiters = [asyncio.create_task(service.ready()) for _ in range(2)]
            waiters.append(asyncio.create_task(service.ready(30)))
            starter = asyncio.create_task(service.start(init))
            later = None
            try:
                await settle()
                init.gate.set()
                await settle()
                later = asyncio.create_task(service.ready(30))
                await settle()
                return state(starter), [state(w) for w in waiters], state(later)
            finally:
                await clean_up(starter, *waiters, *([later] if later else []))

        started, waiting, later = run_async(main, limit=LIMIT, what="ready() while init() fails")
        no_polling(watch)
        assert started[0] == "raised" and started[1] is error, (
            f"init() raised {error!r}, and start(init) {describe(started)}: let init's exception propagate"
        )
        still = sum(s[0] == "waiting" for s in waiting)
        assert still == 0, (
            f"init() failed, and 20 turns of the loop later {still} of the 3 tasks already waiting in ready() were "
            "still waiting: a failed start must wake them too (signal in a `finally`), or they wait for ever"
        )
        assert all(s[0] == "raised" and s[1] is error for s in waiting), (
            f"init() raised {error!r}, and the tasks waiting in ready() ended {[describe(s) for s in waiting]}: "
            "ready() must raise init's exception when the start failed, not return as if the service were ready"
        )
        assert later[0] == "raised" and later[1] is error, (
            f"after the failed start, a new ready(30) call {describe(later) if later[0] != 'waiting' else 'waited'}: "
            f"it must raise {error!r} at once"
        )

    def test_a_timeout_changes_nothing_for_the_others(self, async_tasks, watch):
        service = async_tasks.Service()

        async def main():
            init = GatedInit("config")
            patient = asyncio.create_task(service.ready())
            starter = asyncio.create_task(service.start(init))
            try:
                await settle()
                before = leftover_tasks()
                timed = await settled_call(service.ready(0.05), "ready(0.05) while init() runs")
                left = len(leftover_tasks() - before)
                init_state, patient_state = init.outcome, state(patient)
                init.gate.set()
                await settle()
                return timed, left, init_state, patient_state, state(starter), state(patient)
            finally:
                await clean_up(patient, starter)

        timed, left, init_state, patient_early, started, patient = run_async(
            main, limit=LIMIT, what="ready(0.05) timing out while init() runs")
        no_polling(watch)
        assert timed[0] == "raised" and isinstance(timed[1], TimeoutError), (
            f"the service was not ready within 0.05 s, and ready(0.05) {describe(timed)}: raise the built-in "
            "TimeoutError (on 3.10 asyncio.wait_for raises asyncio.TimeoutError, which is not one: catch it and "
            "raise TimeoutError)"
        )
        assert left == 0, (
            f"ready(0.05) raised TimeoutError and left {left} task(s) of its own still running: cancel and await "
            "what it started (asyncio.wait_for(event.wait(), timeout) does it for you)"
        )
        assert init_state is None and started == ("returned", "config"), (
            f"a ready(0.05) call timed out while init() ran, and init() was then {init_state or 'still running'}, "
            f"start(init) {describe(started)}: a waiter's timeout must cancel only its own wait, never the start"
        )
        assert patient_early == ("waiting", None) and patient == ("returned", None), (
            f"another task waiting in ready() {describe(patient_early) if patient_early[0] != 'waiting' else 'waited'} "
            f"when ready(0.05) timed out, and {describe(patient) if patient[0] != 'waiting' else 'was still waiting'} "
            "once start() had finished: one waiter's timeout must not change anything for the others"
        )

    def test_a_cancelled_task_leaves_nothing_behind(self, async_tasks, watch):
        service = async_tasks.Service()

        async def main():
            init = GatedInit("config")
            patient = asyncio.create_task(service.ready())
            victim = asyncio.create_task(service.ready(30))
            starter = None
            try:
                await settle()
                before = leftover_tasks() - {victim}
                victim.cancel()
                await asyncio.wait({victim}, timeout=STEP)
                left = len(leftover_tasks() - before)
                starter = asyncio.create_task(service.start(init))
                init.gate.set()
                await settle()
                return state(victim), left, state(patient), state(starter)
            finally:
                await clean_up(patient, victim, *([starter] if starter else []))

        victim, left, patient, started = run_async(main, limit=LIMIT, what="a task cancelled in ready()")
        no_polling(watch)
        assert victim == ("cancelled", None), f"a task cancelled while it waited in ready(30) {describe(victim)}"
        assert left == 0, (
            f"a task waiting in ready(30) was cancelled and left {left} task(s) of its own still running: whatever "
            "ready() starts must be cancelled and awaited however it ends (asyncio.wait_for does it for you)"
        )
        assert started == ("returned", "config") and patient == ("returned", None), (
            f"after one waiter was cancelled, start(init) {describe(started)} and the other task waiting in ready() "
            f"{describe(patient) if patient[0] != 'waiting' else 'was still waiting'}"
        )


# --------------------------------------------------------------------------- serve_until_terminated
# The service runs in a spawned child (grader.probes.signal_probes.serve_child): the test never
# signals itself. It waits for the child's reports (never a sleep), sends SIGTERM with os.kill at
# the moment it chose, and bounds every wait. A job "in progress" stays in progress exactly until
# the service's SIGTERM callback has run (SpyLoop), so the signal always lands mid-job.
CHILD_START = 10.0  # seconds a spawned child may take to start and report; it needs a fraction of one
CHILD_STEP = 5.0  # seconds a step of a correct solution may take; it needs milliseconds


class ServiceChild:
    """serve_until_terminated in a spawned child; ``events`` holds its reports in order."""

    def __init__(self, jobs, block=None, fail=None):
        ctx = multiprocessing.get_context("spawn")
        self.recv, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=serve_child, args=(send, list(jobs), block, fail), name="service",
                                daemon=True)
        self.proc.start()
        send.close()
        self.events = []
        self.eof = False

    def _read(self, timeout):
        if self.eof or not self.recv.poll(timeout):
            return False
        try:
            self.events.append(self.recv.recv())
        except EOFError:
            self.eof = True
            return False
        return True

    def wait_for(self, kind, what, timeout=CHILD_STEP, value=None):
        """Read reports until one of ``kind`` (about ``value`` if given); fail with what was seen if
        it does not come."""
        def seen(e):
            return e[0] == kind and (value is None or e[1] == value)

        deadline = time.monotonic() + timeout
        while not any(seen(e) for e in self.events):
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                if not self.eof and self.proc.is_alive() and left > 0:
                    continue
                if self.eof:
                    self.proc.join(CHILD_STEP)
                note = self.exit_note()
                self.stop()
                pytest.fail(f"{what}; the service child reported {self.story()}{note}", pytrace=False)
        return next(e for e in self.events if seen(e))

    def check_ready(self):
        _, added, active = self.wait_for("ready", "on_ready() was never called", timeout=CHILD_START)
        if not active:
            self.stop()
            if signal.SIGINT in added:
                pytest.fail("when on_ready() was called, only a SIGINT handler was installed: a container stop, "
                            "`kill` or systemd sends SIGTERM, so install the handler for SIGTERM", pytrace=False)
            pytest.fail("when on_ready() was called, no SIGTERM handler was installed with "
                        "loop.add_signal_handler(signal.SIGTERM, ...): install it first, then call on_ready(); a "
                        "signal.signal() handler runs outside the event loop and cannot stop it safely",
                        pytrace=False)

    def terminate(self):
        os.kill(self.proc.pid, signal.SIGTERM)

    def finish(self, what):
        """Wait for the child to exit (bounded), read every report, and check the exit code."""
        self.proc.join(CHILD_STEP)
        if self.proc.is_alive():
            self.stop()
            pytest.fail(f"{what}: the service was still running {CHILD_STEP:.0f} s later; it reported "
                        f"{self.story()}", pytrace=False)
        while self._read(CHILD_STEP):
            pass
        code = self.proc.exitcode
        if code == -signal.SIGTERM:
            pytest.fail(f"{what}: the service was killed by SIGTERM (exit code {code}): its SIGTERM handler was not "
                        f"in place; it reported {self.story()}", pytrace=False)
        crashed = [e for e in self.events if e[0] == "crashed"]
        if crashed:
            pytest.fail(f"{what}: the event loop stopped with {crashed[0][1]} before serve_until_terminated "
                        f"returned (a signal.signal() handler that stops the loop or raises in it?); "
                        f"it reported {self.story()}", pytrace=False)
        assert code == 0, f"{what}: the service exited with code {code}; it reported {self.story()}"

    def stop(self):
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(CHILD_STEP)

    def exit_note(self):
        code = self.proc.exitcode
        if code is None:
            return ""
        if code == -signal.SIGTERM:
            return " and was killed by SIGTERM (exit code -15): no SIGTERM handler was in place"
        return f" and exited with code {code}"

    def story(self):
        shown = [e[:1] if e[0] == "ready" else e[:2] for e in self.events if e[0] != "idle"]
        return ", ".join(" ".join(str(part) for part in e) for e in shown) or "nothing"

    def kinds(self, kind):
        return [e[1] if len(e) > 1 else None for e in self.events if e[0] == kind]

    def index(self, event):
        return self.events.index(event) if event in self.events else -1


@pytest.fixture
def service_child():
    children = []

    def start(jobs, block=None, fail=None):
        child = ServiceChild(jobs, block, fail)
        children.append(child)
        return child

    yield start
    for child in children:
        child.stop()
        child.recv.close()


def check_handler_restored(child, what):
    after = [e for e in child.events if e[0] == "after"]
    assert after, f"{what}: the service reported nothing after the call: {child.story()}"
    _, still_installed, previous_back, _queued = after[0]
    assert not still_installed, (
        f"{what}: serve_until_terminated left its SIGTERM handler in the event loop: remove it with "
        "loop.remove_signal_handler(signal.SIGTERM) in a `finally`"
    )
    assert previous_back, (
        f"{what}: the SIGTERM handler in place before the call was not in place again afterwards: "
        "loop.remove_signal_handler() sets SIG_DFL, not the previous handler; keep signal.getsignal(signal.SIGTERM) "
        "before adding yours and put it back with signal.signal() after removing it"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="loop.add_signal_handler is Unix-only")
class TestServeUntilTerminated:
    def test_sigterm_lets_the_job_in_progress_finish_and_starts_no_new_one(self, service_child):
        what = "SIGTERM while job 2 of [1, 2, 3, 4] was in progress"
        child = service_child([1, 2, 3, 4], block=2)
        child.check_ready()
        child.wait_for("started", "job 2 never started", value=2)
        child.terminate()
        child.finish(what)
        assert 2 not in child.kinds("cancelled"), (
            f"{what}: job 2 was cancelled: a graceful stop lets the job in progress finish; the SIGTERM callback "
            "should only tell the service to stop taking jobs (set an asyncio.Event)"
        )
        assert 2 not in child.kinds("no_signal"), (
            f"{what}: the SIGTERM callback given to loop.add_signal_handler never ran: {child.story()}"
        )
        assert child.kinds("started") == [1, 2], (
            f"{what}: jobs {child.kinds('started')} were started: after SIGTERM no new job may start "
            "(jobs 3 and 4 stay in the queue)"
        )
        assert child.kinds("finished") == [1, 2], f"{what}: the jobs finished were {child.kinds('finished')}, not [1, 2]"
        assert len(child.kinds("cleanup")) == 1, (
            f"{what}: cleanup() was awaited {len(child.kinds('cleanup'))} times, expected once"
        )
        assert child.index(("cleanup",)) > child.index(("finished", 2)), (
            f"{what}: cleanup() ran before the job in progress had finished: {child.story()}"
        )
        raised = [e for e in child.events if e[0] == "raised"]
        assert not raised, f"{what}: serve_until_terminated raised {raised[0][1]}: {raised[0][2]}"
        assert child.kinds("returned") == [[1, 2]], (
            f"{what}: serve_until_terminated returned {child.kinds('returned')[0]!r}, expected the jobs handled, [1, 2]"
        )
        check_handler_restored(child, what)

    def test_sigterm_while_waiting_for_a_job_stops_at_once(self, service_child):
        what = "SIGTERM while the service waited for a job (job 1 done, the queue empty)"
        child = service_child([1])
        child.check_ready()
        child.wait_for("idle", "the service never waited for a job in jobs.get() after job 1")
        if child.kinds("finished") != [1]:
            child.stop()
            pytest.fail(f"the service waited for a new job before job 1 had finished: {child.story()}", pytrace=False)
        child.terminate()
        child.finish(what + " (a service that only checks for the signal between jobs waits in get() for ever)")
        assert len(child.kinds("cleanup")) == 1, (
            f"{what}: cleanup() was awaited {len(child.kinds('cleanup'))} times, expected once"
        )
        raised = [e for e in child.events if e[0] == "raised"]
        assert not raised, f"{what}: serve_until_terminated raised {raised[0][1]}: {raised[0][2]}"
        assert child.kinds("returned") == [[1]], (
            f"{what}: serve_until_terminated returned {child.kinds('returned')[0]!r}, expected [1]"
        )
        check_handler_restored(child, what)

    def test_error_in_handle_propagates_after_clean_up(self, service_child):
        what = "handle(2) raised ValueError (jobs [1, 2, 3], no signal)"
        child = service_child([1, 2, 3], fail=2)
        child.check_ready()
        child.finish(what)
        raised = [e for e in child.events if e[0] == "raised"]
        assert raised and raised[0][1:] == ("ValueError", "job 2 failed"), (
            f"{what}: serve_until_terminated "
            + (f"raised {raised[0][1]}: {raised[0][2]}" if raised else f"returned {child.kinds('returned')[:1]}")
            + ", expected the ValueError from handle to propagate"
        )
        assert 3 not in child.kinds("started"), f"{what}: job 3 was started after job 2 had failed"
        assert len(child.kinds("cleanup")) == 1, (
            f"{what}: cleanup() was awaited {len(child.kinds('cleanup'))} times, expected once: clean up in a "
            "`finally`, so it also runs when handle raises"
        )
        check_handler_restored(child, what + " (remove it in a `finally`)")
