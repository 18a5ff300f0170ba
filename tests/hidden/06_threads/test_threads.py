"""Hidden tests for 06_threads (module ``threads``).

No wall-clock race: each thread's identity is recorded where the code runs, ``join_all``'s
timeouts are read from spy threads that log every ``join()`` call, escaped thread exceptions
are collected with a private ``threading.excepthook``, and every wait for student code is
bounded (``call_with_timeout``), so a hang costs a few seconds and a clear message.
"""

from __future__ import annotations

import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.executor_probes import Gate
from grader.probes.threading_probes import ThreadErrors, wait_until

CALL_LIMIT = 5.0
STUCK_LIMIT = 2.5  # join_all on stuck threads with timeout <= 0.3 s


@pytest.fixture
def threads():
    return load_student("threads")


@pytest.fixture
def release():
    """An Event set when the test ends, so helper threads never outlive the test for long."""
    event = threading.Event()
    yield event
    event.set()


class Recorder:
    """A fetch/fn callable that records the thread it runs in."""

    def __init__(self, result=None, error=None, hold=None) -> None:
        self.result = result
        self.error = error
        self.hold = hold  # optional Event to wait for (5 s max) before returning
        self.calls: list[tuple] = []
        self.threads: list[threading.Thread] = []
        self.idents: list[int] = []

    def __call__(self, *args):
        self.calls.append(args)
        self.threads.append(threading.current_thread())
        self.idents.append(threading.get_ident())
        if self.hold is not None:
            self.hold.wait(5)
        if self.error is not None:
            raise self.error
        return self.result


def run_fetch_thread(threads, fetch, url="https://example.org/a"):
    """Create, start and join a FetchThread (bounded); return it."""
    t = threads.FetchThread(fetch, url)
    call_with_timeout(t.start, timeout=CALL_LIMIT)
    t.join(CALL_LIMIT)
    assert not t.is_alive(), "the FetchThread was still running 5 s after start(): does run() return?"
    return t


class TestFetchThread:
    def test_is_a_thread_with_result_and_error_unset(self, threads):
        assert issubclass(threads.FetchThread, threading.Thread), "FetchThread must subclass threading.Thread"
        t = threads.FetchThread(Recorder(), "u")
        assert t.result is None and t.error is None, "before the thread runs, result and error must be None"
        assert t.ident is None and not t.is_alive(), "creating a FetchThread must not start it"

    def test_fetch_runs_in_the_new_thread(self, threads):
        fetch = Recorder(result="<html>")
        t = run_fetch_thread(threads, fetch, "https://example.org/x")
        assert fetch.calls == [("https://example.org/x",)], f"fetch should be called once with the url, got {fetch.calls}"
        assert fetch.idents[0] != threading.get_ident(), (
            "fetch ran in the thread that called start(): override run(), not start(), and never call run() yourself"
        )
        assert fetch.threads[0] is t, "fetch must run in the FetchThread itself (threading.current_thread() is the thread)"
        assert fetch.idents[0] == t.ident, "t.ident should be the ident of the thread that ran fetch"
        assert t.native_id is not None
        assert t.result == "<html>", f"after join(), result should be what fetch returned, got {t.result!r}"
        assert t.error is None

    def test_start_returns_while_fetch_is_still_running(self, threads, release):
        fetch = Recorder(result=42, hold=release)
        t = threads.FetchThread(fetch, "u")
        call_with_timeout(t.start, timeout=2)
        try:
            assert t.is_alive(), "start() should return while the thread is still running fetch"
            assert t.result is None, "result must stay None until fetch has returned"
        finally:
            release.set()
        t.join(CALL_LIMIT)
        assert t.result == 42

    def test_exception_is_stored_not_lost(self, threads):
        boom = KeyError("missing page")
        with ThreadErrors() as errors:
            t = run_fetch_thread(threads, Recorder(error=boom))
        assert not errors.caught, (
            f"an exception escaped the thread ({errors.describe()}): catch it in run() and store it in self.error"
        )
        assert t.error is boom, f"self.error should be the exception fetch raised, got {t.error!r}"
        assert t.result is None, "when fetch raises, result must stay None"

    def test_many_threads_each_keep_their_own_result(self, threads):
        ts = [threads.FetchThread(str.upper, f"page{i}") for i in range(5)]
        for t in ts:
            call_with_timeout(t.start, timeout=CALL_LIMIT)
        for t in ts:
            t.join(CALL_LIMIT)
        assert [t.result for t in ts] == [f"PAGE{i}" for i in range(5)], (
            "each FetchThread should keep the result of its own fetch(url) in self.result"
        )


