"""Probes for the gevent topic (13_gevent): everything that imports the student's module runs in a
child interpreter.

The student's module calls ``gevent.monkey.patch_all()`` as its first statement, which patches the
standard library of the whole process, once and for good. So a hidden test never imports it:
``run_probe`` starts a fresh interpreter (``child.run_child``: own session, whole group killed
afterwards) that imports the module FIRST, then this file, runs one of the ``*_probe`` functions
below and prints a JSON report on one marked line for the test to read.

The probes measure instead of timing (research E10):

* ``crawl_probe``: the fetch passed to ``crawl`` blocks in ``time.sleep``; an in-flight counter
  shows how many fetches overlapped (exact: greenlets switch only when they block).
* ``sleep_sort_probe``: replaces ``time.sleep`` with a *virtual clock* for the duration of the call:
  every sleeper registers and waits until all numbers have registered (proof that they slept at
  the same time), then they are woken in order of their delay. The order is then exact, however
  loaded the machine is; a module that holds the ORIGINAL ``sleep`` (``from time import sleep``
  before patching) bypasses the clock and shows up as "never slept through time.sleep".
* ``echo_probe``: connects several clients to the student's server on 127.0.0.1 and talks to the
  LAST one first, with a client timeout, so a server that handles one client at a time fails.
"""

from __future__ import annotations

import json
import sysconfig
import time

MARK = "@@GEVENT-PROBE@@ "
CALL_LIMIT = 5.0  # seconds a student call may take inside the child; correct code needs milliseconds


# --------------------------------------------------------------------------- parent side
def skip_reason() -> str | None:
    """Why gevent cannot run here (then the tests are skipped), or None."""
    import importlib.util

    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return "gevent does not support free-threaded Python builds (gevent#2127)"
    for name in ("gevent", "greenlet"):
        if importlib.util.find_spec(name) is None:
            return f"{name} is not installed"
    return None


def run_probe(module: str, probe: str, *args, timeout: float = 15.0, probes: str = "gevent_probes") -> dict:
    """Run ``probe(<student module>, *args)`` (a function of ``grader.probes.<probes>``) in a child
    interpreter and return its report."""
    import pytest

    from grader.probes.child import run_child

    code = (
        f"import {module}  # the student's module first: its monkey.patch_all() must come first\n"
        "import json, sys\n"
        f"from grader.probes import gevent_probes, {probes} as probes\n"
        f"report = probes.{probe}({module}, *json.loads(sys.argv[1]))\n"
        "print(gevent_probes.MARK + json.dumps(report), flush=True)\n"
    )
    res = run_child(code, timeout=timeout, args=[json.dumps(list(args))])
    for line in res.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    if res.timed_out:
        pytest.fail(f"the test interpreter running {module}.py did not finish within {timeout:g} s "
                    "(something blocked the whole process)", pytrace=False)
    pytest.fail(f"importing or running {module}.py in a fresh interpreter failed: {res.describe()}",
                pytrace=False)


# --------------------------------------------------------------------------- child side
def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _patched() -> dict:
    from gevent import monkey

    return {name: bool(monkey.is_module_patched(name)) for name in ("time", "socket", "select", "threading")}


def _call(fn, *args, limit: float = CALL_LIMIT):
    """Call student code in this greenlet with a cooperative time limit: (value, error text)."""
    import gevent

    try:
        with gevent.Timeout(limit):
            return fn(*args), None
    except gevent.Timeout:
        return None, f"did not return within {limit:g} s"
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        return None, describe(exc)


def crawl_probe(mod, urls, concurrency, delay, delays=None, fail=()) -> dict:
    """crawl(urls, fetch, concurrency) where fetch blocks in time.sleep(delay) (or ``delays[i]``
    for ``urls[i]``, to make them finish in another order than they started) and raises
    ``ValueError`` for the urls in ``fail``."""
    from grader.probes.inflight import InFlight

    probe = InFlight()
    per_url = dict(zip(urls, delays)) if delays is not None else {}

    def fetch(url):
        time.sleep(per_url.get(url, delay))  # looked up at call time: cooperative only if time is patched
        if url in fail:
            raise ValueError(f"cannot fetch {url}")
        return f"page of {url}"

    report = {"patched": _patched()}
    result, error = _call(mod.crawl, list(urls), probe.wrap(fetch), concurrency)
    report["error"] = error
    report["type"] = type(result).__name__
    report["result"] = result if isinstance(result, dict) else None
    report["peak"], report["calls"] = probe.peak, probe.calls
    return report


