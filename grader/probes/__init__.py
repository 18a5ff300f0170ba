"""Test-support code that runs inside the sandbox, next to the student's code.

Hidden tests import from here: ``load_student`` imports the student's module with a readable
failure, ``call_with_timeout`` turns a hang into a failure, ``lockdep`` records lock order,
``pool_spy`` watches Pool close/join/terminate, ``tasks`` holds picklable worker functions and
``child`` runs code in a child interpreter in its own session.
"""

from grader.probes.student import call_with_timeout, load_student

__all__ = ["call_with_timeout", "load_student"]
