"""Hidden tests for 08_deadlock (module ``bank``).

Lock order is checked with lockdep (grader.probes.lockdep): the accounts' locks and the forks are
RecordingLocks sharing one LockGraph, which records an edge held -> acquiring on every blocking
acquire. A cycle is a possible deadlock, found without waiting for one; the transfers run one
after another in a single thread, which can never deadlock. Blocking acquires give up after
LOCK_WAIT s (RecordingLock's wait_limit), so a real deadlock ends the threads instead of hanging.
"""

from __future__ import annotations

import threading
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.lockdep import LockGraph, RecordingLock
from grader.probes.student import wait_until

LOCK_WAIT = 3.0  # a correct solution never waits more than a few ms for a lock here
CALL_LIMIT = 10.0


@pytest.fixture
def bank():
    return load_student("bank")


class Writes:
    """Records every balance write: account id, new value, names of the locks the writer holds."""

    def __init__(self, graph: LockGraph) -> None:
        self.graph = graph
        self.log: list[tuple[int, int, list[str]]] = []


def watched_account_class(bank, writes: Writes):
    """A subclass of the student's Account whose ``balance`` setter logs who holds which lock."""

    class WatchedAccount(bank.Account):
        @property
        def balance(self):
            return self._balance

        @balance.setter
        def balance(self, value):
            if "_balance" in self.__dict__:  # not the write in __init__
                writes.log.append((self.id, value, [lock.name for lock in writes.graph.held()]))
            self._balance = value

    return WatchedAccount


def make_accounts(bank, specs):
    """Accounts with RecordingLocks on one graph; returns (accounts, graph, writes)."""
    graph = LockGraph()
    writes = Writes(graph)
    cls = watched_account_class(bank, writes)
    accounts = [
        cls(id=ident, balance=balance, lock=RecordingLock(f"account {ident}", graph, wait_limit=LOCK_WAIT))
        for ident, balance in specs
    ]
    return accounts, graph, writes


class LoggingLock(RecordingLock):
    """A RecordingLock that appends its name to ``log`` each time it is taken (any kind of acquire)."""

    def __init__(self, name, graph, log, **kwargs) -> None:
        super().__init__(name, graph, **kwargs)
        self.log = log

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        got = super().acquire(blocking, timeout)
        if got:
            self.log.append(self.name)
        return got


class RefusingLock(RecordingLock):
    """A RecordingLock whose first ``refusals`` timed or non-blocking acquires fail, as if another
    thread held it for a moment. Blocking ``acquire()`` (and ``with``) is not affected."""

    def __init__(self, name, graph, refusals: int = 1, **kwargs) -> None:
        super().__init__(name, graph, **kwargs)
        self.refusals = refusals
        self._refusals_lock = threading.Lock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not (blocking and timeout < 0):
            with self._refusals_lock:
                refuse = self.refusals > 0
                self.refusals -= refuse
            if refuse:
                if blocking and timeout > 0:
                    time.sleep(min(timeout, 0.01))
                return False
        return super().acquire(blocking, timeout)


def run_transfers(bank, moves):
    for src, dst, amount in moves:
        call_with_timeout(bank.transfer, src, dst, amount, timeout=CALL_LIMIT)


