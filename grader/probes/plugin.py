"""pytest plugin loaded into every hidden-test run (``-p grader.probes.plugin``).

It puts the student's folder first on ``sys.path`` (``--student-dir``; spawned and forkserver
children inherit ``sys.path``, so they import the student's module too), parametrizes ``ctx``
over every start method this platform has, and fails any test that leaves child processes or
running Pools behind (a leaked non-daemon child would otherwise hang interpreter exit).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import sys

import pytest

START_METHODS = tuple(m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods())


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader")
    group.addoption(
        "--student-dir",
        default=None,
        help="folder holding the student's module; it goes first on sys.path",
    )


def pytest_configure(config: pytest.Config) -> None:
    folder = config.getoption("--student-dir")
    if folder:
        sys.path.insert(0, os.path.abspath(folder))
    config.addinivalue_line("markers", "exercise(name): the course.yml exercise a test belongs to")


@pytest.fixture(params=START_METHODS)
def ctx(request: pytest.FixtureRequest) -> multiprocessing.context.BaseContext:
    """A multiprocessing context; every test using it runs once per start method."""
    return multiprocessing.get_context(request.param)


@pytest.fixture(autouse=True)
def no_leaked_children():
    """Fail a test that leaves processes or running Pools behind, after cleaning them up.

    Pools are terminated before stray processes: killing Pool workers one by one can deadlock
    the Pool's finalizer on its shared queue lock (the docs' "avoid terminating processes").
    """
    before = {p.pid for p in multiprocessing.active_children()}
    yield
    leaked_pools = [
        obj
        for obj in gc.get_objects()
        if isinstance(obj, multiprocessing.pool.Pool) and obj._state == multiprocessing.pool.RUN
    ]
    for pool in leaked_pools:
        pool.terminate()
    leaked = [p for p in multiprocessing.active_children() if p.pid not in before]
    for proc in leaked:
        proc.terminate()
    for proc in leaked:
        proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join(2)
    problems = []
    if leaked_pools:
        problems.append(f"{len(leaked_pools)} Pool(s) still running (call close() and join(), or terminate())")
    if leaked:
        names = ", ".join(f"{p.name} (daemon={p.daemon})" for p in leaked)
        problems.append(f"{len(leaked)} child process(es) still running: {names} (join every process you start)")
    if problems:
        pytest.fail("left behind " + "; ".join(problems), pytrace=False)
