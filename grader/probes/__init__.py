"""Test-support code that runs inside the sandbox, next to the student's code.

Hidden tests import from here: ``load_student`` imports the student's module with a readable
failure, ``call_with_timeout`` turns a hang into a failure, ``lockdep`` records lock order,
``pool_spy`` watches Pool close/join/terminate, ``tasks`` holds picklable worker functions and
``child`` runs code in a child interpreter in its own session.
"""

from typing import Any

__all__ = ["call_with_timeout", "load_student"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so child interpreters that only need one probe module do not pay
    # for importing pytest.
    if name in __all__:
        from grader.probes import student

        return getattr(student, name)
    raise AttributeError(f"module 'grader.probes' has no attribute {name!r}")
