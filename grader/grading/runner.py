"""Run one topic's tests in the sandbox and return one outcome per expected test id.

The runner inside the sandbox reports over a private channel (``grader.sandboxed.reporter``);
``grader.grading.records`` checks every record. The outer deadline follows progress: a test that
started gets ``timeout`` plus a grace period before the tree is killed. A hang or a crash costs
the test in flight, and the run resumes with the tests that have not reported yet. A test that
hangs gets hang forensics in its message (``grader.grading.forensics``).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import settings
from grader.grading import timeouts
from grader.grading.records import RecordStream, TestRun
from grader.result import Flag, FlagCode
from grader.sandbox.base import Interrupted, Outcome, Sandbox, clean_env, stopping
from grader.sandboxed.protocol import RUNNER_MODULE, TestOutcome

_SHORT_TMP = "/tmp" if os.path.isdir("/tmp") else None


@dataclass
class RunReport:
    outcomes: dict[str, TestRun] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    runs: int = 0
    last_output: str = ""

    def settle(self, pending: list[str], outcome: TestOutcome, message: str) -> None:
        """Every pending test gets ``outcome`` with ``message``; nothing is left pending."""
        for test_id in pending:
            self.outcomes[test_id] = TestRun(test_id, outcome, message)
        pending.clear()


@dataclass(frozen=True)
class Timing:
    """The outer deadline's allowances (``settings``: GRADER_GRACE, GRADER_IDLE_LIMIT)."""

    grace: float = 5.0
    """Seconds past the per-test timeout before the outer deadline kills the run."""
    idle_limit: float = 60.0
    """Seconds the run may go without any record (start-up, collection, between tests)."""

    @classmethod
    def from_settings(cls) -> Timing:
        return cls(settings.env_float("GRADER_GRACE"), settings.env_float("GRADER_IDLE_LIMIT"))


