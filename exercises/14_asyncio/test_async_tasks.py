"""Visible tests for 14_asyncio. Run them with:  pytest exercises/14_asyncio

A friendly subset of what the grader checks. Each test runs its own event loop with
asyncio.run() and gives up after a few seconds, so a mistake is a failure, not a hang. The
grader also makes time.sleep() raise inside a running event loop, counts how many fetches run at
once, and looks for tasks left running after your function returns.
"""

from __future__ import annotations

import asyncio

import pytest

from async_tasks import all_or_nothing, bounded_gather, echo_server, first_done, queue_pipeline, slow_square


def run(coro, limit=5.0):
    """asyncio.run(coro), failing the test if it takes more than `limit` seconds."""

    async def bounded():
        task = asyncio.ensure_future(coro)
        done, _ = await asyncio.wait({task}, timeout=limit)
        if not done:
            task.cancel()
            pytest.fail(f"did not finish within {limit:g} s")
        return task.result()

    return asyncio.run(bounded())


class Counter:
    """Counts how many calls of a wrapped async function run at the same time."""

    def __init__(self):
        self.now = self.peak = 0

    def wrap(self, fetch):
        async def counted(x):
            self.now += 1
            self.peak = max(self.peak, self.now)
            try:
                return await fetch(x)
            finally:
                self.now -= 1

        return counted


async def quick(x):
    await asyncio.sleep(0.01)
    return x * 10


async def never(x):
    await asyncio.sleep(30)


class TestSlowSquare:
    def test_value(self):
        assert run(slow_square(7, 0.01)) == 49

    def test_ten_at_once(self):
        async def main():
            tasks = [asyncio.create_task(slow_square(i, 0.05)) for i in range(10)]
            await asyncio.sleep(0)
            waiting = sum(not t.done() for t in tasks)
            return waiting, await asyncio.gather(*tasks)

        waiting, squares = run(main())
        assert squares == [i * i for i in range(10)]
        assert waiting == 10, "slow_square must `await asyncio.sleep(delay)`, so all 10 wait together"


class TestBoundedGather:
    def test_results_in_order_and_limit(self):
        counter = Counter()
        got = run(bounded_gather(counter.wrap(quick), [3, 1, 2, 5, 4], 2))
        assert got == [30, 10, 20, 50, 40]
        assert counter.peak == 2, f"{counter.peak} fetches ran at once, expected exactly 2 (limit=2)"


class TestFirstDone:
    def test_first_result_wins(self):
        async def fetch(x):
            if x == "fast":
                return "fast result"
            await never(x)

        async def main():
            before = asyncio.all_tasks()
            result = await first_done(fetch, ["slow", "fast", "slow too"], 10)
            return result, asyncio.all_tasks() - before  # tasks still running

        result, running = run(main())
        assert result == "fast result"
        assert not running, "cancel the other tasks and wait for them before returning"

    def test_timeout(self):
        with pytest.raises((TimeoutError, asyncio.TimeoutError)):
            run(first_done(never, [1, 2], 0.05))


class TestAllOrNothing:
    def test_all_results(self):
        assert run(all_or_nothing(quick, [1, 2, 3], 10)) == [10, 20, 30]

    def test_one_failure_cancels_the_rest(self):
        cancelled = []

        async def fetch(x):
            if x == 0:
                raise ValueError("fetch 0 failed")
            try:
                await never(x)
            except asyncio.CancelledError:
                cancelled.append(x)
                raise

        async def main():
            try:
                await all_or_nothing(fetch, [0, 1, 2], 10)
            except BaseException as exc:  # ValueError, or an ExceptionGroup holding it (TaskGroup)
                return exc, sorted(cancelled)
            return None, sorted(cancelled)

        error, were_cancelled = run(main())
        assert error is not None and "fetch 0 failed" in repr(error), f"expected the ValueError, got {error!r}"
        assert were_cancelled == [1, 2], "the other fetches must be cancelled (and awaited) before you raise"

    def test_timeout(self):
        with pytest.raises((TimeoutError, asyncio.TimeoutError)):
            run(all_or_nothing(never, [1, 2], 0.05))


class TestQueuePipeline:
    def test_results_in_order_with_n_consumers(self):
        counter = Counter()

        async def work(x):
            await asyncio.sleep(0.002 * (6 - x))  # later items finish first
            return x * 10

        async def main():
            before = asyncio.all_tasks()
            result = await queue_pipeline(range(6), counter.wrap(work), 3)
            return result, asyncio.all_tasks() - before  # tasks still running

        result, running = run(main())
        assert result == [0, 10, 20, 30, 40, 50]
        assert counter.peak == 3, f"{counter.peak} calls of work ran at once, expected 3 (consumers=3)"
        assert not running, "stop every consumer task before returning"

    def test_a_failing_item_is_its_result(self):
        error = ValueError("item 1 failed")

        async def work(x):
            if x == 1:
                raise error
            return x

        assert run(queue_pipeline([0, 1, 2], work, 2)) == [0, error, 2]


class TestEchoServer:
    def test_two_clients_then_stop(self):
        async def main():
            stop = asyncio.Event()
            port = asyncio.get_running_loop().create_future()
            server = asyncio.create_task(echo_server(port.set_result, stop))
            port = await asyncio.wait_for(port, 2)
            a = await asyncio.open_connection("127.0.0.1", port)
            b = await asyncio.open_connection("127.0.0.1", port)
            echoes = []
            for reader, writer in (a, b, a):  # both clients connected at once
                writer.write(b"hello\n")
                echoes.append(await asyncio.wait_for(reader.readline(), 2))
            a[1].write(b"no newline")
            a[1].write_eof()
            echoes.append(await asyncio.wait_for(a[0].read(), 2))  # until the server closes
            stop.set()
            await asyncio.wait_for(server, 2)
            echoes.append(await asyncio.wait_for(b[0].read(), 2))  # stop closed b's connection
            for _, writer in (a, b):
                writer.close()
            return echoes

        assert run(main()) == [b"hello\n", b"hello\n", b"hello\n", b"no newline", b""]
