"""Hidden tests for 14b_debugging (module ``hang_doctor``).

Nothing here is a stored sample: every dump and every log is produced afresh, by a program the
test writes with random names (locks, functions, tasks) and runs in a child interpreter, so an
answer written for one dump fails the next. The deadlocked programs print their threads'
``threading.get_ident()`` so the test knows the truth; their dumps come from the three ways
faulthandler writes one (``dump_traceback``, ``dump_traceback_later``, ``register`` and a
signal). The watchdog runs in child interpreters that hang on purpose, also inside C code that
holds the GIL, or finish early; each child is killed with its whole process group.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from grader.probes import call_with_timeout, load_student
from grader.probes.child import run_child

WORDS = ["ledger", "audit", "cache", "index", "queue", "stock", "orders", "users", "billing", "mailbox", "report",
         "session", "inventory", "payments", "journal", "registry"]


@pytest.fixture
def hd():
    return load_student("hang_doctor")


def names(k, suffix=""):
    rng = random.Random()
    picked = rng.sample(WORDS, k)
    return [f"{w}_{rng.randrange(10, 99)}{suffix}" for w in picked]


def run_program(path, *, timeout, signal_after=None):
    """Run ``python path``; with signal_after, send SIGUSR1 that long after its first stdout line.
    Returns (stdout, stderr); the whole process group is killed at the end."""
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        if signal_after is not None:
            first = call_with_timeout(proc.stdout.readline, timeout=timeout)
            time.sleep(signal_after)
            os.kill(proc.pid, signal.SIGUSR1)
            time.sleep(0.5)
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=5)
            return first + out, err
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate(timeout=5)
        return out, err
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def truth(stdout):
    line = next((ln for ln in stdout.splitlines() if ln.startswith("{")), None)
    assert line, f"the test program printed no thread ids: {stdout!r}"
    return json.loads(line)


def in_dump_order(dump, pairs):
    def position(pair):
        match = re.search(rf"thread 0x0*{pair[0]:x} ", dump, re.IGNORECASE)
        assert match, f"thread {pair[0]:#x} is not in the dump"
        return match.start()

    return sorted(pairs, key=position)


def check(hd, dump, program, expected):
    assert "most recent call first" in dump, f"no faulthandler dump was produced: {dump[-500:]!r}"
    got = call_with_timeout(hd.deadlock_cause, dump, str(program), timeout=5)
    want = in_dump_order(dump, expected)
    assert isinstance(got, list), f"deadlock_cause returned {got!r}, expected a list of (thread_id, lock) pairs"
    assert [tuple(p) for p in got] == want, (
        f"deadlock_cause returned {got}, expected {want} (thread ids as ints, in the order of the dump; the lock "
        f"as written on the innermost frame's line, when that frame is in the program)\n--- dump ---\n{dump}")


# --------------------------------------------------------------------------- deadlock_cause
class TestDeadlockCause:
    def test_two_threads_lock_order_with_distractors(self, hd, tmp_path):
        first, second = names(2)
        f_a, f_b, f_idle = names(3, "_worker")
        program = tmp_path / "bank.py"
        program.write_text(textwrap.dedent(f"""\
            import faulthandler, json, queue, sys, threading, time
            {first} = threading.Lock()
            {second} = threading.Lock()
            both = threading.Barrier(2)
            idents = {{}}
            jobs = queue.Queue()

            def {f_a}():
                idents["a"] = threading.get_ident()
                with {first}:
                    both.wait()
                    with {second}:
                        pass

            def {f_b}():
                idents["b"] = threading.get_ident()
                with {second}:
                    both.wait()
                    with {first}:
                        pass

            def {f_idle}():
                jobs.get()          # waits in queue.get, inside threading.py: not a lock of ours

            def napper():
                time.sleep(60)

            threads = [threading.Thread(target=f, daemon=True) for f in ({f_a}, {f_b}, {f_idle}, napper)]
            for t in threads:
                t.start()
            time.sleep(0.3)
            print(json.dumps(idents), flush=True)
            faulthandler.dump_traceback_later(0.4, exit=True)
            threads[0].join()       # the main thread waits in join: not a lock of this program either
            """))
        out, err = run_program(program, timeout=10)
        ids = truth(out)
        check(hd, err, program, [(ids["a"], second), (ids["b"], first)])

    def test_acquire_calls_and_attribute_locks(self, hd, tmp_path):
        attr, = names(1)
        helper, = names(1, "_step")
        program = tmp_path / "accounts.py"
        program.write_text(textwrap.dedent(f"""\
            import faulthandler, json, sys, threading, time
            both = threading.Barrier(2)
            idents = {{}}

            class Account:
                def __init__(self):
                    self.{attr} = threading.Lock()

                def transfer(self, other, key):
                    idents[key] = threading.get_ident()
                    with self.{attr}:
                        both.wait()
                        other.{helper}()

                def {helper}(self):
                    self.{attr}.acquire()
                    self.{attr}.release()

            a, b = Account(), Account()
            t1 = threading.Thread(target=a.transfer, args=(b, "a"), daemon=True)
            t2 = threading.Thread(target=b.transfer, args=(a, "b"), daemon=True)
            t1.start(); t2.start()
            time.sleep(0.4)
            print(json.dumps(idents), flush=True)
            faulthandler.dump_traceback(sys.stderr, all_threads=True)
            sys.stderr.flush()
            """))
        out, err = run_program(program, timeout=10)
        ids = truth(out)
        check(hd, err, program, [(ids["a"], f"self.{attr}"), (ids["b"], f"self.{attr}")])

    def test_main_thread_in_the_cycle_dumped_on_a_signal(self, hd, tmp_path):
        held, wanted = names(2)
        func, = names(1, "_job")
        program = tmp_path / "service.py"
        program.write_text(textwrap.dedent(f"""\
            import faulthandler, json, signal, threading
            faulthandler.register(signal.SIGUSR1, all_threads=True)
            {held} = threading.Lock()
            {wanted} = threading.Lock()
            both = threading.Barrier(2)
            idents = {{"main": threading.get_ident()}}

            def {func}():
                idents["worker"] = threading.get_ident()
                with {wanted}:
                    both.wait()
                    {held}.acquire()

            threading.Thread(target={func}, daemon=True).start()
            with {held}:
                both.wait()
                print(json.dumps(idents), flush=True)
                with {wanted}:
                    pass
            """))
        out, err = run_program(program, timeout=10, signal_after=0.3)
        ids = truth(out)
        check(hd, err, program, [(ids["main"], wanted), (ids["worker"], held)])

    def test_three_thread_cycle(self, hd, tmp_path):
        locks = names(3)
        program = tmp_path / "ring.py"
        program.write_text(textwrap.dedent(f"""\
            import faulthandler, json, threading, time
            locks = [threading.Lock() for _ in range(3)]
            {locks[0]}, {locks[1]}, {locks[2]} = locks
            ready = threading.Barrier(3)
            idents = {{}}

            def first():
                idents["0"] = threading.get_ident()
                with {locks[0]}:
                    ready.wait()
                    with {locks[1]}:
                        pass

            def second():
                idents["1"] = threading.get_ident()
                with {locks[1]}:
                    ready.wait()
                    with {locks[2]}:
                        pass

            def third():
                idents["2"] = threading.get_ident()
                with {locks[2]}:
                    ready.wait()
                    with {locks[0]}:
                        pass

            for f in (first, second, third):
                threading.Thread(target=f, daemon=True).start()
            time.sleep(0.3)
            print(json.dumps(idents), flush=True)
            faulthandler.dump_traceback_later(0.3, exit=True)
            time.sleep(30)
            """))
        out, err = run_program(program, timeout=10)
        ids = truth(out)
        check(hd, err, program, [(ids["0"], locks[1]), (ids["1"], locks[2]), (ids["2"], locks[0])])

    def test_no_thread_stuck_on_a_lock(self, hd, tmp_path):
        program = tmp_path / "idle.py"
        program.write_text(textwrap.dedent("""\
            import faulthandler, json, queue, sys, threading, time
            q = queue.Queue()
            spare = threading.Lock()
            threading.Thread(target=q.get, daemon=True).start()
            threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
            with spare:
                time.sleep(0.3)
                print(json.dumps({}), flush=True)
                faulthandler.dump_traceback(sys.stderr, all_threads=True)
            """))
        _out, err = run_program(program, timeout=10)
        assert "most recent call first" in err, err
        got = call_with_timeout(hd.deadlock_cause, err, str(program), timeout=5)
        assert list(got) == [], f"no thread waits for a lock in this dump, deadlock_cause returned {got}\n{err}"


# --------------------------------------------------------------------------- install_watchdog
DUMP_HEADER = re.compile(r"^(?:Current thread|Thread) 0x[0-9a-f]+", re.MULTILINE | re.IGNORECASE)


def child(code, timeout):
    return run_child("import sys, hang_doctor\n" + textwrap.dedent(code), timeout=timeout)


class TestInstallWatchdog:
    def test_dumps_every_thread_of_a_deadlocked_program_once(self):
        a, b = names(2, "_holder")
        result = child(f"""
            import threading
            left, right = threading.Lock(), threading.Lock()
            both = threading.Barrier(2)
            def {a}():
                with left:
                    both.wait()
                    with right:
                        pass
            def {b}():
                with right:
                    both.wait()
                    with left:
                        pass
            hang_doctor.install_watchdog(0.5, sys.stderr)
            threads = [threading.Thread(target=f) for f in ({a}, {b})]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            """, timeout=4)
        err = result.stderr
        assert result.timed_out, f"the deadlocked program ended ({result.describe()}): the watchdog must not kill it"
        assert DUMP_HEADER.search(err), f"no dump of the threads in stderr after the program hung: {err[-400:]!r}"
        assert f"in {a}" in err and f"in {b}" in err, (
            f"the dump does not show both deadlocked threads ({a}, {b}): dump EVERY thread\n{err}")
        timeouts = err.count("Timeout (")
        headers = len(DUMP_HEADER.findall(err))
        assert timeouts <= 1 and headers == 3, (
            f"the threads were dumped more than once ({headers} thread blocks for 3 threads): dump once")

    def test_dumps_a_hang_inside_c_code_that_holds_the_gil(self):
        result = child("""
            import re
            hang_doctor.install_watchdog(0.5, sys.stderr)
            re.match(r"(a+)+$", "a" * 40 + "b")   # catastrophic backtracking: hours, GIL held
            """, timeout=4)
        assert result.timed_out, result.describe()
        assert DUMP_HEADER.search(result.stderr) and "in match" in result.stderr, (
            "a program stuck in re.match (C code that never releases the GIL) was not dumped: a Python thread "
            f"(threading.Timer) cannot run then; faulthandler's watchdog is a C thread\n{result.stderr[-400:]!r}")

    def test_the_program_goes_on_after_the_dump(self):
        result = child("""
            import time
            hang_doctor.install_watchdog(0.3, sys.stderr)
            time.sleep(1.2)
            print("finished", flush=True)
            """, timeout=8)
        assert DUMP_HEADER.search(result.stderr), f"no dump while the program slept past the deadline: {result.describe()}"
        assert "finished" in result.stdout and result.returncode == 0, (
            f"the program did not go on after the dump ({result.describe()}): the watchdog diagnoses, it must not "
            "exit")

    def test_a_program_that_finishes_in_time_exits_without_a_dump(self):
        result = child("""
            hang_doctor.install_watchdog(1.5, sys.stderr)
            print("done", flush=True)
            """, timeout=10)
        assert not DUMP_HEADER.search(result.stderr), (
            f"a program that finished at once dumped its threads: dump only when it is still running later\n"
            f"{result.stderr[-400:]!r}")
        assert result.returncode == 0 and "done" in result.stdout, result.describe()

    def test_disarm(self):
        result = child("""
            import time
            disarm = hang_doctor.install_watchdog(0.3, sys.stderr)
            disarm()
            time.sleep(0.8)
            disarm()
            print("done", flush=True)
            """, timeout=8)
        assert result.returncode == 0 and "done" in result.stdout, result.describe()
        assert not DUMP_HEADER.search(result.stderr), (
            f"the watchdog dumped after it was disarmed: the function install_watchdog returns must cancel it\n"
            f"{result.stderr[-400:]!r}")

    def test_dumps_into_the_given_file(self, tmp_path):
        target = tmp_path / "hang.txt"
        result = child(f"""
            import time
            out = open({str(target)!r}, "w")
            hang_doctor.install_watchdog(0.3, out)
            time.sleep(1.0)
            print("done", flush=True)
            """, timeout=8)
        text = target.read_text() if target.exists() else ""
        assert DUMP_HEADER.search(text), (
            f"nothing was dumped into the file given to install_watchdog ({result.describe()}); stderr: "
            f"{result.stderr[-300:]!r}")
        assert not DUMP_HEADER.search(result.stderr), "the dump went to stderr, not to the file given"


# --------------------------------------------------------------------------- find_blocking_call
def debug_log(tmp_path):
    """Run a random asyncio program in debug mode; return (log, expected steps)."""
    rng = random.Random()
    coro_a, coro_b, callback, timer_cb, method = names(5, "_fn")
    task_name = rng.choice(["fetcher", "poller", "crunch", "sync-job"]) + f"-{rng.randrange(100)}"
    block = 0.35
    source = textwrap.dedent(f"""\
        import asyncio, time

        async def {coro_a}():
            await asyncio.sleep(0)
            time.sleep({block})   # blocks the loop
            await asyncio.sleep(0)    # <- MARK running_at
            return 1

        async def {coro_b}():         # <- MARK defined_at
            time.sleep({block})
            return 2

        def {callback}(n):            # <- MARK callback
            time.sleep({block})

        def {timer_cb}():             # <- MARK timer
            time.sleep({block})

        class Service:
            def {method}(self, n):
                time.sleep({block})

        async def main():
            loop = asyncio.get_running_loop()
            loop.slow_callback_duration = 0.3
            print("Executing nothing here took no time at all", flush=True)
            loop.call_soon({callback}, 7)
            await asyncio.sleep(0.01)
            loop.call_later(0.01, {timer_cb})
            await asyncio.sleep(0.05)
            loop.call_soon(Service().{method}, 1)   # <- MARK method
            await asyncio.sleep(0.01)
            await asyncio.create_task({coro_a}(), name={task_name!r})
            await asyncio.create_task({coro_b}())
            asyncio.sleep(1)          # never awaited: a warning, not a slow step

        asyncio.run(main(), debug=True)
        """)
    path = tmp_path / f"app_{rng.randrange(1000)}.py"
    path.write_text(source)
    mark = {m: i + 1 for i, line in enumerate(source.splitlines()) for m in re.findall(r"MARK (\w+)", line)}
    proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=30)
    log = proc.stdout + proc.stderr
    took = [float(s) for s in re.findall(r"^Executing <.*> took ([0-9.]+) seconds$", log, re.MULTILINE)]
    p = str(path)
    expected_places = [(callback, p, mark["callback"]), (timer_cb, p, mark["timer"]),
                       (f"Service.{method}", p, mark["method"]), (coro_a, p, mark["running_at"]),
                       (coro_b, p, mark["defined_at"])]
    return log, expected_places, took, task_name


class TestFindBlockingCall:
    def test_every_kind_of_slow_step(self, hd, tmp_path):
        log, places, took, task_name = debug_log(tmp_path)
        got = call_with_timeout(hd.find_blocking_call, log, timeout=5)
        assert isinstance(got, list), f"find_blocking_call returned {got!r}, expected a list"
        got = [tuple(step) for step in got]
        lines = [ln for ln in log.splitlines() if ln.startswith("Executing <")]
        assert len(got) == len(lines) == len(took) == len(places), (
            f"the log has {len(lines)} slow steps, find_blocking_call returned {len(got)}: {got}\n--- log ---\n{log}")
        names_ = [step[0] for step in got]
        assert task_name not in names_, (
            f"a task step was named by its task name {task_name!r}: use the coroutine's name (coro=<NAME() ...>)")
        for (name, path, line), step in zip(places, got):
            assert step[:3] == (name, path, line), (
                f"got {step[:3]}, expected {(name, path, line)}: for a task the place after 'running at' / 'done, "
                f"defined at', for a callback the place after its name (or after 'created at' for a bound method)\n"
                f"--- log ---\n{log}")
        for step, seconds in zip(got, took):
            assert isinstance(step[2], int) and isinstance(step[3], float), (
                f"{step}: lineno must be an int and seconds a float")
            assert step[3] == seconds, f"{step}: the log says it took {seconds} seconds"

    def test_ignores_everything_else(self, hd):
        log = textwrap.dedent("""\
            Executing nothing here took no time at all
            /app/x.py:9: RuntimeWarning: coroutine 'sleep' was never awaited
            Coroutine created at (most recent call last)
              File "/app/x.py", line 9, in main
            Task was destroyed but it is pending!
            """)
        assert call_with_timeout(hd.find_blocking_call, log, timeout=5) == []
