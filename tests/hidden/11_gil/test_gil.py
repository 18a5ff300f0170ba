"""Hidden tests for 11_gil (module ``gil``).

Nothing here measures how fast the machine is. The GIL state, the CPU counts and the clocks are
replaced with monkeypatch: ``sys._is_gil_enabled`` (added or removed as needed, so every Python
from 3.10 behaves like 3.13 with or without a GIL), ``os.process_cpu_count`` /
``os.sched_getaffinity`` / ``os.cpu_count``, and ``time.process_time`` / ``time.perf_counter``
(fake clocks that the measured function advances). The only real-clock test is a sleep, which
uses no CPU time on any machine, however loaded.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from grader.probes import load_student


@pytest.fixture
def gil():
    return load_student("gil")


@pytest.fixture(autouse=True)
def _keep_switch_interval():
    """The switch interval is process-wide: put back whatever a test (or a wrong solution) left."""
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def _name(cls) -> str:
    return getattr(cls, "__name__", repr(cls))


class TestChooseExecutor:
    @pytest.mark.parametrize("gil_on", [True, False])
    def test_io_work_uses_threads(self, gil, monkeypatch, gil_on):
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: gil_on, raising=False)
        got = gil.choose_executor("io")
        assert got is ThreadPoolExecutor, f"choose_executor('io') should return ThreadPoolExecutor, got {got!r}"

    def test_cpu_work_uses_processes_while_the_gil_is_on(self, gil, monkeypatch):
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: True, raising=False)
        got = gil.choose_executor("cpu")
        assert got is ProcessPoolExecutor, (
            f"with the GIL enabled, choose_executor('cpu') should return the class ProcessPoolExecutor, got {got!r}"
        )

    def test_cpu_work_uses_threads_when_the_gil_is_off(self, gil, monkeypatch):
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
        got = gil.choose_executor("cpu")
        assert got is ThreadPoolExecutor, (
            f"with sys._is_gil_enabled() returning False (a free-threaded run), choose_executor('cpu') should "
            f"return ThreadPoolExecutor, got {_name(got)}: ask sys._is_gil_enabled() at call time"
        )

    def test_python_without_is_gil_enabled_has_a_gil(self, gil, monkeypatch):
        monkeypatch.delattr(sys, "_is_gil_enabled", raising=False)
        got = gil.choose_executor("cpu")
        assert got is ProcessPoolExecutor, (
            f"before Python 3.13 there is no sys._is_gil_enabled and always a GIL: expected "
            f"ProcessPoolExecutor, got {_name(got)} (use getattr(sys, '_is_gil_enabled', lambda: True)())"
        )

    def test_this_interpreter(self, gil):
        expected = ProcessPoolExecutor if getattr(sys, "_is_gil_enabled", lambda: True)() else ThreadPoolExecutor
        got = gil.choose_executor("cpu")
        assert got is expected, f"on this interpreter choose_executor('cpu') should be {_name(expected)}, got {got!r}"

    @pytest.mark.parametrize("kind", ["gpu", "IO", "", "network", "threads"])
    def test_unknown_kind_is_an_error(self, gil, kind):
        with pytest.raises(ValueError):
            gil.choose_executor(kind)

    def test_kinds_built_at_run_time(self, gil, monkeypatch):
        """A kind read from a config or built by code is equal to "io", not the same object: compare
        strings with ==, never with `is`."""
        monkeypatch.setattr(sys, "_is_gil_enabled", lambda: True, raising=False)
        io, cpu = "".join(["i", "o"]), "".join(["c", "p", "u"])
        assert gil.choose_executor(io) is ThreadPoolExecutor, "choose_executor() of a run-time 'io' string"
        assert gil.choose_executor(cpu) is ProcessPoolExecutor, "choose_executor() of a run-time 'cpu' string"


def _cpus(monkeypatch, *, process=..., affinity=..., count=...):
    """Make os report these CPU counts; ``...`` removes the function (as on older or other systems)."""
    import os

    for name, value in (("process_cpu_count", process), ("sched_getaffinity", affinity), ("cpu_count", count)):
        if value is ...:
            monkeypatch.delattr(os, name, raising=False)
        elif name == "sched_getaffinity":
            # pid 0 (or our own pid) is this process; any other pid is another process, here one
            # allowed on all 64 CPUs of the machine
            monkeypatch.setattr(os, name, lambda pid, _v=value, _me=os.getpid(): set(_v) if pid in (0, _me)
                                else set(range(64)), raising=False)
        else:
            monkeypatch.setattr(os, name, lambda _v=value: _v, raising=False)


class TestCpuWorkers:
    def test_process_cpu_count_comes_first(self, gil, monkeypatch):
        _cpus(monkeypatch, process=3, affinity=range(8), count=64)
        assert gil.cpu_workers(10) == 3, (
            "with os.process_cpu_count() == 3 (Python 3.13+), expected 3 workers for 10 tasks"
        )

    def test_affinity_when_process_cpu_count_is_missing(self, gil, monkeypatch):
        _cpus(monkeypatch, affinity={0}, count=64)
        got = gil.cpu_workers(10)
        assert got == 1, (
            f"this process may run on 1 CPU (os.sched_getaffinity(0) == {{0}}) of a 64-CPU machine: "
            f"expected 1 worker, got {got}. os.cpu_count() counts the whole machine"
        )

    def test_cpu_count_when_nothing_else_exists(self, gil, monkeypatch):
        _cpus(monkeypatch, count=4)
        got = gil.cpu_workers(10)
        assert got == 4, (
            f"without os.process_cpu_count and os.sched_getaffinity (macOS, Windows), use os.cpu_count(): "
            f"expected 4, got {got}"
        )

    @pytest.mark.parametrize(("n_tasks", "expected"), [(2, 2), (1, 1), (6, 6), (9, 6)])
    def test_capped_at_the_number_of_tasks(self, gil, monkeypatch, n_tasks, expected):
        _cpus(monkeypatch, process=6, affinity=range(6), count=6)
        got = gil.cpu_workers(n_tasks)
        assert got == expected, f"6 CPUs and {n_tasks} task(s): expected {expected} worker(s), got {got}"

    @pytest.mark.parametrize("n_tasks", [0, -3])
    def test_never_less_than_one(self, gil, monkeypatch, n_tasks):
        _cpus(monkeypatch, process=4, affinity=range(4), count=4)
        got = gil.cpu_workers(n_tasks)
        assert got == 1, (
            f"cpu_workers({n_tasks}) should still return 1 (a pool needs a worker), got {got}: "
            "max(1, ...) covers every count below 1, `or 1` only covers 0"
        )

    @pytest.mark.parametrize("where", ["process", "count"])
    def test_an_unknown_count_counts_as_one(self, gil, monkeypatch, where):
        if where == "process":
            _cpus(monkeypatch, process=None, affinity=range(8), count=None)
        else:
            _cpus(monkeypatch, count=None)
        got = gil.cpu_workers(5)
        assert got == 1, f"a CPU count of None (unknown) counts as 1: expected 1, got {got!r}"

    def test_this_machine(self, gil):
        import os

        if hasattr(os, "process_cpu_count"):
            usable = os.process_cpu_count() or 1
        elif hasattr(os, "sched_getaffinity"):
            usable = len(os.sched_getaffinity(0))
        else:
            usable = os.cpu_count() or 1
        got = gil.cpu_workers(1000)
        assert got == usable, f"this process may use {usable} CPU(s); cpu_workers(1000) returned {got!r}"


class TestSwitchInterval:
    def test_sets_inside_and_restores_the_previous_value(self, gil):
        sys.setswitchinterval(0.002)  # not the default: the old value must really be saved
        with gil.switch_interval(0.0001) as old:
            inside = sys.getswitchinterval()
        after = sys.getswitchinterval()
        assert inside == pytest.approx(0.0001), f"inside the block the interval should be 0.0001, got {inside}"
        assert after == pytest.approx(0.002), (
            f"after the block the interval should be back to the previous 0.002, got {after}: restore the value "
            "you saved, not the default"
        )
        assert old == pytest.approx(0.002), f"the block should get the previous interval (0.002) as its value, got {old!r}"

    def test_restored_when_the_block_raises(self, gil):
        sys.setswitchinterval(0.003)
        with pytest.raises(KeyError):
            with gil.switch_interval(0.05):
                raise KeyError("inside")
        after = sys.getswitchinterval()
        assert after == pytest.approx(0.003), (
            f"an exception in the block left the interval at {after} instead of 0.003: restore it in a finally"
        )

    @pytest.mark.parametrize("exc_type", [KeyboardInterrupt, SystemExit])
    def test_restored_when_the_block_is_interrupted(self, gil, exc_type):
        sys.setswitchinterval(0.003)
        with pytest.raises(exc_type):
            with gil.switch_interval(0.05):
                raise exc_type()
        after = sys.getswitchinterval()
        assert after == pytest.approx(0.003), (
            f"a {exc_type.__name__} in the block left the interval at {after} instead of 0.003: "
            "`except Exception` does not see it; restore in a `finally`"
        )

    def test_nested_blocks(self, gil):
        sys.setswitchinterval(0.004)
        with gil.switch_interval(0.01):
            with gil.switch_interval(0.02):
                assert sys.getswitchinterval() == pytest.approx(0.02)
            middle = sys.getswitchinterval()
        after = sys.getswitchinterval()
        assert (middle, after) == (pytest.approx(0.01), pytest.approx(0.004)), (
            f"nested blocks should restore 0.01 and then 0.004, got {middle} and {after}"
        )

    def test_invalid_value_changes_nothing(self, gil):
        sys.setswitchinterval(0.005)
        with pytest.raises(ValueError):
            with gil.switch_interval(-1.0):
                pass
        assert sys.getswitchinterval() == pytest.approx(0.005)


class FakeClocks:
    """Stand-ins for time.process_time and time.perf_counter that only move when told to."""

    def __init__(self) -> None:
        # Arbitrary starting readings, smaller than the times spent: the result must come from the
        # difference of two readings (end - start), not from any other combination of them.
        self.cpu = 0.3
        self.wall = 0.75
        self.calls = 0

    def process_time(self) -> float:
        return self.cpu

    def perf_counter(self) -> float:
        return self.wall

    def spend(self, wall: float, cpu: float, *args, **kwargs):
        self.calls += 1
        self.wall += wall
        self.cpu += cpu
        return "ignored"


@pytest.fixture
def clocks(gil, monkeypatch):
    fake = FakeClocks()
    for name in ("process_time", "perf_counter"):
        real = getattr(time, name)
        monkeypatch.setattr(time, name, getattr(fake, name))
        if getattr(gil, name, None) is real:  # `from time import perf_counter` in the student's module
            monkeypatch.setattr(gil, name, getattr(fake, name))
    return fake


class TestCpuUtilisation:
    @pytest.mark.parametrize(
        ("wall", "cpu", "expected", "what"),
        [
            (2.0, 0.0, 0.0, "a call that only waits (sleep, I/O)"),
            (2.0, 2.0, 1.0, "one busy thread"),
            (1.0, 2.0, 2.0, "two threads busy in parallel (free-threaded build, or C code without the GIL)"),
            (4.0, 1.0, 0.25, "a call busy a quarter of the time"),
            (3.0, 1.0, 1 / 3, "a call busy a third of the time (do not round the ratio)"),
        ],
    )
    def test_cpu_time_over_wall_time(self, gil, clocks, wall, cpu, expected, what):
        got = gil.cpu_utilisation(clocks.spend, wall, cpu)
        assert clocks.calls == 1, f"fn should be called exactly once, it was called {clocks.calls} time(s)"
        assert isinstance(got, float) and got == pytest.approx(expected), (
            f"{what}: {cpu:g} s of process CPU time in {wall:g} s of wall time should give {expected}, got {got!r}. "
            "Use time.process_time() (all threads of the process) and time.perf_counter()"
        )

    @pytest.mark.parametrize("cpu", [0.0, 0.5])
    def test_no_wall_time_gives_zero(self, gil, clocks, cpu):
        got = gil.cpu_utilisation(clocks.spend, 0.0, cpu)
        assert got == 0.0, (
            f"when no wall time passed ({cpu:g} s of CPU time) the result should be 0.0, got {got!r}: "
            "check the wall time (the divisor) for zero"
        )

    def test_passes_arguments_and_lets_exceptions_through(self, gil, clocks):
        seen = []

        def fn(a, b, *, c):
            seen.append((a, b, c))
            clocks.spend(1.0, 0.5)

        assert gil.cpu_utilisation(fn, 1, 2, c=3) == pytest.approx(0.5)
        assert seen == [(1, 2, 3)], f"fn should be called as fn(1, 2, c=3), saw {seen!r}"

        def broken():
            raise OSError("disk on fire")

        with pytest.raises(OSError, match="disk on fire"):
            gil.cpu_utilisation(broken)

    def test_real_clocks_a_sleep_uses_almost_no_cpu(self, gil):
        got = gil.cpu_utilisation(time.sleep, 0.2)
        assert isinstance(got, float) and 0.0 <= got < 0.5, (
            f"time.sleep(0.2) uses (almost) no CPU time, so the utilisation should be near 0.0, got {got!r}"
        )