class _WaitTimeouts:
    """Record the ``timeout`` given to gevent's waiting calls (joinall, wait, iwait, Group/Pool
    join, and join/get of greenlets made by gevent.spawn) while it is installed. Under the virtual
    clock every sleep ends at once, so a fixed timeout shorter than the (virtual) work would go
    unnoticed without this."""

    def __init__(self, mod):
        import gevent
        import gevent.pool

        self.timeouts: list = []
        self._undo: list = []
        record = self.timeouts.append

        def spy(owner, name, position):
            original = getattr(owner, name)

            def wrapper(*args, **kwargs):
                timeout = kwargs.get("timeout", args[position] if len(args) > position else None)
                if timeout is not None:
                    record(timeout)
                return original(*args, **kwargs)

            self._patch(owner, name, wrapper)
            for attr, value in list(vars(mod).items()):  # `from gevent import joinall` in the module
                if value is original:
                    self._patch(mod, attr, wrapper)

        spy(gevent, "joinall", 1)
        spy(gevent, "wait", 1)
        spy(gevent, "iwait", 1)
        spy(gevent.pool.Group, "join", 1)

        class TimedGreenlet(gevent.Greenlet):
            def join(self, timeout=None):
                if timeout is not None:
                    record(timeout)
                return super().join(timeout)

            def get(self, block=True, timeout=None):
                if timeout is not None:
                    record(timeout)
                return super().get(block, timeout)

        original_spawn = gevent.spawn
        self._patch(gevent, "spawn", TimedGreenlet.spawn)
        for attr, value in list(vars(mod).items()):
            if value is original_spawn:
                self._patch(mod, attr, TimedGreenlet.spawn)

    def _patch(self, owner, name, value):
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def restore(self):
        for owner, name, value in reversed(self._undo):
            setattr(owner, name, value)


def sleep_sort_probe(mod, numbers, unit, rendezvous=1.0) -> dict:
    """sleep_sort(numbers, unit) with time.sleep replaced by a virtual clock (see the module doc)."""
    import gevent
    import gevent.event

    report = {"patched": _patched()}
    patched_sleep = time.sleep
    sleepers: list[tuple[float, int, gevent.event.Event]] = []
    state = {"now": 0, "peak": 0, "calls": 0, "released": False}
    delays: list[float] = []

    def virtual_sleep(seconds=0):
        state["calls"] += 1
        delays.append(seconds)
        if state["released"]:  # too late for the rendezvous: just yield
            gevent.sleep(0)
            return
        wake = gevent.event.Event()
        sleepers.append((seconds, len(sleepers), wake))
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        try:
            wake.wait()
        finally:
            state["now"] -= 1

    def clock():
        deadline = time.monotonic() + rendezvous
        while len(sleepers) < len(numbers) and time.monotonic() < deadline:
            gevent.sleep(0.002)
        state["released"] = True
        report["together"] = len(sleepers)
        for _seconds, _order, wake in sorted(sleepers, key=lambda s: (s[0], s[1])):
            wake.set()
            gevent.sleep(0)  # the woken greenlet runs (and appends) before the next one wakes

    time.sleep = virtual_sleep
    ticker = gevent.spawn(clock)
    waits = _WaitTimeouts(mod)
    try:
        result, error = _call(mod.sleep_sort, list(numbers), unit)
    finally:
        waits.restore()
        time.sleep = patched_sleep
        ticker.kill()
    report["wait_timeouts"] = waits.timeouts
    report.setdefault("together", len(sleepers))
    report["error"] = error
    report["result"] = list(result) if isinstance(result, (list, tuple)) else None
    report["type"] = type(result).__name__
    report["calls"], report["peak"], report["delays"] = state["calls"], state["peak"], delays
    return report


def _recv_exactly(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def echo_probe(mod, n_clients, client_timeout, call_args) -> dict:
    """Start serve_echo(*call_args), connect n clients, talk to the last one first."""
    import socket

    from gevent.server import StreamServer

    report: dict = {"exchanges": [], "failure": None}
    server, error = _call(mod.serve_echo, *call_args, limit=2.0)
    report["error"] = error
    if server is None:
        return report
    report["type"] = type(server).__name__
    report["is_stream_server"] = isinstance(server, StreamServer)
    report["started"] = bool(getattr(server, "started", False))
    address = getattr(server, "address", None)
    report["address"] = list(address[:2]) if isinstance(address, tuple) else repr(address)
    clients = []
    try:
        port = server.server_port
        for _ in range(n_clients):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=client_timeout))
        for i in reversed(range(n_clients)):
            for r in range(2):
                message = f"client {i} says {r}\n".encode()
                clients[i].sendall(message)
                echoed = _recv_exactly(clients[i], len(message))
                report["exchanges"].append([i, r, echoed == message])
                if echoed != message:
                    report["failure"] = f"client {i} sent {message!r} and got back {echoed!r}"
                    return report
        clients[0].shutdown(socket.SHUT_WR)
        report["closed_on_eof"] = clients[0].recv(100) == b""
    except socket.timeout:
        done = len(report["exchanges"])
        report["failure"] = (f"a client got no echo within {client_timeout:g} s (after {done} successful "
                             f"exchange(s); clients were served last-connected first)")
    except OSError as exc:
        report["failure"] = f"client error: {describe(exc)}"
    finally:
        for client in clients:
            client.close()
        try:
            server.stop(timeout=1)
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            report["stop_error"] = describe(exc)
    return report

