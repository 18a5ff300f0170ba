"""Hidden tests for 00_concepts (module ``concepts``).

The answers are predictions, so every test asks about programs the visible tests do not show
(fixed cases plus seeded random ones) and compares with an independent oracle:

* ``thread_outputs`` and ``lost_update_finals``: an exhaustive search over every interleaving;
* ``async_output``: the real program, run by asyncio on an event loop whose clock is virtual
  (the selector advances the clock instead of sleeping), so the run is exact and instant.

Each student call runs in a helper thread (``call_with_timeout``) with thread and event-loop
start-up forbidden in that thread: a function that runs the program instead of predicting it
fails. No test measures time.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import random
import threading

import pytest

from grader.probes import call_with_timeout, load_student


@pytest.fixture
def concepts():
    return load_student("concepts")


class _Forbidden(AssertionError):
    pass


@pytest.fixture
def predict(monkeypatch):
    """``predict(fn, *args)``: call the student's fn in a helper thread that may not start a
    thread, a process or an event loop."""

    def in_student_call() -> bool:
        return threading.current_thread().name.startswith("call-")

    def guard(original, what):
        def guarded(self, *args, **kwargs):
            if in_student_call():
                raise _Forbidden(f"predict, do not run: the function {what} (the answer must be worked out, "
                                 f"not measured)")
            return original(self, *args, **kwargs)
        return guarded

    import asyncio.base_events as base_events
    import multiprocessing.process as mp_process

    monkeypatch.setattr(threading.Thread, "start", guard(threading.Thread.start, "started a thread"))
    monkeypatch.setattr(base_events.BaseEventLoop, "run_forever",
                        guard(base_events.BaseEventLoop.run_forever, "ran an event loop"))
    monkeypatch.setattr(mp_process.BaseProcess, "start", guard(mp_process.BaseProcess.start, "started a process"))

    def call(fn, *args, **kwargs):
        return call_with_timeout(fn, *args, timeout=10.0, **kwargs)

    return call


# -- choose_model --------------------------------------------------------------------------------

def _expected_model(cpu, wait, releases_gil, async_io, gil_enabled):
    if cpu > wait:
        return "cpu", "threads" if (releases_gil or not gil_enabled) else "processes"
    return "io", "asyncio" if async_io else "threads"


_CHOICES = [
    # (cpu_seconds, wait_seconds): CPU-bound, I/O-bound, CPU-bound with some waiting, I/O with some computing
    (cpu, wait, releases, async_io, gil)
    for cpu, wait in [(2.0, 0.0), (0.01, 1.5), (0.9, 0.3), (0.2, 0.45)]
    for releases in (False, True)
    for async_io in (False, True)
    for gil in (True, False)
]


class TestChooseModel:
    @pytest.mark.parametrize(("cpu", "wait", "releases", "async_io", "gil"), _CHOICES)
    def test_every_combination(self, concepts, predict, cpu, wait, releases, async_io, gil):
        workload = concepts.Workload(cpu, wait, releases_gil=releases, async_io=async_io)
        got = predict(concepts.choose_model, workload, gil_enabled=gil)
        expected = _expected_model(cpu, wait, releases, async_io, gil)
        assert tuple(got) == expected, (
            f"choose_model({workload}, gil_enabled={gil}) returned {got!r}, expected {expected!r}: "
            f"{'the task computes more than it waits' if cpu > wait else 'the task waits more than it computes'}"
        )

    def test_gil_enabled_defaults_to_true(self, concepts, predict):
        got = predict(concepts.choose_model, concepts.Workload(3.0, 0.5))
        assert tuple(got) == ("cpu", "processes"), f"the default is a GIL build: expected ('cpu', 'processes'), got {got!r}"


# -- elapsed -------------------------------------------------------------------------------------

def _expected_elapsed(model, n, cpu, wait, cores):
    return {
        "serial": n * (cpu + wait),
        "asyncio_blocking": n * (cpu + wait),
        "threads": n * cpu + wait,
        "asyncio": n * cpu + wait,
        "processes": cpu * max(1.0, n / cores) + wait,
        "free_threads": cpu * max(1.0, n / cores) + wait,
    }[model]


_RUNS = [(1, 2.0, 0.5, 4), (3, 1.0, 2.0, 4), (6, 0.5, 1.0, 4), (5, 2.0, 0.25, 2), (3, 1.5, 0.0, 2), (4, 0.0, 3.0, 1)]


class TestElapsed:
    @pytest.mark.parametrize("model", ["serial", "threads", "free_threads", "processes", "asyncio", "asyncio_blocking"])
    @pytest.mark.parametrize(("n", "cpu", "wait", "cores"), _RUNS)
    def test_model(self, concepts, predict, model, n, cpu, wait, cores):
        got = predict(concepts.elapsed, model, n, cpu, wait, cores)
        expected = _expected_elapsed(model, n, cpu, wait, cores)
        assert got == pytest.approx(expected), (
            f"elapsed({model!r}, n_tasks={n}, cpu={cpu}, wait={wait}, cores={cores}) returned {got!r}, "
            f"expected {expected:g} s"
        )

    @pytest.mark.parametrize("model", ["gevent", "THREADS", ""])
    def test_unknown_model_is_an_error(self, concepts, predict, model):
        with pytest.raises(ValueError):
            predict(concepts.elapsed, model, 2, 1.0, 1.0, 2)


# -- thread_outputs ------------------------------------------------------------------------------

def _oracle_outputs(program):
    """Every order of block labels that keeps each thread's order, by filtering permutations."""
    labels = [(i, j) for i, blocks in enumerate(program) for j in range(len(blocks))]
    found = set()
    for order in itertools.permutations(labels):
        if all(order.index((i, j)) < order.index((i, j + 1))
               for i, blocks in enumerate(program) for j in range(len(blocks) - 1)):
            found.add(tuple(item for i, j in order for item in program[i][j]))
    return found


