"""Hidden tests for 07_locks_races (module ``races``).

Races are made visible with the opcode-trace amplifier (grader.probes.threading_probes): inside
``amplified(races)`` every thread yields between any two bytecode instructions of the student's
module, so an unprotected read-modify-write or check-then-act loses in every trial (on 3.10+ a
plain ``+=`` loop almost never does on its own), while correctly locked code stays exact.
Lock use is checked directly with RecordingLocks (who holds which lock at each read and write),
and every call that could deadlock runs under ``call_with_timeout``.
"""

from __future__ import annotations

import threading

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.lockdep import LockGraph, RecordingLock
from grader.probes.threading_probes import amplified

CALL_LIMIT = 5.0
LOCK_WAIT = 3.0
TRIALS = 3


@pytest.fixture
def races():
    return load_student("races")


def run_together(target, args_list, limit=20.0):
    """Start one thread per args tuple, release them together, join them (bounded); return errors."""
    gate = threading.Barrier(len(args_list))
    errors: list[BaseException] = []

    def body(*args):
        try:
            gate.wait(5)
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=body, args=args, daemon=True) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(limit)
    stuck = sum(t.is_alive() for t in threads)
    assert not stuck, f"{stuck} thread(s) still running after {limit:g} s: a deadlock, or a lock that was never released"
    return errors


class TestSafeCounter:
    def test_counts_in_one_thread(self, races):
        counter = races.SafeCounter()
        assert counter.value == 0, f"a new counter should be 0, got {counter.value!r}"
        for _ in range(5):
            counter.increment()
        counter.increment(10)
        assert counter.value == 15, f"5 x increment() + increment(10) should give 15, got {counter.value!r}"

    def test_no_lost_updates_under_amplified_races(self, races):
        threads, per_thread = 4, 20
        for trial in range(TRIALS):
            counter = races.SafeCounter()

            def work():
                for _ in range(per_thread):
                    counter.increment()

            with amplified(races):
                errors = run_together(work, [()] * threads)
            assert not errors, f"increment() raised {errors[0]!r}"
            expected = threads * per_thread
            assert counter.value == expected, (
                f"trial {trial + 1}: {threads} threads x {per_thread} increments gave {counter.value}, not {expected}: "
                "updates were lost. Hold self._lock for the whole read-add-write"
            )

    def test_failed_increment_releases_the_lock(self, races):
        counter = races.SafeCounter()
        counter.increment(2)
        with pytest.raises(TypeError):
            call_with_timeout(counter.increment, None, timeout=CALL_LIMIT)  # 2 + None raises TypeError
        lock = getattr(counter, "_lock", None)
        assert lock is None or not lock.locked(), (
            "increment() raised and left self._lock held: every later increment() would wait forever. "
            "Use `with self._lock:`, which releases the lock also when the body raises"
        )
        call_with_timeout(counter.increment, 3, timeout=2.0)
        assert counter.value == 5, f"increment(2), a failed increment(None), increment(3) should give 5, got {counter.value!r}"

    def test_increment_takes_self_lock(self, races):
        counter = races.SafeCounter()
        assert hasattr(counter, "_lock"), "create the lock in __init__ as self._lock"
        lock = RecordingLock("self._lock", LockGraph(), wait_limit=LOCK_WAIT)
        counter._lock = lock
        for _ in range(3):
            call_with_timeout(counter.increment, timeout=CALL_LIMIT)
        assert lock.acquisitions >= 3, (
            f"3 increments took self._lock {lock.acquisitions} time(s): every increment must hold self._lock "
            "(a new Lock created inside increment protects nothing)"
        )
        assert not lock.locked(), "self._lock is still held after increment() returned"


def watched_account(races, log):
    """A subclass of the student's Account that logs each balance read/write with lock ownership."""

    class WatchedAccount(races.Account):
        @property
        def balance(self):
            if "_balance" in self.__dict__ and isinstance(self.lock, RecordingLock):
                log.append(("read", self.lock.held_by_me()))
            return self._balance

        @balance.setter
        def balance(self, value):
            if "_balance" in self.__dict__ and isinstance(self.lock, RecordingLock):
                log.append(("write", self.lock.held_by_me()))
            self._balance = value

    return WatchedAccount


