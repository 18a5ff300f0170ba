"""The real course: solutions score full marks, stubs zero, and every mutant is caught (grader validate).

One test per topic, each validating its topic alone with one grading at a time, so pytest-xdist
keeps both cores busy with one grading each: the hidden tests run under the load a student's CI
gives them, not four gradings fighting over two cores.
"""

import json

import pytest

from grader import course as course_model
from grader.authoring import validate
from tests.conftest import ROOT, run_grader

pytestmark = pytest.mark.slow
COURSE = course_model.load(ROOT / "course.yml")
TOPICS = [topic.id for topic in COURSE.topics]


def test_course_lints_clean():
    assert validate.lint(COURSE) == []


def test_every_topic_has_at_least_four_mutants_naming_real_exercises():
    for topic in COURSE.topics:
        mutants = validate.mutant_files(COURSE, topic)
        assert len(mutants) >= 4, f"{topic.id} has {len(mutants)} mutants"
        names = {e.name for e in topic.exercises}
        for path in mutants:
            loses, description = validate.read_mutant(path)
            assert loses and set(loses) <= names, f"{path}: Loses: {loses}"
            assert description, f"{path} has no docstring saying what it gets wrong"


def test_the_main_job_grades_solutions_full_and_stubs_zero():
    """README's first command, `grader grade solutions`, on two quick topics (validate below covers all)."""
    quick = ("--topic", "07_locks_races", "--topic", "11_gil")
    solved = json.loads(run_grader("grade", "solutions", *quick, "--format", "json").stdout)
    failed = [t["id"] + ": " + t["message"] for topic in solved["topics"] for t in topic["tests"] if t["status"] != "passed"]
    assert solved["score"] == solved["max_score"] > 0, failed
    stubs = json.loads(run_grader("grade", "exercises", *quick, "--format", "json").stdout)
    assert stubs["score"] == 0 and stubs["max_score"] == solved["max_score"]


@pytest.mark.parametrize("topic", TOPICS)
def test_validate_catches_every_mutant(topic):
    proc = run_grader("validate", "--topic", topic, "--jobs", "1", "--format", "json", timeout=1200)
    report = json.loads(proc.stdout)
    [entry] = report["topics"]
    missed = [f"{m['name']}: " + "; ".join(f"lost {r['lost']}" for r in m["runs"]) for m in entry["mutants"] if not m["ok"]]
    assert not missed, missed
    assert entry["solution"]["ok"], entry["solution"]
    assert entry["stub"]["ok"], entry["stub"]
    assert len(entry["mutants"]) >= 4
    for mutant in entry["mutants"]:
        assert all(run["failed_tests"] for run in mutant["runs"]), mutant["name"]
    assert report["ok"] and proc.returncode == 0, report["problems"]
