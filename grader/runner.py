"""Run one topic's tests in the sandbox and return one outcome per expected test id.

The runner inside the sandbox reports over a private pipe (see ``grader.sandboxed.reporter``).
Here every record is checked: the nonce must match, ids must be in the manifest, a test reports
once. The outer deadline follows progress: a test that started gets ``timeout`` plus a grace
period before the tree is killed. A hang or a crash costs the test in flight, and the run resumes
with the tests that have not reported yet. A test that hangs gets hang forensics in its message
(``grader.forensics``: where each thread of each process was, and who waits for which lock).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import forensics
from grader.result import Flag
from grader.sandbox import Outcome, Sandbox, clean_env

_SHORT_TMP = "/tmp" if os.path.isdir("/tmp") else None

GRACE = 5.0
"""Seconds past the per-test timeout before the outer deadline kills the run."""
IDLE_LIMIT = 60.0
"""Seconds the run may go without any record (start-up, collection, between tests)."""
MAX_LINE = 1 << 20
"""Longest record line accepted; a longer one is dropped (the channel is not a memory sink)."""
MAX_MESSAGE = 2100
"""Characters of a test's message taken from a record (the reporter sends at most 2,000)."""
MAX_FORENSICS = 512 << 10


@dataclass(frozen=True)
class TestOutcome:
    id: str
    outcome: str  # passed, failed, error, timeout, skipped
    message: str = ""
    duration: float = 0.0

    __test__ = False


@dataclass
class RunReport:
    outcomes: dict[str, TestOutcome] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    runs: int = 0
    last_output: str = ""


@dataclass
class _Run:
    """What one sandboxed pytest process told us."""

    nonce: str
    expected: set[str]
    student_dir: str = ""
    started: float = field(default_factory=time.monotonic)
    buffer: bytes = b""
    collected: list[str] | None = None
    collect_errors: list[str] = field(default_factory=list)
    collect_error_ids: list[str] = field(default_factory=list)
    results: dict[str, TestOutcome] = field(default_factory=dict)
    current: str | None = None
    current_since: float = 0.0
    last_event: float = field(default_factory=time.monotonic)
    end_rc: int | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    snapshots: dict[str, dict] = field(default_factory=dict)
    dumps: bytearray = field(default_factory=bytearray)
    dumps_mark: int = 0

    def feed(self, data: bytes) -> None:
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        if len(self.buffer) > MAX_LINE:
            self.buffer = b""
            self._problem("bad-record", "an over-long record arrived on the result channel")
        for line in lines:
            if len(line) > MAX_LINE:
                self._problem("bad-record", "an over-long record arrived on the result channel")
            elif line.strip():
                self._record(line)

    def feed_forensics(self, data: bytes) -> None:
        """Raw stack dumps (advice for messages only), kept up to a cap."""
        room = MAX_FORENSICS - len(self.dumps)
        if room > 0:
            self.dumps += data[:room]

    def _problem(self, code: str, message: str) -> None:
        if (code, message) not in self.problems and len(self.problems) < 50:
            self.problems.append((code, message))

    def explain_hang(self, test_id: str) -> str:
        """What the stack dumps since ``test_id`` started say (empty when there is nothing)."""
        raw = bytes(self.dumps[self.dumps_mark:]).decode("utf-8", "replace")
        try:
            return forensics.explain(self.snapshots.get(test_id), raw, self.student_dir)
        except Exception:  # noqa: BLE001 - forensics are advice; never lose the verdict over them
            return ""

    def _record(self, line: bytes) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            self._problem("bad-record", "an unreadable record arrived on the result channel")
            return
        if not isinstance(record, dict) or record.get("nonce") != self.nonce:
            self._problem("forged-record", "a record without the run's nonce arrived on the result channel")
            return
        self.last_event = time.monotonic()
        event, test_id = record.get("event"), record.get("id")
        if event == "start":
            self.current, self.current_since = test_id, self.last_event
            self.dumps_mark = len(self.dumps)
        elif event == "forensics":
            if test_id == self.current and test_id not in self.snapshots:
                self.snapshots[test_id] = record
        elif event == "result":
            if test_id not in self.expected:
                self.problems.append(("unexpected-test", f"a result for {test_id!r}, which is not in the manifest"))
            elif test_id in self.results:
                self.problems.append(("conflicting-record", f"{test_id} reported twice"))
                self.results[test_id] = TestOutcome(test_id, "error", "reported twice: result rejected")
            else:
                # Capped here too: a record is student-reachable text (the nonce can be found in-process).
                outcome, message = str(record.get("outcome"))[:20], str(record.get("message") or "")[:MAX_MESSAGE]
                if outcome == "timeout":
                    message = _PYTEST_TIMEOUT.sub(_timeout_sentence, message)
                    message = "\n".join(filter(None, [message, self.explain_hang(test_id)]))
                self.results[test_id] = TestOutcome(test_id, outcome, message, float(record.get("duration") or 0.0))
            self.current = None
        elif event == "tampered":
            what = str(record.get("what") or "")[:300]
            self._problem("tampering", f"{test_id}: {what}; results from then on count as failed")
        elif event == "collected":
            self.collected = [str(i) for i in record.get("ids") or []]
        elif event == "collect_error":
            self.collect_errors.append(str(record.get("message") or "collection failed"))
            self.collect_error_ids.append(str(record.get("id") or ""))
        elif event == "end":
            self.end_rc = int(record.get("rc", -1))

    def deadline(self, timeout: float) -> float:
        if self.current is not None:
            return self.current_since + timeout + GRACE
        return self.last_event + IDLE_LIMIT