class TestWithdraw:
    def test_withdraws_only_when_covered(self, races):
        acct = races.Account(50)
        steps = [(30, True, 20), (30, False, 20), (20, True, 0), (1, False, 0)]
        for amount, ok, left in steps:
            got = call_with_timeout(races.withdraw, acct, amount, timeout=CALL_LIMIT)
            assert got is ok, f"withdraw({amount}) should return {ok}, got {got!r}"
            assert acct.balance == left, f"after withdraw({amount}) the balance should be {left}, got {acct.balance}"
        assert not acct.lock.locked(), "the account's lock is still held after withdraw() returned"

    def test_no_overdraft_under_amplified_races(self, races):
        for trial in range(TRIALS):
            acct = races.Account(50)
            results: list[bool] = []

            def work():
                results.append(races.withdraw(acct, 10))

            with amplified(races):
                errors = run_together(work, [()] * 8)
            assert not errors, f"withdraw() raised {errors[0]!r}"
            granted = sum(1 for r in results if r is True)
            assert acct.balance >= 0, (
                f"trial {trial + 1}: 8 threads withdrawing 10 from 50 left a balance of {acct.balance}: check and "
                "subtract under account.lock, as one step"
            )
            assert (granted, acct.balance) == (5, 0), (
                f"trial {trial + 1}: 8 threads withdrawing 10 from 50: {granted} succeeded and the balance is "
                f"{acct.balance}; expected 5 and 0"
            )

    def test_check_and_subtract_hold_the_lock(self, races):
        log: list[tuple[str, bool]] = []
        cls = watched_account(races, log)
        acct = cls(balance=30, lock=RecordingLock("account.lock", LockGraph(), wait_limit=LOCK_WAIT))
        for amount in (10, 50, 20):
            call_with_timeout(races.withdraw, acct, amount, timeout=CALL_LIMIT)
        entries = list(log)  # only withdraw()'s own reads and writes
        assert acct.balance == 0, f"withdraw 10, 50 (refused), 20 from 30 should leave 0, got {acct.balance}"
        reads = [held for kind, held in entries if kind == "read"]
        writes = [held for kind, held in entries if kind == "write"]
        assert reads and writes, "withdraw() should read and write account.balance"
        assert all(reads), (
            "withdraw() read account.balance without holding account.lock: the check must happen under the lock, "
            "or another thread can take the money between your check and your subtraction"
        )
        assert all(writes), "withdraw() changed account.balance without holding account.lock"


class Fib:
    """compute(cache, n) for Fibonacci numbers that asks the cache for n-1 and n-2."""

    def __init__(self) -> None:
        self.calls: dict[int, int] = {}

    def __call__(self, cache, n):
        self.calls[n] = self.calls.get(n, 0) + 1
        if n < 2:
            return n
        return cache.get(n - 1, self) + cache.get(n - 2, self)


class TestMemoCache:
    def test_remembers_values(self, races):
        cache = races.MemoCache()
        calls = []

        def compute(c, key):
            calls.append(key)
            return [key]

        first = call_with_timeout(cache.get, "a", compute, timeout=CALL_LIMIT)
        second = call_with_timeout(cache.get, "a", compute, timeout=CALL_LIMIT)
        other = call_with_timeout(cache.get, "b", compute, timeout=CALL_LIMIT)
        assert first == ["a"] and second is first, "a second get() of the same key should return the remembered value"
        assert other == ["b"]
        assert calls == ["a", "b"], f"compute should run once per key, it ran for {calls}"

    def test_remembers_none_and_falsy_values(self, races):
        cache = races.MemoCache()
        calls = []

        def compute(c, key):
            calls.append(key)
            return {"none": None, "zero": 0, "empty": ""}[key]

        for _ in range(2):
            for key in ("none", "zero", "empty"):
                call_with_timeout(cache.get, key, compute, timeout=CALL_LIMIT)
        assert calls == ["none", "zero", "empty"], (
            f"compute ran for {calls}: a computed None, 0 or '' is a value to remember too. Test whether the key "
            "is in the dict (`key in self._values`), not whether the value is None or false"
        )

    def test_recursive_compute_does_not_deadlock(self, races):
        cache = races.MemoCache()
        fib = Fib()
        got = call_with_timeout(cache.get, 30, fib, timeout=3.0)
        assert got == 832040, f"fib(30) should be 832040, got {got!r}"
        assert all(count == 1 for count in fib.calls.values()), "each key should be computed once"

    def test_compute_runs_once_when_threads_race(self, races):
        cache = races.MemoCache()
        calls: list[str] = []
        second_call = threading.Event()
        calls_lock = threading.Lock()

        def compute(c, key):
            with calls_lock:
                calls.append(threading.current_thread().name)
                first = len(calls) == 1
            if first:
                second_call.wait(0.3)  # a correct cache makes the others wait for the lock meanwhile
            else:
                second_call.set()
            return object()

        results: list[object] = []
        errors = run_together(lambda: results.append(cache.get("k", compute)), [()] * 4, limit=10)
        assert not errors, f"get() raised {errors[0]!r}"
        assert len(calls) == 1, (
            f"4 threads asked for the same missing key and compute ran {len(calls)} times: hold self._lock "
            "while you look up, compute and store"
        )
        assert len({id(r) for r in results}) == 1, "all threads should get the same remembered value"

    def test_failed_compute_leaves_the_cache_usable(self, races):
        cache = races.MemoCache()
        calls = []

        def broken(c, key):
            calls.append("broken")
            raise ValueError("backend down")

        def works(c, key):
            calls.append("works")
            return 7

        # The failing call runs in a thread that stays alive until the end: a dead thread's ident
        # can be reused by the next thread, which an RLock would then take for its owner.
        outcome: dict = {}
        failed, finish = threading.Event(), threading.Event()

        def first_caller():
            try:
                cache.get("k", broken)
            except BaseException as exc:  # noqa: BLE001 - checked below
                outcome["error"] = exc
            failed.set()
            finish.wait(10)

        first = threading.Thread(target=first_caller, daemon=True)
        first.start()
        try:
            assert failed.wait(CALL_LIMIT), "get() with a compute that raises did not return within 5 s"
            assert isinstance(outcome.get("error"), ValueError), (
                f"get() should let compute's ValueError propagate, got {outcome.get('error')!r}"
            )
            # another thread: a lock left held by the failed call blocks it
            got = call_with_timeout(cache.get, "k", works, timeout=2.0)
        finally:
            finish.set()
        assert got == 7, "after a failed compute nothing is remembered: the next get() computes again"
        assert calls == ["broken", "works"], f"compute calls: {calls}"


