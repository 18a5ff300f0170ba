"""README.md's course table says what course.yml holds: every topic in course order, its exercises
and points, and the totals (regenerate the table from course.yml when a topic or exercise changes)."""

import re

from grader import course as course_model
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COURSE = course_model.load(ROOT / "course.yml")


def test_the_course_table_lists_every_topic_in_order_with_its_exercises_and_points():
    rows = re.findall(r"^\| \[(\w+)\]\(exercises/(\w+)/README\.md\): .* \| (.*) \| ([\d.]+) \|$", README, re.MULTILINE)
    assert [r[0] for r in rows] == [t.id for t in COURSE.topics]
    for (topic_id, folder, names, points), topic in zip(rows, COURSE.topics, strict=True):
        assert folder == topic.folder, topic_id
        assert re.findall(r"`(\w+)`", names) == [e.name for e in topic.exercises], topic_id
        assert float(points) == sum(e.points for e in topic.exercises), topic_id


def test_the_totals_are_the_course_totals():
    exercises = sum(len(t.exercises) for t in COURSE.topics)
    points = sum(e.points for t in COURSE.topics for e in t.exercises)
    assert f"{len(COURSE.topics)} topics, {exercises} exercises, {points:g} points" in README