class TestTransfer:
    # ids deliberately not in creation order
    SPECS = [(7, 100), (3, 50), (5, 20)]

    def moves(self, a, b, c):
        return [(a, b, 10), (b, a, 5), (b, c, 7), (c, a, 3)]

    def test_lock_order_is_global(self, bank):
        (a, b, c), graph, _ = make_accounts(bank, self.SPECS)
        run_transfers(bank, self.moves(a, b, c))
        cycle = graph.describe_cycle()
        if cycle:
            pytest.fail(cycle, pytrace=False)
        assert all(acct.lock.acquisitions > 0 for acct in (a, b, c)), "transfer() must take the accounts' locks"

    def test_balances_are_moved_and_conserved(self, bank):
        (a, b, c), _, _ = make_accounts(bank, self.SPECS)
        run_transfers(bank, self.moves(a, b, c))
        got = (a.balance, b.balance, c.balance)
        assert got == (98, 48, 24), f"after the four transfers expected balances (98, 48, 24), got {got}"

    def test_both_locks_held_while_balances_change(self, bank):
        (a, b, c), _, writes = make_accounts(bank, self.SPECS)
        for src, dst, amount in self.moves(a, b, c):
            writes.log.clear()
            run_transfers(bank, [(src, dst, amount)])
            touched = {ident for ident, _, _ in writes.log}
            assert touched == {src.id, dst.id}, (
                f"transfer(account {src.id}, account {dst.id}) should write both balances, wrote accounts {sorted(touched)}"
            )
            both = {src.lock.name, dst.lock.name}
            for ident, _, held in writes.log:
                assert both <= set(held), (
                    f"in transfer(account {src.id}, account {dst.id}) the balance of account {ident} was "
                    f"changed while holding {held or 'no lock'}: hold both accounts' locks while you move the money"
                )

    def test_locks_are_released(self, bank):
        (a, b, c), _, _ = make_accounts(bank, self.SPECS)
        for src, dst, amount in self.moves(a, b, c):
            run_transfers(bank, [(src, dst, amount)])
            still = [acct.lock.name for acct in (a, b, c) if acct.lock.locked()]
            assert not still, f"after transfer(account {src.id}, account {dst.id}) these locks are still held: {still}"

    def test_lower_account_id_is_locked_first(self, bank):
        graph, log = LockGraph(), []
        accounts = [bank.Account(id=0, balance=100) for _ in range(3)]
        # number the accounts against their memory order, so id(account) order is the reverse of .id order
        for acct, ident in zip(sorted(accounts, key=id), (9, 6, 4)):
            acct.id = ident
            acct.lock = LoggingLock(f"account {ident}", graph, log, wait_limit=LOCK_WAIT)
        a, b, c = sorted(accounts, key=lambda acct: acct.id)
        for src, dst in [(a, b), (b, a), (c, a), (b, c), (a, c), (c, b)]:
            log.clear()
            run_transfers(bank, [(src, dst, 1)])
            first = log[0] if log else None
            assert first == f"account {min(src.id, dst.id)}", (
                f"transfer(account {src.id}, account {dst.id}) took the locks in the order {log}: always take the "
                "lock of the account with the lower id attribute first (not the source first, not by id(account))"
            )

    def test_failing_transfer_releases_both_locks(self, bank):
        a, b = bank.Account(1, 100), bank.Account(2, 100)
        with pytest.raises(TypeError):
            call_with_timeout(bank.transfer, a, b, None, timeout=CALL_LIMIT)  # 100 - None raises TypeError
        still = [f"account {acct.id}" for acct in (a, b) if acct.lock.locked()]
        assert not still, (
            f"transfer() raised and left the lock of {', '.join(still)} held: every later transfer would wait "
            "forever. Use `with` blocks, which release the locks also when the body raises"
        )
        call_with_timeout(bank.transfer, b, a, 30, timeout=2.0)
        assert (a.balance, b.balance) == (130, 70)

    def test_a_busy_lock_delays_the_transfer_but_never_drops_it(self, bank):
        graph = LockGraph()
        a = bank.Account(1, 100, lock=RefusingLock("account 1", graph, wait_limit=LOCK_WAIT))
        b = bank.Account(2, 100, lock=RefusingLock("account 2", graph, wait_limit=LOCK_WAIT))
        call_with_timeout(bank.transfer, a, b, 10, timeout=CALL_LIMIT)
        call_with_timeout(bank.transfer, b, a, 25, timeout=CALL_LIMIT)
        assert (a.balance, b.balance) == (115, 85), (
            f"when a lock is busy for a moment (a try-lock failed once), transfer must still move the money: "
            f"got balances {(a.balance, b.balance)}, expected (115, 85). Wait for the lock (or retry), never return "
            "without having moved the money"
        )
        assert not a.lock.locked() and not b.lock.locked(), "release both locks"

    def test_opposite_transfers_in_two_threads(self, bank):
        a, b = bank.Account(1, 1000), bank.Account(2, 1000)  # real threading.Lock locks
        rounds = 300

        def mover(src, dst):
            for _ in range(rounds):
                bank.transfer(src, dst, 1)

        threads = [
            threading.Thread(target=mover, args=(a, b), daemon=True),
            threading.Thread(target=mover, args=(b, a), daemon=True),
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 5.0  # the correct solution needs a few ms
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in threads), (
            "two threads doing opposite transfers deadlocked: take the locks in ascending account id order"
        )
        assert (a.balance, b.balance) == (1000, 1000), f"balances should be back to (1000, 1000), got {(a.balance, b.balance)}"


