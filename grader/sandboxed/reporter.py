"""pytest plugin that reports each test's outcome over a private pipe, one JSON line per event.

Every record carries the run's nonce, which the runner read from a pipe that was closed before any
student code ran. The grader trusts nothing else: not the exit code, not stdout, not a file.
Records: ``collected`` (all ids), ``collect_error``, ``start`` (a test begins), ``result`` (after
its teardown), ``tampered`` (the test machinery was replaced: see ``integrity``) and ``end`` (written
by the entry point once pytest returned).

A verdict does not rest on pytest's report objects alone, which student code could patch: the
reporter's own outermost hook wrappers see every exception a test phase raised before any report
exists, and a phase that raised is never reported as passed. From the first test after which the
machinery differs from its snapshot, every test is reported failed: its result cannot be trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest

from grader.sandboxed.integrity import Snapshot
from grader.sandboxed.protocol import PYTEST_TIMEOUT, Event, TestOutcome, encode

MAX_MESSAGE = 2000
MAX_REASON = 300
TAMPERED = ("the grader's test machinery was replaced while the tests ran ({}): this result cannot be "
            "trusted, so it counts as failed")


class Reporter:
    def __init__(self, write: Callable[[bytes], None], nonce: str) -> None:
        self.write = write
        self.nonce = nonce
        self._phases: dict[str, list[pytest.TestReport]] = {}
        self._raised: dict[str, dict[str, BaseException]] = {}
        self._snapshot: Snapshot | None = None
        self._tampered = ""

    def send(self, event: Event | str, **fields: Any) -> None:
        self.write(encode(self.nonce, event, **fields))

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        modules = {getattr(item, "module", None) for item in session.items}
        self._snapshot = Snapshot(filter(None, modules), session.config.pluginmanager.hook)
        self.send(Event.COLLECTED, ids=[item.nodeid for item in session.items])

    def _watch(self, item: pytest.Item, when: str) -> Generator[None, None, None]:
        try:
            return (yield)
        except BaseException as exc:
            self._raised.setdefault(item.nodeid, {})[when] = exc
            raise

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._watch(item, "setup"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._watch(item, "call"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._watch(item, "teardown"))

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
        raised = self._raised.pop(report.nodeid, {})
        if outcome is TestOutcome.PASSED and raised:
            outcome, message = _own_verdict(raised)
            self.send(Event.TAMPERED, id=report.nodeid, what="a failure was reported as a pass")
        if not self._tampered and self._snapshot is not None:
            changed = self._snapshot.changed()
            if changed:
                self._tampered = ", ".join(changed)
                self.send(Event.TAMPERED, id=report.nodeid, what=self._tampered)
        if self._tampered and outcome in (TestOutcome.PASSED, TestOutcome.SKIPPED):
            outcome, message = TestOutcome.FAILED, TAMPERED.format(self._tampered)
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
    return _cap("\n".join(lines[:12]))


def _own_verdict(raised: dict[str, BaseException]) -> tuple[TestOutcome, str]:
    """The outcome from the exceptions the phases raised, for a report that claims a pass."""
    when, exc = next((w, raised[w]) for w in ("setup", "call", "teardown") if w in raised)
    try:
        text = _cap(f"{type(exc).__name__}: {exc}")
    except Exception:  # noqa: BLE001 - a hostile __str__ must not cost the verdict
        text = type(exc).__name__
    if isinstance(exc, pytest.skip.Exception):
        return TestOutcome.SKIPPED, _cap(text, MAX_REASON)
    if PYTEST_TIMEOUT.search(text):
        return TestOutcome.TIMEOUT, text
    return (TestOutcome.FAILED if when == "call" else TestOutcome.ERROR), text


def _cap(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _skip_reason(report: pytest.TestReport) -> str:
    """A skip's reason, capped: it is student-controlled text on its way to the trusted side."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return _cap(str(longrepr[2]).removeprefix("Skipped: "), MAX_REASON)
    return "skipped"