class SpyThread(threading.Thread):
    """A thread that runs until ``stop`` is set (or ``after`` seconds) and logs every join() call."""

    def __init__(self, name: str, stop: threading.Event, after: float, log: list) -> None:
        super().__init__(name=name, daemon=True)
        self._stop_event = stop
        self._after = after
        self._log = log

    def run(self) -> None:
        self._stop_event.wait(self._after)

    def join(self, timeout=None):  # noqa: D401 - same signature as Thread.join
        self._log.append((time.monotonic(), timeout, self.name))
        return super().join(timeout)


def spy_threads(names_after, stop):
    log: list = []
    ts = [SpyThread(name, stop, after, log) for name, after in names_after]
    for t in ts:
        t.start()
    return ts, log


class TestJoinAll:
    def test_finished_threads_give_an_empty_list(self, threads, release):
        ts, _ = spy_threads([("a", 0), ("b", 0)], release)
        for t in ts:
            t.join(CALL_LIMIT)
        got = call_with_timeout(threads.join_all, ts, 1.0, timeout=CALL_LIMIT)
        assert got == [], f"every thread had finished: join_all should return [], got {got!r}"

    def test_waits_for_threads_that_finish_in_time(self, threads, release):
        ts, _ = spy_threads([("w1", 0.1), ("w2", 0.15), ("w3", 0.05)], release)
        start = time.monotonic()
        got = call_with_timeout(threads.join_all, ts, 3.0, timeout=CALL_LIMIT + 3)
        elapsed = time.monotonic() - start
        assert got == [], (
            f"the threads finish after at most 0.15 s and timeout=3: join_all should wait for them and return [], got {got!r}"
        )
        assert elapsed < 2.5, f"join_all took {elapsed:.2f} s although all threads were done after 0.15 s"

    def test_returns_names_of_threads_still_running(self, threads, release):
        ts, _ = spy_threads([("quick", 0), ("stuck-z", 30), ("done", 0.02), ("stuck-a", 30)], release)
        got = call_with_timeout(threads.join_all, ts, 0.3, timeout=STUCK_LIMIT)
        assert isinstance(got, list) and all(isinstance(n, str) for n in got), (
            f"join_all should return a list of thread names (str), got {got!r}"
        )
        assert got == ["stuck-z", "stuck-a"], (
            f"expected the names of the threads still alive, in input order: ['stuck-z', 'stuck-a'], got {got!r} "
            "(do not sort them)"
        )

    def test_late_thread_gets_all_the_time_that_is_left(self, threads, release):
        # the first thread finishes after 0.8 s, the 19 others are already done: with timeout=4 the
        # first join() may wait up to 4 s, not a share of it (4 / 20 = 0.2 s would be too short)
        ts, _ = spy_threads([("late", 0.8)] + [(f"done-{i}", 0) for i in range(19)], release)
        for t in ts[1:]:
            t.join(CALL_LIMIT)
        got = call_with_timeout(threads.join_all, ts, 4.0, timeout=CALL_LIMIT + 4)
        assert got == [], (
            f"the thread 'late' finished 0.8 s after the start, well within timeout=4, but join_all returned {got!r}: "
            "one deadline for all threads; each join() gets all the time left until it, not timeout / len(threads)"
        )

    def test_one_overall_timeout_not_one_per_thread(self, threads, release):
        timeout = 0.3
        ts, log = spy_threads([(f"stuck-{i}", 30) for i in range(5)], release)
        got = call_with_timeout(threads.join_all, ts, timeout, timeout=STUCK_LIMIT)
        assert got == [f"stuck-{i}" for i in range(5)]
        start = log[0][0] if log else 0.0  # the deadline was fixed no later than the first join()
        for called_at, given, name in log:
            assert given is not None, f"join() on {name} was called without a timeout: it could wait forever"
            left = timeout - (called_at - start)
            assert given <= max(left, 0.0) + 0.1, (
                f"join({given:.2f}) on {name} when only {max(left, 0):.2f} s of the {timeout} s timeout were left: "
                "use one deadline for all threads and give each join() the time that remains"
            )

    def test_total_time_is_about_the_timeout(self, threads, release):
        timeout = 0.25
        ts, _ = spy_threads([(f"stuck-{i}", 30) for i in range(6)], release)
        start = time.monotonic()
        call_with_timeout(threads.join_all, ts, timeout, timeout=STUCK_LIMIT)
        elapsed = time.monotonic() - start
        assert elapsed >= timeout - 0.02, f"join_all returned after {elapsed:.2f} s, before timeout={timeout} ran out"
        assert elapsed < 3 * timeout, (
            f"join_all with 6 stuck threads and timeout={timeout} took {elapsed:.2f} s: "
            "the timeout is for all threads together, not for each"
        )