class GuardLock:
    """A lock stand-in for the fast-path test: records every use."""

    def __init__(self) -> None:
        self.uses = 0
        self._lock = threading.Lock()

    def acquire(self, *args, **kwargs):
        self.uses += 1
        return self._lock.acquire(*args, **kwargs)

    def release(self):
        self._lock.release()

    def locked(self):
        return self._lock.locked()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


@pytest.fixture
def fresh(races, monkeypatch):
    """No singleton yet; the module's lock and instance are restored after the test."""
    monkeypatch.setattr(races, "_instance", None)
    monkeypatch.setattr(races, "_instance_lock", races._instance_lock)
    return races


class Factory:
    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
        return object()


class TestGetInstance:
    def test_returns_one_shared_object(self, fresh):
        factory = Factory()
        a = call_with_timeout(fresh.get_instance, factory, timeout=CALL_LIMIT)
        b = call_with_timeout(fresh.get_instance, factory, timeout=CALL_LIMIT)
        assert a is not None and a is b, "get_instance() should return the same object every time"
        assert factory.calls == 1, f"factory should be called once, it was called {factory.calls} times"
        assert fresh._instance is a, "store the instance in the module global _instance"

    def test_factory_called_once_under_amplified_races(self, fresh, monkeypatch):
        for trial in range(TRIALS):
            monkeypatch.setattr(fresh, "_instance", None)
            factory = Factory()
            results: list[object] = []
            with amplified(fresh):
                errors = run_together(lambda: results.append(fresh.get_instance(factory)), [()] * 8)
            assert not errors, f"get_instance() raised {errors[0]!r}"
            assert factory.calls == 1, (
                f"trial {trial + 1}: 8 threads at once made factory run {factory.calls} times: take _instance_lock "
                "and check _instance again inside it before calling factory"
            )
            assert len({id(r) for r in results}) == 1, "all threads should get the same instance"

    def test_creates_under_instance_lock(self, fresh, monkeypatch):
        lock = RecordingLock("_instance_lock", LockGraph(), wait_limit=LOCK_WAIT)
        monkeypatch.setattr(fresh, "_instance_lock", lock)
        held = []

        def factory():
            held.append(lock.held_by_me())
            return object()

        call_with_timeout(fresh.get_instance, factory, timeout=CALL_LIMIT)
        call_with_timeout(fresh.get_instance, factory, timeout=CALL_LIMIT)
        assert held == [True], (
            "factory must be called once, while holding _instance_lock"
            if held else "get_instance() never called factory"
        )
        assert not lock.locked(), "_instance_lock is still held after get_instance() returned"

    def test_existing_instance_is_returned_without_locking(self, fresh, monkeypatch):
        existing = object()
        guard = GuardLock()
        monkeypatch.setattr(fresh, "_instance", existing)
        monkeypatch.setattr(fresh, "_instance_lock", guard)
        factory = Factory()
        got = call_with_timeout(fresh.get_instance, factory, timeout=CALL_LIMIT)
        assert got is existing, "when _instance exists, return it"
        assert factory.calls == 0, "factory must not be called when the instance exists"
        assert guard.uses == 0, (
            "get_instance() took _instance_lock although the instance already existed: check _instance first, "
            "without the lock (the fast path of double-checked locking)"
        )

    def test_failing_factory_creates_nothing(self, fresh):
        def broken():
            raise RuntimeError("config missing")

        with pytest.raises(RuntimeError):
            call_with_timeout(fresh.get_instance, broken, timeout=CALL_LIMIT)
        assert fresh._instance is None, "when factory raises, _instance must stay None"
        factory = Factory()
        got = call_with_timeout(fresh.get_instance, factory, timeout=2.0)
        assert got is not None and factory.calls == 1, "after a failed factory, the next call should create the instance"


