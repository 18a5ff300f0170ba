"""A terminal table: one row per exercise, then each failure with its message and hint."""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.i18n import tr
from grader.report import feedback
from grader.report.feedback import Feedback, left_out_line
from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status, TestResult

MAX_FAILURES = 40
"""Failure entries a terminal shows (the feedback files cap at ``feedback.MAX_FAILURES``)."""

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
        table.add_column(tr(column), justify="right" if column not in ("topic", "exercise") else "left")
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
    console.print(table)
    _failures(console, feedback.build(result, limit=MAX_FAILURES), compact)
    for flag in result.all_flags:
        _hanging(console, f"flag [{one_line(flag.code.value)}] {one_line(flag.topic or '')}:", flag.message, "magenta")
    console.print(Text(tr("Total: {score}/{max_score}   (sandbox: {sandbox})", score=_points(result.score),
                          max_score=_points(result.max_score), sandbox=one_line(result.sandbox)), style="bold"))
    return buffer.getvalue()


def _failures(console: Console, fb: Feedback, compact: bool) -> None:
    """Each topic's problem once (a message several topics share, once for all), then the failures
    grouped as ``report.feedback`` groups them; ``compact``: the first of each exercise."""
    for message, topic_ids in fb.shared:
        _hanging(console, f"{one_line(', '.join(topic_ids))}:", message, "red")
    for topic in fb.topics:
        if topic.message:
            _hanging(console, f"{one_line(topic.id)}:", topic.message, "red")
        for exercise in topic.exercises:
            hinted: set[str] = set()
            for failure in exercise.failures[:1] if compact else exercise.failures:
                console.print(Text(f"{tr(failure.status.value.upper()):8} {one_line(topic.id)} {one_line(failure.label, 500)}",
                                   style=_STYLE[failure.status]))
                if failure.message:
                    _hanging(console, "", failure.message)
                if failure.hint and failure.hint not in hinted:
                    hinted.add(failure.hint)
                    _hanging(console, "", tr("hint: {text}", text=failure.hint), "cyan")
    if fb.left_out:
        console.print(Text(left_out_line(fb.left_out, "(the feedback files list them all)")))


def _hanging(console: Console, label: str, text: str, style: str = "") -> None:
    """``label`` then student text as printable lines with a hanging indent (wrapped lines too),
    so no line of it can pass for one of the table's own (a ``Total:``, a ``PASSED`` row)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=8)
    grid.add_column(overflow="fold")
    grid.add_row(Text(label, style=style), Text(plain(text), style=style))
    console.print(grid)
