"""Run one command with limits and a whole-tree kill (the portable tier). One class, one job.

Every run gets:
- a supervisor (``sandbox_supervisor.py``) in its own session that is a child subreaper, applies
  the rlimits (DATA, not AS, which breaks threaded code; FSIZE; NOFILE; CPU; CORE=0), runs the
  command in its own process group, and kills and reaps every descendant when it ends;
- an outer wall-clock deadline, asked of the caller on every tick so it can follow per-test
  progress, enforced from here by telling the supervisor to kill;
- bounded output capture (head and tail kept, a total budget after which the run is killed);
- a clean environment, built by the caller from ``clean_env``.
If the grader itself dies, the supervisor sees its control pipe close and kills the tree.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from grader.errors import GraderError

SUPERVISOR = str(Path(__file__).with_name("sandbox_supervisor.py"))
MARKER = "GRADER_SANDBOX_RUN"
"""Environment variable set in every sandboxed run, so escaped processes can be recognised."""

TIER = "portable"


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 300
    data_bytes: int = 2 << 30
    file_bytes: int = 16 << 20
    open_files: int = 256

    def as_spec(self) -> dict[str, int | None]:
        return {
            "cpu": self.cpu_seconds,
            "data": self.data_bytes,
            "fsize": self.file_bytes,
            "nofile": self.open_files,
            "core": 0,
        }


@dataclass(frozen=True)
class Outcome:
    returncode: int | None
    """The command's exit code (negative: killed by that signal); None if it never ran."""
    killed: bool
    """True when the run was killed on the caller's deadline or the output budget."""
    output: str
    """Head and tail of stdout and stderr, interleaved as written."""
    output_truncated: bool
    flooded: bool
    """Killed because the output budget ran out."""
    error: str | None = None
    """Why the command could not run at all."""


class _Capture:
    """Keeps the first and last ``cap`` bytes and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.cap - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            del self.tail[: max(0, len(self.tail) - self.cap)]

    def text(self) -> str:
        dropped = self.total - len(self.head) - len(self.tail)
        middle = f"\n[... {dropped} bytes of output dropped ...]\n".encode() if dropped > 0 else b""
        return (bytes(self.head) + middle + bytes(self.tail)).decode("utf-8", "replace")


def clean_env(home: str, tmp: str, run_id: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The whole environment of a sandboxed run: nothing inherited (no tokens, no PYTHONPATH)."""
    env = {
        "PATH": os.pathsep.join(dict.fromkeys([os.path.dirname(sys.executable), "/usr/bin", "/bin"])),
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "MALLOC_ARENA_MAX": "2",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        MARKER: run_id,
    }
    if os.name == "nt":
        # Windows cannot start Python's socket or random support without these.
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "PATHEXT", "TEMP", "TMP") if k in os.environ})
    env.update(extra or {})
    return env


class PipeChannel:
    """The result channel under the supervisor: a pipe for the nonce (written and closed before the
    runner starts) and a private pipe for the records, inherited through ``pass_fds``."""

    def __init__(self, nonce: str) -> None:
        self.nonce_r, nonce_w = os.pipe()
        os.write(nonce_w, nonce.encode() + b"\n")
        os.close(nonce_w)
        self.read_fd, self.write_fd = os.pipe()
        self.args = ["--nonce-fd", str(self.nonce_r), "--record-fd", str(self.write_fd)]
        self.pass_fds = (self.nonce_r, self.write_fd)

    def close(self) -> None:
        os.close(self.read_fd)