class Holder:
    """Holds ``lock`` in its own daemon thread until ``release()`` (or ``after`` seconds)."""

    def __init__(self, lock, after: float = 10.0, when=None) -> None:
        self.lock = lock
        self._go = threading.Event()
        self._holding = threading.Event()
        self._after = after
        self._when = when  # optional: release once this returns True (polled), then 0.1 s later
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._holding.wait(5), "test helper could not take the lock"

    def _run(self) -> None:
        self.lock.acquire()
        self._holding.set()
        try:
            if self._when is None:
                self._go.wait(self._after)
            else:
                deadline = time.monotonic() + self._after
                while not self._when() and not self._go.is_set() and time.monotonic() < deadline:
                    time.sleep(0.001)
                time.sleep(0.1)
        finally:
            self.lock.release()

    def release(self) -> None:
        self._go.set()
        self._thread.join(5)


def recording_pair():
    graph = LockGraph()
    return RecordingLock("lock a", graph, wait_limit=LOCK_WAIT), RecordingLock("lock b", graph, wait_limit=LOCK_WAIT)


class TestAcquireBoth:
    def test_free_locks_are_both_taken(self, bank):
        a, b = recording_pair()
        got = bank.acquire_both(a, b, 1.0)
        try:
            assert got is True, f"both locks were free: acquire_both should return True, got {got!r}"
            assert a.held_by_me() and b.held_by_me(), "on True, the calling thread must hold both locks"
        finally:
            for lock in (a, b):
                if lock.locked():
                    lock.release()

    def test_busy_second_lock_gives_up_and_releases_the_first(self, bank):
        a, b = recording_pair()
        timeout = 0.3
        holder = Holder(b)
        try:
            start = time.monotonic()
            got = call_with_timeout(bank.acquire_both, a, b, timeout, timeout=timeout + 3)
            elapsed = time.monotonic() - start
            assert got is False, f"lock b was held by another thread: acquire_both should return False, got {got!r}"
            assert elapsed < timeout + 0.5, f"acquire_both took {elapsed:.2f} s with timeout={timeout}"
            assert not a.locked(), "acquire_both returned False but lock a is still held: release it before returning"
            assert b.locked() and b.owner == holder._thread.ident, "acquire_both released lock b, which it never got"
        finally:
            holder.release()

    def test_busy_first_lock_gives_up_without_touching_the_second(self, bank):
        a, b = recording_pair()
        timeout = 0.3
        holder = Holder(a)
        try:
            start = time.monotonic()
            got = call_with_timeout(bank.acquire_both, a, b, timeout, timeout=timeout + 3)
            elapsed = time.monotonic() - start
            assert got is False, f"lock a was held by another thread: acquire_both should return False, got {got!r}"
            assert elapsed < timeout + 0.5, f"acquire_both took {elapsed:.2f} s with timeout={timeout}"
            assert b.acquisitions == 0 and not b.locked(), "take lock a first: lock b must not be taken when a is busy"
        finally:
            holder.release()

    def test_waits_for_the_second_lock(self, bank):
        a, b = recording_pair()
        holder = Holder(b, after=3.0, when=a.locked)  # lets b go 0.1 s after a is taken
        try:
            got = call_with_timeout(bank.acquire_both, a, b, 3.0, timeout=8)
            assert got is True, (
                "lock b was freed 0.1 s after lock a was taken, well within timeout=3: acquire_both should "
                f"wait for it with acquire(timeout=...) and return True, got {got!r}"
            )
        finally:
            holder.release()
            for lock in (a, b):
                if lock.locked():
                    lock.release()


