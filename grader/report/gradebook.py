"""``gradebook.csv``: one row per student with the total, each topic's score (2 decimals at most),
a status and flags.

Every cell is one line and never a formula (``safe.cell``): a student's folder name that starts
with ``=`` is text in a spreadsheet. A flag is ``topic:code``, or its bare code when it belongs to
no topic.
"""

from __future__ import annotations

import csv
import io

from grader.report.safe import cell
from grader.result import GradeResult, Status


def render(rows: list[tuple[str, GradeResult]]) -> str:
    topic_ids: list[str] = []
    for _student, result in rows:
        for topic in result.topics:
            if topic.id not in topic_ids:
                topic_ids.append(topic.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell(value) for value in ("student", "score", "max_score", *topic_ids, "status", "flags")])
    for student, result in sorted(rows, key=lambda row: row[0]):
        scores = {t.id: _points(t.score) for t in result.topics}
        writer.writerow([cell(value) for value in (
            student, _points(result.score), _points(result.max_score), *(scores.get(t, "") for t in topic_ids),
            _status(result), "; ".join(f"{f.topic}:{f.code.value}" if f.topic else f.code.value
                                       for f in result.all_flags),
        )])
    return buffer.getvalue()


def _points(value: float) -> str:
    """Points for people: at most 2 decimals (23.8667 -> 23.87, 10.0 -> 10); the JSON results keep them exact."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _status(result: GradeResult) -> str:
    """``complete``, ``partial``, ``error`` (some topic could not be graded) or ``zero``."""
    if any(t.status is Status.ERROR and t.message for t in result.topics):
        return "error"
    if result.max_score and result.score == result.max_score:
        return "complete"
    return "partial" if result.score > 0 else "zero"
