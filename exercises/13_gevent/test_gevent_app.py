"""Visible tests for 13_gevent. Run them with:  pytest exercises/13_gevent

gevent_app.py monkey-patches the standard library of the whole process when it is imported, so
these tests never import it here: each one runs a short script in a fresh Python interpreter
that imports gevent_app FIRST, and reads what the script prints. Every script has a time limit.
The grader checks more: exact in-flight counts, a virtual clock for sleep_sort, five echo clients.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import textwrap
from importlib.util import find_spec

import pytest

pytestmark = pytest.mark.skipif(
    find_spec("gevent") is None or bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    reason="gevent is not installed, or this is a free-threaded build (gevent does not support those)",
)


def run_script(body: str, timeout: float = 20.0) -> dict:
    """Run `import gevent_app` + body in a new interpreter; body must print one JSON line last."""
    spec = find_spec("gevent_app")  # finds the file without importing (running) it
    assert spec is not None and spec.origin, "gevent_app.py was not found"
    folder = os.path.dirname(spec.origin)
    code = f"import sys; sys.path.insert(0, {folder!r})\nimport gevent_app\nimport json\n" + textwrap.dedent(body)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the script did not finish within {timeout:g} s")
    if proc.returncode != 0 or not out.strip():
        pytest.fail(f"the script failed (exit code {proc.returncode}):\n{err[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


class TestSleepSort:
    def test_sorted_by_sleeping(self):
        report = run_script("""
            from gevent import monkey
            print(json.dumps({"patched": monkey.is_module_patched("time"),
                              "result": gevent_app.sleep_sort([3, 1, 2], 0.1)}))
        """)
        assert report["patched"], "call monkey.patch_all() at the very top of gevent_app.py"
        assert report["result"] == [1, 2, 3], f"sleep_sort([3, 1, 2], 0.1) returned {report['result']}"


class TestCrawl:
    def test_at_most_concurrency_in_flight(self):
        report = run_script("""
            import time
            state = {"now": 0, "peak": 0}

            def fetch(url):
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
                time.sleep(0.05)          # blocking code: cooperative once time is patched
                state["now"] -= 1
                return url.upper()

            result = gevent_app.crawl(["a", "b", "c", "d", "e", "f"], fetch, 2)
            print(json.dumps({"result": result, "peak": state["peak"]}))
        """)
        assert report["result"] == {u: u.upper() for u in "abcdef"}
        assert report["peak"] == 2, f"{report['peak']} fetches ran at once, expected exactly 2 (concurrency=2)"


class TestServeEcho:
    def test_three_clients_last_first(self):
        report = run_script("""
            import socket
            server = gevent_app.serve_echo()          # must return at once (start(), not serve_forever())
            host, port = server.address[:2]
            clients = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(3)]
            echoes = []
            for i in (2, 1, 0):                       # the last client first
                clients[i].sendall(b"hello %d" % i)
                echoes.append(clients[i].recv(100).decode())
            for c in clients:
                c.close()
            server.stop()
            print(json.dumps({"host": host, "echoes": echoes}))
        """)
        assert report["host"] == "127.0.0.1", "bind to the given host, by default 127.0.0.1"
        assert report["echoes"] == ["hello 2", "hello 1", "hello 0"]


class TestFetchPages:
    def test_fetches_run_at_the_same_time(self):
        report = run_script("""
            import gevent.event
            everyone = gevent.event.Event()
            arrived = []

            def fetch(url):
                arrived.append(url)
                if len(arrived) == 3:
                    everyone.set()
                return [url, everyone.wait(2.0)]  # True once all 3 fetches are in flight

            print(json.dumps({"result": gevent_app.fetch_pages(["a", "b", "c"], fetch)}))
        """)
        assert report["result"] == [["a", True], ["b", True], ["c", True]], (
            f"fetch_pages returned {report['result']}: all 3 fetches must be in flight at once, results in url order"
        )

    def test_a_failing_fetch_raises(self):
        report = run_script("""
            def fetch(url):
                if url == "bad":
                    raise ValueError("cannot fetch bad")
                return url

            try:
                outcome = gevent_app.fetch_pages(["a", "bad", "c"], fetch)
            except ValueError as exc:
                outcome = "raised " + str(exc)
            print(json.dumps({"outcome": outcome}))
        """)
        assert report["outcome"] == "raised cannot fetch bad", (
            f"fetch('bad') raised ValueError, but fetch_pages gave {report['outcome']!r}: let the exception through"
        )