class TopicRunner:
    """Runs pytest on some test ids inside the sandbox, resuming after hangs and crashes."""

    def __init__(self, sandbox: Sandbox, python: str = sys.executable) -> None:
        self.sandbox = sandbox
        self.python = python

    def collect(self, test_file: Path, run_dir: Path, student: Path | None = None) -> tuple[list[str], str]:
        """The test ids the file defines: for a manifest, collected with no student code present
        (``student`` None); visible tests that import the module at the top need ``student``."""
        work = student or run_dir / "collect"
        work.mkdir(parents=True, exist_ok=True)
        run, outcome = self._run_once(test_file, [str(test_file)], set(), work, timeout=60, collect_only=True)
        if run.collected is None or run.collect_errors:
            why = "; ".join(run.collect_errors) or _tail(outcome.output) or "no ids reported"
            return [], f"collecting {test_file.name} failed: {why}"
        return run.collected, ""

    def collect_many(self, test_files: list[Path], run_dir: Path) -> dict[Path, tuple[list[str], str]]:
        """Manifests of several hidden-test files from one pytest process (one start-up, not one
        per file), as ids relative to each file's folder, like ``collect``."""
        root = Path(os.path.commonpath([str(f.parent) for f in test_files]))
        work = run_dir / "collect-all"
        work.mkdir(parents=True, exist_ok=True)
        run, outcome = self._run_once(test_files[0], [str(f) for f in test_files], set(), work, timeout=120,
                                      collect_only=True, rootdir=root)
        found: dict[Path, list[str]] = {f: [] for f in test_files}
        for test_id in run.collected or []:
            relative, _, rest = test_id.partition("::")
            path = (root / relative).resolve()
            if path in found:
                found[path].append(f"{path.name}::{rest}")
        broken = {(root / i).resolve(): m for i, m in zip(run.collect_error_ids, run.collect_errors)}
        result = {}
        for path, ids in found.items():
            if path in broken or (run.collected is None):
                why = broken.get(path) or _tail(outcome.output) or "no ids reported"
                result[path] = ([], f"collecting {path.name} failed: {why}")
            else:
                result[path] = (ids, "")
        return result

    def run(self, test_file: Path, ids: list[str], workdir: Path, timeout: float,
            env: dict[str, str] | None = None, exitfirst: bool = False) -> RunReport:
        """Outcomes for ``ids``; with ``exitfirst`` (validation of a mutant) the run stops at the
        first failing test and the tests after it are simply not reported."""
        report = RunReport()
        pending = list(ids)
        expected = set(ids)
        while pending:
            report.runs += 1
            args = [f"{test_file}::{i.split('::', 1)[1]}" if "::" in i else str(test_file) for i in pending]
            run, outcome = self._run_once(test_file, args, expected, workdir, timeout, env=env,
                                          extra=["--exitfirst"] if exitfirst else [])
            report.last_output = outcome.output
            for code, message in run.problems:
                report.flags.append(Flag(code, message))
            progress = False
            for test_id, result in run.results.items():
                if test_id in pending:
                    report.outcomes[test_id] = _with_oom_note(result, outcome)
                    pending.remove(test_id)
                    progress = True
            if run.current is not None and run.current in pending:
                report.outcomes[run.current] = _in_flight(run, outcome, timeout)
                pending.remove(run.current)
                progress = True
            if exitfirst and any(o.outcome != "passed" for o in report.outcomes.values()):
                break  # validating a mutant: one lost test is the proof; the rest need not run
            if not pending:
                break
            if run.collect_errors:
                message = "the tests could not be collected: " + "; ".join(run.collect_errors)
                self._give_up(report, pending, message)
                break
            if run.end_rc is not None and run.end_rc not in (0, 1) and not progress:
                # pytest itself stopped (usage or internal error, exit code 2 to 4) before any
                # test ran: say what it printed, not that results went missing.
                said = f": {tail}" if (tail := _tail(outcome.output)) else ""
                self._give_up(report, pending,
                              f"pytest stopped with exit code {run.end_rc} before running these tests{said}")
                report.flags.append(Flag("no-progress", f"pytest exit code {run.end_rc}{said}"))
                break
            if run.end_rc is not None and run.end_rc in (0, 1):
                # pytest finished cleanly yet never reported these: something swallowed them. (An
                # internal error or an interruption after some progress resumes like a crash.)
                for test_id in pending:
                    report.outcomes[test_id] = TestOutcome(test_id, "error", "no result was reported for this test")
                report.flags.append(Flag("missing-record", f"{len(pending)} test(s) ended without a result record"))
                break
            if not progress:
                self._give_up(report, pending, _crash_message(outcome, "before its tests could run"))
                report.flags.append(Flag("no-progress", "the test process ended before any test started: "
                                         + (outcome.error or f"exit code {outcome.returncode}")))
                break
            if run.collected is not None and not set(run.collected) <= expected:
                report.flags.append(Flag("collection-mismatch", "the run collected tests that are not in the manifest"))
        return report

    def _give_up(self, report: RunReport, pending: list[str], message: str) -> None:
        for test_id in pending:
            report.outcomes[test_id] = TestOutcome(test_id, "error", message)
        pending.clear()

    def _run_once(self, test_file: Path, args: list[str], expected: set[str], workdir: Path,
                  timeout: float, collect_only: bool = False,
                  env: dict[str, str] | None = None, extra: list[str] | None = None,
                  rootdir: Path | None = None) -> tuple[_Run, Outcome]:
        nonce = secrets.token_hex(16)
        run = _Run(nonce=nonce, expected=expected, student_dir=str(workdir))
        # A short private TMPDIR (and HOME): forkserver and Manager put Unix sockets under it, and
        # a socket path longer than 107 bytes (104 on macOS) fails with "AF_UNIX path too long".
        home = Path(tempfile.mkdtemp(prefix="gr", dir=_SHORT_TMP))
        channel = self.sandbox.channel(nonce)
        if hasattr(channel, "on_forensics"):
            channel.on_forensics = run.feed_forensics
        argv = [
            self.python, "-I", "-B", "-m", "grader.sandboxed.run_tests", *channel.args,
            "--rootdir", str(rootdir or test_file.parent), "--student-dir", str(workdir),
            "--timeout", str(timeout), *(["--collect-only"] if collect_only else []), *(extra or []), *args,
        ]
        try:
            outcome = self.sandbox.run(
                argv, cwd=str(workdir), env=clean_env(str(home), str(home), nonce[:8], env),
                channel=channel, on_record=run.feed, deadline=lambda: run.deadline(timeout),
                readable=_test_folders(test_file, args),
            )
        finally:
            channel.close()
            shutil.rmtree(home, ignore_errors=True)
        if run.buffer.strip():
            run.feed(b"\n")
        return run, outcome


