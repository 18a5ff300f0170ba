"""Per-student feedback as a self-contained HTML page: the same content as the Markdown (both
render ``report.feedback``), per-test points included.

Student text is escaped and ``plain`` (no control character or lone surrogate reaches the page)."""

from __future__ import annotations

from html import escape

from grader.i18n import tr
from grader.report import feedback
from grader.report.feedback import TopicFeedback, label, left_out_line, points
from grader.report.safe import one_line, plain
from grader.result import GradeResult

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem}"
          "pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}.passed{color:#176f2c}"
          ".failed,.error{color:#b00020}.timeout{color:#a15c00}")


def render(result: GradeResult, student: str | None = None) -> str:
    fb = feedback.build(result)
    title = tr("Feedback for {student}", student=one_line(student)) if student else tr("Feedback")
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>",
           f"<style>{_STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>",
           f"<p><strong>{escape(tr('Score: {score} / {max_score}', score=points(fb.score), max_score=points(fb.max_score)))}"
           "</strong></p>", f"<table><tr><th>{label('topic')}</th><th>{label('score')}</th><th>{label('status')}</th></tr>"]
    for topic in fb.topics:
        status = topic.status.value
        kind = f" ({topic.error_kind.value})" if topic.error_kind else ""
        out.append(f"<tr><td>{escape(topic.id)}</td><td>{points(topic.score)} / {points(topic.max_score)}</td>"
                   f"<td class='{status}'>{label(status)}{kind}</td></tr>")
    out.append("</table>")
    for message, topic_ids in fb.shared:
        out.append(f"<p><strong>{label('Not graded')}</strong> ({escape(', '.join(topic_ids))}):</p>"
                   f"<pre>{escape(plain(message))}</pre>")
    for topic in fb.topics:
        if topic.message or any(e.failures for e in topic.exercises):
            out.append(f"<h2>{escape(topic.id)}: {escape(plain(topic.title))}</h2>")
            out += _topic(topic)
    if fb.left_out:
        out.append(f"<p>{escape(left_out_line(fb.left_out))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _topic(topic: TopicFeedback) -> list[str]:
    out = [f"<pre>{escape(plain(topic.message))}</pre>"] if topic.message else []
    for exercise in topic.exercises:
        if not exercise.failures:
            continue
        out.append(f"<h3>{escape(exercise.name)} ({points(exercise.score)} / {points(exercise.max_score)})</h3><ul>")
        hinted: set[str] = set()
        for failure in exercise.failures:
            status = failure.status.value
            item = [f"<li><span class='{status}'>{label(status)}</span> <code>{escape(plain(failure.label))}</code> "
                    f"({points(failure.score)} / {points(failure.max_score)})"]
            if failure.message:
                item.append(f"<pre>{escape(plain(failure.message))}</pre>")
            if failure.hint and failure.hint not in hinted:
                hinted.add(failure.hint)
                item.append(f"<p>{escape(tr('Hint: {text}', text=one_line(failure.hint, 1000)))}</p>")
            out.append("".join(item) + "</li>")
        out.append("</ul>")
    return out
