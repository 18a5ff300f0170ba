"""Course lint against the hidden tests: run before any student code, by the scheduler.

Every exercise must select at least one hidden test, and every hidden test must belong to an
exercise; otherwise points silently vanish (a misspelt ``tests:`` class lowers the maximum). Each
problem is a configuration error: a ``CourseError`` whose one line names course.yml and the key.
A hidden-test file that cannot be listed is not judged here: grading reports it per topic.

The course order is checked from course.yml alone (``order_problem``): a topic's ``requires:``
names only earlier topics, and every concept key in its ``uses:`` is taught (``teaches:``) by an
earlier topic or by the topic itself, so no lesson relies on one that comes later.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.course import Course, Topic
from grader.errors import CourseError

Lister = Callable[[Topic], tuple[list[str], str]]
"""A topic's hidden-test ids (relative to the file, as ``test_x.py::TestX::test_y``) and why they
could not be listed (empty when they could)."""


def check(course: Course, topics: list[Topic], manifest: Lister) -> None:
    """Raise ``CourseError`` for a forward reference in the course order (``order_problem``), then
    for the first exercise that selects no hidden test or hidden test that no exercise selects, in
    course order."""
    problem = order_problem(course)
    if problem:
        raise CourseError(f"{course.course_file}: {problem}")
    for topic in dict.fromkeys(topics):
        ids, why = manifest(topic)
        if why:
            continue
        problem = problem_of(course, topic, [i.split("::", 1)[1] if "::" in i else i for i in ids])
        if problem:
            raise CourseError(f"{course.course_file}: {problem}")


def problem_of(course: Course, topic: Topic, names: list[str]) -> str:
    """The first problem of one topic as ``key: what is wrong``, or ``""``."""
    t = course.topics.index(topic)
    hidden = topic.hidden
    for e, exercise in enumerate(topic.exercises):
        if not any(exercise.selects(name) for name in names):
            key = f"topics[{t}].exercises[{e}]"
            if "tests" in exercise.model_fields_set:
                return (f"{key}.tests: {exercise.tests!r} selects no hidden test in {hidden} "
                        f"(misspelt, or a class without tests?)")
            return (f"{key} ({exercise.name}): selects no hidden test in {hidden} (no tests: key, so it looks "
                    f"for {exercise.tests}; name the class with tests:, or add tests to it)")
    orphans = [name for name in names if topic.exercise_for(name) is None]
    if orphans:
        more = f" and {len(orphans) - 1} more" if len(orphans) > 1 else ""
        return (f"topics[{t}].exercises: no exercise's tests: selects {orphans[0]}{more} in {hidden} "
                f"(add an exercise for it, or name it in an exercise's tests:)")
    return ""


def order_problem(course: Course) -> str:
    """The first forward reference of the course order as ``key: what is wrong``, or ``""``.

    ``topics[i].requires`` may name only topics before ``i``; each key of ``topics[i].uses`` must be
    in the ``teaches`` of a topic before ``i`` or of topic ``i`` itself.
    """
    position = {topic.id: t for t, topic in enumerate(course.topics)}
    taught_by: dict[str, list[int]] = {}
    for t, topic in enumerate(course.topics):
        for key in topic.teaches:
            taught_by.setdefault(key, []).append(t)
    for t, topic in enumerate(course.topics):
        for r, required in enumerate(topic.requires):
            if required not in position:
                return f"topics[{t}].requires[{r}]: {required!r} is not a topic of this course ({topic.id})"
            if position[required] > t:
                return (f"topics[{t}].requires[{r}]: {topic.id} requires {required!r}, which comes later in the "
                        f"course (a topic may build only on earlier ones: reorder, or teach it here)")
        for u, key in enumerate(topic.uses):
            teachers = taught_by.get(key, [])
            if not any(i <= t for i in teachers):
                later = (f"only {', '.join(course.topics[i].id for i in teachers)} teaches it, later"
                         if teachers else "no topic teaches it")
                return (f"topics[{t}].uses[{u}]: {topic.id} uses {key!r}, which no earlier topic teaches ({later}; "
                        f"explain it in this lesson and add it to teaches:, or move the topic)")
    return ""
