"""How a test that ran out of time ended, decided once, and the sentence a student reads for it.

Two mechanisms stop a test, kept separate (DESIGN.md): pytest-timeout inside the run fails just
that test (the sandboxed reporter recognises its text and reports ``timeout``); the outer
deadline kills the whole run when the test did not come back within its timeout plus a grace
period (a deadlock in C, signals ignored, a hang at exit). Either way the status is TIMEOUT.
"""

from __future__ import annotations

import re
from enum import Enum

from grader.sandboxed.protocol import PYTEST_TIMEOUT


class Stop(Enum):
    IN_PROCESS = "in-process"
    """pytest-timeout interrupted the test; the run went on."""
    KILLED = "killed"
    """The outer deadline killed the run (or the thread method ended it, where there is no SIGALRM)."""


THREAD_METHOD_DUMP = "+++ Timeout +++"
"""What pytest-timeout's thread method prints before it ends the process."""


def message(stop: Stop, seconds: float) -> str:
    if stop is Stop.IN_PROCESS:
        return f"did not finish within {seconds:g} s and was stopped (a deadlock or a hang?)"
    return (f"did not finish within {seconds:g} s and could not be interrupted "
            "(a deadlock, a blocking call that ignores signals, or a hang at exit)")


def reword(text: str) -> str:
    """pytest-timeout's own failure line replaced by the student's sentence (the rest is kept)."""
    return PYTEST_TIMEOUT.sub(_sentence, text)


def _sentence(match: re.Match[str]) -> str:
    return message(Stop.IN_PROCESS, float(match.group(1)))


def killed_by_deadline(killed: bool, output: str) -> bool:
    """Whether a run that ended with a test in flight ended because that test ran out of time."""
    return killed or THREAD_METHOD_DUMP in output
