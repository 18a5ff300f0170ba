"""Course lint (issue #15, point 4): a ``tests:`` that selects no hidden test, an exercise whose class
has no tests, and a hidden test no exercise owns are configuration errors in ``grade``, ``batch`` and
``validate``: exit 2 with one line naming course.yml and the key, before any student code runs.

Issue #16: the course order is proven from the declared prerequisites. A ``requires:`` naming a
later topic, or a ``uses:`` key that no earlier (or the same) topic ``teaches:``, is the same kind
of configuration error; the real course lints clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import course as course_model
from grader.errors import CourseError
from grader.grading.lint import order_problem
from tests.conftest import MINI, ROOT, run_grader

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


def _declare(course: Path, first: str, second: str) -> None:
    """Insert prerequisite declarations under the mini course's two topics."""
    text = (course / "course.yml").read_text()
    text = text.replace("    module: basics\n", f"    module: basics\n{first}")
    (course / "course.yml").write_text(text.replace("    module: other\n", f"    module: other\n{second}"))


def forward_uses(course: Path) -> str:
    _declare(course, "    uses: [threading.Lock]\n", "    teaches: [threading.Lock]\n")
    return "topics[0].uses[0]: 01_basics uses 'threading.Lock', which no earlier topic teaches (only 02_other"


def forward_requires(course: Path) -> str:
    _declare(course, "    requires: [02_other]\n", "    requires: [01_basics]\n")
    return "topics[0].requires[0]: 01_basics requires '02_other', which comes later in the course"


BREAKS = {"misspelt": misspelt_tests_class, "no_tests": exercise_without_tests, "stray": stray_hidden_test,
          "forward_uses": forward_uses, "forward_requires": forward_requires}


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


@pytest.mark.slow
def test_grade_refuses_a_broken_course(broken, tmp_path):
    course, expected = broken
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(course / "solutions"))
    one_line_error(proc, expected, course)
    assert proc.stdout == ""  # nothing graded, no table


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_unbroken_mini_course_still_grades(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(course / "solutions"), "--fail-under", "full")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_a_declared_order_without_forward_references_grades(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    _declare(course, "    teaches: [threading.Lock]\n    uses: [threading.Lock]\n",
             "    requires: [01_basics]\n    uses: [threading.Lock]\n")
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(course / "solutions"), "--fail-under", "full")
    assert proc.returncode == 0, proc.stderr


def _mini_with(tmp_path: Path, first: str, second: str = "") -> Path:
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    _declare(course, first, second)
    return course / "course.yml"


@pytest.mark.parametrize(("declaration", "expected"), [
    ("    requires: [99_nowhere]\n", "topics[0].requires[0]: '99_nowhere' is not a topic of this course"),
    ("    uses: [GIL]\n", "topics[0].uses[0]: 01_basics uses 'GIL', which no earlier topic teaches (no topic teaches it"),
])
def test_unknown_topics_and_untaught_concepts(tmp_path, declaration, expected):
    problem = order_problem(course_model.load(_mini_with(tmp_path, declaration)))
    assert problem.startswith(expected), problem


@pytest.mark.parametrize(("declaration", "expected"), [
    ("    requires: [basics]\n", "topics[0].requires[0]: must look like 04_pool"),
    ("    teaches: [threading Lock]\n", "topics[0].teaches[0]: must be a concept key"),
    ("    uses: [GIL, GIL]\n", "topics[0]: uses lists GIL more than once"),
    ("    requires: [01_basics]\n", "topics[0]: topic 01_basics requires itself"),
    ("    teaches: GIL\n", "topics[0].teaches: "),
])
def test_declarations_are_validated_strictly(tmp_path, declaration, expected):
    with pytest.raises(CourseError) as caught:
        course_model.load(_mini_with(tmp_path, declaration))
    assert expected in str(caught.value), caught.value


def test_declarations_are_optional():
    topic = course_model.load(MINI / "course.yml").topics[0]
    assert (topic.requires, topic.teaches, topic.uses) == ((), (), ())


def test_the_real_course_order_has_no_forward_reference():
    course = course_model.load(ROOT / "course.yml")
    assert order_problem(course) == ""
    for topic in course.topics:
        assert topic.teaches, f"{topic.id} declares no teaches:"
        assert all(course.topics.index(course.topic(r)) < course.topics.index(topic) for r in topic.requires)
    assert course.topics[0].requires == (), "the first topic can build on nothing"
