"""Grade a submission: for each topic, in parallel up to ``jobs``, the same named steps in order.

intake -> compile -> manifest -> run -> score. A step that finds the topic ungradable (module
missing, syntax error, tests that do not collect) ends the topic with a clear message and zero
points for its tests; the other topics are graded as usual.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.course import Course, Topic
from grader.perturb import Perturbation
from grader.result import Flag, GradeResult, TopicResult
from grader.runner import TestOutcome, TopicRunner
from grader.sandbox import Sandbox, make_sandbox
from grader.scoring import score_topic, topic_points
from grader.submission import intake, submission_root
from grader.suspicious import scan_files


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class TopicJob:
    """Everything one topic's steps need."""

    topic: Topic
    root: Path
    """The folder holding the submission's topic folders."""
    test_file: Path
    work: Path
    """Fresh folder for this topic's run: ``work/`` holds the copied files."""
    perturbation: Perturbation | None = None
    """Schedule perturbation for flake classification (``grader validate --perturb``)."""
    visible: bool = False
    """Run the visible tests (students' ``grader check``) instead of the hidden ones."""
    exercises: tuple[str, ...] = ()
    """Only these exercises' tests, stopping at the first failure (validating a mutant)."""


class Grader:
    def __init__(self, course: Course, sandbox: Sandbox | None = None, jobs: int | None = None) -> None:
        self.course = course
        self.sandbox = sandbox or make_sandbox()
        self.jobs = jobs or default_jobs()
        self.runner = TopicRunner(self.sandbox)
        self._manifests: dict[tuple[str, int, int], tuple[list[str], str]] = {}
        self._lock = threading.Lock()

    def grade(self, submission: Path, topic_ids: list[str] | None = None, visible: bool = False) -> GradeResult:
        """Grade ``submission`` on the hidden tests (or, for students, on the visible ones)."""
        root = submission_root(submission)
        topics = [self.course.topic(t) for t in topic_ids] if topic_ids else list(self.course.topics)
        tmp = Path(tempfile.mkdtemp(prefix="grader-"))
        try:
            if not visible:
                self.prefetch_manifests([self.course.path(t.hidden).resolve() for t in topics], tmp)
            jobs = [
                TopicJob(t, root, self.course.path(t.visible if visible else t.hidden).resolve(), tmp / t.id,
                         visible=visible)
                for t in topics
            ]
            with ThreadPoolExecutor(max_workers=min(self.jobs, len(jobs))) as pool:
                results = list(pool.map(self.grade_topic, jobs))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        # What the tier lacks on this host is for an instructor's grading; a student's practice
        # run (visible tests on their own machine) only names the tier.
        notes = [] if visible else getattr(self.sandbox, "notes", lambda: [])()
        return GradeResult(tuple(results), sandbox=self.sandbox.tier, flags=tuple(Flag("sandbox", n) for n in notes))

    def prefetch_manifests(self, test_files: list[Path], work: Path) -> None:
        """List every hidden-test file not yet known in one collection run."""
        missing = []
        for path in test_files:
            key = _manifest_key(path)
            with self._lock:
                if key is not None and key not in self._manifests:
                    missing.append(path)
        if len(missing) < 2:
            return  # one file: the per-topic collection costs the same
        for path, found in self.runner.collect_many(missing, work).items():
            key = _manifest_key(path)
            if key is not None and not found[1]:
                with self._lock:
                    self._manifests[key] = found

    def manifest(self, test_file: Path, work: Path) -> tuple[list[str], str]:
        """Test ids of a hidden-test file, collected once per file version."""
        key = _manifest_key(test_file)
        if key is None:
            return [], f"test file {test_file} not found"
        with self._lock:
            if key in self._manifests:
                return self._manifests[key]
        found = self.runner.collect(test_file, work)
        with self._lock:
            self._manifests[key] = found
        return found

    def grade_topic(self, job: TopicJob) -> TopicResult:
        try:
            return self._grade_topic(job)
        except Exception as exc:  # noqa: BLE001 - one topic's failure must not lose the others
            message = f"internal grader error: {type(exc).__name__}: {exc}"
            return TopicResult(job.topic.id, job.topic.title, (), (Flag("grader-error", message, job.topic.id),),
                               message, max_points=float(topic_points(self.course, job.topic)))

    def _grade_topic(self, job: TopicJob) -> TopicResult:
        topic = job.topic
        job.work.mkdir(parents=True)
        if not job.visible:
            # Hidden tests are listed with no student code present: the manifest cannot be steered.
            ids, collect_error = self.manifest(job.test_file, job.work)
            if collect_error:
                return self._ungradable(topic, [], collect_error, [Flag("manifest", collect_error)])
        taken = intake(job.root, topic, job.work / "work")
        notes = [Flag("ignored-file", note) for note in taken.notes]
        notes += [Flag("symlink-refused", link) for link in taken.refused]
        if job.visible and not taken.missing and not _syntax_error(job.work / "work" / topic.module_file):
            # Visible tests may import the student's module at the top (plain pytest works that
            # way), so they are listed next to it; this is the student's own check.
            ids, collect_error = self.runner.collect(job.test_file, job.work, student=job.work / "work")
            if collect_error:
                return self._ungradable(topic, [], collect_error, notes)
        elif job.visible:
            ids = []
        if taken.missing:
            return self._ungradable(topic, ids, taken.missing, notes)
        syntax = _syntax_error(job.work / "work" / topic.module_file)
        if syntax:
            return self._ungradable(topic, ids, syntax, notes)
        notes += [Flag("suspicious-code", line) for line in scan_files(job.work / "work", taken.copied)]
        env = job.perturbation.env() if job.perturbation else None
        if job.exercises:
            ids = [i for i in ids if (e := topic.exercise_for(i.split("::", 1)[-1])) and e.name in job.exercises]
        report = self.runner.run(job.test_file, ids, job.work / "work", self.course.timeout(topic), env,
                                 exitfirst=bool(job.exercises))
        if job.exercises:
            ids = [i for i in ids if i in report.outcomes]  # the tests after the first failure never ran
        return score_topic(self.course, topic, ids, report.outcomes, notes + report.flags)

    def _ungradable(self, topic: Topic, ids: list[str], message: str, flags: list[Flag]) -> TopicResult:
        outcomes = {i: TestOutcome(i, "error", message) for i in ids}
        return score_topic(self.course, topic, ids, outcomes, flags, message)


def _manifest_key(test_file: Path) -> tuple[str, int, int] | None:
    """A manifest is valid for one version of its file."""
    try:
        info = test_file.stat()
    except FileNotFoundError:
        return None
    return (str(test_file), info.st_mtime_ns, info.st_size)


def _syntax_error(path: Path) -> str:
    """``SyntaxError in processes.py line 3: ...`` without running anything, or ``""``."""
    try:
        compile(path.read_bytes(), path.name, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"SyntaxError in {path.name} line {exc.lineno}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{path.name} cannot be compiled: {type(exc).__name__}: {exc}"
    return ""