class TestCallInThread:
    def test_returns_the_result_computed_in_another_thread(self, threads):
        fn = Recorder(result={"answer": 42})
        callers = []

        def caller():
            callers.append(threading.current_thread())
            return threads.call_in_thread(fn, 1, "two")

        got = call_with_timeout(caller, timeout=CALL_LIMIT)
        assert fn.calls == [(1, "two")], f"fn should be called once with the arguments (1, 'two'), got {fn.calls}"
        assert got == {"answer": 42}, f"call_in_thread should return fn's result, got {got!r}"
        assert fn.threads[0] is not callers[0], (
            "fn ran in the thread that called call_in_thread: start() a new threading.Thread (run() does not start one)"
        )

    def test_waits_for_a_slow_function(self, threads):
        def slow(x):
            time.sleep(0.2)
            return x * 2

        got = call_with_timeout(threads.call_in_thread, slow, 21, timeout=CALL_LIMIT)
        assert got == 42, f"call_in_thread must wait (join) until fn has returned; got {got!r}"

    def test_reraises_the_same_exception(self, threads):
        boom = KeyError("no such key")
        fn = Recorder(error=boom)
        with ThreadErrors() as errors:
            with pytest.raises(KeyError) as info:
                call_with_timeout(threads.call_in_thread, fn, "k", timeout=CALL_LIMIT)
        assert info.value is boom, "re-raise the exception object fn raised, not a new one"
        assert fn.idents and fn.idents[0] != threading.get_ident(), "fn must run in a new thread"
        assert not errors.caught, (
            f"the exception also escaped the worker thread ({errors.describe()}): catch it there and re-raise it in the caller"
        )

    def test_none_result(self, threads):
        assert call_with_timeout(threads.call_in_thread, Recorder(result=None), timeout=CALL_LIMIT) is None

    def test_reraises_system_exit(self, threads):
        stop = SystemExit(3)  # what sys.exit(3) raises: a BaseException, not an Exception
        fn = Recorder(error=stop)
        with ThreadErrors() as errors:
            with pytest.raises(SystemExit) as info:
                call_with_timeout(threads.call_in_thread, fn, timeout=CALL_LIMIT)
        assert info.value is stop, "re-raise the exception object fn raised"
        assert not errors.caught, f"the exception escaped the worker thread ({errors.describe()})"

    def test_waits_however_long_fn_runs(self, threads, monkeypatch):
        # here join(t) gives up after 0.05 s: that is how a fn running longer than any fixed
        # timeout looks. join() without a timeout is unchanged.
        original = threading.Thread.join

        def join(self, timeout=None):
            if timeout is not None and threading.current_thread() is not threading.main_thread():
                timeout = min(timeout, 0.05)
            return original(self, timeout)

        monkeypatch.setattr(threading.Thread, "join", join)

        def slow():
            time.sleep(0.5)
            return "done"

        got = call_with_timeout(threads.call_in_thread, slow, timeout=CALL_LIMIT)
        assert got == "done", (
            f"call_in_thread returned {got!r} before fn had finished: join() the thread without a timeout, "
            "fn may run for any length of time"
        )

    def test_calls_from_several_threads_keep_their_own_results(self, threads, monkeypatch):
        n = 4
        in_fn = threading.Barrier(n)      # every fn is running at the same time
        after_join = threading.Barrier(n)  # every fn has finished before any caller reads its outcome
        original = threading.Thread.join

        def join(self, timeout=None):
            result = original(self, timeout)
            if threading.current_thread().name.startswith("caller-") and not self.is_alive():
                try:
                    after_join.wait(3.0)
                except threading.BrokenBarrierError:
                    pass
            return result

        monkeypatch.setattr(threading.Thread, "join", join)

        def fn(i):
            try:
                in_fn.wait(3.0)
            except threading.BrokenBarrierError:
                pass
            time.sleep(0.01 * (n - i))  # the last caller's fn finishes first
            return f"result-{i}"

        got: dict[int, object] = {}

        def caller(i):
            try:
                got[i] = threads.call_in_thread(fn, i)
            except BaseException as exc:  # noqa: BLE001 - reported below
                got[i] = exc

        callers = [threading.Thread(target=caller, args=(i,), name=f"caller-{i}", daemon=True) for i in range(n)]
        for t in callers:
            t.start()
        for t in callers:
            original(t, CALL_LIMIT)
        assert not any(t.is_alive() for t in callers), "call_in_thread did not return within 5 s"
        expected = {i: f"result-{i}" for i in range(n)}
        assert got == expected, (
            f"{n} threads called call_in_thread at the same time and got {got}, expected {expected}: keep each "
            "call's outcome in a place of its own (a local dict or list), not in a module-level variable"
        )


