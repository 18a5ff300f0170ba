"""course.yml loads into the model; every kind of mistake gives one line naming file and key."""

import pytest

from grader import course
from grader.errors import CourseError
from tests.conftest import ROOT

GOOD_TOPIC = "  - id: 04_pool\n    title: Pool\n    module: pools\n    exercises:\n      - name: parallel_apply\n"


def test_the_course_file_loads_with_defaults_filled_in():
    loaded = course.load(ROOT / "course.yml")
    pool = loaded.topic("04_pool")
    assert pool.hidden == "tests/hidden/04_pool/test_pools.py"
    assert pool.exercises[0].tests == "TestParallelApply"
    assert loaded.timeout(pool) > 0
    assert [t.id for t in loaded.topics] == sorted(t.id for t in loaded.topics), "list order is course order"


def test_default_test_selector_is_the_camel_case_class():
    ex = course.Exercise(name="map_with_deadline")
    assert ex.tests == "TestMapWithDeadline"
    assert ex.selects("TestMapWithDeadline::test_x[spawn]")
    assert not ex.selects("TestMapWithDeadlineOther::test_x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [", "invalid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("format_version: 1\ntitle: T\n", "topics: required key is missing"),
        ("format_version: 2\ntitle: T\ntopics:\n" + GOOD_TOPIC, "format_version: this grader reads format_version 1"),
        ("format_version: 1\ntitle: T\ntopics: []\n", "topics: list should have at least 1 item"),
        ("format_version: 1\ntitle: T\ntopics:\n" + GOOD_TOPIC.replace("04_pool", "pool"),
         "topics[0].id: must look like 04_pool"),
        ("format_version: 1\ntitle: T\ntopics:\n" + GOOD_TOPIC.replace("module:", "modul:"),
         "topics[0].modul: unknown key"),
        ("format_version: 1\ntitle: T\ntopics:\n" + GOOD_TOPIC + "        points: four\n",
         "topics[0].exercises[0].points: input should be a valid integer"),
        ("format_version: 1\ntitle: T\ntopics:\n" + GOOD_TOPIC + GOOD_TOPIC,
         "topic ids must be unique (repeated: 04_pool)"),
        ("format_version: 1\ntitle: T\ndefaults:\n  timeout: -1\ntopics:\n" + GOOD_TOPIC,
         "defaults.timeout: input should be greater than 0"),
    ],
)
def test_broken_course_files_give_one_clear_line(tmp_path, text, expected):
    path = tmp_path / "course.yml"
    path.write_text(text)
    with pytest.raises(CourseError) as info:
        course.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_missing_course_file(tmp_path):
    with pytest.raises(CourseError, match="file not found"):
        course.load(tmp_path / "course.yml")
