"""Student repositories: ``grader release`` marks its output, and the instructor's commands refuse to run there.

The marker is a file, ``.student-repository``, next to the released course.yml (course.yml itself
keeps the instructor's schema). Where it exists, ``grade``, ``validate``, ``batch``, ``merge``,
``release``, ``nbgrader``, ``gradescope`` and ``sync`` say in one line that they need the
instructor's repository and exit 2: a student's copy has no hidden tests or solutions, so they
could only print pages of problems.
"""

from __future__ import annotations

from pathlib import Path

MARKER = ".student-repository"
MARKER_TEXT = ("Written by `grader release`: this is a student repository. The grader offers only the student\n"
               "commands here (check, watch, hint, status); the others need the instructor's repository.\n")
STUDENT_COMMANDS = ("check", "watch", "hint", "status")
INSTRUCTOR_COMMANDS = frozenset({"grade", "validate", "batch", "merge", "release", "nbgrader", "gradescope", "sync"})


def is_student_repository(course_file: Path) -> bool:
    return (course_file.parent / MARKER).is_file()


def refuse_instructor_command(command: str, explicit_course: Path | None) -> None:
    """Raise a one-line ``GraderError`` when ``command`` is an instructor's and the course is a student release."""
    if command not in INSTRUCTOR_COMMANDS:
        return
    from grader.course import find
    from grader.errors import CourseError, GraderError

    try:
        course_file = find(explicit_course)
    except CourseError:
        return  # the command itself reports a missing course
    if is_student_repository(course_file):
        raise GraderError(f"`grader {command}` needs the instructor's repository (this is a student copy of the "
                          f"course); here use grader {', '.join(STUDENT_COMMANDS)}")