class Calls:
    """The debounced function: records (time, args, thread) of every call."""

    def __init__(self) -> None:
        self.log: list[tuple[float, tuple, threading.Thread]] = []
        self._lock = threading.Lock()

    def __call__(self, *args) -> None:
        with self._lock:
            self.log.append((time.monotonic(), args, threading.current_thread()))

    def count(self) -> int:
        with self._lock:
            return len(self.log)

    def settle(self, at_least: int, quiet: float) -> int:
        """Wait (3 s max) for ``at_least`` calls, then ``quiet`` more seconds for extra ones."""
        wait_until(lambda: self.count() >= at_least, 3.0)
        time.sleep(quiet)
        return self.count()


class TestDebouncer:
    def test_burst_gives_one_call_after_the_last_trigger(self, threads):
        delay, gap, n = 0.4, 0.05, 16  # triggers keep coming for 0.75 s, longer than delay
        calls = Calls()
        d = call_with_timeout(threads.Debouncer, calls, delay, timeout=CALL_LIMIT)
        times = []
        try:
            for i in range(n):
                times.append(time.monotonic())
                call_with_timeout(d.trigger, i, timeout=CALL_LIMIT)
                time.sleep(gap)
            got = calls.settle(1, 0.4)
        finally:
            d.cancel()
        early = [args for at, args, _ in calls.log if at < times[-1]]
        assert not early, (
            f"fn was called with {early[0]} while triggers were still coming in every {gap} s (delay={delay}): "
            "each trigger() must cancel the pending Timer and start a new one"
        )
        assert got == 1, f"{n} quick triggers should give exactly 1 call, got {got}: cancel the previous Timer in trigger()"
        at, args, thread = calls.log[0]
        assert args == (n - 1,), f"fn should get the arguments of the last trigger, {(n - 1,)}, got {args}"
        assert at >= times[-1] + delay - 0.02, f"fn ran {at - times[-1]:.3f} s after the last trigger, before delay={delay}"
        assert thread is not threading.current_thread(), "fn must run in the Timer's thread"

    def test_two_quick_triggers_give_one_call(self, threads):
        calls = Calls()
        d = threads.Debouncer(calls, 0.2)
        try:
            call_with_timeout(d.trigger, "first", timeout=CALL_LIMIT)
            call_with_timeout(d.trigger, "second", timeout=CALL_LIMIT)
            got = calls.settle(1, 0.4)
        finally:
            d.cancel()
        args = [a for _, a, _ in calls.log]
        assert args == [("second",)], (
            f"trigger('first') then trigger('second') at once should give one call fn('second'), got calls {args}: "
            "cancel the pending Timer before starting a new one"
        )
        assert got == 1

    def test_triggers_from_two_threads_at_once_give_one_call(self, threads, monkeypatch):
        # Creating a Timer waits (2 s max) until the other trigger creates one too, or until the other
        # trigger waits for a lock of the Debouncer: unlocked code is forced into the bad interleaving,
        # locked code is not slowed down.
        arrived = [0]
        contended = threading.Event()
        cond = threading.Condition()
        real_timer = threading.Timer

        class RendezvousTimer(real_timer):
            def __init__(self, *args, **kwargs):
                with cond:
                    arrived[0] += 1
                    cond.notify_all()
                    cond.wait_for(lambda: arrived[0] >= 2 or contended.is_set(), timeout=2.0)
                super().__init__(*args, **kwargs)

        class SignallingLock:
            """Wraps the Debouncer's lock: tells the rendezvous when a thread has to wait for it."""

            def __init__(self, inner) -> None:
                self._inner = inner

            def acquire(self, blocking=True, timeout=-1):
                if self._inner.acquire(False):
                    return True
                if not blocking:
                    return False
                with cond:
                    contended.set()
                    cond.notify_all()
                return self._inner.acquire(blocking, timeout)

            def release(self):
                self._inner.release()

            def locked(self):
                return self._inner.locked()

            def __enter__(self):
                return self.acquire()

            def __exit__(self, *exc):
                self.release()

        monkeypatch.setattr(threading, "Timer", RendezvousTimer)
        if isinstance(getattr(threads, "Timer", None), type):
            monkeypatch.setattr(threads, "Timer", RendezvousTimer)
        calls = Calls()
        d = threads.Debouncer(calls, 0.2)
        lock_types = (type(threading.Lock()), type(threading.RLock()))
        for name, value in list(vars(d).items()):
            if isinstance(value, lock_types):
                setattr(d, name, SignallingLock(value))
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def trigger(arg):
            try:
                start.wait(2)
                d.trigger(arg)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        ts = [threading.Thread(target=trigger, args=(a,), daemon=True) for a in ("a", "b")]
        try:
            for t in ts:
                t.start()
            for t in ts:
                t.join(CALL_LIMIT)
            got = calls.settle(1, 0.4)
        finally:
            d.cancel()
        assert not errors, f"trigger() raised {errors[0]!r} when two threads called it at once"
        assert got == 1, (
            f"two threads called trigger() at the same moment and fn ran {got} times: do \"cancel the pending "
            "Timer, start and store the new one\" while holding self._lock, or both threads start a Timer"
        )

    def test_trigger_returns_at_once_and_fn_runs_in_a_timer_thread(self, threads):
        calls = Calls()
        d = threads.Debouncer(calls, 0.3)
        triggered_in = []

        def trigger():
            triggered_in.append(threading.current_thread())
            d.trigger("x")

        try:
            call_with_timeout(trigger, timeout=CALL_LIMIT)
            pending = calls.count()
            got = calls.settle(1, 0.0)
        finally:
            d.cancel()
        assert pending == 0, "fn was called before trigger() returned: trigger() must start a Timer, not wait or call fn"
        assert got == 1, f"fn should be called once about 0.3 s after trigger(), got {got} calls within 3 s"
        _, args, thread = calls.log[0]
        assert args == ("x",), f"fn should get the arguments given to trigger(), ('x',), got {args}"
        assert thread is not triggered_in[0] and thread is not threading.current_thread(), (
            "fn ran in the thread that called trigger(): start the Timer with start(), it calls fn in its own thread"
        )

    def test_cancel_prevents_the_call(self, threads):
        calls = Calls()
        d = threads.Debouncer(calls, 0.1)
        call_with_timeout(d.trigger, 1, timeout=CALL_LIMIT)
        call_with_timeout(d.cancel, timeout=CALL_LIMIT)
        time.sleep(0.5)
        assert calls.count() == 0, "cancel() must cancel the pending Timer (timer.cancel()), so fn is not called"

    def test_cancel_when_idle_and_trigger_after_cancel(self, threads):
        calls = Calls()
        d = threads.Debouncer(calls, 0.1)
        try:
            call_with_timeout(d.cancel, timeout=CALL_LIMIT)  # nothing pending: no error
            call_with_timeout(d.trigger, 1, timeout=CALL_LIMIT)
            call_with_timeout(d.cancel, timeout=CALL_LIMIT)
            call_with_timeout(d.trigger, 2, timeout=CALL_LIMIT)
            got = calls.settle(1, 0.3)
        finally:
            d.cancel()
        assert got == 1 and calls.log[0][1] == (2,), (
            f"after cancel(), a new trigger(2) should give one call fn(2), got {[a for _, a, _ in calls.log]}"
        )