def _test_folders(test_file: Path, args: list[str]) -> list[str]:
    """The folders of the test files a run reads (the Linux tier binds only these)."""
    folders = {str(test_file.parent)}
    for arg in args:
        path = arg.split("::", 1)[0]
        if os.path.isabs(path):
            folders.add(os.path.dirname(path))
    return sorted(folders)


def _with_oom_note(result: TestOutcome, outcome: Outcome) -> TestOutcome:
    """A failed test of a run in which the kernel killed processes for memory says so."""
    if not outcome.oom_kills or result.outcome in ("passed", "skipped"):
        return result
    note = (f"(the sandbox's memory limit was hit during this run: the kernel killed "
            f"{outcome.oom_kills} process(es))")
    return TestOutcome(result.id, result.outcome, "\n".join(filter(None, [result.message, note])), result.duration)


def _in_flight(run: _Run, outcome: Outcome, timeout: float) -> TestOutcome:
    """The outcome of the test that was running when the process ended."""
    assert run.current is not None
    elapsed = round(time.monotonic() - run.current_since, 3)
    if outcome.flooded:
        return TestOutcome(run.current, "error", "the test printed more output than allowed and was stopped", elapsed)
    if outcome.oom_kills:
        return TestOutcome(run.current, "error",
                           f"the test used more memory than the sandbox allows: the kernel killed "
                           f"{outcome.oom_kills} of its processes", elapsed)
    if outcome.killed or "+++ Timeout +++" in outcome.output:  # the thread method's stack dump
        message = (f"did not finish within {timeout:g} s and could not be interrupted "
                   "(a deadlock, a blocking call that ignores signals, or a hang at exit)")
        return TestOutcome(run.current, "timeout", "\n".join(filter(None, [message, run.explain_hang(run.current)])),
                           elapsed)
    return TestOutcome(run.current, "error", _crash_message(outcome), elapsed)


def _crash_message(outcome: Outcome, when: str = "during this test") -> str:
    if outcome.error:
        return outcome.error
    rc = outcome.returncode
    how = f"was killed by signal {-rc}" if rc is not None and rc < 0 else f"exited with code {rc}"
    tail = _tail(outcome.output)
    return f"the test process {how} {when}" + (f": {tail}" if tail else "")


_PYTEST_TIMEOUT = re.compile(r"Timeout \(>([0-9.]+)s\) from pytest-timeout\.?")


def _timeout_sentence(match: re.Match) -> str:
    # The wording grader.scoring uses for a bare pytest-timeout failure; said here so that the
    # forensics that follow are kept.
    return f"did not finish within {float(match.group(1)):g} s and was stopped (a deadlock or a hang?)"


_PROGRESS = re.compile(r"^[.FEsxX]+(\s+\[\s*\d+%\])?$")


def _tail(output: str, lines: int = 3) -> str:
    """The last lines of output a student can use (pytest's progress dots are left out)."""
    kept = [line.strip() for line in output.strip().splitlines() if line.strip() and not _PROGRESS.match(line.strip())]
    return " | ".join(kept[-lines:])[-600:]