class TopicRunner:
    """Runs pytest on some test ids inside the sandbox, resuming after hangs and crashes."""

    def __init__(self, sandbox: Sandbox, python: str = sys.executable, timing: Timing | None = None) -> None:
        self.sandbox = sandbox
        self.python = python
        self.timing = timing or Timing.from_settings()

    def collect(self, test_file: Path, run_dir: Path) -> tuple[list[str], str]:
        """The test ids the file defines, collected with no student code present (a manifest)."""
        work = run_dir / "collect"
        work.mkdir(parents=True, exist_ok=True)
        run, outcome = self._run_once(test_file, [str(test_file)], set(), work, settings.COLLECT_TIMEOUT,
                                      collect_only=True)
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
        run, outcome = self._run_once(test_files[0], [str(f) for f in test_files], set(), work,
                                      2 * settings.COLLECT_TIMEOUT, collect_only=True, rootdir=root)
        found: dict[Path, list[str]] = {f: [] for f in test_files}
        for test_id in run.collected or []:
            relative, _, rest = test_id.partition("::")
            path = (root / relative).resolve()
            if path in found:
                found[path].append(f"{path.name}::{rest}")
        broken = {(root / i).resolve(): m for i, m in zip(run.collect_error_ids, run.collect_errors, strict=True)}
        result: dict[Path, tuple[list[str], str]] = {}
        for path, ids in found.items():
            if path in broken or (run.collected is None):
                why = broken.get(path) or _tail(outcome.output) or "no ids reported"
                result[path] = ([], f"collecting {path.name} failed: {why}")
            else:
                result[path] = (ids, "")
        return result

    def run_file(self, test_file: Path, workdir: Path, timeout: float,
                 env: dict[str, str] | None = None) -> tuple[list[str], RunReport, str]:
        """Collect and run every test of ``test_file`` in one process, then resume like ``run``:
        the ids, their outcomes, and why collecting failed (or ``""``). For the visible suite,
        whose tests may import the student's module at the top as plain pytest allows; the hidden
        suite's ids come from a manifest taken with no student code present."""
        run, outcome = self._run_once(test_file, [str(test_file)], set(), workdir, timeout, env=env, adopt=True)
        if run.collected is None or run.collect_errors:
            why = "; ".join(run.collect_errors) or _tail(outcome.output) or "no ids reported"
            return [], RunReport(), f"collecting {test_file.name} failed: {why}"
        return run.collected, self.run(test_file, run.collected, workdir, timeout, env, first=(run, outcome)), ""

    def run(self, test_file: Path, ids: list[str], workdir: Path, timeout: float,
            env: dict[str, str] | None = None, exitfirst: bool = False,
            first: tuple[RecordStream, Outcome] | None = None) -> RunReport:
        """Outcomes for ``ids``; with ``exitfirst`` (validation of a mutant) the run stops at the
        first failing test and the tests after it are simply not reported. ``first`` is a run
        already made of these ids (``run_file``'s collecting run), to resume from."""
        report = RunReport()
        pending = list(ids)
        expected = set(ids)
        while pending:
            report.runs += 1
            if first is not None:
                (run, outcome), first = first, None
            else:
                args = [f"{test_file}::{i.split('::', 1)[1]}" if "::" in i else str(test_file) for i in pending]
                run, outcome = self._run_once(test_file, args, expected, workdir, timeout, env=env,
                                              extra=["--exitfirst"] if exitfirst else [])
            report.last_output = outcome.output
            report.flags += [Flag(code, message) for code, message in run.problems]
            progress = _take(report, pending, run, outcome, timeout)
            if exitfirst and any(o.outcome is not TestOutcome.PASSED for o in report.outcomes.values()):
                break  # validating a mutant: one lost test is the proof; the rest need not run
            if not pending or _stopped(report, pending, run, outcome, progress):
                break
            if run.collected is not None and not set(run.collected) <= expected:
                report.flags.append(Flag(FlagCode.COLLECTION_MISMATCH,
                                         "the run collected tests that are not in the manifest"))
        return report

    def _run_once(self, test_file: Path, args: list[str], expected: set[str], workdir: Path,
                  timeout: float, collect_only: bool = False,
                  env: dict[str, str] | None = None, extra: list[str] | None = None,
                  rootdir: Path | None = None, adopt: bool = False) -> tuple[RecordStream, Outcome]:
        nonce = secrets.token_hex(16)
        run = RecordStream(nonce=nonce, expected=expected, student_dir=str(workdir), adopt_collected=adopt)
        # A short private TMPDIR (and HOME): forkserver and Manager put Unix sockets under it, and
        # a socket path longer than 107 bytes (104 on macOS) fails with "AF_UNIX path too long".
        home = Path(tempfile.mkdtemp(prefix="gr", dir=_SHORT_TMP))
        channel = self.sandbox.channel(nonce)
        channel.on_forensics = run.feed_forensics
        argv = [
            self.python, "-I", "-B", "-m", RUNNER_MODULE, *channel.args,
            "--rootdir", str(rootdir or test_file.parent), "--student-dir", str(workdir),
            "--timeout", str(timeout), *(["--collect-only"] if collect_only else []), *(extra or []), *args,
        ]
        timing = self.timing
        try:
            outcome = self.sandbox.run(
                argv, cwd=str(workdir), env=clean_env(str(home), str(home), nonce[:8], env),
                channel=channel, on_record=run.feed,
                deadline=lambda: run.deadline(timeout, timing.grace, timing.idle_limit),
                readable=_test_folders(test_file, args),
            )
        finally:
            channel.close()
            shutil.rmtree(home, ignore_errors=True)
        if stopping():  # killed by an interrupt: no verdict, and no resumed run
            raise Interrupted()
        run.flush()
        return run, outcome


def _take(report: RunReport, pending: list[str], run: RecordStream, outcome: Outcome, timeout: float) -> bool:
    """Move what this run settled out of ``pending``; whether it settled anything."""
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
    return progress