class WatchedSold(list):
    """``self.sold`` that notes, for every read and append, whether the booth's RecordingLock was held and which hold it was."""

    def __init__(self, lock, log):
        super().__init__()
        self._lock, self._log = lock, log

    def _note(self, what):
        self._log.append((what, self._lock.held_by_me(), self._lock.acquisitions))

    def __len__(self):
        self._note("read")
        return super().__len__()

    def __iter__(self):
        self._note("read")
        return super().__iter__()

    def __contains__(self, item):
        self._note("read")
        return super().__contains__(item)

    def __getitem__(self, index):
        self._note("read")
        return super().__getitem__(index)

    def append(self, item):
        self._note("append")
        super().append(item)


class TestTicketBooth:
    """Every test starts from the shipped program's failure: more buyers told True than seats."""

    @staticmethod
    def sell_out(races, seats, buyers, trial):
        booth = races.TicketBooth(seats)
        answers = {}

        def buy(name):
            answers[name] = booth.buy(name)

        with amplified(races):
            errors = run_together(buy, [(f"b{i}",) for i in range(buyers)], limit=8.0)
        assert not errors, f"buy() raised {errors[0]!r}"
        winners = sorted(name for name, ok in answers.items() if ok is True)
        assert len(booth.sold) <= seats and len(winners) <= seats, (
            f"trial {trial + 1}: {buyers} threads bought from a booth with {seats} seats: {len(winners)} were told True "
            f"and sold holds {len(booth.sold)}. The check and the append must happen in ONE hold of self.lock: "
            "another thread can buy between two separate `with self.lock:` blocks"
        )
        return booth, winners

    def test_never_sells_more_than_the_seats(self, races):
        for trial in range(TRIALS * 2):
            booth, winners = self.sell_out(races, 2, 8, trial)
            assert len(winners) == 2 and sorted(booth.sold) == winners, (
                f"trial {trial + 1}: 8 buyers, 2 seats: True was returned to {winners} and sold is {booth.sold}; "
                "exactly the 2 buyers told True must be in sold"
            )

    def test_sold_out_answers_false_at_once_and_changes_nothing(self, races):
        for trial in range(TRIALS * 2):
            booth, _ = self.sell_out(races, 3, 8, trial)
            before = list(booth.sold)
            assert call_with_timeout(booth.buy, "late", timeout=CALL_LIMIT) is False, (
                "buy() on a sold-out booth must return False"
            )
            assert booth.sold == before, f"a refused buy() changed sold from {before} to {booth.sold}"
            assert not booth.lock.locked(), "buy() returned False and left self.lock held"

    def test_check_and_append_in_one_hold_of_self_lock(self, races):
        for trial in range(TRIALS):
            self.sell_out(races, 1, 6, trial)
        booth = races.TicketBooth(2)
        log: list = []
        lock = RecordingLock("self.lock", LockGraph(), wait_limit=LOCK_WAIT)
        booth.lock = lock
        booth.sold = WatchedSold(lock, log)
        for name in ("ann", "bob"):
            log.clear()
            assert call_with_timeout(booth.buy, name, timeout=CALL_LIMIT) is True, f"buy({name!r}) with a seat left must return True"
            appends = [entry for entry in log if entry[0] == "append"]
            assert appends, f"buy({name!r}) returned True but never called self.sold.append"
            _, held, hold = appends[-1]
            assert held, "self.sold.append ran without self.lock held"
            unsafe = [entry for entry in log if entry[0] == "read" and (not entry[1] or entry[2] != hold)]
            assert not unsafe, (
                "buy() read self.sold " + ("without holding self.lock" if not unsafe[0][1] else "in an earlier hold of self.lock")
                + " and appended in another: the seat it saw free may be gone by then. Check and append in one `with self.lock:`"
            )
        assert lock.acquisitions >= 2 and not lock.locked()
