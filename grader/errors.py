"""Errors the CLI reports as one line and exit code 2 (usage and configuration problems)."""


class GraderError(Exception):
    """A problem the user can fix: bad arguments, a missing folder, a broken course file."""


class CourseError(GraderError):
    """course.yml is missing, not YAML, or does not match the model."""
