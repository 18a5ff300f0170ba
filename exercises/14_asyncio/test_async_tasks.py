"""Visible tests for 14_asyncio. Run them with:  pytest exercises/14_asyncio

A friendly subset of what the grader checks. Each test runs its own event loop with
asyncio.run() and gives up after a few seconds, so a mistake is a failure, not a hang. The
grader also makes time.sleep() raise inside a running event loop, counts how many fetches run at
once, and looks for tasks left running after your function returns.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from async_tasks import (
    AsyncCache,
    Service,
    all_or_nothing,
    bounded_gather,
    echo_server,
    first_done,
    queue_pipeline,
    serve_until_terminated,
    shutdown,
    slow_square,
    with_timeout,
    worker,
)


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


class TestAsyncCache:
    def test_each_key_fetched_once_and_keys_together(self):
        calls = []

        async def main():
            gate = asyncio.Event()

            async def fetch(key):
                calls.append(key)
                await gate.wait()  # the test opens the gate once every caller is waiting
                return key.upper()

            cache = AsyncCache(fetch)
            tasks = [asyncio.create_task(cache.get(key)) for key in ("a", "a", "a", "b")]
            for _ in range(10):
                await asyncio.sleep(0)
            in_flight = sorted(calls)
            gate.set()
            return in_flight, await asyncio.gather(*tasks)

        in_flight, values = run(main())
        assert in_flight == ["a", "b"], (
            f"fetch was called for {in_flight} while the fetches were in flight: "
            "fetch each key once, and different keys at the same time"
        )
        assert values == ["A", "A", "A", "B"]
        assert sorted(calls) == ["a", "b"], "a caller that waited must find the value, not fetch again"


class TestStopWorkers:
    def test_shutdown_stops_busy_workers(self):
        async def main():
            log, jobs, gate = [], asyncio.Queue(), asyncio.Event()

            async def handle(job):
                await gate.wait()  # every worker is inside handle when shutdown comes

            for job in range(3):
                jobs.put_nowait(job)
            workers = [asyncio.create_task(worker(f"w{i}", jobs, handle, log)) for i in range(2)]
            try:
                for _ in range(10):
                    await asyncio.sleep(0)
                failures = await asyncio.wait_for(shutdown(workers, 2), 3)
                stopped = sorted(line for line in log if line.endswith("stopped"))
                return failures, stopped, [w.done() and w.cancelled() for w in workers]
            finally:
                gate.set()  # lets a worker that ignored its cancellation go back to jobs.get()
                for _ in range(10):
                    await asyncio.sleep(0)

        failures, stopped, cancelled = run(main())
        assert failures == []
        assert stopped == ["w0 stopped", "w1 stopped"], "when shutdown returns, every worker's `finally` has run"
        assert cancelled == [True, True], "a cancelled worker must end cancelled (let CancelledError propagate)"


class TestWithTimeout:
    def test_result_timeout_and_clean_up(self):
        cleaned = []

        async def slow():
            try:
                await asyncio.sleep(10)
            finally:
                cleaned.append("slow")

        async def main():
            value = await with_timeout(quick(4), None)  # None: no limit
            try:
                await with_timeout(slow(), 0.05)
            except TimeoutError:  # the built-in TimeoutError, also on 3.10
                return value, list(cleaned)
            return value, "no TimeoutError"

        value, after_timeout = run(main())
        assert value == 40
        assert after_timeout == ["slow"], "cancel the call on timeout and wait for its `finally` before raising"


class TestServiceReady:
    def test_waiting_tasks_wake_and_later_ones_pass(self):
        async def main():
            service, gate = Service(), asyncio.Event()

            async def init():
                await gate.wait()  # the test opens the gate once every task is waiting
                return "config"

            waiters = [asyncio.create_task(service.ready()) for _ in range(3)]
            starter = asyncio.create_task(service.start(init))
            for _ in range(10):
                await asyncio.sleep(0)
            waiting = sum(not w.done() for w in waiters)
            gate.set()
            started = await asyncio.wait_for(starter, 2)
            for _ in range(10):
                await asyncio.sleep(0)
            woken = sum(w.done() for w in waiters)
            late = await asyncio.wait_for(service.ready(), 2)  # once started, ready() passes at once
            return waiting, started, woken, late

        waiting, started, woken, late = run(main())
        assert waiting == 3, "ready() must wait until start() has finished"
        assert started == "config"
        assert woken == 3, "every task waiting in ready() must wake as soon as start() has finished"
        assert late is None

    def test_timeout(self):
        async def main():
            service = Service()
            try:
                await service.ready(0.05)  # nobody starts it
            except TimeoutError:  # the built-in TimeoutError, also on 3.10
                return "TimeoutError"
            return "no TimeoutError"

        assert run(main()) == "TimeoutError"


SERVICE = """
import asyncio, signal, sys
sys.path.insert(0, sys.argv[1])
from async_tasks import serve_until_terminated

def previous(signum, frame):
    print("the previous handler ran", flush=True)

async def main():
    jobs = asyncio.Queue()
    for job in (1, 2, 3):
        jobs.put_nowait(job)

    async def handle(job):
        print("started", job, flush=True)
        if job == 2:
            await asyncio.sleep(0.3)  # SIGTERM comes meanwhile: this job must still finish

    async def cleanup():
        print("cleanup", flush=True)

    signal.signal(signal.SIGTERM, previous)
    done = await serve_until_terminated(jobs, handle, cleanup, lambda: print("ready", flush=True))
    print("returned", done, flush=True)
    print("previous handler back:", signal.getsignal(signal.SIGTERM) is previous, flush=True)

asyncio.run(main())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="loop.add_signal_handler is Unix-only")
class TestServeUntilTerminated:
    def test_sigterm_stops_gracefully(self):
        folder = os.path.dirname(os.path.abspath(sys.modules[serve_until_terminated.__module__].__file__))
        child = subprocess.Popen([sys.executable, "-c", SERVICE, folder], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            lines = []
            while "started 2" not in lines:  # job 2 is in progress: now stop the service
                line = child.stdout.readline()
                assert line, f"the service ended before job 2 started: {lines}, {child.stderr.read()}"
                lines.append(line.strip())
            assert lines[0] == "ready", "call on_ready() once the SIGTERM handler is installed"
            os.kill(child.pid, signal.SIGTERM)
            out, err = child.communicate(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
        lines += out.split("\n")
        assert child.returncode == 0, f"exit code {child.returncode} (-15: killed by SIGTERM); {err}"
        assert "started 3" not in lines, "no new job may start after SIGTERM"
        assert "cleanup" in lines, "cleanup() must run"
        assert "returned [1, 2]" in lines, "the job in progress finishes and is returned with the others"
        assert "previous handler back: True" in lines, "put back the SIGTERM handler that was there before"
