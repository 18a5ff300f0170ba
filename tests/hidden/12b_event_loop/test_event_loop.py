"""Hidden tests for 12b_event_loop (module ``event_loop``).

Every ``run()`` happens in a daemon thread joined with a generous limit, so a loop that hangs
fails its test instead of the run. Nothing asserts speed: the tests record the ORDER in which
tasks ran, count the loop's calls of ``select`` through a counting selector (a loop that spins
calls it thousands of times, or never), and let a task block the loop on purpose (``time.sleep``
inside a task) so that several sleepers' deadlines pass at once and their wake-up order shows.
Sockets are socketpairs or real TCP sockets on 127.0.0.1, with small buffers where a full buffer
must be reached.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time

import pytest

from grader.probes import load_student

LIMIT = 5.0  # seconds one run() may take; a correct loop needs well under a second


@pytest.fixture
def el():
    return load_student("event_loop")


class CountingSelector:
    """A DefaultSelector that records the timeout of every select() call."""

    def __init__(self):
        self.inner = selectors.DefaultSelector()
        self.timeouts = []

    def select(self, timeout=None):
        self.timeouts.append(timeout)
        return self.inner.select(timeout)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def run_loop(loop, limit=LIMIT, what="loop.run()"):
    """loop.run() in a daemon thread; its exception is re-raised, a hang fails the test."""
    box = {}

    def target():
        try:
            box["value"] = loop.run()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box["error"] = exc

    thread = threading.Thread(target=target, name="event-loop", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"{what} did not return within {limit:g} s: a task was never resumed, or run() does not "
                    "stop once every task has finished", pytrace=False)
    if "error" in box:
        raise AssertionError(f"{what} raised {box['error']!r}: an error of one task must end only that task "
                             "(Task.exception), and the loop must not fail") from box["error"]
    return box.get("value")


def pair():
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    return a, b


# --------------------------------------------------------------------------- scheduler
class TestScheduler:
    def test_bare_yield_takes_turns(self, el):
        log = []

        def worker(name, n):
            for i in range(n):
                log.append(f"{name}{i}")
                yield

        loop = el.EventLoop()
        for name in "abc":
            loop.spawn(worker(name, 3))
        assert run_loop(loop) is None
        assert log == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"], (
            f"three tasks that each did a bare `yield` after every step ran as {log}: a bare yield must send the "
            "task to the BACK of the ready queue, so the tasks take turns")

    def test_results_and_errors(self, el):
        def returns(value):
            yield
            return value

        def fails():
            yield
            raise ValueError("task failed")

        def slow(value):
            for _ in range(3):
                yield
            return value

        loop = el.EventLoop()
        t1, t2, t3 = loop.spawn(returns(42)), loop.spawn(fails()), loop.spawn(slow("ok"))
        assert isinstance(t1, el.Task), f"spawn() returned {t1!r}, expected its Task"
        run_loop(loop, what="run() with a task that raises")
        assert t1.done and t1.result == 42 and t1.exception is None, (
            f"a task that returned 42: done={t1.done}, result={t1.result!r}, exception={t1.exception!r}; the "
            "return value of a generator is StopIteration.value")
        assert t2.done and isinstance(t2.exception, ValueError) and t2.result is None, (
            f"a task that raised ValueError: done={t2.done}, exception={t2.exception!r}, result={t2.result!r}")
        assert t3.done and t3.result == "ok", (
            f"the task after the failing one: done={t3.done}, result={t3.result!r}: the other tasks go on")

    def test_error_while_others_sleep(self, el):
        def sleeper():
            yield ("sleep", 0.05)
            return "woke"

        def fails():
            yield
            raise KeyError("boom")

        loop = el.EventLoop()
        s, f = loop.spawn(sleeper()), loop.spawn(fails())
        run_loop(loop, what="run() with a sleeper and a failing task")
        assert isinstance(f.exception, KeyError), f"the failing task's exception is {f.exception!r}"
        assert s.done and s.result == "woke", f"the sleeper did not finish after the other task failed: {s!r}"

    def test_sleeping_task_lets_others_run(self, el):
        log = []

        def sleeper():
            start = time.monotonic()
            log.append("A sleeps")
            yield ("sleep", 0.2)
            log.append("A woke")
            return time.monotonic() - start

        def busy():
            for i in range(5):
                log.append(f"B{i}")
                yield
            log.append("B done")

        loop = el.EventLoop()
        a = loop.spawn(sleeper())
        loop.spawn(busy())
        run_loop(loop)
        assert "A woke" in log and "B done" in log, f"log: {log}"
        assert log.index("B done") < log.index("A woke"), (
            f"the order was {log}: while A sleeps, B must run (a sleep must not block the loop: no time.sleep)")
        assert a.result >= 0.19, f"A was resumed {a.result:.3f} s after it went to sleep for 0.2 s: too early"

    @pytest.mark.parametrize("delays", [(0.3, 0.1, 0.2), (0.2, 0.05, 0.1, 0.15)])
    def test_unequal_sleeps_wake_in_deadline_order(self, el, delays):
        woke = []

        def sleeper(delay):
            yield ("sleep", delay)
            woke.append(delay)

        loop = el.EventLoop()
        for delay in delays:
            loop.spawn(sleeper(delay))
        run_loop(loop)
        assert woke == sorted(delays), f"tasks sleeping {list(delays)} s woke in the order {woke}"

    def test_overdue_sleepers_wake_earliest_deadline_first(self, el):
        woke = []

        def sleeper(delay):
            yield ("sleep", delay)
            woke.append(delay)

        def hog():
            time.sleep(0.2)  # blocks the loop on purpose: every sleeper's deadline passes meanwhile
            yield

        loop = el.EventLoop()
        for delay in (0.06, 0.02, 0.04, 0.01):
            loop.spawn(sleeper(delay))
        loop.spawn(hog())
        run_loop(loop)
        assert woke == [0.01, 0.02, 0.04, 0.06], (
            f"four sleepers whose deadlines had all passed woke in the order {woke}: wake overdue sleepers "
            "earliest deadline first (a heap of (deadline, ...)), not in the order they went to sleep")

    def test_waits_in_select_while_everyone_sleeps(self, el):
        selector = CountingSelector()

        def sleeper():
            yield ("sleep", 0.3)
            return "done"

        loop = el.EventLoop(selector)
        assert loop.selector is selector, "EventLoop(selector) must keep the selector it is given as .selector"
        task = loop.spawn(sleeper())
        run_loop(loop)
        assert task.result == "done"
        calls = selector.timeouts
        assert calls, ("while the only task slept, the loop never called selector.select(timeout): it must wait "
                       "there, not in time.sleep or a busy loop")
        assert len(calls) <= 6, (
            f"while one task slept 0.3 s, the loop called select {len(calls)} times (timeouts {calls[:5]}...): "
            "wait ONCE with the time left until the earliest deadline, do not poll")
        assert any(t is not None and t >= 0.1 for t in calls), (
            f"select was called with timeouts {calls}: pass the time left until the earliest deadline")

    def test_spawn_from_a_task_goes_to_the_back(self, el):
        log = []

        def child():
            log.append("C1")
            yield
            return "child result"

        def parent(box):
            box.append(loop.spawn(child()))
            log.append("P1")
            yield
            log.append("P2")

        def other():
            log.append("Q1")
            yield
            log.append("Q2")

        loop = el.EventLoop()
        box = []
        loop.spawn(parent(box))
        loop.spawn(other())
        run_loop(loop)
        assert log == ["P1", "Q1", "C1", "P2", "Q2"], (
            f"the order was {log}: a task spawned by a running task joins the BACK of the ready queue")
        assert box and box[0].done and box[0].result == "child result", f"the spawned child's Task: {box}"


# --------------------------------------------------------------------------- io_waits
class TestIoWaits:
    def test_read_wakes_on_data_without_spinning(self, el):
        selector = CountingSelector()
        a, b = pair()

        def reader():
            yield ("read", a)
            return a.recv(100)  # non-blocking: raises BlockingIOError if resumed before data came

        def writer():
            yield ("sleep", 0.2)
            b.send(b"hello")

        loop = el.EventLoop(selector)
        r = loop.spawn(reader())
        loop.spawn(writer())
        run_loop(loop)
        assert r.exception is None and r.result == b"hello", (
            f"the reader ended with result={r.result!r}, exception={r.exception!r}: resume it only once the "
            "selector says its socket is readable")
        assert len(selector.timeouts) <= 8, (
            f"while a task waited 0.2 s for data, the loop called select {len(selector.timeouts)} times: it "
            "spins; when no task is ready, wait in one select(timeout) call")

    def test_only_the_ready_socket_wakes(self, el):
        a1, b1 = pair()
        a2, b2 = pair()
        order = []

        def reader(name, sock):
            yield ("read", sock)
            data = sock.recv(100)
            order.append(name)
            return data

        def writer():
            yield ("sleep", 0.05)
            b2.send(b"two")
            yield ("sleep", 0.1)
            b1.send(b"one")

        loop = el.EventLoop()
        r1, r2 = loop.spawn(reader("r1", a1)), loop.spawn(reader("r2", a2))
        loop.spawn(writer())
        run_loop(loop)
        assert r1.exception is None and r2.exception is None, (
            f"a reader raised ({r1.exception!r}, {r2.exception!r}): it was resumed although its socket had no data")
        assert (r1.result, r2.result) == (b"one", b"two") and order == ["r2", "r1"], (
            f"results {(r1.result, r2.result)}, order {order}: each reader wakes when ITS socket is readable")

    def test_write_waits_until_the_buffer_has_room(self, el):
        a, b = pair()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        filled = 0
        try:
            while True:
                filled += a.send(b"x" * 4096)
        except BlockingIOError:
            pass
        received = []

        def writer():
            yield ("write", a)
            return a.send(b"y" * 10)

        def drainer():
            yield ("sleep", 0.05)
            while True:
                yield ("read", b)
                chunk = b.recv(65536)
                received.append(chunk)
                if chunk.endswith(b"y" * 10) or not chunk:
                    return sum(map(len, received))

        loop = el.EventLoop()
        w, d = loop.spawn(writer()), loop.spawn(drainer())
        run_loop(loop, what="run() with a task waiting for ('write', sock) on a full socket")
        assert w.exception is None and w.result == 10, (
            f"the writer ended with result={w.result!r}, exception={w.exception!r}: ('write', sock) resumes the "
            "task when the socket can take data (EVENT_WRITE)")
        assert d.result == filled + 10, f"{d.result} bytes arrived, {filled + 10} were sent"

    def test_one_task_reads_another_writes_the_same_socket(self, el):
        a, b = pair()

        def reader():
            yield ("read", a)
            return a.recv(100)

        def writer():
            yield ("write", a)
            a.send(b"pong")
            return "sent"

        def peer():
            yield ("sleep", 0.05)
            b.send(b"ping")
            yield ("read", b)
            return b.recv(100)

        loop = el.EventLoop()
        r, w, p = loop.spawn(reader()), loop.spawn(writer()), loop.spawn(peer())
        run_loop(loop, what="run() with one task reading and one writing the same socket")
        assert (r.result, w.result, p.result) == (b"ping", "sent", b"pong"), (
            f"results {(r.result, w.result, p.result)}, errors {(r.exception, w.exception, p.exception)}: two tasks "
            "may wait on the same socket, one for read and one for write (selector.modify, not a second register)")

    def test_waiting_again_and_reusing_the_fd(self, el):
        first = pair()

        def task():
            a, b = first
            got = []
            for word in (b"one", b"two"):
                b.send(word)
                yield ("read", a)
                got.append(a.recv(100))
            a.close()
            b.close()
            c, d = pair()  # usually gets the fd numbers just freed
            d.send(b"three")
            yield ("read", c)
            got.append(c.recv(100))
            c.close()
            d.close()
            return got

        loop = el.EventLoop()
        t = loop.spawn(task())
        run_loop(loop)
        assert t.exception is None and t.result == [b"one", b"two", b"three"], (
            f"result={t.result!r}, exception={t.exception!r}: stop watching a socket when you resume its task "
            "(selector.unregister), so it can be waited on again, or closed and its fd reused")

    def test_run_waits_for_tasks_blocked_on_io(self, el):
        a, b = pair()

        def reader():
            yield ("read", a)
            return a.recv(100)

        loop = el.EventLoop()
        r = loop.spawn(reader())
        timer = threading.Timer(0.2, b.send, args=(b"late",))
        timer.start()
        try:
            run_loop(loop)
        finally:
            timer.join()
        assert r.done and r.result == b"late", (
            f"run() returned while a task still waited for its socket (done={r.done}): run until EVERY task has "
            "finished, also those waiting for I/O")

    def test_error_in_an_io_task_does_not_stop_the_others(self, el):
        a, b = pair()
        c, d = pair()

        def bad():
            yield ("read", a)
            raise RuntimeError("bad reader")

        def good():
            yield ("read", c)
            return c.recv(100)

        def feeder():
            yield ("sleep", 0.02)
            b.send(b"x")
            yield ("sleep", 0.05)
            d.send(b"y")

        loop = el.EventLoop()
        t_bad, t_good = loop.spawn(bad()), loop.spawn(good())
        loop.spawn(feeder())
        run_loop(loop)
        assert isinstance(t_bad.exception, RuntimeError) and t_good.result == b"y", (
            f"bad: {t_bad.exception!r}; good: {t_good.result!r} / {t_good.exception!r}")


# --------------------------------------------------------------------------- echo_server
CLIENT_TIMEOUT = 3.0


def start_server(el, bufsize=None, sndbuf=None):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if bufsize:  # accepted sockets inherit these
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, bufsize)
    if bufsize or sndbuf:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf or bufsize)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    loop = el.EventLoop()
    loop.spawn(el.echo_server(loop, listener))
    threading.Thread(target=loop.run, name="echo-loop", daemon=True).start()  # serves forever
    return listener.getsockname()


def connect(address, bufsize=None, rcvbuf=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if bufsize:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, bufsize)
    if bufsize or rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf or bufsize)
    sock.settimeout(CLIENT_TIMEOUT)
    sock.connect(address)
    return sock


def recv_exactly(sock, size):
    chunks, got = [], 0
    while got < size:
        try:
            chunk = sock.recv(min(65536, size - got))
        except socket.timeout:
            pytest.fail(f"the echo stopped after {got} of {size} bytes (no data for {CLIENT_TIMEOUT:g} s)", pytrace=False)
        if not chunk:
            pytest.fail(f"the server closed the connection after echoing {got} of {size} bytes", pytrace=False)
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class TestEchoServer:
    def test_echoes_and_closes(self, el):
        address = start_server(el)
        with connect(address) as client:
            client.sendall(b"hello, loop")
            assert recv_exactly(client, 11) == b"hello, loop"
            client.sendall(b"again")
            assert recv_exactly(client, 5) == b"again"
            client.shutdown(socket.SHUT_WR)
            try:
                tail = client.recv(100)
            except socket.timeout:
                pytest.fail("after the client closed its side, the server never closed the connection "
                            "(close the socket when recv() returns b'')", pytrace=False)
            assert tail == b"", f"after the echo, the server sent {tail!r} instead of closing"

    def test_serves_clients_at_the_same_time(self, el):
        address = start_server(el)
        clients = [connect(address) for _ in range(4)]
        try:
            for i, client in reversed(list(enumerate(clients))):  # the LAST client first
                message = f"client {i}".encode()
                client.sendall(message)
                assert recv_exactly(client, len(message)) == message, f"client {i} got a wrong echo"
        finally:
            for client in clients:
                client.close()

    def test_large_payload_through_small_buffers(self, el):
        address = start_server(el, bufsize=8192)
        payload = bytes(range(256)) * 8192  # 2 MiB
        with connect(address, bufsize=8192) as client:
            sender = threading.Thread(target=client.sendall, args=(payload,), daemon=True)
            sender.start()
            echoed = recv_exactly(client, len(payload))
            sender.join(CLIENT_TIMEOUT)
        assert echoed == payload, ("the echo of 2 MiB differs from what was sent: a non-blocking send() may send "
                                   "only part of the data; send the rest when the socket is writable again")

    def test_a_client_that_does_not_read_stalls_nobody(self, el):
        # the server reads big chunks but can queue little towards `slow`, which reads nothing yet:
        # a send() of a whole chunk on a BLOCKING socket would stop the loop right there
        address = start_server(el, sndbuf=4096)
        payload = b"z" * (2 * 1024 * 1024)
        slow = connect(address, rcvbuf=4096)
        sender = threading.Thread(target=lambda: _send_quietly(slow, payload), daemon=True)
        sender.start()  # the server's send buffer to `slow` fills up: slow reads nothing yet
        time.sleep(0.2)
        try:
            with connect(address) as other:
                other.sendall(b"are you there?")
                assert recv_exactly(other, 14) == b"are you there?", "the second client got a wrong echo"
            echoed = recv_exactly(slow, len(payload))
            assert echoed == payload, "the slow client's echo lost or changed data"
        finally:
            slow.close()


def _send_quietly(sock, data):
    try:
        sock.sendall(data)
    except OSError:
        pass