_PROGRAMS = [
    [[["a"]], [["b"]], [["c"]]],
    [[["a1", "a2"]], [["b1"], ["b2"]]],
    [[["x"], ["y"]], [["z", "w"]]],
    [[["a"], [], ["b"]], [["c"]]],
    [[["p", "q", "r"]]],
    [[["s"], ["s"]], [["s"]]],
    [],
]


def _random_program(rng):
    return [[[f"{'abcd'[t]}{b}{k}" for k in range(rng.randint(0, 2))] for b in range(rng.randint(1, 3))]
            for t in range(rng.randint(1, 3))]


class TestThreadOutputs:
    @pytest.mark.parametrize("program", _PROGRAMS, ids=[str(i) for i in range(len(_PROGRAMS))])
    def test_program(self, concepts, predict, program):
        got = predict(concepts.thread_outputs, program)
        expected = _oracle_outputs(program)
        assert isinstance(got, set), f"thread_outputs should return a set of tuples, got {type(got).__name__}"
        assert {tuple(o) for o in got} == expected, (
            f"thread_outputs({program!r}) returned {len(got)} output(s), expected {len(expected)}; "
            f"missing {sorted(expected - {tuple(o) for o in got})[:3]}, impossible {sorted({tuple(o) for o in got} - expected)[:3]}"
        )

    @pytest.mark.parametrize("seed", range(4))
    def test_random_programs(self, concepts, predict, seed):
        rng = random.Random(1600 + seed)
        for _ in range(6):
            program = _random_program(rng)
            got = {tuple(o) for o in predict(concepts.thread_outputs, program)}
            assert got == _oracle_outputs(program), f"thread_outputs({program!r}) is wrong"


# -- lost_update_finals --------------------------------------------------------------------------

