"""Per-student feedback in Markdown: scores per topic, then each failed test with message and hint.

It never shows hidden test code: only test names, the failure message and the course's hint.
Student-controlled text is put in fenced blocks so it cannot format (or inject into) the page;
text on a Markdown line of its own (the student's name in the title, which comes from a folder
name) is escaped and kept on that line.
"""

from __future__ import annotations

from grader.report.safe import markdown_inline, plain
from grader.result import GradeResult, Status


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def fence(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (which is made ``plain``)."""
    text = plain(text)
    ticks = "`" * max(3, _longest_backticks(text) + 1)
    return f"{ticks}text\n{text}\n{ticks}"


def _longest_backticks(text: str) -> int:
    best = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best


def render(result: GradeResult, student: str | None = None) -> str:
    title = f"# Feedback{f' for {markdown_inline(student)}' if student else ''}"
    lines = [title, "", f"**Score: {_points(result.score)} / {_points(result.max_score)}**", "",
             "| topic | score | status |", "|---|---|---|"]
    for topic in result.topics:
        lines.append(f"| {topic.id} | {_points(topic.score)} / {_points(topic.max_score)} | {topic.status.value} |")
    for topic in result.topics:
        failed = [t for t in topic.tests if t.status is not Status.PASSED]
        if not failed and not topic.message:
            continue
        lines += ["", f"## {topic.id}: {topic.title}", ""]
        if topic.message:
            lines += [fence(topic.message), ""]
        hinted: set[str | None] = set()
        for test in failed:
            if topic.message and test.message == topic.message:
                continue
            lines.append(f"- **{test.status.value}** `{test.id}` ({_points(test.score)} / {_points(test.max_score)})")
            if test.message:
                lines += ["", _indent(fence(test.message)), ""]
            if test.hint and test.exercise not in hinted:
                hinted.add(test.exercise)
                lines += [f"  - Hint: {test.hint}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
