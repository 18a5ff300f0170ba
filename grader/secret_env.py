"""Keep the grader's own secrets out of reach of the student code it runs.

Sandboxed runs get a clean environment (``sandbox.clean_env``), but on a tier that shares the
grader's uid (portable, basic) student code can still read the grader's initial environment from
``/proc/<pid>/environ``, which changing ``os.environ`` does not erase. So, before anything else, a
grader whose environment holds secret-looking variables (a ``GITHUB_TOKEN``, cloud keys) starts
itself again without them, and on Linux marks itself non-dumpable, which makes its ``/proc`` files
unreadable to other processes of a non-root uid. The grader never needs those variables itself.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping

SECRET = re.compile(
    r"TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|SESSION_?KEY|_KEY$|^AWS_|^AZURE_|^GOOGLE_|^GCP_",
    re.IGNORECASE)
PR_SET_DUMPABLE = 4


def secret_names(environ: Mapping[str, str]) -> list[str]:
    """The variables of ``environ`` that look like credentials."""
    return sorted(name for name in environ if SECRET.search(name))


def shed_secrets() -> None:
    """Start this grader again without secret variables (POSIX), then make it non-dumpable (Linux)."""
    names = secret_names(os.environ)
    if names and os.name == "posix" and getattr(sys, "orig_argv", None):
        env = {k: v for k, v in os.environ.items() if k not in names}
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, sys.orig_argv, env)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # a libc without prctl: the re-exec above already removed the secrets
