"""Visible tests for 12b_event_loop. Run them with:  pytest exercises/12b_event_loop

A friendly subset of what the grader checks. Each run() happens in a helper thread and gives up
after a few seconds, so a loop that hangs is a failure, not a hang. The grader also counts your
loop's select() calls (a loop that spins calls it thousands of times), blocks the loop on purpose
so that several sleepers are overdue at once, waits on sockets with full buffers, and talks to
your echo server from several clients, the last one first.
"""

from __future__ import annotations

import socket
import threading

import pytest

from event_loop import EventLoop, Task, echo_server


def run_loop(loop, limit=5.0):
    box = {}

    def target():
        try:
            loop.run()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"loop.run() did not return within {limit:g} s")
    if "error" in box:
        raise box["error"]


class TestScheduler:
    def test_tasks_take_turns(self):
        log = []

        def worker(name):
            for i in range(2):
                log.append(f"{name}{i}")
                yield

        loop = EventLoop()
        loop.spawn(worker("a"))
        loop.spawn(worker("b"))
        run_loop(loop)
        assert log == ["a0", "b0", "a1", "b1"]

    def test_result_and_error(self):
        def ok():
            yield ("sleep", 0.01)
            return 7

        def bad():
            yield
            raise ValueError("no")

        loop = EventLoop()
        t_ok, t_bad = loop.spawn(ok()), loop.spawn(bad())
        assert isinstance(t_ok, Task)
        run_loop(loop)
        assert t_ok.done and t_ok.result == 7
        assert t_bad.done and isinstance(t_bad.exception, ValueError)

    def test_sleepers_wake_in_deadline_order(self):
        woke = []

        def sleeper(delay):
            yield ("sleep", delay)
            woke.append(delay)

        loop = EventLoop()
        for delay in (0.2, 0.05, 0.1):
            loop.spawn(sleeper(delay))
        run_loop(loop)
        assert woke == [0.05, 0.1, 0.2]


class TestIoWaits:
    def test_reader_wakes_when_data_arrives(self):
        a, b = socket.socketpair()
        a.setblocking(False)

        def reader():
            yield ("read", a)
            return a.recv(100)

        def writer():
            yield ("sleep", 0.05)
            b.send(b"hi")

        loop = EventLoop()
        r = loop.spawn(reader())
        loop.spawn(writer())
        run_loop(loop)
        assert r.result == b"hi", r.exception


class TestEchoServer:
    def test_echo(self):
        listener = socket.create_server(("127.0.0.1", 0))
        listener.setblocking(False)
        loop = EventLoop()
        loop.spawn(echo_server(loop, listener))
        threading.Thread(target=loop.run, daemon=True).start()
        with socket.create_connection(listener.getsockname(), timeout=3) as client:
            client.sendall(b"ping")
            assert client.recv(100) == b"ping"