# --------------------------------------------------------------------------- parallel_fetch
# parallel_fetch runs in a daemon thread joined for at most CALL_LIMIT; what the threads did is
# read at the moment it returned or raised. Overlap is counted (an in-flight gate, a barrier whose
# breaking is reported, fetches that wait for each other), never timed.
OVERLAP_LIMIT = 1.0  # how long the tests wait for the fetches to run together; correct code needs milliseconds
HOLD_LIMIT = 0.5  # how long a fetch held back until parallel_fetch has returned waits at most
_JOIN = threading.Thread.join  # the tests' own joins, whatever a test patches


class Fetches:
    """``fetch`` for parallel_fetch: ``before(url)`` runs first; then raises ``fail[url]`` or returns
    ``"<url>"``. Records the threads that ran it and the urls whose fetch has finished."""

    def __init__(self, fail=None, before=None) -> None:
        self.fail = fail or {}
        self.before = before
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.done: dict[str, threading.Event] = {}
        self.returned = threading.Event()  # set once parallel_fetch has returned or raised

    def finished(self, url) -> threading.Event:
        with self.lock:
            return self.done.setdefault(url, threading.Event())

    def __call__(self, url):
        with self.lock:
            self.threads.append(threading.current_thread())
        try:
            if self.before is not None:
                self.before(url)
            if url in self.fail:
                raise self.fail[url]
            return f"<{url}>"
        finally:
            self.finished(url).set()


