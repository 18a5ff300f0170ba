"""Per-student feedback in Markdown: scores per topic, then the failures of each exercise with their
messages, points and hints (``report.feedback`` groups and caps them; the HTML shows the same).

It never shows hidden test code: only test names, the failure message and the course's hint.
Student-controlled text is put in fenced blocks so it cannot format (or inject into) the page;
text on a Markdown line of its own (the student's name in the title, which comes from a folder
name) is escaped and kept on that line.
"""

from __future__ import annotations

from grader.i18n import tr
from grader.report import feedback
from grader.report.feedback import TopicFeedback, label, left_out_line, points
from grader.report.safe import markdown_inline, one_line, plain
from grader.result import GradeResult


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
    fb = feedback.build(result)
    title = "# " + (tr("Feedback for {student}", student=markdown_inline(student)) if student else tr("Feedback"))
    lines = [title, "", "**" + tr("Score: {score} / {max_score}", score=points(fb.score), max_score=points(fb.max_score))
             + "**", "", f"| {label('topic')} | {label('score')} | {label('status')} |", "|---|---|---|"]
    for topic in fb.topics:
        lines.append(f"| {topic.id} | {points(topic.score)} / {points(topic.max_score)} | {_status(topic)} |")
    for message, topic_ids in fb.shared:
        lines += ["", f"**{label('Not graded')}** ({', '.join(topic_ids)}):", "", fence(message)]
    for topic in fb.topics:
        if topic.message or any(e.failures for e in topic.exercises):
            lines += ["", f"## {topic.id}: {markdown_inline(topic.title)}", ""] + _topic(topic)
    if fb.left_out:
        lines += ["", left_out_line(fb.left_out)]
    return "\n".join(lines).rstrip() + "\n"


def _status(topic: TopicFeedback) -> str:
    return label(topic.status.value) + (f" ({topic.error_kind.value})" if topic.error_kind else "")


def _topic(topic: TopicFeedback) -> list[str]:
    lines = [fence(topic.message), ""] if topic.message else []
    for exercise in topic.exercises:
        if not exercise.failures:
            continue
        lines += [f"### {markdown_inline(exercise.name)} ({points(exercise.score)} / {points(exercise.max_score)})", ""]
        hinted: set[str] = set()
        for failure in exercise.failures:
            lines.append(f"- **{label(failure.status.value)}** `{plain(failure.label)}` "
                         f"({points(failure.score)} / {points(failure.max_score)})")
            if failure.message:
                lines += ["", _indent(fence(failure.message)), ""]
            if failure.hint and failure.hint not in hinted:
                hinted.add(failure.hint)
                lines += ["  - " + tr("Hint: {text}", text=one_line(failure.hint, 1000)), ""]
    return lines


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