def _stopped(report: RunReport, pending: list[str], run: RecordStream, outcome: Outcome, progress: bool) -> bool:
    """Whether the run cannot go on; if so the pending tests are settled with why."""
    if run.collect_errors:
        report.settle(pending, TestOutcome.ERROR, "the tests could not be collected: " + "; ".join(run.collect_errors))
        return True
    if run.end_rc is not None and run.end_rc not in (0, 1) and not progress:
        # pytest itself stopped (usage or internal error, exit code 2 to 4) before any test
        # ran: say what it printed, not that results went missing.
        said = f": {tail}" if (tail := _tail(outcome.output)) else ""
        report.settle(pending, TestOutcome.ERROR,
                      f"pytest stopped with exit code {run.end_rc} before running these tests{said}")
        report.flags.append(Flag(FlagCode.NO_PROGRESS, f"pytest exit code {run.end_rc}{said}"))
        return True
    if run.end_rc is not None and run.end_rc in (0, 1):
        # pytest finished cleanly yet never reported these: something swallowed them. (An
        # internal error or an interruption after some progress resumes like a crash.)
        report.flags.append(Flag(FlagCode.MISSING_RECORD, f"{len(pending)} test(s) ended without a result record"))
        report.settle(pending, TestOutcome.ERROR, "no result was reported for this test")
        return True
    if not progress:
        report.settle(pending, TestOutcome.ERROR, _crash_message(outcome, "before its tests could run"))
        report.flags.append(Flag(FlagCode.NO_PROGRESS, "the test process ended before any test started: "
                                 + (outcome.error or f"exit code {outcome.returncode}")))
        return True
    return False


def _test_folders(test_file: Path, args: list[str]) -> list[str]:
    """The folders of the test files a run reads (the Linux tier binds only these)."""
    folders = {str(test_file.parent)}
    for arg in args:
        path = arg.split("::", 1)[0]
        if os.path.isabs(path):
            folders.add(os.path.dirname(path))
    return sorted(folders)


def _with_oom_note(result: TestRun, outcome: Outcome) -> TestRun:
    """A failed test of a run in which the kernel killed processes for memory says so."""
    if not outcome.oom_kills or result.outcome in (TestOutcome.PASSED, TestOutcome.SKIPPED):
        return result
    note = (f"(the sandbox's memory limit was hit during this run: the kernel killed "
            f"{outcome.oom_kills} process(es))")
    return TestRun(result.id, result.outcome, "\n".join(filter(None, [result.message, note])), result.duration)


def _in_flight(run: RecordStream, outcome: Outcome, timeout: float) -> TestRun:
    """The outcome of the test that was running when the process ended."""
    assert run.current is not None
    elapsed = round(time.monotonic() - run.current_since, 3)
    if outcome.flooded:
        return TestRun(run.current, TestOutcome.ERROR, "the test printed more output than allowed and was stopped",
                       elapsed)
    if outcome.oom_kills:
        return TestRun(run.current, TestOutcome.ERROR,
                       f"the test used more memory than the sandbox allows: the kernel killed "
                       f"{outcome.oom_kills} of its processes", elapsed)
    if timeouts.killed_by_deadline(outcome.killed, outcome.output):
        message = timeouts.message(timeouts.Stop.KILLED, timeout)
        return TestRun(run.current, TestOutcome.TIMEOUT,
                       "\n".join(filter(None, [message, run.explain_hang(run.current)])), elapsed)
    return TestRun(run.current, TestOutcome.ERROR, _crash_message(outcome), elapsed)


def _crash_message(outcome: Outcome, when: str = "during this test") -> str:
    if outcome.error:
        return outcome.error
    rc = outcome.returncode
    how = f"was killed by signal {-rc}" if rc is not None and rc < 0 else f"exited with code {rc}"
    tail = _tail(outcome.output)
    return f"the test process {how} {when}" + (f": {tail}" if tail else "")


_PROGRESS = re.compile(r"^[.FEsxX]+(\s+\[\s*\d+%\])?$")


def _tail(output: str, lines: int = 3) -> str:
    """The last lines of output a student can use (pytest's progress dots are left out)."""
    kept = [line.strip() for line in output.strip().splitlines() if line.strip() and not _PROGRESS.match(line.strip())]
    return " | ".join(kept[-lines:])[-600:]
