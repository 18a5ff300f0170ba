"""Course lint (issue #15, point 4): a ``tests:`` that selects no hidden test, an exercise whose class
has no tests, and a hidden test no exercise owns are configuration errors in ``grade``, ``batch`` and
``validate``: exit 2 with one line naming course.yml and the key, before any student code runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, run_grader

HIDDEN_01 = Path("tests/hidden/01_basics/test_basics.py")


def misspelt_tests_class(course: Path) -> str:
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace("      - name: add\n", "      - name: add\n        tests: TestAd\n"))
    return "topics[0].exercises[0].tests: 'TestAd' selects no hidden test"


def exercise_without_tests(course: Path) -> str:
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace(
        "      - name: helper\n", "      - name: ghost\n      - name: helper\n"))
    with (course / HIDDEN_01).open("a") as f:
        f.write("\n\nclass TestGhost:\n    pass\n")
    return "topics[0].exercises[2] (ghost): selects no hidden test"


def stray_hidden_test(course: Path) -> str:
    with (course / HIDDEN_01).open("a") as f:
        f.write("\n\nclass TestStray:\n    def test_x(self):\n        pass\n")
    return "topics[0].exercises: no exercise's tests: selects TestStray::test_x"


BREAKS = {"misspelt": misspelt_tests_class, "no_tests": exercise_without_tests, "stray": stray_hidden_test}


@pytest.fixture(params=sorted(BREAKS))
def broken(request, tmp_path) -> tuple[Path, str]:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    return course, BREAKS[request.param](course)


def one_line_error(proc, expected: str, course: Path) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"grader: error: {course / 'course.yml'}: ") and expected in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def test_grade_refuses_a_broken_course(broken, tmp_path):
    course, expected = broken
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(course / "solutions"))
    one_line_error(proc, expected, course)
    assert proc.stdout == ""  # nothing graded, no table


def test_batch_refuses_a_broken_course_and_writes_no_result(broken, tmp_path):
    course, expected = broken
    subs, out = tmp_path / "subs", tmp_path / "out"
    shutil.copytree(course / "solutions", subs / "ada")
    proc = run_grader("--course", str(course / "course.yml"), "batch", str(subs), "--out", str(out), "--quiet")
    one_line_error(proc, expected, course)
    assert not (out / "ada.json").exists()


def test_validate_refuses_a_broken_course(broken):
    course, expected = broken
    proc = run_grader("--course", str(course / "course.yml"), "validate", "--topic", "01_basics")
    one_line_error(proc, expected, course)


def test_the_unbroken_mini_course_still_grades(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(course / "solutions"), "--fail-under", "full")
    assert proc.returncode == 0, proc.stderr
