"""Progress while ``grader check`` runs: "checking 01_processes (1/15)..." on one terminal line.

The line goes to stderr, and only on a terminal (a pipe or a file gets the report alone); it is
erased before the report is printed. Topics run in parallel, so the line names the topic started
last and counts the topics started so far.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from grader.course import Course
from grader.grading.grader import Grader
from grader.grading.steps import TopicJob
from grader.i18n import tr
from grader.result import TopicResult
from grader.sandbox.choose import make_sandbox

ERASE = "\r\033[K"


class ProgressGrader(Grader):
    """A ``Grader`` that calls ``on_start(topic_id)`` as each topic starts."""

    def __init__(self, course: Course, on_start: Callable[[str], None], jobs: int | None = None) -> None:
        super().__init__(course, make_sandbox(practice=True), jobs=jobs)
        self.on_start = on_start

    def grade_topic(self, job: TopicJob) -> TopicResult:
        self.on_start(job.topic.id)
        return super().grade_topic(job)


@contextmanager
def topic_progress(total: int, stream: TextIO | None = None) -> Iterator[Callable[[str], None]]:
    """Yield ``on_start(topic_id)``; shows the progress line while the block runs (terminals only)."""
    out = stream or sys.stderr
    shown = out.isatty()
    lock = threading.Lock()
    started = 0

    def write(text: str) -> None:
        if shown:
            out.write(ERASE + text)
            out.flush()

    def on_start(topic_id: str) -> None:
        nonlocal started
        with lock:
            started += 1
            write(tr("checking {topic} ({started}/{total})...", topic=topic_id, started=started, total=total))

    write(tr("checking {total} topic(s)...", total=total))
    try:
        yield on_start
    finally:
        write("")