class Table:
    """The eat() callback: counts meals and checks the philosopher holds both forks."""

    def __init__(self, forks, meals: int, slow_last_meal_of_0=None, running=None) -> None:
        self.forks = forks
        self.meals = meals
        self.n = len(forks)
        self.eaten = [0] * self.n
        self.problems: list[str] = []
        self.threads: dict[int, set] = {i: set() for i in range(self.n)}
        self.slow = slow_last_meal_of_0  # an Event: philosopher 0's last meal waits for it (0.5 s max)
        # optional: a function giving the philosopher threads running now; the first meal (of any
        # philosopher) waits (3 s max) until all n philosopher threads have been started meanwhile
        self.running = running
        self.together: bool | None = None
        self._seen: set = set()
        self._lock = threading.Lock()

    def __call__(self, i: int) -> None:
        left, right = self.forks[i], self.forks[(i + 1) % self.n]
        if not (left.held_by_me() and right.held_by_me()):
            missing = [f.name for f in (left, right) if not f.held_by_me()]
            with self._lock:
                self.problems.append(f"philosopher {i} ate without holding {', '.join(missing)}")
        if self.running is not None and self.together is None:
            self.together = wait_until(self._all_started, 3.0)
        if self.slow is not None and i == 0 and self.eaten[0] == self.meals - 1:
            self.slow.wait(0.5)
        with self._lock:
            self.eaten[i] += 1
            self.threads[i].add(threading.current_thread())

    def _all_started(self) -> bool:
        self._seen.update(self.running())  # a philosopher may already have eaten and ended
        return len(self._seen) >= self.n

    def done(self) -> int:
        with self._lock:
            return sum(self.eaten)


class ThreadErrors:
    """Collects exceptions that end threads (a philosopher stuck for LOCK_WAIT s raises one)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def __enter__(self):
        self._saved = threading.excepthook
        threading.excepthook = self._hook
        return self

    def __exit__(self, *exc) -> None:
        threading.excepthook = self._saved

    def _hook(self, args) -> None:
        name = args.thread.name if args.thread is not None else "a thread"
        self.errors.append(f"{name} failed: {args.exc_type.__name__}: {args.exc_value}")


def make_forks(n):
    graph = LockGraph()
    return [RecordingLock(f"fork {i}", graph, wait_limit=LOCK_WAIT) for i in range(n)], graph


class TestDine:
    @pytest.mark.parametrize("n", [2, 5])
    def test_no_lock_order_cycle_and_everyone_eats(self, bank, n):
        forks, graph = make_forks(n)
        meals = 3
        table = Table(forks, meals)
        with ThreadErrors() as crashed:
            call_with_timeout(bank.dine, forks, meals, table, timeout=CALL_LIMIT)
        cycle = graph.describe_cycle()
        if cycle:
            pytest.fail(cycle.replace("account id", "fork number"), pytrace=False)
        assert not crashed.errors, crashed.errors[0]
        assert table.eaten == [meals] * n, f"each of the {n} philosophers should eat {meals} times, got {table.eaten}"
        assert not table.problems, table.problems[0]

    def test_one_thread_per_philosopher(self, bank):
        forks, _ = make_forks(4)
        table = Table(forks, 2)
        box = {}

        def run():
            box["caller"] = threading.current_thread()
            bank.dine(forks, 2, table)

        with ThreadErrors() as crashed:
            call_with_timeout(run, timeout=CALL_LIMIT)
        assert not crashed.errors, crashed.errors[0]
        caller = box["caller"]
        assert table.eaten == [2] * 4, f"each of the 4 philosophers should eat 2 times, got {table.eaten}"
        seen = [table.threads[i] for i in range(4)]
        assert all(len(s) == 1 for s in seen), "each philosopher should eat all its meals in its own thread"
        threads = [next(iter(s)) for s in seen]
        assert len(set(threads)) == 4, "the 4 philosophers should run in 4 different threads"
        assert caller not in threads and all(t is not threading.main_thread() for t in threads), (
            "philosophers must run in new threads, not in the thread that called dine()"
        )

    def test_philosophers_run_at_the_same_time(self, bank):
        forks, _ = make_forks(4)
        before = set(threading.enumerate())
        box = {}

        def running():
            return [t for t in threading.enumerate() if t not in before and t is not box.get("caller")]

        table = Table(forks, 2, running=running)

        def run():
            box["caller"] = threading.current_thread()
            bank.dine(forks, 2, table)

        with ThreadErrors() as crashed:
            call_with_timeout(run, timeout=CALL_LIMIT)
        assert not crashed.errors, crashed.errors[0]
        assert table.eaten == [2] * 4, f"each of the 4 philosophers should eat 2 times, got {table.eaten}"
        assert table.together, (
            "while the first philosopher ate its first meal, the other philosopher threads had not been started "
            "within 3 s: start every thread first, then join them (start-join-start-join makes them eat one after "
            "another)"
        )

    def test_a_failed_try_lock_means_no_meal(self, bank):
        graph = LockGraph()
        forks = [RefusingLock(f"fork {i}", graph, wait_limit=LOCK_WAIT) for i in range(3)]
        table = Table(forks, 2)
        with ThreadErrors() as crashed:
            call_with_timeout(bank.dine, forks, 2, table, timeout=CALL_LIMIT)
        assert not crashed.errors, crashed.errors[0]
        assert not table.problems, (
            table.problems[0] + " (each fork refused its first try-lock here: when acquire(timeout=...) returns "
            "False you do not hold that fork; put the other one down and try again)"
        )
        assert table.eaten == [2] * 3, f"each of the 3 philosophers should eat 2 times, got {table.eaten}"

    def test_returns_only_after_every_meal(self, bank, monkeypatch):
        # here a join(t) with a timeout gives up after 0.05 s (outside the test's main thread), as if
        # the meals took longer than any fixed timeout; join() without a timeout is unchanged
        original_join = threading.Thread.join

        def join(self, timeout=None):
            if timeout is not None and threading.current_thread() is not threading.main_thread():
                timeout = min(timeout, 0.05)
            return original_join(self, timeout)

        monkeypatch.setattr(threading.Thread, "join", join)
        forks, _ = make_forks(3)
        meals = 2
        returned = threading.Event()
        table = Table(forks, meals, slow_last_meal_of_0=returned)
        box = {}

        def run():
            bank.dine(forks, meals, table)
            box["done_at_return"] = table.done()
            returned.set()

        with ThreadErrors() as crashed:
            call_with_timeout(run, timeout=CALL_LIMIT)
        assert not crashed.errors, crashed.errors[0]
        assert box["done_at_return"] == 3 * meals, (
            f"dine() returned after {box['done_at_return']} of {3 * meals} meals: join every philosopher thread, "
            "without a timeout (meals may take any length of time)"
        )


class Guarded(list):
    """A list that notes every use made without holding its owner's lock (``owner`` is a RecordingLock)."""

    def __init__(self, items, owner, what, misuse):
        super().__init__(items)
        self._owner, self._what, self._misuse = owner, what, misuse

    def _check(self, op):
        if not self._owner.held_by_me():
            self._misuse.append(f"{self._what}.{op} without holding {self._owner.name}")

    def __iter__(self):
        self._check("__iter__")
        return super().__iter__()

    def __len__(self):
        self._check("__len__")
        return super().__len__()

    def __contains__(self, item):
        self._check("__contains__")
        return super().__contains__(item)

    def __getitem__(self, index):
        self._check("__getitem__")
        return super().__getitem__(index)

    def copy(self):
        self._check("copy")
        return list(super().__iter__())

    def append(self, item):
        self._check("append")
        super().append(item)

    def remove(self, item):
        self._check("remove")
        super().remove(item)

    def clear(self):
        self._check("clear")
        super().clear()


