"""What ``grader check`` and ``grader watch`` print: one line per topic, then details and what to do next.

Visible tests give no points, so nothing here reads like a grade: a topic's line counts the visible
tests that pass ("3/4 visible tests pass"). Details (each failing exercise's first failure, its
message and hint) come for the topics asked: every topic with ``-v``, or the one topic named.
Everything is rendered at the terminal's width with hanging indents, so a wrapped line starts
under its text, never at column 0; student text goes through ``plain`` like every renderer's.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.i18n import tr
from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status, TestResult, TopicResult

_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")
"""Blanks at a line's end, before its closing colour codes."""


@dataclass(frozen=True)
class Place:
    """Where a topic's files are, as the student sees them (relative to the repository)."""

    lesson: str
    module: str


def _counts(tests: tuple[TestResult, ...] | list[TestResult]) -> tuple[int, int]:
    return sum(t.status is Status.PASSED for t in tests), len(tests)


def _topic_line(topic: TopicResult) -> Text:
    passed, total = _counts(topic.tests)
    if topic.message:
        return Text(tr("could not run: {message}", message=one_line(topic.message, 300)), style="red")
    if not total:
        return Text(tr("no visible tests"), style="yellow")
    style = "green" if passed == total else ("red" if passed == 0 else "yellow")
    return Text(tr("{passed}/{total} visible tests pass", passed=passed, total=total), style=style)


def _grid(console: Console, rows: list[tuple[str | Text, str | Text]], indent: int = 0) -> None:
    """Two columns: the first never wraps, the second folds under itself (a hanging indent)."""
    grid = Table.grid(padding=(0, 1))
    if indent:
        grid.add_column(width=indent - 1)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in rows:
        grid.add_row(*([""] if indent else []), label, text)
    console.print(grid)


def _details(console: Console, topic: TopicResult) -> None:
    console.print(Text(f"{one_line(topic.id)} - {one_line(topic.title)}", style="bold"))
    if topic.message:
        _grid(console, [(tr("error:"), Text(plain(topic.message), style="red"))], indent=2)
    by_exercise: dict[str, list[TestResult]] = {}
    for test in topic.tests:
        by_exercise.setdefault(test.exercise or "(other)", []).append(test)
    for name, tests in by_exercise.items():
        passed, total = _counts(tests)
        mark = Text("ok  ", style="green") if passed == total else Text(tr("todo"), style="red")
        _grid(console, [(mark, f"{one_line(name)}: " + tr("{passed}/{total} visible tests pass", passed=passed, total=total))],
              indent=2)
        failing = next((t for t in tests if t.status is not Status.PASSED), None)
        if failing is None:
            continue
        rows: list[tuple[str | Text, str | Text]] = [
            (Text(tr(failing.status.value), style="red"), one_line(failing.id, 500))]
        if failing.message:
            rows.append(("", plain(failing.message)))
        if failing.hint:
            rows.append((Text(tr("hint"), style="cyan"), Text(plain(failing.hint), style="cyan")))
        _grid(console, rows, indent=8)


def _next_steps(result: GradeResult, places: dict[str, Place], detailed: bool) -> list[str]:
    todo = [t for t in result.topics if t.message or not t.tests or _counts(t.tests)[0] < len(t.tests)]
    if not todo:
        return [tr("All visible tests pass. Commit and push: the hidden tests grade your work.")]
    first = todo[0]
    lines = []
    # A topic not begun (stubs can pass a test or two, so "no test passes" is not the sign): where to start.
    if first.id in places and not any(t.status is Status.PASSED for t in first.tests):
        place = places[first.id]
        lines.append(tr("Start with {topic}: read {lesson}, then fill in {module}.", topic=first.id, lesson=place.lesson,
                        module=place.module))
    if len(todo) == len(result.topics):  # no topic done yet: say once what these counts are not
        lines.append(tr("The visible tests give no points: they show what works. The hidden tests grade your push."))
    if not detailed:
        lines.append(tr("Next: `grader check {topic}` shows its failures with hints (`grader check -v`: every topic's).",
                        topic=first.id))
    lines.append(tr("Also: `grader watch {topic}` re-checks on every save; `grader hint <exercise>` gives a hint; "
                    "`grader status` shows your progress.", topic=first.id))
    return lines


def render(result: GradeResult, places: dict[str, Place], *, detailed: bool, color: bool = False,
           width: int = 80) -> str:
    """One line per topic; then, when ``detailed``, each topic's failing exercises; then the next steps."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=max(width, 40),
                      highlight=False, soft_wrap=False)
    _grid(console, [(one_line(t.id), _topic_line(t)) for t in result.topics])
    for topic in result.topics if detailed else ():
        console.print()
        _details(console, topic)
    for flag in result.all_flags:
        _grid(console, [(Text(f"note [{one_line(flag.code.value)}]", style="magenta"), plain(flag.message))])
    console.print()
    for line in _next_steps(result, places, detailed):
        console.print(line)
    # The grid pads its cells to the width; trailing blanks would only make a full line wrap on some terminals.
    return "".join(_TRAILING.sub(r"\1", line) + "\n" for line in buffer.getvalue().splitlines())