def _oracle_finals(n, k):
    """Search every interleaving of the n threads' read and write steps."""
    finals, seen = set(), set()
    stack = [((0,) * n, (0,) * n, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        pcs, tmps, counter = state
        if all(pc == 2 * k for pc in pcs):
            finals.add(counter)
            continue
        for i, pc in enumerate(pcs):
            if pc == 2 * k:
                continue
            moved = pcs[:i] + (pc + 1,) + pcs[i + 1:]
            if pc % 2 == 0:
                stack.append((moved, tmps[:i] + (counter,) + tmps[i + 1:], counter))
            else:
                stack.append((moved, tmps, tmps[i] + 1))
    return finals


class TestLostUpdateFinals:
    @pytest.mark.parametrize(("n", "k"), [(2, 1), (2, 2), (3, 1), (1, 3), (1, 1), (2, 3), (3, 2), (4, 1), (2, 4)])
    def test_case(self, concepts, predict, n, k):
        got = predict(concepts.lost_update_finals, n, k)
        expected = _oracle_finals(n, k)
        assert set(got) == expected, (
            f"lost_update_finals({n}, {k}) returned {sorted(got)}, expected {sorted(expected)} "
            f"(every value some interleaving of the reads and writes can leave)"
        )


# -- async_output --------------------------------------------------------------------------------

class _VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock jumps to the next timer instead of sleeping: exact and instant."""

    def __init__(self):
        self._virtual_now = 0.0
        super().__init__()
        select = self._selector.select

        def advance(timeout=None):
            if timeout is None:
                raise RuntimeError("the program waits forever")
            self._virtual_now += timeout
            return select(0)

        self._selector.select = advance  # type: ignore[method-assign]

    def time(self):
        return self._virtual_now


def _run_for_real(scripts):
    async def say(text):
        print(text)

    async def task(script):
        for op, arg in script:
            if op == "print":
                print(arg)
            elif op == "call":
                await say(arg)
            elif op == "sleep":
                await asyncio.sleep(arg)

    async def main():
        await asyncio.gather(*(task(script) for script in scripts))

    out = io.StringIO()
    loop = _VirtualClockLoop()
    try:
        with contextlib.redirect_stdout(out):
            loop.run_until_complete(main())
    finally:
        loop.close()
    return out.getvalue().splitlines()


_SCRIPTS = [
    [[("print", "a1"), ("sleep", 0), ("print", "a2")], [("print", "b1"), ("sleep", 0), ("print", "b2")]],
    [[("call", "a1"), ("call", "a2"), ("sleep", 0), ("print", "a3")], [("print", "b1"), ("sleep", 0), ("print", "b2")]],
    [[("sleep", 3), ("print", "slow")], [("sleep", 1), ("print", "fast"), ("sleep", 1), ("print", "fast again")]],
    [[("print", "a"), ("sleep", 0), ("sleep", 0), ("print", "a late")], [("sleep", 0), ("print", "b")], [("print", "c")]],
    [[("sleep", 5), ("print", "x")], [("sleep", 2), ("sleep", 2), ("print", "y")], [("print", "z"), ("sleep", 0)]],
    [[("call", "only")], [], [("sleep", 0), ("call", "last")]],
    [[("sleep", 2), ("print", "a"), ("sleep", 0), ("print", "a2")], [("sleep", 1), ("sleep", 0), ("print", "b")]],
]


def _random_scripts(rng):
    used, scripts = set(), []
    for t in range(rng.randint(1, 4)):
        script, clock = [], 0
        for s in range(rng.randint(0, 7)):
            roll = rng.random()
            if roll < 0.35:
                script.append(("print", f"{'abcd'[t]}{s}"))
            elif roll < 0.6:
                script.append(("call", f"{'abcd'[t]}{s}"))
            elif roll < 0.8:
                script.append(("sleep", 0))
            else:
                delay = rng.randint(1, 9)
                while clock + delay in used:  # no two tasks wake at the same moment
                    delay += 1
                clock += delay
                used.add(clock)
                script.append(("sleep", delay))
        scripts.append(script)
    return scripts


class TestAsyncOutput:
    @pytest.mark.parametrize("scripts", _SCRIPTS, ids=[str(i) for i in range(len(_SCRIPTS))])
    def test_program(self, concepts, predict, scripts):
        expected = _run_for_real(scripts)
        got = predict(concepts.async_output, scripts)
        assert list(got) == expected, f"async_output({scripts!r}) returned {got!r}; the program prints {expected!r}"

    @pytest.mark.parametrize("seed", range(4))
    def test_random_programs(self, concepts, predict, seed):
        rng = random.Random(1614 + seed)
        for _ in range(25):
            scripts = _random_scripts(rng)
            expected = _run_for_real(scripts)
            got = predict(concepts.async_output, scripts)
            assert list(got) == expected, f"async_output({scripts!r}) returned {got!r}; the program prints {expected!r}"
