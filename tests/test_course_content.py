"""The real course: solutions score full marks, stubs zero, and every mutant is caught (grader validate)."""

import json

import pytest

from grader import course as course_model
from grader.authoring import validate
from tests.conftest import ROOT, run_grader

pytestmark = pytest.mark.slow


def test_course_lints_clean():
    loaded = course_model.load(ROOT / "course.yml")
    assert validate.lint(loaded) == []


def test_every_topic_has_at_least_four_mutants_naming_real_exercises():
    loaded = course_model.load(ROOT / "course.yml")
    for topic in loaded.topics:
        mutants = validate.mutant_files(loaded, topic)
        assert len(mutants) >= 4, f"{topic.id} has {len(mutants)} mutants"
        names = {e.name for e in topic.exercises}
        for path in mutants:
            loses, description = validate.read_mutant(path)
            assert loses and set(loses) <= names, f"{path}: Loses: {loses}"
            assert description, f"{path} has no docstring saying what it gets wrong"


def test_solutions_full_marks_and_stubs_zero():
    solved = run_grader("grade", "solutions", "--format", "json")
    assert solved.returncode == 0, solved.stderr
    result = json.loads(solved.stdout)
    failed = [t["id"] + ": " + t["message"] for topic in result["topics"] for t in topic["tests"] if t["status"] != "passed"]
    assert result["score"] == result["max_score"] > 0, failed
    stubs = json.loads(run_grader("grade", "exercises", "--format", "json").stdout)
    assert stubs["score"] == 0
    assert stubs["max_score"] == result["max_score"]


def test_validate_catches_every_mutant():
    proc = run_grader("validate", "--format", "json", timeout=1800)
    report = json.loads(proc.stdout)
    missed = [
        f"{topic['id']}/{m['name']}: " + "; ".join(
            f"lost {r['lost']}" for r in m["runs"])
        for topic in report["topics"] for m in topic["mutants"] if not m["ok"]
    ]
    assert not missed, missed
    for topic in report["topics"]:
        assert topic["solution"]["ok"], topic["solution"]
        assert topic["stub"]["ok"], topic["stub"]
        for mutant in topic["mutants"]:
            assert all(run["failed_tests"] for run in mutant["runs"]), mutant["name"]
    assert report["ok"] and proc.returncode == 0, report["problems"]