def fetch_call(threads, urls, fetch, wrap=None) -> dict:
    """parallel_fetch(urls, fetch) (or ``wrap(fetch)``) in a daemon thread: its value or error, and, read
    the moment it returned or raised, the urls whose fetch had not finished and the fetch threads still alive."""
    box: dict = {}

    def target() -> None:
        try:
            value = threads.parallel_fetch(urls, fetch if wrap is None else wrap(fetch))
            box["value"] = list(value) if isinstance(value, (list, tuple)) else value
        except BaseException as exc:  # noqa: BLE001 - examined by the test
            box["error"] = exc
        finally:
            box["unfinished"] = [u for u in urls if not fetch.finished(u).is_set()]
            box["alive"] = [t.name for t in fetch.threads if t.is_alive()]
            fetch.returned.set()

    caller = threading.Thread(target=target, name="parallel_fetch-caller", daemon=True)
    caller.start()
    _JOIN(caller, CALL_LIMIT)
    if caller.is_alive():
        pytest.fail(f"parallel_fetch({urls!r}, fetch) did not return within {CALL_LIMIT:g} s", pytrace=False)
    return box


def returned(box, urls) -> list:
    """The value parallel_fetch returned, once nothing was left running when it did."""
    if "error" in box:
        raise box["error"]
    assert not box["unfinished"] and not box["alive"], (
        f"parallel_fetch returned while fetch() of {box['unfinished']!r} had not finished: join every thread before "
        "you read the results"
    )
    expected = [f"<{u}>" for u in urls]
    assert box["value"] == expected, f"parallel_fetch({urls!r}) returned {box['value']!r}, expected {expected!r}"
    return box["value"]


