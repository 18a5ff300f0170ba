"""The records one sandboxed pytest process sent, checked one by one.

The nonce must match, ids must be in the manifest, a test reports once; anything else becomes a
problem (a flag for the instructor), never a pass. Stack dumps of a hang are kept (up to a cap)
to explain it in the test's message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from grader import settings
from grader.grading import forensics, timeouts
from grader.result import FlagCode
from grader.sandboxed.protocol import Event, TestOutcome, decode

MAX_PROBLEMS = 50
MAX_MESSAGE = 2100
"""Characters of a test's message taken from a record (the reporter sends at most 2,000): a record
is student-reachable text, since code in the run can find the nonce."""


@dataclass(frozen=True)
class TestRun:
    """One test's outcome as the grader accepted it."""

    id: str
    outcome: TestOutcome
    message: str = ""
    duration: float = 0.0

    __test__ = False  # not a pytest test class


@dataclass
class RecordStream:
    """What one sandboxed pytest process told us."""

    nonce: str
    expected: set[str]
    student_dir: str = ""
    adopt_collected: bool = False
    """The run's own collection is the manifest (the visible suite: nothing to protect from the
    student in their own check): ``expected`` becomes the collected ids when they arrive."""
    buffer: bytes = b""
    collected: list[str] | None = None
    collect_errors: list[str] = field(default_factory=list)
    collect_error_ids: list[str] = field(default_factory=list)
    results: dict[str, TestRun] = field(default_factory=dict)
    current: str | None = None
    current_since: float = 0.0
    last_event: float = field(default_factory=time.monotonic)
    end_rc: int | None = None
    problems: list[tuple[FlagCode, str]] = field(default_factory=list)
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    dumps: bytearray = field(default_factory=bytearray)
    dumps_mark: int = 0

    def feed(self, data: bytes) -> None:
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        if len(self.buffer) > settings.MAX_RECORD_LINE:
            self.buffer = b""
            self._problem(FlagCode.BAD_RECORD, "an over-long record arrived on the result channel")
        for line in lines:
            if len(line) > settings.MAX_RECORD_LINE:
                self._problem(FlagCode.BAD_RECORD, "an over-long record arrived on the result channel")
            elif line.strip():
                self._record(line)

    def flush(self) -> None:
        """Take a last record that came without its newline."""
        if self.buffer.strip():
            self.feed(b"\n")

    def feed_forensics(self, data: bytes) -> None:
        """Raw stack dumps (advice for messages only), kept up to a cap."""
        room = settings.MAX_FORENSICS - len(self.dumps)
        if room > 0:
            self.dumps += data[:room]

    def _problem(self, code: FlagCode, message: str) -> None:
        if (code, message) not in self.problems and len(self.problems) < MAX_PROBLEMS:
            self.problems.append((code, message))

    def explain_hang(self, test_id: str) -> str:
        """What the stack dumps since ``test_id`` started say (empty when there is nothing)."""
        raw = bytes(self.dumps[self.dumps_mark:]).decode("utf-8", "replace")
        try:
            return forensics.explain(self.snapshots.get(test_id), raw, self.student_dir)
        except Exception:  # noqa: BLE001 - forensics are advice; never lose the verdict over them
            return ""

    def _record(self, line: bytes) -> None:
        record = decode(line)
        if record is None:
            self._problem(FlagCode.BAD_RECORD, "an unreadable record arrived on the result channel")
            return
        if record.get("nonce") != self.nonce:
            self._problem(FlagCode.FORGED_RECORD, "a record without the run's nonce arrived on the result channel")
            return
        self.last_event = time.monotonic()
        event, test_id = record.get("event"), record.get("id")
        if event == Event.START:
            self.current, self.current_since = test_id, self.last_event
            self.dumps_mark = len(self.dumps)
        elif event == Event.FORENSICS:
            if isinstance(test_id, str) and test_id == self.current and test_id not in self.snapshots:
                self.snapshots[test_id] = record
        elif event == Event.RESULT:
            self._result(str(test_id), record)
        elif event == Event.TAMPERED:
            what = str(record.get("what") or "")[:300]
            self._problem(FlagCode.TAMPERING, f"{test_id}: {what}; results from then on count as failed")
        elif event == Event.COLLECTED:
            self.collected = [str(i) for i in record.get("ids") or []]
            if self.adopt_collected:
                self.expected, self.adopt_collected = set(self.collected), False
        elif event == Event.COLLECT_ERROR:
            self.collect_errors.append(str(record.get("message") or "collection failed"))
            self.collect_error_ids.append(str(record.get("id") or ""))
        elif event == Event.END:
            self.end_rc = int(record.get("rc", -1))

    def _result(self, test_id: str, record: dict[str, Any]) -> None:
        if test_id not in self.expected:
            self.problems.append((FlagCode.UNEXPECTED_TEST, f"a result for {test_id!r}, which is not in the manifest"))
        elif test_id in self.results:
            self.problems.append((FlagCode.CONFLICTING_RECORD, f"{test_id} reported twice"))
            self.results[test_id] = TestRun(test_id, TestOutcome.ERROR, "reported twice: result rejected")
        else:
            outcome = TestOutcome.parse(record.get("outcome"))
            message = str(record.get("message") or "")[:MAX_MESSAGE]
            if outcome is TestOutcome.TIMEOUT:
                message = "\n".join(filter(None, [timeouts.reword(message), self.explain_hang(test_id)]))
            self.results[test_id] = TestRun(test_id, outcome, message, float(record.get("duration") or 0.0))
        self.current = None

    def deadline(self, timeout: float, grace: float, idle_limit: float) -> float:
        """When the run is killed: the test in flight gets its timeout plus ``grace``; between
        tests (start-up, collection) the run may be silent for ``idle_limit``."""
        if self.current is not None:
            return self.current_since + timeout + grace
        return self.last_event + idle_limit
