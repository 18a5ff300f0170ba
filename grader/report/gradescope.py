"""Gradescope's ``/autograder/results/results.json`` (field names from its autograder spec)."""

from __future__ import annotations

import json
from typing import Any

from grader.i18n import tr
from grader.report.safe import no_surrogates
from grader.result import GradeResult, Status

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


def as_dict(result: GradeResult, *, visibility: str = "visible", execution_time: float | None = None) -> dict[str, Any]:
    tests = []
    for topic in result.topics:
        if topic.message and not topic.tests:
            tests.append({"name": f"{topic.id}: could not be graded", "score": 0.0, "max_score": topic.max_score,
                          "status": "failed", "output": no_surrogates(topic.message), "tags": [topic.id],
                          "visibility": visibility})
        for test in topic.tests:
            output = test.message + ("\n\n" + tr("Hint: {text}", text=test.hint) if test.hint else "")
            tests.append({
                "name": f"{topic.id} / {test.exercise or 'unassigned'} / {test.id}",
                "score": test.score,
                "max_score": test.max_score,
                "status": "passed" if test.status is Status.PASSED else "failed",
                "output": no_surrogates(output.strip()),
                "tags": [topic.id] + ([test.exercise] if test.exercise else []),
                "visibility": visibility,
            })
    data: dict[str, Any] = {
        "score": round(result.score, 6),
        "output": f"Graded {len(result.topics)} topic(s) in the {result.sandbox} sandbox.",
        "output_format": "text",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }
    if execution_time is not None:
        data["execution_time"] = round(execution_time, 3)
    return data


def render(result: GradeResult, *, visibility: str = "visible") -> str:
    return json.dumps(as_dict(result, visibility=visibility), indent=2) + "\n"
