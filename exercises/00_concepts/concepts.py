"""Concepts: predict what concurrent programs do, and pick a model for a workload. Answers are code.

* ``choose_model``        classify a workload as "cpu" or "io" and pick "processes", "threads"
                          or "asyncio" for it.
* ``elapsed``             how long n identical tasks take under each model (what runs at once).
* ``thread_outputs``      every output a small threaded program can print (a set of tuples).
* ``lost_update_finals``  every value an unlocked shared counter can end with.
* ``async_output``        the exact lines a small asyncio program prints.

Each function PREDICTS: it must not run the program it describes (the tests forbid starting a
thread or an event loop inside these functions). Work the answer out from the rules in the
lesson, ``exercises/00_concepts/README.md``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    """What one task of a workload spends its time on (given: not an exercise).

    * ``cpu_seconds``: time spent computing (running Python bytecode, or C code).
    * ``wait_seconds``: time spent waiting (network, disk, a sleep, another process).
    * ``releases_gil``: the computing happens in C code that releases the GIL while it works
      (``hashlib`` on large inputs, ``zlib``, NumPy), not in Python bytecode.
    * ``async_io``: every wait of the task can be awaited: its I/O library has an asyncio API.
    """

    cpu_seconds: float
    wait_seconds: float
    releases_gil: bool = False
    async_io: bool = False


def choose_model(workload: Workload, gil_enabled: bool = True) -> tuple[str, str]:
    """Return ``(kind, model)`` for running many tasks of ``workload`` at once.

    ``kind`` is ``"cpu"`` when a task spends more time computing than waiting, else ``"io"``
    (the tests never make the two equal). ``model`` is the one the lesson recommends
    (section 5): ``"processes"``, ``"threads"`` or ``"asyncio"``. ``gil_enabled`` is False on a
    free-threaded build running without the GIL (3.13t, 3.14t).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


MODELS = ("serial", "threads", "free_threads", "processes", "asyncio", "asyncio_blocking")
"""The models ``elapsed`` knows (the lesson, section 6, describes each)."""


def elapsed(model: str, n_tasks: int, cpu: float, wait: float, cores: int) -> float:
    """Seconds until the last of ``n_tasks`` identical tasks has finished, all started at once.

    Each task first computes for ``cpu`` seconds in pure Python, then waits ``wait`` seconds
    (an I/O call). The machine has ``cores`` cores and nothing else to do. Ignore every
    overhead: starting processes or threads, switching, pickling. ``model`` is one of
    ``MODELS``: one thread (or process, or coroutine) per task, and the operating system shares
    the cores fairly between the threads or processes that can run. Any other model is a
    ``ValueError``.

    >>> elapsed("serial", 3, 1.0, 2.0, cores=4)
    9.0
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def thread_outputs(program: list[list[list[str]]]) -> set[tuple[str, ...]]:
    """Every ``tuple(log)`` this program can end with, for ``program`` as given::

        log, lock = [], threading.Lock()

        def worker(blocks):
            for block in blocks:
                with lock:
                    for item in block:
                        log.append(item)

        threads = [threading.Thread(target=worker, args=(blocks,)) for blocks in program]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    ``program[i]`` is the list of blocks of thread ``i``; each block is a list of strings.

    >>> sorted(thread_outputs([[["a"]], [["b"]]]))
    [('a', 'b'), ('b', 'a')]
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def lost_update_finals(n_threads: int, increments: int) -> set[int]:
    """Every final value of ``counter`` this program can print (``n_threads >= 1``,
    ``increments >= 1``)::

        counter = 0

        def work():
            global counter
            for _ in range(increments):
                value = counter        # read
                counter = value + 1    # write

        threads = [threading.Thread(target=work) for _ in range(n_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(counter)

    Any thread may be paused between any two of these lines, for as long as the scheduler
    likes (on every build: with the GIL, and without it).
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def async_output(scripts: list[list[tuple[str, object]]]) -> list[str]:
    """The lines this asyncio program prints, in order, for ``scripts`` as given::

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

        asyncio.run(main())

    ``arg`` is a string for "print" and "call", and a number of seconds (0 or more) for
    "sleep". No two tasks ever finish a ``sleep`` of more than 0 seconds at the same moment.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
