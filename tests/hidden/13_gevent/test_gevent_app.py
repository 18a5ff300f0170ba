"""Hidden tests for 13_gevent (module ``gevent_app``).

The module monkey-patches the standard library when it is imported, for the whole process. So no
test here imports it: each test runs one probe of ``grader.probes.gevent_probes`` in a fresh
child interpreter (own session, whole process group killed afterwards) that imports the module
first and prints a JSON report. Concurrency is measured, not timed: an in-flight counter around
a fetch that blocks in time.sleep, a virtual clock standing in for time.sleep during sleep_sort,
and echo clients served last-connected first with a client timeout. Servers listen on 127.0.0.1
only, on a port the OS picks. Where gevent cannot run (not installed, free-threaded build), the
tests are skipped.
"""

from __future__ import annotations

import pytest

from grader.probes.gevent_probes import run_probe, skip_reason

MODULE = "gevent_app"
CLIENT_TIMEOUT = 1.0  # seconds an echo client waits; a concurrent server answers in about a millisecond
_SKIP = skip_reason()
pytestmark = pytest.mark.skipif(_SKIP is not None, reason=_SKIP or "")


def probe(name, *args):
    probes = "gevent_fetch_probes" if name.startswith("fetch_pages_") else "gevent_probes"
    return run_probe(MODULE, name, *args, probes=probes)


def assert_patched(report, *modules):
    missing = [m for m in modules if not report["patched"].get(m)]
    assert not missing, (
        f"after importing gevent_app.py, the standard library module(s) {', '.join(missing)} were not "
        "monkey-patched: start the module with `from gevent import monkey; monkey.patch_all()`, "
        "before any other import"
    )


# --------------------------------------------------------------------------- sleep_sort
class TestSleepSort:
    def test_sleeps_overlap_and_sort(self):
        numbers = [5, 3, 0, 4, 1, 2]
        report = probe("sleep_sort_probe", numbers, 0.01)
        assert_patched(report, "time")
        assert report["error"] is None, f"sleep_sort({numbers}, 0.01) failed: {report['error']}"
        assert report["calls"] == len(numbers), (
            f"time.sleep was called {report['calls']} time(s) through the time module for {len(numbers)} "
            "numbers: each greenlet must call time.sleep(number * unit) (import time after patch_all(); "
            "`from time import sleep` above the patch keeps the blocking original)"
        )
        assert report["together"] == len(numbers), (
            f"only {report['together']} of {len(numbers)} greenlets were sleeping at the same time: spawn "
            "them all first (gevent.spawn), then wait for them all (gevent.joinall)"
        )
        assert report["result"] == sorted(numbers), (
            f"sleep_sort({numbers}, 0.01) returned {report['result']!r}, expected {sorted(numbers)}: append "
            "each number right after its own sleep ends, and return after joinall()"
        )
        expected_delays = sorted(n * 0.01 for n in numbers)
        assert sorted(report["delays"]) == pytest.approx(expected_delays), (
            f"the sleeps lasted {sorted(report['delays'])} s, expected number * unit = {expected_delays}"
        )

    def test_duplicates_and_empty(self):
        report = probe("sleep_sort_probe", [2, 1, 2, 0, 1], 0.02)
        assert report["error"] is None, f"sleep_sort([2, 1, 2, 0, 1], 0.02) failed: {report['error']}"
        assert report["result"] == [0, 1, 1, 2, 2], f"sleep_sort([2, 1, 2, 0, 1]) returned {report['result']!r}"
        assert report["together"] == 5, f"only {report['together']} of 5 greenlets slept at the same time"
        empty = probe("sleep_sort_probe", [], 0.02)
        assert empty["error"] is None and empty["result"] == [], (
            f"sleep_sort([]) must return [], got {empty['result']!r} ({empty['error']})"
        )


    def test_waits_as_long_as_the_sleeps_take(self):
        # The virtual clock ends every sleep at once, so this costs nothing; the spies record the
        # timeout of every gevent wait (joinall, wait, iwait, join, get) that sleep_sort makes.
        numbers, unit = [3, 0, 1], 3.0
        longest = max(numbers) * unit
        report = probe("sleep_sort_probe", numbers, unit)
        assert report["error"] is None, f"sleep_sort({numbers}, {unit}) failed: {report['error']}"
        short = [t for t in report["wait_timeouts"] if t < longest]
        assert not short, (
            f"sleep_sort({numbers}, unit={unit}) waited with a fixed timeout of {short[0]} s, but its longest "
            f"sleep takes {longest:g} s: wait until every greenlet has finished, however long that is "
            "(gevent.joinall(greenlets) without a timeout)"
        )
        assert report["result"] == sorted(numbers), f"sleep_sort({numbers}, {unit}) returned {report['result']!r}"