class Chat:
    """The student's Room and User objects, with RecordingLocks on one graph and guarded lists."""

    def __init__(self, bank, rooms, users):
        self.graph = LockGraph()
        self.misuse: list[str] = []
        self.rooms = {name: bank.Room(name) for name in rooms}
        self.users = {name: bank.User(name) for name in users}
        for kind, objects in (("room", self.rooms), ("user", self.users)):
            for name, obj in objects.items():
                assert hasattr(obj, "lock"), f"{kind} {name!r} has no .lock: keep the lock the program ships with"
                obj.lock = RecordingLock(f"{kind} {name}.lock", self.graph, wait_limit=LOCK_WAIT)
        for name, room in self.rooms.items():
            room.members = Guarded(room.members, room.lock, f"room {name}.members", self.misuse)
        for name, user in self.users.items():
            user.rooms = Guarded(user.rooms, user.lock, f"user {name}.rooms", self.misuse)
            user.inbox = Guarded(user.inbox, user.lock, f"user {name}.inbox", self.misuse)

    def inbox(self, user):
        return list(list.__iter__(self.users[user].inbox))

    def members(self, room):
        return sorted(u.name for u in list.__iter__(self.rooms[room].members))

    def assert_sound(self):
        cycle = self.graph.describe_cycle()
        assert cycle is None, (
            f"{cycle} Here: broadcast holds a room's lock while user.deliver takes the user's lock, and "
            "leave_all holds the user's lock while room.remove takes the room's. Do not call out to the "
            "other object while holding your own lock (copy what you need, release, then call)"
        )
        assert not self.misuse, f"{self.misuse[0]}: the docstring says who guards each list"


