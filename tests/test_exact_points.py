"""Exact points (issue #15, point 2): what GitHub Classroom's reporter records for full marks is the
maximum exactly, on real course.yml exercise sizes, with the reporter's own arithmetic.

classroom-resources/autograding-grading-reporter (src/notify-classroom.js) decodes each runner's
base64 JSON and, over the runners in order, adds ``max_score`` to ``maxPoints`` and every test's
``score`` to ``totalPoints`` as JavaScript numbers (IEEE doubles, like Python floats), with no
rounding; it then records ``{"totalPoints": X, "maxPoints": Y}``.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
from fractions import Fraction

import pytest

from grader.course import load
from grader.grading.records import TestRun
from grader.grading.scoring import score_topic
from grader.report import github, gradebook
from grader.result import GradeResult, shares
from grader.sandboxed.protocol import TestOutcome
from tests.conftest import MINI, ROOT

COURSE = load(ROOT / "course.yml")
METHODS = ("fork", "spawn", "forkserver")


def reporter_totals(env_text: str, runner_ids: list[str]) -> tuple[float, float]:
    """The reporter's arithmetic over ``$GITHUB_ENV`` lines: decode each runner, sum as it does."""
    env = dict(line.split("=", 1) for line in env_text.splitlines() if line)
    total_points, max_points = 0, 0  # JavaScript starts both at the number 0
    for runner in runner_ids:
        results = json.loads(base64.b64decode(env[f"{runner.upper()}_RESULTS"]))
        if not results["max_score"]:
            continue
        max_points += results["max_score"]
        for test in results["tests"]:
            total_points += test["score"]
    return total_points, max_points


def graded(tests_per_exercise: int, failing: set[str] = frozenset(), partial: set[str] = frozenset()) -> GradeResult:
    """Every topic of the real course.yml scored with ``tests_per_exercise`` hidden tests per exercise
    (3: one per start method; 7: a larger class): exercises in ``failing`` fail every test, those in
    ``partial`` fail their first test only."""
    topics = []
    for topic in COURSE.topics:
        manifest, outcomes = [], {}
        for exercise in topic.exercises:
            for i in range(tests_per_exercise):
                test_id = f"test_x.py::{exercise.tests}::test_{i}[{METHODS[i % 3]}]"
                manifest.append(test_id)
                lost = exercise.name in failing or (exercise.name in partial and i == 0)
                outcomes[test_id] = TestRun(test_id, TestOutcome.FAILED if lost else TestOutcome.PASSED, "x")
        topics.append(score_topic(COURSE, topic, manifest, outcomes, []))
    return GradeResult(tuple(topics), "portable")


def course_max() -> int:
    return sum(COURSE.points(e) for t in COURSE.topics for e in t.exercises)


@pytest.mark.parametrize("count", [3, 7])
def test_full_marks_are_recorded_as_the_maximum_exactly(count):
    result = graded(count)
    runners = list(github.runner_results(result))
    total, maximum = reporter_totals(github.env_lines(result), runners)
    assert maximum == course_max() and total == maximum  # exactly, not approximately
    assert result.score == result.max_score == course_max()
    row = next(csv.DictReader(io.StringIO(gradebook.render([("ada", result)]))))
    assert row["score"] == row["max_score"] == str(course_max()) and row["status"] == "complete"


@pytest.mark.parametrize("count", [3, 7])
def test_partial_marks_add_up_exactly_to_the_exercises_passed(count):
    names = [e.name for t in COURSE.topics for e in t.exercises]
    failing, partial = set(names[::4]), set(names[1::4])
    result = graded(count, failing, partial)
    runners = github.runner_results(result)
    total, maximum = reporter_totals(github.env_lines(result), list(runners))
    assert maximum == course_max()
    # Whole exercises passed count their points exactly; a partly passed one counts all but one share.
    exact = Fraction(0)
    for topic in COURSE.topics:
        for exercise in topic.exercises:
            if exercise.name in partial:
                exact += Fraction(COURSE.points(exercise)) * (count - 1) / count
            elif exercise.name not in failing:
                exact += COURSE.points(exercise)
    assert total == result.score  # the reporter records the grader's own total, to the last bit
    # A partly passed exercise loses its first test's share, which differs from points/count by less
    # than one step of the 1/2**20 grid: the error grows with the partial exercises, never faster.
    assert abs(Fraction(total) - exact) < Fraction(len(partial), 2**20)
    for runner in runners.values():
        if runner["status"] == "pass":
            assert sum(t["score"] for t in runner["tests"]) == runner["max_score"]


@pytest.mark.parametrize("points", range(0, 11))
@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 9, 12, 21])
def test_shares_sum_to_the_points_in_any_order(points, count):
    parts = shares(points, count)
    assert len(parts) == count and max(parts) - min(parts) <= 1e-6
    running = 0.0
    for part in parts:
        running += part
    assert running == points and sum(reversed(parts)) == points


def test_gradebook_shows_two_decimals_and_json_keeps_exact_shares():
    result = graded(3, partial={"parallel_apply"})
    row = next(csv.DictReader(io.StringIO(gradebook.render([("ada", result)]))))
    assert all(len(value.partition(".")[2]) <= 2 for key, value in row.items() if key not in ("student", "status",
                                                                                              "flags"))
    assert row["04_pool"] == f"{next(t for t in result.topics if t.id == '04_pool').score:.2f}".rstrip("0").rstrip(".")


@pytest.mark.slow
def test_grade_github_on_the_mini_course_records_full_marks_exactly(tmp_path):
    """The real CLI: ``grade --github`` writes the runner results; the reporter's sum is the maximum."""
    env_file, out_file = tmp_path / "env", tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", str(MINI / "course.yml"), "grade",
                           str(MINI / "solutions"), "--github"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "GITHUB_ENV": str(env_file), "GITHUB_OUTPUT": str(out_file),
                               "GITHUB_STEP_SUMMARY": str(tmp_path / "summary")})
    assert proc.returncode == 0, proc.stderr
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    total, maximum = reporter_totals(env_file.read_text(), outputs["runners"].split(","))
    assert total == maximum == 9
