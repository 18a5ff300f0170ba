"""pytest plugin that reports each test's outcome over a private pipe, one JSON line per event.

Every record carries the run's nonce, which the runner read from a pipe that was closed before any
student code ran. The grader trusts nothing else: not the exit code, not stdout, not a file.
Records: ``collected`` (all ids), ``collect_error``, ``start`` (a test begins), ``result`` (after
its teardown) and ``end`` (written by the entry point once pytest returned).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from grader.sandboxed.protocol import PYTEST_TIMEOUT, Event, TestOutcome, encode

MAX_MESSAGE = 2000


class Reporter:
    def __init__(self, write: Callable[[bytes], None], nonce: str) -> None:
        self.write = write
        self.nonce = nonce
        self._phases: dict[str, list[pytest.TestReport]] = {}

    def send(self, event: Event | str, **fields: Any) -> None:
        self.write(encode(self.nonce, event, **fields))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.send(Event.COLLECTED, ids=[item.nodeid for item in session.items])

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.send(Event.COLLECT_ERROR, id=report.nodeid, message=_message(report))

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self._phases[nodeid] = []
        self.send(Event.START, id=nodeid)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        phases = self._phases.setdefault(report.nodeid, [])
        phases.append(report)
        if report.when != "teardown":
            return
        outcome, message = _outcome(phases)
        duration = sum(p.duration for p in phases)
        self.send(Event.RESULT, id=report.nodeid, outcome=outcome.value, message=message, duration=round(duration, 4))


def _outcome(phases: list[pytest.TestReport]) -> tuple[TestOutcome, str]:
    """The test's outcome from its phases: the first failure or skip decides. A pytest-timeout
    failure is a timeout: this is where a timeout is recognised, once for both sides."""
    for phase in phases:
        if phase.failed:
            text = _message(phase)
            if PYTEST_TIMEOUT.search(text):
                return TestOutcome.TIMEOUT, text
            return (TestOutcome.FAILED if phase.when == "call" else TestOutcome.ERROR), text
        if phase.skipped:
            return TestOutcome.SKIPPED, _skip_reason(phase)
    return TestOutcome.PASSED, ""


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The failure in a few readable lines: the exception line, not the whole traceback."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else report.longreprtext
    text = text.strip()
    if text.startswith("Failed: "):
        text = text[len("Failed: "):]
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    text = "\n".join(lines[:12])
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return "skipped"
