"""Hints that fit (issue #15, point 5): a failure gets a hint only when the hint is made for it.

Each test grades the mini course through the real CLI (fast: the mini course's tests take
milliseconds), with a course.yml whose hints say when they apply.
"""

from __future__ import annotations

import shutil

import pytest

from grader.course import Exercise
from tests.conftest import MINI, by_id, grade_json, run_grader, write_submission

GOOD_OTHER = "def double(x):\n    return 2 * x\n"
GOOD_BASICS = (MINI / "solutions/01_basics/basics.py").read_text()
WHEN_HINTS = '''hints:
          - "Look at the operator."
          - text: "add returns a + b, not a - b."
            when: {message: "assert -1 == 3"}
          - text: "Negative numbers too."
            when: {test: "TestAdd::test_negative"}'''


def _course(tmp_path, hints: str = WHEN_HINTS):
    course = tmp_path / "course"
    shutil.copytree(MINI, course)
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace('hints: ["Return a + b."]', hints))
    return course


@pytest.mark.slow
def test_a_hint_is_shown_only_for_the_failure_its_when_matches(tmp_path):
    course = _course(tmp_path)
    basics = GOOD_BASICS.replace("    return a + b\n", "    return a - b\n", 1)
    sub = write_submission(tmp_path / "sub", {"01_basics/basics.py": basics, "02_other/other.py": GOOD_OTHER})
    tests = by_id(grade_json(sub, course=course / "course.yml"))
    small = tests["test_basics.py::TestAdd::test_small"]
    negative = tests["test_basics.py::TestAdd::test_negative"]
    assert small["status"] == "failed" and small["hint"] == "add returns a + b, not a - b."
    assert negative["status"] == "failed" and negative["hint"] == "Negative numbers too."
    assert "Look at the operator." not in {t["hint"] for t in tests.values()}, "a plain hint is never attached"


@pytest.mark.slow
def test_a_failure_no_hint_fits_stands_alone(tmp_path):
    """The issue's complaint: the exercise's first hint was shown for an unrelated failure."""
    course = _course(tmp_path, 'hints: ["Call p.start(), not p.run()."]')
    basics = GOOD_BASICS.replace("    return a + b\n", "    return None\n", 1)
    sub = write_submission(tmp_path / "sub", {"01_basics/basics.py": basics, "02_other/other.py": GOOD_OTHER})
    small = by_id(grade_json(sub, course=course / "course.yml"))["test_basics.py::TestAdd::test_small"]
    assert small["status"] == "failed" and small["hint"] == ""
    table = run_grader("--course", str(course / "course.yml"), "grade", str(sub)).stdout
    assert "p.start()" not in table and "hint:" not in table


def test_grader_hint_still_shows_every_hint_in_order(tmp_path):
    course = _course(tmp_path)
    shown = run_grader("hint", "add", "--all", cwd=course).stdout.splitlines()
    assert shown == ["hint 1/3 for 01_basics/add: Look at the operator.",
                     "hint 2/3 for 01_basics/add: add returns a + b, not a - b.",
                     "hint 3/3 for 01_basics/add: Negative numbers too."]


@pytest.mark.slow
def test_a_stub_says_not_done_yet_with_no_unrelated_hint():
    result = grade_json(MINI / "exercises")
    for test in by_id(result).values():
        assert test["message"].startswith(f"not done yet: {test['exercise']} still raises NotImplementedError "
                                          "(replace the `# YOUR CODE HERE` line in exercises/0"), test
        assert test["hint"] == ""
    add = by_id(result)["test_basics.py::TestAdd::test_small"]
    assert add["message"].endswith("in exercises/01_basics/basics.py)")


@pytest.mark.slow
def test_top_level_code_reading_argv_names_the_students_line_not_the_graders_flags(tmp_path):
    """A module without `if __name__ == "__main__":` runs its script code when the tests import it."""
    basics = GOOD_BASICS + "\n\nimport multiprocessing\nctx = multiprocessing.get_context(sys.argv[1])\n"
    line = basics.splitlines().index("ctx = multiprocessing.get_context(sys.argv[1])") + 1
    sub = write_submission(tmp_path, {"01_basics/basics.py": basics, "02_other/other.py": GOOD_OTHER})
    result = grade_json(sub)
    failed = [t for t in by_id(result).values() if t["id"].startswith("test_basics.py")]
    assert failed and all(t["status"] != "passed" for t in failed)
    for test in failed:
        assert "--" not in test["message"] and "nonce" not in test["message"] and "context.py" not in test["message"]
        assert test["message"].startswith(f"importing basics.py ran code at its top level (basics.py:{line}) "
                                          "that read sys.argv"), test["message"]
        assert 'if __name__ == "__main__":' in test["message"]


def test_a_broken_when_is_a_one_line_configuration_error(tmp_path):
    course = _course(tmp_path, 'hints: [{text: "x", when: {message: "("}}]')
    proc = run_grader("--course", str(course / "course.yml"), "grade", str(MINI / "solutions"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "hints[0].when.message: not a regular expression" in proc.stderr
    empty = _course(tmp_path / "2", 'hints: [{text: "x", when: {}}]')
    proc = run_grader("--course", str(empty / "course.yml"), "grade", str(MINI / "solutions"))
    assert proc.returncode == 2 and "when: needs message (a regex) or test (a glob)" in proc.stderr


def test_when_matches_message_and_test_together():
    exercise = Exercise.model_validate({"name": "a", "hints": [
        "plain", {"text": "both", "when": {"message": "Pool is still running", "test": "TestA::*"}}]})
    plain, both = exercise.hints
    assert plain == "plain" and plain.when is None and not plain.fits("TestA::t", "Pool is still running")
    assert both.fits("TestA::test_x[spawn]", "ValueError: Pool is still running")
    assert not both.fits("TestB::test_x", "ValueError: Pool is still running")
    assert not both.fits("TestA::test_x", "something else")


def test_only_absolute_paths_become_the_students_paths():
    from grader import course
    from grader.grading.messages import student_paths

    other = course.load(MINI / "course.yml").topics[1]
    assert student_paths(other, "looked for 02_other/other.py") == "looked for 02_other/other.py"
    assert student_paths(other, 'File "/tmp/grader-x/work/other.py", line 3') == 'File "exercises/02_other/other.py", line 3'
    assert student_paths(other, r"at C:\Temp\w\other.py:3") == r"at exercises/02_other/other.py:3"