# --------------------------------------------------------------------------- crawl
class TestCrawl:
    def test_bounded_concurrency(self):
        urls = [f"http://example.test/{i}" for i in range(8)]
        report = probe("crawl_probe", urls, 3, 0.02)
        assert_patched(report, "time", "socket")
        assert report["error"] is None, f"crawl(8 urls, fetch, 3) failed: {report['error']}"
        assert report["result"] == {u: f"page of {u}" for u in urls}, (
            f"crawl returned {report['type']} {report['result']!r}, expected {{url: fetch(url)}} for all 8 urls"
        )
        assert report["calls"] == 8, f"fetch was called {report['calls']} times for 8 urls"
        assert report["peak"] <= 3, (
            f"{report['peak']} fetches ran at the same time with concurrency=3: use gevent.pool.Pool(concurrency) "
            "instead of spawning a greenlet per url"
        )
        assert report["peak"] == 3, (
            f"at most {report['peak']} fetch(es) ran at the same time, expected 3: the blocking time.sleep in "
            "fetch must let the other greenlets run (monkey.patch_all() first), and the pool must start "
            "them all before waiting for any (pool.map, not spawn(...).get() one by one)"
        )

    def test_results_match_urls_when_they_finish_in_reverse(self):
        urls = ["first", "second", "third", "fourth"]
        report = probe("crawl_probe", urls, 4, 0.0, [0.08, 0.06, 0.04, 0.02])
        assert report["error"] is None, f"crawl(4 urls, fetch, 4) failed: {report['error']}"
        assert report["result"] == {u: f"page of {u}" for u in urls}, (
            f"the fetches finished last-url-first and crawl returned {report['result']!r}: each url must map "
            "to its own fetch's result (pool.map keeps the input order; imap_unordered gives completion order)"
        )

    def test_failing_fetch_raises(self):
        urls = ["ok-1", "broken", "ok-2", "ok-3"]
        report = probe("crawl_probe", urls, 2, 0.01, None, ["broken"])
        assert report["error"] is not None and report["error"].startswith("ValueError"), (
            f"fetch('broken') raised ValueError, but crawl returned {report['result']!r}"
            + (f" (it raised {report['error']})" if report["error"] else "")
            + ": crawl must raise the fetch's exception (pool.map re-raises it; a greenlet's .value "
            "is None when it failed, and joinall() does not raise by default)"
        )

    def test_more_slots_than_urls(self):
        urls = ["a", "b", "c", "d"]
        report = probe("crawl_probe", urls, 10, 0.02)
        assert report["error"] is None, f"crawl(4 urls, fetch, 10) failed: {report['error']}"
        assert report["result"] == {u: f"page of {u}" for u in urls}, f"crawl returned {report['result']!r}"
        assert report["peak"] == 4, (
            f"with concurrency=10 and 4 urls, {report['peak']} fetch(es) ran at the same time, expected all 4"
        )


# --------------------------------------------------------------------------- serve_echo
class TestServeEcho:
    def test_serves_clients_concurrently(self):
        report = probe("echo_probe", 5, CLIENT_TIMEOUT, [])
        assert report["error"] is None, f"serve_echo() failed: {report['error']}" + (
            " (call start(), which returns at once; serve_forever() never returns)"
            if "did not return" in (report["error"] or "") else ""
        )
        assert report["is_stream_server"], (
            f"serve_echo() returned {report['type']}, expected the gevent.server.StreamServer it started"
        )
        assert report["started"], "the server is not started: call server.start() before returning it"
        assert report["failure"] is None, (
            f"5 clients connected, then each sent two lines, the last-connected client first: "
            f"{report['failure']}. Every connection needs its own greenlet (StreamServer's default), and "
            "echo() must send each chunk back as soon as it arrives"
        )
        assert len(report["exchanges"]) == 10, f"only {len(report['exchanges'])} of 10 messages were echoed"

    def test_loopback_only_and_closes_on_eof(self):
        report = probe("echo_probe", 2, CLIENT_TIMEOUT, ["127.0.0.1", 0])
        assert report["error"] is None, f"serve_echo('127.0.0.1', 0) failed: {report['error']}"
        assert isinstance(report.get("address"), list) and report["address"][0] == "127.0.0.1", (
            f"the server listens on {report.get('address')!r}: bind to the host argument ('127.0.0.1', "
            "local clients only), not to '' or '0.0.0.0' (every network interface)"
        )
        assert report["address"][1] > 0, "port=0 must become a real port chosen by the OS"
        assert report["failure"] is None, f"echoing failed: {report['failure']}"
        assert report.get("closed_on_eof") is True, (
            "after the client closed its sending side, the connection stayed open: when recv() returns "
            "b'', return from echo() (StreamServer then closes the socket)"
        )


