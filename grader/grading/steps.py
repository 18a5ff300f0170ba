"""A topic is graded by a list of named steps, each with one contract: take the topic's context,
return None to go on or a TopicResult to end the topic (ungradable: the message says why, the
tests listed so far score zero). The two lists below are the whole difference between grading a
submission on the hidden tests and a student's check on the visible ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from grader.course import Course, Topic
from grader.grading.intake import intake
from grader.grading.records import TestRun
from grader.grading.runner import RunReport, TopicRunner
from grader.grading.scoring import score_topic
from grader.grading.suspicious import scan_files, taught
from grader.result import ErrorKind, Flag, FlagCode, TopicResult
from grader.sandboxed.protocol import TestOutcome

if TYPE_CHECKING:
    from grader.authoring.perturb import Perturbation
    from grader.grading.manifests import Manifests


class Suite(Enum):
    HIDDEN = "hidden"
    """The course's hidden tests: grading (instructors, CI)."""
    VISIBLE = "visible"
    """The visible tests next to the exercises: a student's own check."""

    def test_file(self, course: Course, topic: Topic) -> Path:
        path = course.hidden_tests(topic) if self is Suite.HIDDEN else course.visible_tests(topic)
        return path.resolve()


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
    suite: Suite = Suite.HIDDEN
    exercises: tuple[str, ...] = ()
    """Only these exercises' tests, stopping at the first failure (validating a mutant)."""

    @property
    def files(self) -> Path:
        return self.work / "work"


@dataclass
class TopicRun:
    """The typed context the steps share."""

    job: TopicJob
    course: Course
    runner: TopicRunner
    manifests: Manifests
    ids: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    copied: tuple[str, ...] = ()
    report: RunReport | None = None

    @property
    def topic(self) -> Topic:
        return self.job.topic

    def ungradable(self, message: str, flags: list[Flag] | None = None,
                   kind: ErrorKind = ErrorKind.TESTS_UNAVAILABLE) -> TopicResult:
        outcomes = {i: TestRun(i, TestOutcome.ERROR, message) for i in self.ids}
        return score_topic(self.course, self.topic, self.ids, outcomes, self.flags if flags is None else flags, message,
                           kind)


Step = Callable[[TopicRun], "TopicResult | None"]


def manifest(run: TopicRun) -> TopicResult | None:
    """Hidden tests are listed with no student code present: the manifest cannot be steered."""
    run.ids, error = run.manifests.get(run.job.test_file, run.job.work)
    return run.ungradable(error, [Flag(FlagCode.MANIFEST, error)]) if error else None


def take(run: TopicRun) -> TopicResult | None:
    """Intake: copy the allow-listed files; a missing module ends the topic."""
    taken = intake(run.job.root, run.topic, run.job.files)
    run.copied = taken.copied
    run.flags += [Flag(FlagCode.IGNORED_FILE, note) for note in taken.notes]
    run.flags += [Flag(FlagCode.SYMLINK_REFUSED, link) for link in taken.refused]
    return run.ungradable(taken.missing, kind=ErrorKind.MISSING_MODULE) if taken.missing else None


def compile_module(run: TopicRun) -> TopicResult | None:
    """A syntax error ends the topic before anything runs."""
    syntax = syntax_error(run.job.files / run.topic.module_file)
    return run.ungradable(syntax, kind=ErrorKind.SYNTAX_ERROR) if syntax else None


def scan(run: TopicRun) -> TopicResult | None:
    allowed = taught(run.course.solution(run.topic))
    run.flags += [Flag(FlagCode.SUSPICIOUS_CODE, line) for line in scan_files(run.job.files, run.copied, allowed)]
    return None


def run_tests(run: TopicRun) -> TopicResult | None:
    job = run.job
    env = job.perturbation.env() if job.perturbation else None
    if job.exercises:
        run.ids = [i for i in run.ids if (e := run.topic.exercise_for(i.split("::", 1)[-1])) and e.name in job.exercises]
    run.report = run.runner.run(job.test_file, run.ids, job.files, run.course.timeout(run.topic), env,
                                exitfirst=bool(job.exercises))
    if job.exercises:
        run.ids = [i for i in run.ids if i in run.report.outcomes]  # the tests after the first failure never ran
    return None


def run_visible(run: TopicRun) -> TopicResult | None:
    """Visible tests may import the student's module at the top (plain pytest works that way), so
    they are listed next to it, by the same process that runs them: this is the student's own check."""
    job = run.job
    env = job.perturbation.env() if job.perturbation else None
    run.ids, run.report, error = run.runner.run_file(job.test_file, job.files, run.course.timeout(run.topic), env)
    return run.ungradable(error) if error else None


def score(run: TopicRun) -> TopicResult:
    assert run.report is not None
    return score_topic(run.course, run.topic, run.ids, run.report.outcomes, run.flags + run.report.flags)


HIDDEN_STEPS: tuple[Step, ...] = (manifest, take, compile_module, scan, run_tests, score)
VISIBLE_STEPS: tuple[Step, ...] = (take, compile_module, scan, run_visible, score)
STEPS = {Suite.HIDDEN: HIDDEN_STEPS, Suite.VISIBLE: VISIBLE_STEPS}

# Ordering rules: the hidden manifest is taken before any student file is copied; nothing of the
# student's runs before it compiled; the scan sees the copied files; running the tests, then
# scoring, ends every list.
assert HIDDEN_STEPS.index(manifest) < HIDDEN_STEPS.index(take)
for _steps in STEPS.values():
    assert _steps.index(take) < _steps.index(compile_module) < _steps.index(scan) < len(_steps) - 2
    assert _steps[-2] in (run_tests, run_visible) and _steps[-1] is score


def run_steps(run: TopicRun) -> TopicResult:
    for step in STEPS[run.job.suite]:
        result = step(run)
        if result is not None:
            return result
    raise AssertionError("the last step always returns a result")


def syntax_error(path: Path) -> str:
    """``SyntaxError in processes.py line 3: ...`` without running anything, or ``""``."""
    source = path.read_bytes()
    nul = source.find(b"\0")
    if nul >= 0:  # compile() names no line for it ("line None") before Python 3.12
        line = source.count(b"\n", 0, nul) + 1
        return (f"SyntaxError in {path.name} line {line}: the file contains a NUL byte (byte offset {nul}); "
                "save it as plain UTF-8 text")
    try:
        compile(source, path.name, "exec", dont_inherit=True)
    except SyntaxError as exc:
        where = f" line {exc.lineno}" if exc.lineno else ""
        return f"SyntaxError in {path.name}{where}: {exc.msg}"
    except (ValueError, RecursionError, MemoryError) as exc:
        return f"{path.name} cannot be compiled: {type(exc).__name__}: {exc}"
    return ""