class TestParallelFetch:
    def test_fetches_run_at_the_same_time(self, threads):
        urls = [f"u{i}" for i in range(4)]
        gate = Gate(hold=CALL_LIMIT)
        fetch = Fetches()
        box: dict = {}
        def test_call():
            try:
                box.update(fetch_call(threads, urls, fetch, gate.wrap))
            except BaseException as exc:  # noqa: BLE001 - pytest.fail of a hang: re-raised below
                box["hang"] = exc

        tester = threading.Thread(target=test_call, daemon=True)
        tester.start()
        try:
            reached = gate.wait_in_flight(len(urls), OVERLAP_LIMIT)
            time.sleep(0.1)
            peak = gate.peak
        finally:
            gate.release()
            _JOIN(tester, CALL_LIMIT + 1)
        if "hang" in box:
            raise box["hang"]
        assert reached and peak == len(urls), (
            f"only {peak} of the {len(urls)} fetches ran at the same time: start every thread first, then join "
            "them (start() and join() in the same loop runs one fetch after another)"
        )
        returned(box, urls)
        ran_in = set(fetch.threads)
        assert len(ran_in) == len(urls) and threading.current_thread() not in ran_in, (
            f"the {len(urls)} fetches ran in {len(ran_in)} thread(s): one new thread per url"
        )

    def test_results_in_url_order_when_they_finish_in_reverse(self, threads):
        urls = ["a", "b", "c", "d"]
        waited: dict = {}

        def before(url):  # each fetch finishes only after the next url's fetch has finished
            i = urls.index(url)
            if i + 1 < len(urls):
                waited[url] = fetch.finished(urls[i + 1]).wait(OVERLAP_LIMIT)

        fetch = Fetches(before=before)
        box = fetch_call(threads, urls, fetch)
        late = [u for u in urls[:-1] if not waited.get(u)]
        assert not late, (
            f"fetch({late[0]!r}) waited {OVERLAP_LIMIT:g} s for the next url's fetch to finish, and it had not even "
            "started: the fetches ran one after another. Start every thread before you join any"
        )
        returned(box, urls)
        assert fetch_call(threads, [], Fetches()).get("value") == [], "parallel_fetch([], fetch) should return []"

    def test_a_failing_fetch_raises_in_the_caller_after_every_thread_finished(self, threads):
        boom = ValueError("cannot fetch bad")
        urls = ["a", "bad", "c", "d"]
        fetch = Fetches(fail={"bad": boom})
        fetch.before = lambda url: url in ("c", "d") and fetch.returned.wait(HOLD_LIMIT)
        with ThreadErrors() as errors:
            box = fetch_call(threads, urls, fetch)
        assert "error" in box, (
            f"fetch('bad') raised {boom!r}, but parallel_fetch returned {box.get('value')!r}: catch the exception in "
            "the thread, and raise it in the caller once every thread is joined"
        )
        assert box["error"] is boom, (
            f"parallel_fetch raised {box['error']!r}, not the exception fetch('bad') raised: raise that same object"
        )
        assert not box["unfinished"] and not box["alive"], (
            f"parallel_fetch raised while fetch() of {box['unfinished']!r} was still running: join every thread, "
            "the failed one and the others, and only then raise"
        )
        assert not errors.caught, (
            f"the exception also escaped the worker thread ({errors.describe()}): catch it in the thread"
        )

    def test_the_first_failing_url_in_order_wins(self, threads):
        late, early = KeyError("late"), LookupError("early")
        urls = ["ok", "late", "early", "ok2"]
        fetch = Fetches(fail={"late": late, "early": early})
        fetch.before = lambda url: url == "late" and fetch.finished("early").wait(OVERLAP_LIMIT)
        with ThreadErrors() as errors:
            box = fetch_call(threads, urls, fetch)
        assert "error" in box, (
            f"fetch('late') and fetch('early') both raised, but parallel_fetch returned {box.get('value')!r}: catch "
            "each exception in its thread, and raise one in the caller once every thread is joined"
        )
        assert box["error"] is late, (
            f"fetch('late') and fetch('early') both raised, 'early' first; parallel_fetch raised {box['error']!r}: "
            "once every thread is joined, raise the exception of the failing url that comes first in urls "
            "(here fetch('late')'s)"
        )
        assert not errors.caught, f"an exception escaped a worker thread ({errors.describe()}): catch it in the thread"

    def test_waits_however_long_the_fetches_take(self, threads, monkeypatch):
        # Here join(t) gives up after 0.05 s: that is how fetches slower than any fixed timeout look.
        # The fetches meet at a barrier first; if it breaks, they did not run at the same time.
        def join(self, timeout=None):
            if timeout is not None and threading.current_thread() is not threading.main_thread():
                timeout = min(timeout, 0.05)
            return _JOIN(self, timeout)

        monkeypatch.setattr(threading.Thread, "join", join)
        urls = ["p", "q", "r"]
        barrier = threading.Barrier(len(urls))
        broken: list = []

        def before(url):
            try:
                barrier.wait(OVERLAP_LIMIT)
            except threading.BrokenBarrierError:
                broken.append(url)
            fetch.returned.wait(2 * HOLD_LIMIT)  # slower than any join timeout: done once parallel_fetch returns

        fetch = Fetches(before=before)
        box = fetch_call(threads, urls, fetch)
        assert not broken, (
            f"the {len(urls)} fetches never all ran at the same time (a barrier of {len(urls)} broke for "
            f"{sorted(broken)}): start every thread before you join any"
        )
        if "error" not in box:
            assert not box["unfinished"], (
                f"parallel_fetch returned {box['value']!r} while fetch() of {box['unfinished']!r} was still running: "
                "join() every thread without a timeout, the fetches may take any time"
            )
        returned(box, urls)