# --------------------------------------------------------------------------- fetch_pages
# fetch waits only on gevent's own Events here, so these tests do not depend on the monkey-patching
# that sleep_sort and crawl need. Overlap is counted (fetches wait until all are in flight), and a
# failing fetch's neighbours record whether they finished, were killed or were left running.
class TestFetchPages:
    def test_every_fetch_is_in_flight_at_once(self):
        urls = [f"http://example.test/{i}" for i in range(4)]
        report = probe("fetch_pages_overlap_probe", urls)
        assert report["error"] is None, f"fetch_pages(4 urls, fetch) failed: {report['error']}"
        assert report["peak"] == len(urls), (
            f"only {report['peak']} of the {len(urls)} fetches were in flight at the same time: spawn every "
            "greenlet first, then wait for them all (greenlet.join() right after gevent.spawn runs one at a time)"
        )
        assert report["greenlets"] == len(urls) and not report["in_caller"], (
            f"the {len(urls)} fetches ran in {report['greenlets']} greenlet(s)"
            + (", one of them the caller's" if report["in_caller"] else "") + ": one gevent.spawn per url"
        )
        assert not report["unfinished"], (
            f"fetch_pages returned while the fetches of {report['unfinished']} were still running: wait for every "
            "greenlet (gevent.joinall) before you read the results"
        )
        assert report["result"] == [f"<{u}>" for u in urls], (
            f"fetch_pages returned {report['type']} {report['result']!r}, expected each fetch's result in url order"
        )
        assert not report["wait_timeouts"], (
            f"fetch_pages waited with a timeout of {report['wait_timeouts'][0]} s: the fetches may take any time, "
            "so wait without one (gevent.joinall(greenlets, raise_error=True))"
        )

    def test_results_in_url_order_when_they_finish_in_reverse(self):
        urls = ["a", "b", "c", "d"]
        report = probe("fetch_pages_order_probe", urls)
        late = [u for u in urls[:-1] if not report["waited"].get(u)]
        assert not late, (
            f"fetch({late[0]!r}) waited for the next url's fetch to finish, and it had not even started: the "
            "fetches ran one after another. Spawn every greenlet before you wait for any"
        )
        assert report["error"] is None, f"fetch_pages({urls}, fetch) failed: {report['error']}"
        assert report["result"] == [f"<{u}>" for u in urls], (
            f"the fetches finished last-url-first and fetch_pages returned {report['result']!r}: return the results "
            "in the order of urls (greenlet by greenlet), not in the order they finished"
        )
        assert report["empty_error"] is None and report["empty"] == [], (
            f"fetch_pages([], fetch) should return [], got {report['empty']!r} ({report['empty_error']})"
        )

    def test_a_failing_fetch_raises_at_once_and_the_others_are_killed(self):
        urls = ["a", "bad", "c", "d"]
        report = probe("fetch_pages_failure_probe", urls, "bad", 1.0)
        others = {u: report["states"].get(u, "never started") for u in urls if u != "bad"}
        assert not (report["error"] or "").startswith("TimeoutError: did not return"), (
            f"fetch_pages({urls}, fetch) {report['error'][len('TimeoutError: '):]}, with each fetch but "
            "fetch('bad') taking 1 s: spawn every greenlet before you wait for any"
        )
        assert report["error"] is not None, (
            f"fetch('bad') raised ValueError, but fetch_pages returned {report['result']!r}: a greenlet's exception "
            "is not raised by join() or joinall(), and its .value is None. Use gevent.joinall(greenlets, "
            "raise_error=True), or greenlet.get()"
        )
        assert report["same_error"], (
            f"fetch_pages raised {report['error']}, not the ValueError fetch('bad') raised: let that exception through"
        )
        finished = [u for u, s in others.items() if s == "finished"]
        assert not finished, (
            f"fetch_pages raised only after the fetches of {finished} had finished on their own: raise as soon as "
            "a fetch fails (gevent.joinall(..., raise_error=True)), without waiting for the others"
        )
        running = [u for u, s in others.items() if s != "killed"]
        assert not running, (
            f"fetch_pages raised while the fetches of {running} were still running ({others}): kill the greenlets "
            "that are left (gevent.killall, which waits until they are dead) before the exception leaves fetch_pages"
        )
