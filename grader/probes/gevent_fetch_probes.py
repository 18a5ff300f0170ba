"""Probes for 13_gevent's ``fetch_pages``, run in a child interpreter by ``gevent_probes.run_probe``
(``probes="gevent_fetch_probes"``), which imports the student's module first.

The fetches wait on gevent's own Events, so they cooperate whether or not the module is patched;
what they did is read the moment fetch_pages returns or raises (no greenlet runs in between):

* ``fetch_pages_overlap_probe``: each fetch waits until every fetch is in flight; the peak, the
  greenlets they ran in, and the timeouts of gevent's waits (``_WaitTimeouts``).
* ``fetch_pages_order_probe``: each fetch finishes only after the next url's fetch has finished.
* ``fetch_pages_failure_probe``: one fetch raises once the others run; each other fetch records
  whether it finished, was killed (``GreenletExit``) or still runs when the exception leaves.
"""

from __future__ import annotations

from grader.probes.gevent_probes import CALL_LIMIT, _WaitTimeouts, describe

RENDEZVOUS = 0.5  # how long a fetch waits for the other fetches to be in flight too


def _call_exc(fn, *args, limit: float = CALL_LIMIT):
    """Like ``_call``, but hands back the exception object itself: (value, exception or None)."""
    import gevent

    try:
        with gevent.Timeout(limit):
            return fn(*args), None
    except gevent.Timeout:
        return None, TimeoutError(f"did not return within {limit:g} s")
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        return None, exc


def _jsonable(result):
    if not isinstance(result, (list, tuple)):
        return None
    return [v if v is None or isinstance(v, (str, int, float, bool)) else repr(v) for v in result]


def fetch_pages_overlap_probe(mod, urls) -> dict:
    """fetch_pages(urls, fetch): each fetch waits until every fetch is in flight (at most RENDEZVOUS s);
    reports the peak in flight, the greenlets the fetches ran in and the timeouts of gevent's waits."""
    import gevent
    import gevent.event

    from grader.probes.inflight import InFlight

    inflight = InFlight()
    everyone = gevent.event.Event()
    runners: list[int] = []
    ended: set = set()

    def fetch(url):
        inflight.enter()
        runners.append(id(gevent.getcurrent()))
        try:
            if inflight.now >= len(urls):
                everyone.set()
            everyone.wait(RENDEZVOUS)
            return f"<{url}>"
        finally:
            ended.add(url)
            inflight.leave()

    caller = id(gevent.getcurrent())
    waits = _WaitTimeouts(mod)
    try:
        result, error = _call_exc(mod.fetch_pages, list(urls), fetch)
        unfinished = [u for u in urls if u not in ended]  # read the moment it returned
    finally:
        waits.restore()
    return {"result": _jsonable(result), "type": type(result).__name__,
            "error": describe(error) if error is not None else None, "unfinished": unfinished,
            "peak": inflight.peak, "calls": inflight.calls, "greenlets": len(set(runners)),
            "in_caller": caller in runners, "wait_timeouts": waits.timeouts}


def fetch_pages_order_probe(mod, urls) -> dict:
    """fetch_pages(urls, fetch) where each fetch finishes only after the next url's fetch has finished
    (or after RENDEZVOUS s); then fetch_pages([], fetch)."""
    import gevent.event

    done = {u: gevent.event.Event() for u in urls}
    waited: dict = {}

    def fetch(url):
        try:
            i = urls.index(url)
            if i + 1 < len(urls):
                waited[url] = bool(done[urls[i + 1]].wait(RENDEZVOUS))
            return f"<{url}>"
        finally:
            done[url].set()

    result, error = _call_exc(mod.fetch_pages, list(urls), fetch)
    empty, empty_error = _call_exc(mod.fetch_pages, [], fetch)
    return {"result": _jsonable(result), "type": type(result).__name__,
            "error": describe(error) if error is not None else None, "waited": waited,
            "empty": _jsonable(empty), "empty_error": describe(empty_error) if empty_error is not None else None}


def fetch_pages_failure_probe(mod, urls, bad, hold) -> dict:
    """fetch_pages(urls, fetch): fetch(bad) raises ValueError once every other fetch is running (or
    after RENDEZVOUS s); the others would take ``hold`` s. Reports the exception and, the moment
    fetch_pages returned or raised, what each fetch had become: running, finished, killed, failed."""
    import gevent
    import gevent.event

    boom = ValueError(f"cannot fetch {bad}")
    state: dict = {}
    everyone = gevent.event.Event()

    def fetch(url):
        state[url] = "running"
        if len(state) == len(urls):
            everyone.set()
        try:
            if url == bad:
                everyone.wait(RENDEZVOUS)
                state[url] = "failed"
                raise boom
            gevent.sleep(hold)
            state[url] = "finished"
            return f"<{url}>"
        except gevent.GreenletExit:
            state[url] = "killed"
            raise

    result, error = _call_exc(mod.fetch_pages, list(urls), fetch)
    states = dict(state)  # read the moment it returned or raised
    return {"result": _jsonable(result), "type": type(result).__name__,
            "error": describe(error) if error is not None else None, "same_error": error is boom,
            "states": states}
