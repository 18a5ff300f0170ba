"""Run code in a child interpreter in its own session, and kill its whole group afterwards.

For behaviour that only shows at interpreter exit (daemon processes and threads, the
``__main__`` guard): the child runs ``python -I -B`` with the student's folder on ``sys.path``,
and whatever it leaves behind in its process group dies with it, also on success.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildResult:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool
    elapsed: float

    def describe(self) -> str:
        tail = self.stderr.strip().splitlines()[-3:]
        state = "timed out" if self.timed_out else f"exit code {self.returncode}"
        return f"{state} after {self.elapsed:.1f} s" + (f"; stderr: {' | '.join(tail)}" if tail else "")


def run_child(code: str, *, timeout: float, args: list[str] | None = None, script: str | None = None,
              cwd: str | None = None) -> ChildResult:
    """Run ``code`` (or the file ``script``) in a fresh interpreter with the student folder on sys.path."""
    student_dir = sys.path[0]
    prelude = f"import sys; sys.path.insert(0, {student_dir!r})\n"
    argv = [sys.executable, "-I", "-B"]
    argv += [script] if script else ["-c", prelude + code]
    argv += args or []
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=cwd or student_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, start_new_session=True, text=True,
    )
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:  # a grandchild outside the group holds the pipe
            out, err = "", ""
    finally:
        _kill_group(proc.pid)
    return ChildResult(None if timed_out else proc.returncode, out or "", err or "", timed_out,
                       time.monotonic() - start)


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
