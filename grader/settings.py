"""Every limit and every ``GRADER_*`` environment variable, declared once with its help text.

Modules take their limits from here and never read the environment themselves: ``env(NAME)``
is the one reader, and an unknown name is a programming error. ``grader --help-env`` is not a
thing yet; this table is what README.md and SECURITY.md describe. Variables the grader sets for
the sandboxed side (the run marker, the perturbation, the forensics pipe) belong to the
host/sandbox protocol and are declared in ``grader.sandboxed.protocol``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("GRADER_SANDBOX", "", "force a sandbox tier: linux, portable or basic (default: the best that works)"),
    Variable("GRADER_BWRAP", "", "path of the bubblewrap binary for the Linux tier (default: bwrap on PATH)"),
    Variable("GRADER_SANDBOX_UID", "1944000000",
             "first uid of the range the Linux tier runs student code as, one uid per concurrent run (when root)"),
    Variable("GRADER_COURSE", "", "course.yml for nbgrader grade cells (set by the generated nbgrader_config.py)"),
    Variable("GRADER_GRACE", "5",
             "seconds past a test's own timeout before the outer deadline kills its run (tests lower it)"),
    Variable("GRADER_IDLE_LIMIT", "60", "seconds a sandboxed run may go without any record before it is killed"),
    Variable("NO_COLOR", "", "any value: no colour in terminal output (https://no-color.org)"),
    Variable("FORCE_COLOR", "", "set and not 0: colour even when the output is not a terminal (CI logs); "
             "NO_COLOR wins when both are set"),
    Variable("LC_ALL", "", "locale: the first of LC_ALL, LC_MESSAGES and LANG that is set chooses the student's "
             "language (zh*: Chinese, anything else: English) unless --lang is given (grader.i18n)"),
    Variable("LC_MESSAGES", "", "locale of messages (see LC_ALL)"),
    Variable("LANG", "", "default locale (see LC_ALL)"),
)}


def env(name: str) -> str:
    """The variable's value, or its declared default (the only place the grader reads its settings)."""
    variable = VARIABLES[name]
    return os.environ.get(name, variable.default)


def env_float(name: str) -> float:
    from grader.errors import GraderError

    text = env(name)
    try:
        return float(text)
    except ValueError:
        raise GraderError(f"{name}={text!r}: expected a number of seconds") from None


def color_wanted(stream_isatty: bool) -> bool:
    """Colour on a terminal; never with NO_COLOR; also off a terminal with FORCE_COLOR (not 0)."""
    if "NO_COLOR" in os.environ:
        return False
    force = os.environ.get("FORCE_COLOR")
    return stream_isatty or (force is not None and force not in ("", "0"))


# -- limits ----------------------------------------------------------------------------------

MAX_SUBMISSION_FILE_BYTES = 256 << 10
"""Largest file taken from a submission (intake)."""
MAX_ZIP_BYTES = 64 << 20
"""Largest uncompressed size of a zipped submission (batch)."""
MAX_ZIP_MEMBERS = 2000
"""Most files in a zipped submission (batch)."""
OUTPUT_CAP = 32 << 10
"""Bytes of a run's output kept at its head and at its tail."""
OUTPUT_BUDGET = 8 << 20
"""Bytes a run may print in all before it is killed as a flood (its result channel gets 4x this)."""
MAX_RECORD_LINE = 1 << 20
"""Longest record line accepted on the result channel; a longer one is dropped."""
MAX_FORENSICS = 512 << 10
"""Bytes of stack dumps kept per run (advice for messages)."""
COLLECT_TIMEOUT = 60.0
"""Seconds one file's collection may take; collecting every hidden file at once gets twice this."""
SUBPROCESS_KILL_WAIT = 1.0
"""Seconds a run's pipes may stay open after its tree was reported dead."""