def chat_scenario(bank):
    """join, broadcast, leave_all, broadcast, in one thread: delivery right, no lock-order cycle, lists guarded."""
    chat = Chat(bank, ["lobby", "dev"], ["ann", "bob", "cy"])
    lobby, dev = chat.rooms["lobby"], chat.rooms["dev"]
    for name in ("ann", "bob", "cy"):
        call_with_timeout(lobby.join, chat.users[name], timeout=CALL_LIMIT)
    call_with_timeout(dev.join, chat.users["bob"], timeout=CALL_LIMIT)
    call_with_timeout(lobby.broadcast, "hi", timeout=CALL_LIMIT)
    call_with_timeout(dev.broadcast, "build", timeout=CALL_LIMIT)
    call_with_timeout(chat.users["bob"].leave_all, timeout=CALL_LIMIT)
    call_with_timeout(lobby.broadcast, "bye", timeout=CALL_LIMIT)
    chat.assert_sound()
    assert chat.inbox("ann") == [("lobby", "hi"), ("lobby", "bye")], f"ann's inbox is {chat.inbox('ann')}"
    assert chat.inbox("bob") == [("lobby", "hi"), ("dev", "build")], (
        f"bob's inbox is {chat.inbox('bob')}: he should get 'hi' and 'build', and not 'bye' after leaving"
    )
    assert chat.members("lobby") == ["ann", "cy"] and chat.members("dev") == [], (
        f"after bob.leave_all(): lobby has {chat.members('lobby')}, dev has {chat.members('dev')}"
    )
    assert list(list.__iter__(chat.users["bob"].rooms)) == [], "leave_all() must empty user.rooms"
    return chat


class TestRoomBroadcast:
    """Every test first runs chat_scenario, which the shipped program fails (a lock-order cycle)."""

    def test_delivers_without_a_lock_order_cycle(self, bank):
        chat_scenario(bank)

    def test_broadcasts_and_leaves_in_many_threads_finish(self, bank):
        chat_scenario(bank)
        users = [f"u{i}" for i in range(6)]
        chat = Chat(bank, ["a", "b"], users)
        for room in chat.rooms.values():
            for name in users:
                room.join(chat.users[name])
        errors: list[BaseException] = []
        gate = threading.Barrier(8)

        def run(fn, *args):
            try:
                gate.wait(5)
                for _ in range(30):
                    fn(*args)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        def churn(name):
            user = chat.users[name]
            user.leave_all()
            for room in chat.rooms.values():
                room.join(user)

        threads = [threading.Thread(target=run, args=(chat.rooms[r].broadcast, "x"), daemon=True) for r in ("a", "b")]
        threads += [threading.Thread(target=run, args=(churn, name), daemon=True) for name in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join(CALL_LIMIT)
        assert not any(t.is_alive() for t in threads), "broadcasts and leaves in 8 threads did not finish: a deadlock"
        assert not errors, f"a thread failed: {errors[0]!r}"
        chat.assert_sound()
        for name in users:
            assert chat.inbox(name).count(("a", "x")) <= 30 and chat.members("a").count(name) == 1

    def test_waits_for_a_busy_member_instead_of_skipping_it(self, bank):
        chat_scenario(bank)
        chat = Chat(bank, ["lobby"], ["ann", "bob"])
        lobby = chat.rooms["lobby"]
        lobby.join(chat.users["ann"])
        lobby.join(chat.users["bob"])
        busy = chat.users["bob"].lock
        busy.acquire()  # another thread is using bob's inbox for a while
        try:
            sender = threading.Thread(target=lobby.broadcast, args=("news",), daemon=True)
            sender.start()
            sender.join(1.0)  # a correct broadcast cannot finish while bob's lock is held
        finally:
            busy.release()
        sender.join(CALL_LIMIT)
        assert not sender.is_alive(), "broadcast() did not finish after bob's lock was released"
        assert chat.inbox("bob") == [("lobby", "news")] and chat.inbox("ann") == [("lobby", "news")], (
            f"inboxes after broadcast('news'): ann {chat.inbox('ann')}, bob {chat.inbox('bob')}; a member whose "
            "lock is busy must get the message once it is free, not be skipped"
        )
