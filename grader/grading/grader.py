"""Grade a submission: for each topic, in parallel up to ``jobs``, the named steps of its suite.

A step that finds the topic ungradable (module missing, syntax error, tests that do not collect)
ends the topic with a clear message and zero points for its tests; the other topics are graded
as usual (``grader.grading.steps``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from grader.course import Course, Topic
from grader.grading import scheduler
from grader.grading.intake import submission_root
from grader.grading.manifests import Manifests
from grader.grading.runner import TopicRunner
from grader.grading.scoring import topic_points
from grader.grading.steps import Suite, TopicJob, TopicRun, run_steps
from grader.result import Flag, FlagCode, GradeResult, TopicResult
from grader.sandbox.base import Interrupted, Sandbox


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def graded_so_far(topics: list[Topic], finished: dict[int, object]) -> str:
    """What an interrupted grading had finished: each graded topic's points, the others named."""
    done = [f"{topics[i].id} {r.score:g}/{r.max_score:g}" for i, r in sorted(finished.items())
            if isinstance(r, TopicResult)]
    left = [t.id for i, t in enumerate(topics) if i not in finished]
    graded = f"graded {len(done)} of {len(topics)} topic(s)" + (f": {', '.join(done)}" if done else "")
    return graded + (f"; not graded: {', '.join(left)}" if left else "")


class Grader:
    def __init__(self, course: Course, sandbox: Sandbox | None = None, jobs: int | None = None) -> None:
        if sandbox is None:
            from grader.sandbox.choose import make_sandbox

            sandbox = make_sandbox()
        self.course = course
        self.sandbox = sandbox
        self.jobs = jobs or default_jobs()
        self.runner = TopicRunner(self.sandbox)
        self.manifests = Manifests(self.runner)
        self.seconds: dict[str, float] = {}
        """Wall time of the last grading of each topic (``validate`` records the solutions')."""

    def grade(self, submission: Path, topic_ids: list[str] | None = None, suite: Suite = Suite.HIDDEN) -> GradeResult:
        """Grade ``submission`` on the hidden tests (or, for students, on the visible ones)."""
        root = submission_root(submission)
        topics = self.course.select(topic_ids)
        tmp = Path(tempfile.mkdtemp(prefix="grader-"))
        try:
            jobs = [TopicJob(t, root, suite.test_file(self.course, t), tmp / t.id, suite=suite) for t in topics]
            units = [scheduler.Unit(job.topic.id, lambda job=job: self.grade_topic(job)) for job in jobs]  # type: ignore[misc]
            try:
                results = scheduler.run(self, units, tmp, hidden=suite is Suite.HIDDEN)
            except Interrupted as exc:
                exc.summary = graded_so_far(topics, exc.finished)
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        # What the tier lacks on this host is for an instructor's grading; a student's practice
        # run (visible tests on their own machine) only names the tier.
        notes = self.sandbox.notes() if suite is Suite.HIDDEN else []
        return GradeResult(tuple(results), sandbox=self.sandbox.tier,
                           flags=tuple(Flag(FlagCode.SANDBOX, n) for n in notes))

    def grade_topic(self, job: TopicJob) -> TopicResult:
        started = time.monotonic()
        try:
            job.work.mkdir(parents=True)
            return run_steps(TopicRun(job, self.course, self.runner, self.manifests))
        except Exception as exc:  # noqa: BLE001 - one topic's failure must not lose the others
            message = f"internal grader error: {type(exc).__name__}: {exc}"
            return TopicResult(job.topic.id, job.topic.title, (),
                               (Flag(FlagCode.GRADER_ERROR, message, job.topic.id),),
                               message, max_points=float(topic_points(self.course, job.topic)))
        finally:
            self.seconds[job.topic.id] = time.monotonic() - started
