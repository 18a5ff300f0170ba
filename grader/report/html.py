"""Per-student feedback as a self-contained HTML page (the same content as the Markdown).

Student text is escaped and ``plain`` (no control character or lone surrogate reaches the page)."""

from __future__ import annotations

from html import escape

from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem}"
          "pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}.passed{color:#176f2c}"
          ".failed,.error{color:#b00020}.timeout{color:#a15c00}")


def _points(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def render(result: GradeResult, student: str | None = None) -> str:
    title = "Feedback" + (f" for {one_line(student)}" if student else "")
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>",
           f"<style>{_STYLE}</style></head><body>", f"<h1>{escape(title)}</h1>",
           f"<p><strong>Score: {_points(result.score)} / {_points(result.max_score)}</strong></p>",
           "<table><tr><th>topic</th><th>score</th><th>status</th></tr>"]
    for topic in result.topics:
        status = topic.status.value
        out.append(f"<tr><td>{escape(topic.id)}</td><td>{_points(topic.score)} / {_points(topic.max_score)}</td>"
                   f"<td class='{status}'>{status}</td></tr>")
    out.append("</table>")
    for topic in result.topics:
        failed = [t for t in topic.tests if t.status is not Status.PASSED]
        if not failed and not topic.message:
            continue
        out.append(f"<h2>{escape(topic.id)}: {escape(topic.title)}</h2>")
        if topic.message:
            out.append(f"<pre>{escape(plain(topic.message))}</pre>")
        out.append("<ul>")
        hinted: set[str | None] = set()
        for test in failed:
            if topic.message and test.message == topic.message:
                continue
            status = test.status.value
            item = [f"<li><span class='{status}'>{status}</span> <code>{escape(test.id)}</code>"]
            if test.message:
                item.append(f"<pre>{escape(plain(test.message))}</pre>")
            if test.hint and test.exercise not in hinted:
                hinted.add(test.exercise)
                item.append(f"<p>Hint: {escape(test.hint)}</p>")
            out.append("".join(item) + "</li>")
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
