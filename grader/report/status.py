"""``grader status``: the student's progress per topic and the next exercise to do."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table

from grader.course import Course, Exercise, Topic


def render(course: Course, rows: list[tuple[Topic, int, int]], upcoming: tuple[Topic, Exercise] | None,
           unchecked: int, *, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, highlight=False, force_terminal=color, no_color=not color)
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("topic", "progress", "done"):
        table.add_column(column)
    for topic, done, total in rows:
        table.add_row(topic.id, ProgressBar(total=total, completed=done, width=30), f"{done}/{total}")
    console.print(table)
    passed, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    console.print(f"course: {passed}/{total} exercises done ({passed / total:.0%})")
    if upcoming is None:
        console.print("all exercises pass their visible tests: well done! Push to have them graded.")
    else:
        topic, exercise = upcoming
        stub = course.stub(topic).relative_to(course.root).as_posix()
        console.print(f"next: {topic.id}/{exercise.name} in {stub} (grader check {topic.id}; grader hint {exercise.name})")
    if unchecked:
        console.print(f"{unchecked} exercise(s) not checked yet: run `grader check` to update this overview")
    return buffer.getvalue()
