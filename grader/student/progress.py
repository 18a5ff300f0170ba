"""The student's side: progress kept between runs, hints revealed in order, the status overview.

State lives in ``Course.state_file`` (``.grader/state.json`` next to course.yml): the outcome of each exercise at the
last ``grader check`` and how many hints of each exercise were shown.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from grader.course import Course, Exercise, Topic
from grader.errors import GraderError
from grader.fsutil import write_atomic
from grader.i18n import tr
from grader.result import GradeResult, Status


def load_state(course: Course) -> dict[str, Any]:
    try:
        data = json.loads(course.state_file.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_state(course: Course, state: dict[str, Any]) -> None:
    course.state_file.parent.mkdir(exist_ok=True)
    write_atomic(course.state_file, json.dumps(state, indent=2, sort_keys=True))


def record_check(course: Course, result: GradeResult) -> None:
    """Remember, per exercise, whether all its visible tests passed."""
    state = load_state(course)
    done = state.setdefault("exercises", {})
    for topic in result.topics:
        outcome: dict[str, bool] = {}
        for test in topic.tests:
            if test.exercise:
                outcome[test.exercise] = outcome.get(test.exercise, True) and test.status is Status.PASSED
        for exercise in course.topic(topic.id).exercises:
            done[f"{topic.id}/{exercise.name}"] = "passed" if outcome.get(exercise.name) else "failed"
    save_state(course, state)


def find_exercise(course: Course, name: str) -> tuple[Topic, Exercise]:
    """``parallel_apply`` or ``04_pool/parallel_apply``; an unknown name suggests the closest ones."""
    topic_id, _, exercise_name = name.rpartition("/")
    matches = [(t, e) for t in course.topics for e in t.exercises
               if e.name == exercise_name and (not topic_id or t.id == topic_id)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise GraderError(tr("{name!r} is in several topics: {where}", name=name,
                             where=", ".join(f"{t.id}/{e.name}" for t, e in matches)))
    known = [f"{t.id}/{e.name}" for t in course.topics for e in t.exercises] + \
            [e.name for t in course.topics for e in t.exercises]
    close = difflib.get_close_matches(name, known, n=3)
    suggestion = tr(" (did you mean {names}?)", names=tr(" or ").join(close)) if close else \
        tr(" (grader status lists them)")
    raise GraderError(tr("no exercise {name!r}{suggestion}", name=name, suggestion=suggestion))


def next_hints(course: Course, topic: Topic, exercise: Exercise, show_all: bool = False) -> tuple[list[str], int]:
    """The hints to show now (one more each time, weakest first) and how many there are."""
    state = load_state(course)
    seen = state.setdefault("hints", {})
    key = f"{topic.id}/{exercise.name}"
    count = len(exercise.hints) if show_all else min(len(exercise.hints), seen.get(key, 0) + 1)
    seen[key] = max(seen.get(key, 0), count)
    save_state(course, state)
    return list(exercise.hints[:count]), len(exercise.hints)


def overview(course: Course) -> tuple[list[tuple[Topic, int, int]], tuple[Topic, Exercise] | None, int]:
    """Per topic (done, total), the next exercise to do, and how many exercises were never checked."""
    done = load_state(course).get("exercises", {})
    rows, upcoming, unchecked = [], None, 0
    for topic in course.topics:
        passed = 0
        for exercise in topic.exercises:
            state = done.get(f"{topic.id}/{exercise.name}")
            unchecked += state is None
            if state == "passed":
                passed += 1
            elif upcoming is None:
                upcoming = (topic, exercise)
        rows.append((topic, passed, len(topic.exercises)))
    return rows, upcoming, unchecked