class Sandbox:
    tier = TIER

    def channel(self, nonce: str) -> PipeChannel:
        return PipeChannel(nonce)

    def __init__(self, limits: Limits = Limits(), output_cap: int = 32 << 10, output_budget: int = 8 << 20) -> None:
        if os.name != "posix":
            raise GraderError("the sandbox needs a POSIX system (Linux or macOS); on Windows use WSL")
        self.limits = limits
        self.output_cap = output_cap
        self.output_budget = output_budget

    def run(
        self,
        argv: Sequence[str],
        *,
        cwd: str,
        env: Mapping[str, str],
        channel: PipeChannel | None = None,
        on_record: Callable[[bytes], None] = lambda _data: None,
        deadline: Callable[[], float | None] = lambda: None,
    ) -> Outcome:
        """Run ``argv`` (which carries ``channel.args``); ``on_record`` gets every chunk of the channel.

        The channel's inherited ends are closed here once the command started; the caller closes
        the channel. ``deadline`` returns a ``time.monotonic()`` instant after which the tree is killed.
        """
        pass_fds = channel.pass_fds if channel else ()
        readers = {channel.read_fd: on_record} if channel else {}
        out_r, out_w = os.pipe()
        ctl_r, ctl_w = os.pipe()
        spec = {
            "argv": list(argv),
            "cwd": cwd,
            "env": dict(env),
            "limits": self.limits.as_spec(),
            "pass_fds": list(pass_fds),
            "out_fd": out_w,
        }
        try:
            supervisor = subprocess.Popen(
                [sys.executable, "-I", "-B", SUPERVISOR, json.dumps(spec)],
                stdin=ctl_r,
                stdout=subprocess.PIPE,
                stderr=out_w,
                pass_fds=(out_w, *pass_fds),
                start_new_session=True,
                env={"PATH": env.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            )
        finally:
            for fd in (out_w, ctl_r, *pass_fds):
                os.close(fd)
        capture = _Capture(self.output_cap)
        status_buf = bytearray()
        killed = flooded = False
        sel = selectors.DefaultSelector()
        assert supervisor.stdout is not None
        status_fd = supervisor.stdout.fileno()
        sel.register(status_fd, selectors.EVENT_READ)
        sel.register(out_r, selectors.EVENT_READ)
        for fd in readers:
            sel.register(fd, selectors.EVENT_READ)
        open_fds = {status_fd, out_r, *readers}
        status_done_at: float | None = None
        try:
            while open_fds:
                now = time.monotonic()
                # Once the supervisor has reported, its tree is dead: any pipe still open is held
                # by something outside it, so stop waiting shortly after.
                if status_done_at is not None and now - status_done_at > 1.0:
                    break
                limit = deadline()
                if not killed and ((limit is not None and now >= limit) or capture.total > self.output_budget):
                    flooded = capture.total > self.output_budget
                    killed = True
                    _kill(ctl_w)
                for key, _ in sel.select(timeout=0.05):
                    fd = key.fd
                    try:
                        data = os.read(fd, 65536)
                    except OSError:
                        data = b""
                    if not data:
                        sel.unregister(fd)
                        open_fds.discard(fd)
                        if fd == status_fd:
                            status_done_at = time.monotonic()
                        continue
                    if fd == status_fd:
                        status_buf += data
                    elif fd == out_r:
                        capture.add(data)
                    else:
                        readers[fd](data)
        finally:
            sel.close()
            os.close(out_r)
            _kill(ctl_w)
            os.close(ctl_w)
            supervisor.stdout.close()
            supervisor.wait()
        status = _parse_status(bytes(status_buf))
        if status is None:
            # The supervisor itself was killed (the student can reach it in this tier).
            return Outcome(None, True, capture.text(), capture.total > 2 * self.output_cap, flooded,
                           "the sandbox supervisor was killed")
        return Outcome(
            status["rc"], killed or bool(status["killed"]), capture.text(),
            capture.total > 2 * self.output_cap, flooded, status.get("error"),
        )


def make_sandbox():
    """The sandbox for this machine: the supervised POSIX tier, or the basic one on Windows.

    ``GRADER_SANDBOX=basic`` picks the basic sandbox anywhere (tests use it to cover that path).
    """
    if os.name != "posix" or os.environ.get("GRADER_SANDBOX") == "basic":
        from grader.basic_sandbox import BasicSandbox

        return BasicSandbox()
    return Sandbox()


def _kill(ctl_w: int) -> None:
    try:
        os.write(ctl_w, b"k")
    except OSError:
        pass


def _parse_status(data: bytes) -> dict | None:
    try:
        status = json.loads(data.decode().strip().splitlines()[-1])
        return status if isinstance(status, dict) else None
    except (ValueError, IndexError):
        return None
