"""``grader status``: the student's progress per topic and the next exercise to do."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table

from grader.course import Course, Exercise, Topic
from grader.i18n import tr


def render(course: Course, rows: list[tuple[Topic, int, int]], upcoming: tuple[Topic, Exercise] | None,
           unchecked: int, *, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, force_terminal=color, no_color=not color)
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("topic", "progress", "done"):
        table.add_column(tr(column))
    for topic, done, total in rows:
        table.add_row(topic.id, ProgressBar(total=total, completed=done, width=30), f"{done}/{total}")
    console.print(table)
    passed, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    console.print(tr("course: {passed}/{total} exercises done ({share})", passed=passed, total=total,
                     share=f"{passed / total:.0%}"))
    if upcoming is None:
        console.print(tr("all exercises pass their visible tests: well done! Push to have them graded."))
    else:
        topic, exercise = upcoming
        stub = course.stub(topic).relative_to(course.root).as_posix()
        console.print(tr("next: {exercise} in {stub} (grader check {topic}; grader hint {name})",
                         exercise=f"{topic.id}/{exercise.name}", stub=stub, topic=topic.id, name=exercise.name))
    if unchecked:
        console.print(tr("{count} exercise(s) not checked yet: run `grader check` to update this overview",
                         count=unchecked))
    return buffer.getvalue()
