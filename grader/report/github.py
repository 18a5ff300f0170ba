"""GitHub Actions output: runner results for GitHub Classroom's grading reporter, a job summary,
annotations, and fencing for anything a student controls.

The reporter (classroom-resources/autograding-grading-reporter) decodes ``<RUNNER>_RESULTS``
(base64 JSON) for each id in its ``runners`` input. Its console total and the total it sends to
Classroom are computed differently (pass fraction times ``max_score`` vs the sum of ``score``),
so we emit one runner per exercise, whose tests carry equal shares on a binary grid
(``result.shares``: equal to about 1e-6, the remainder on the last tests). The reporter adds
the scores up as floats; on that grid the sum is exact, so full marks are recorded as the
maximum exactly, and the console total agrees with the recorded one to about 1e-6. Every runner
has a non-empty ``tests`` list, even when the topic could not run, and a test's ``status`` is
``pass`` exactly when its ``score`` is its full share.

The reporter prints each test's name and message to its step's log, where the runner reads any
line starting with ``::`` as a workflow command: those texts pass through ``safe.workflow_safe``.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from grader.i18n import tr
from grader.report import markdown
from grader.report.safe import plain, workflow_safe
from grader.result import GradeResult, Status, shares

_STATUS = {Status.PASSED: "pass", Status.FAILED: "fail", Status.TIMEOUT: "fail", Status.ERROR: "error"}
MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step


def runner_id(topic_id: str, exercise: str) -> str:
    """``04_pool`` + ``parallel_apply`` -> ``t04parallelapply`` (the reporter accepts [a-zA-Z0-9] ids)."""
    return "t" + re.sub(r"[^a-z0-9]", "", f"{topic_id.split('_', 1)[0]}{exercise}".lower())


def runner_results(result: GradeResult) -> dict[str, dict[str, Any]]:
    """One runner result per exercise, in course order."""
    runners: dict[str, dict[str, Any]] = {}
    for topic in result.topics:
        exercises: dict[str, list] = {}
        for test in topic.tests:
            exercises.setdefault(test.exercise or "unassigned", []).append(test)
        if not exercises:
            # Nothing could even be listed: still one runner with one errored test, never an empty list.
            exercises = {"topic": []}
        for name, tests in exercises.items():
            max_score = _points(sum(t.max_score for t in tests) if tests else topic.max_score)
            entries = [{
                "name": workflow_safe(f"{topic.id} {t.id}"),
                "status": _STATUS[t.status],
                "score": share if t.status is Status.PASSED else 0,
                "message": workflow_safe((t.message + ("\n" + tr("Hint: {text}", text=t.hint) if t.hint else "")).strip()),
                "test_code": "",
                "filename": "",
                "line_no": 0,
                "duration": round(t.duration_s * 1000),
            } for t, share in zip(tests, shares(max_score, len(tests)), strict=True)] or [{
                "name": workflow_safe(topic.id), "status": "error", "score": 0,
                "message": workflow_safe(topic.message or "not graded"),
                "test_code": "", "filename": "", "line_no": 0, "duration": 0,
            }]
            statuses = {e["status"] for e in entries}
            status = "pass" if statuses == {"pass"} else ("error" if "error" in statuses else "fail")
            runners[runner_id(topic.id, name)] = {"version": 1, "status": status, "max_score": max_score,
                                                  "tests": entries}
    return runners


def _points(total: float) -> float:
    """An exercise's points from its tests' shares: a whole number when within rounding of one,
    otherwise on the shares' grid (so the shares still add up to it exactly)."""
    nearest = round(total)
    return float(nearest) if abs(total - nearest) < 1e-6 else shares(total, 1)[0]


def env_lines(result: GradeResult) -> str:
    """``T04PARALLELAPPLY_RESULTS=<base64>`` lines for ``$GITHUB_ENV``."""
    lines = []
    for runner, data in runner_results(result).items():
        encoded = base64.b64encode(json.dumps(data).encode()).decode()
        lines.append(f"{runner.upper()}_RESULTS={encoded}")
    return "\n".join(lines) + "\n"


def output_lines(result: GradeResult) -> str:
    """Step outputs for ``$GITHUB_OUTPUT``: the runner list and the totals."""
    runners = ",".join(runner_results(result))
    return f"runners={runners}\nscore={result.score:g}\nmax-score={result.max_score:g}\n"


def summary(result: GradeResult) -> str:
    """The job summary (``$GITHUB_STEP_SUMMARY``): the student feedback page."""
    return markdown.render(result).replace("# Feedback", "# Autograding", 1)


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_lines(result: GradeResult, file_for: dict[str, str] | None = None) -> str:
    """``::error`` lines, one per exercise that lost points (escaped: a message cannot end the command)."""
    lines = []
    for topic in result.topics:
        seen = set()
        for test in topic.tests:
            if test.status is Status.PASSED or test.exercise in seen:
                continue
            seen.add(test.exercise)
            where = f"file={escape_property(file_for[topic.id])}," if file_for and topic.id in file_for else ""
            title = escape_property(f"{topic.id} {test.exercise or ''}: {test.status.value}")
            first = (plain(test.message).splitlines() or [""])[0]
            body = escape_data(first + (" | " + tr("hint: {text}", text=test.hint) if test.hint else ""))
            lines.append(f"::error {where}title={title}::{body}")
    return "\n".join(lines[:MAX_ANNOTATIONS]) + ("\n" if lines else "")


def fenced(text: str, token: str) -> str:
    """Wrap text that may hold student output so the runner ignores any workflow command inside it."""
    return f"::stop-commands::{token}\n{text.rstrip()}\n::{token}::\n"
