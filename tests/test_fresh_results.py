"""Fresh results (issue 15): every stored result says what it was graded against, batch regrades
what no longer matches the course, merge refuses to mix courses. Through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, grade_json, run_grader


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A copy of the mini course that a test may change."""
    root = tmp_path / "course"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    folder = tmp_path / "subs"
    shutil.copytree(MINI / "solutions", folder / "ada")
    return folder


def batch(course: Path, subs: Path, out: Path, *extra: str) -> str:
    proc = run_grader("--course", str(course / "course.yml"), "batch", str(subs), "--out", str(out), "--quiet",
                      *extra)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.mark.slow
def test_every_stored_result_records_what_it_was_graded_against(course, subs, tmp_path):
    batch(course, subs, tmp_path / "out")
    record = json.loads((tmp_path / "out" / "ada.json").read_text())["graded_against"]
    assert record["topics"] == ["01_basics", "02_other"]
    assert len(record["course_yml_sha256"]) == len(record["hidden_tests_sha256"]) == 64
    assert record["grader_version"]
    graded = grade_json(subs / "ada", "--topic", "02_other", course=course / "course.yml")
    assert graded["graded_against"]["topics"] == ["02_other"]
    assert graded["graded_against"]["course_yml_sha256"] == record["course_yml_sha256"]
    assert graded["schema"] == "grader-result/1"


@pytest.mark.slow
def test_a_course_change_regrades_and_says_why(course, subs, tmp_path):
    out = tmp_path / "out"
    batch(course, subs, out)
    assert "graded 0, kept 1" in batch(course, subs, out)
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace("points: 3", "points: 5"))
    assert "graded 1 (1 regraded: 1 course.yml changed), kept 0" in batch(course, subs, out)
    assert json.loads((out / "ada.json").read_text())["max_score"] == 11
    hidden = course / "tests" / "hidden" / "02_other" / "test_other.py"
    hidden.write_text(hidden.read_text() + "\n# an edited hidden test\n")
    assert "graded 1 (1 regraded: 1 hidden tests changed), kept 0" in batch(course, subs, out)


@pytest.mark.slow
def test_a_topic_run_then_a_full_run_regrades(course, subs, tmp_path):
    out = tmp_path / "out"
    batch(course, subs, out, "--topic", "02_other")
    assert json.loads((out / "ada.json").read_text())["max_score"] == 2
    assert "graded 1 (1 regraded: 1 graded on other topics), kept 0" in batch(course, subs, out)
    assert json.loads((out / "ada.json").read_text())["score"] == 9


@pytest.mark.slow
def test_a_corrupt_or_unrecorded_result_is_regraded_not_a_crash(course, subs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "ada.json").write_text('{"schema": "grader-result/1", "topics": [')
    assert "graded 1 (1 regraded: 1 not a valid result file), kept 0" in batch(course, subs, out)
    data = json.loads((out / "ada.json").read_text())
    assert data["score"] == 9
    del data["graded_against"]  # written by a grader before the record existed
    (out / "ada.json").write_text(json.dumps(data))
    assert "1 no record of what it was graded against" in batch(course, subs, out)


@pytest.mark.slow
def test_merge_refuses_results_graded_against_different_courses_unless_allowed(course, subs, tmp_path):
    shutil.copytree(MINI / "solutions", tmp_path / "other" / "bo")
    batch(course, subs, tmp_path / "one")
    text = (course / "course.yml").read_text()
    (course / "course.yml").write_text(text.replace("points: 3", "points: 5"))
    batch(course, tmp_path / "other", tmp_path / "two")
    refused = run_grader("merge", str(tmp_path / "one"), str(tmp_path / "two"), "--out", str(tmp_path / "m"))
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "different courses" in lines[0] and "--allow-mixed" in lines[0], refused.stderr
    assert str(tmp_path / "one" / "ada.json") in lines[0] and str(tmp_path / "two" / "bo.json") in lines[0]
    assert not (tmp_path / "m" / "gradebook.csv").exists()
    allowed = run_grader("merge", str(tmp_path / "one"), str(tmp_path / "two"), "--out", str(tmp_path / "m"),
                         "--allow-mixed")
    assert allowed.returncode == 0, allowed.stderr
    assert len((tmp_path / "m" / "gradebook.csv").read_text().splitlines()) == 3


def test_a_changed_probe_makes_the_record_differ(tmp_path, monkeypatch):
    """The probes decide verdicts like the hidden tests: editing one (without a version bump) is a change."""
    from grader import course as course_model
    from grader.grading import freshness

    probes = tmp_path / "grader" / "probes"
    shutil.copytree(freshness._PROBES, probes, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(freshness, "_PROBES", probes)
    loaded = course_model.load(MINI / "course.yml")
    before = freshness.current(loaded, list(loaded.topics))
    assert freshness.why_stale(before, freshness.current(loaded, list(loaded.topics))) == ""
    (probes / "amplify.py").write_text((probes / "amplify.py").read_text() + "\n# changed\n")
    assert freshness.why_stale(before, freshness.current(loaded, list(loaded.topics))) == "hidden tests changed"
