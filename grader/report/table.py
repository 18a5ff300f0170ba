"""A terminal table: one row per exercise, then each failure with its message and hint."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status, TestResult, TopicResult

_STYLE = {Status.PASSED: "green", Status.FAILED: "red", Status.ERROR: "red", Status.TIMEOUT: "yellow"}


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render(result: GradeResult, *, color: bool = False, width: int = 100, compact: bool = False) -> str:
    """The table, then failures; ``compact`` (students' check) shows one failure per exercise.

    Every text is ``plain``: a message cannot clear the screen, write the clipboard (OSC 52) or
    move the cursor to draw over the total."""
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
            table.add_row(one_line(topic.id), "-", "0", "0", "0", f"0/{_points(topic.max_score)}")
        for name, tests in groups.items():
            passed = sum(t.status is Status.PASSED for t in tests)
            timed = sum(t.status is Status.TIMEOUT for t in tests)
            failed = len(tests) - passed - timed
            score = sum(t.score for t in tests)
            top = sum(t.max_score for t in tests)
            style = "green" if passed == len(tests) else "red"
            table.add_row(one_line(topic.id), one_line(name), str(passed), str(failed), str(timed),
                          Text(f"{_points(score)}/{_points(top)}", style=style))
            failures += [(topic, t) for t in tests if t.status is not Status.PASSED]
    console.print(table)
    for topic in result.topics:
        if topic.message:
            _hanging(console, f"{one_line(topic.id)}:", topic.message, "red")
    shown = set()
    reported = set()
    for owner, test in failures:
        if owner.message and test.message == owner.message:
            continue  # already said once for the whole topic
        if compact and (owner.id, test.exercise) in reported:
            continue
        reported.add((owner.id, test.exercise))
        console.print(Text(f"{test.status.value.upper():8} {one_line(owner.id)} {one_line(test.id, 500)}",
                           style=_STYLE[test.status]))
        if test.message:
            _hanging(console, "", test.message)
        if test.hint and (owner.id, test.exercise) not in shown:
            shown.add((owner.id, test.exercise))
            _hanging(console, "", f"hint: {test.hint}", "cyan")
    for flag in result.all_flags:
        _hanging(console, f"flag [{one_line(flag.code.value)}] {one_line(flag.topic or '')}:", flag.message, "magenta")
    console.print(Text(f"Total: {_points(result.score)}/{_points(result.max_score)}   "
                       f"(sandbox: {one_line(result.sandbox)})", style="bold"))
    return buffer.getvalue()


def _hanging(console: Console, label: str, text: str, style: str = "") -> None:
    """``label`` then student text as printable lines with a hanging indent (wrapped lines too),
    so no line of it can pass for one of the table's own (a ``Total:``, a ``PASSED`` row)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=8)
    grid.add_column(overflow="fold")
    grid.add_row(Text(label, style=style), Text(plain(text), style=style))
    console.print(grid)
