"""A terminal table: one row per exercise, then each failure with its message and hint."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.result import GradeResult, Status, TestResult, TopicResult

_STYLE = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "red", Status.TIMEOUT: "yellow"}


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render(result: GradeResult, *, color: bool = False, width: int = 100, compact: bool = False) -> str:
    """The table, then failures; ``compact`` (students' check) shows one failure per exercise."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False)
    table = Table(title=None, show_lines=False, expand=False)
    for column in ("topic", "exercise", "passed", "failed", "timed out", "points"):
        table.add_column(column, justify="right" if column not in ("topic", "exercise") else "left")
    failures: list[tuple[TopicResult, TestResult]] = []
    for topic in result.topics:
        groups: dict[str, list[TestResult]] = defaultdict(list)
        for test in topic.tests:
            groups[test.exercise or "(unassigned)"].append(test)
        if not topic.tests:
            table.add_row(topic.id, "-", "0", "0", "0", f"0/{_points(topic.max_score)}")
        for name, tests in groups.items():
            passed = sum(t.status is Status.PASSED for t in tests)
            timed = sum(t.status is Status.TIMEOUT for t in tests)
            failed = len(tests) - passed - timed
            score = sum(t.score for t in tests)
            top = sum(t.max_score for t in tests)
            style = "green" if passed == len(tests) else "red"
            table.add_row(topic.id, name, str(passed), str(failed), str(timed),
                          Text(f"{_points(score)}/{_points(top)}", style=style))
            failures += [(topic, t) for t in tests if t.status is not Status.PASSED]
    console.print(table)
    for topic in result.topics:
        if topic.message:
            console.print(Text(f"{topic.id}: {topic.message}", style="red"))
    shown = set()
    reported = set()
    for owner, test in failures:
        if owner.message and test.message == owner.message:
            continue  # already said once for the whole topic
        if compact and (owner.id, test.exercise) in reported:
            continue
        reported.add((owner.id, test.exercise))
        console.print(Text(f"{test.status.value.upper():8} {owner.id} {test.id}", style=_STYLE[test.status]))
        if test.message:
            console.print(Text("         " + test.message.replace("\n", "\n         ")))
        if test.hint and (owner.id, test.exercise) not in shown:
            shown.add((owner.id, test.exercise))
            console.print(Text(f"         hint: {test.hint}", style="cyan"))
    for flag in result.all_flags:
        console.print(Text(f"flag [{flag.code.value}] {flag.topic or ''}: {flag.message}", style="magenta"))
    console.print(Text(f"Total: {_points(result.score)}/{_points(result.max_score)}   (sandbox: {result.sandbox})",
                       style="bold"))
    return buffer.getvalue()
