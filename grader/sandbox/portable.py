"""The portable tier: a supervised process tree with rlimits and a whole-tree kill.

Every run gets:
- a supervisor (``grader.sandbox.supervisor``) in its own session that is a child subreaper,
  applies the rlimits (DATA, not AS, which breaks threaded code; FSIZE; NOFILE; CPU; CORE=0),
  runs the command in its own process group, and kills and reaps every descendant when it ends;
- an outer wall-clock deadline, asked of the caller on every tick so it can follow per-test
  progress, enforced from here by telling the supervisor to kill;
- bounded output capture (head and tail kept, a total budget after which the run is killed);
- a clean environment, built by the caller from ``clean_env``.
If the grader itself dies, the supervisor sees its control pipe close and kills the tree. The
Linux tier (``grader.sandbox.linux``) runs the same supervisor around bubblewrap.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.sandbox import proctable
from grader.sandbox.base import Capture, Channel, Deadline, Limits, OnRecord, Outcome, Sandbox, stopping
from grader.sandbox.supervisor import CONTROL_DUMP, CONTROL_KILL
from grader.sandboxed.protocol import FORENSICS_FD, NONCE_FD, RECORD_FD

SUPERVISOR = str(Path(__file__).with_name("supervisor.py"))
STRAGGLER_WAIT = 1.0
"""Seconds the run's pipes may stay open after the supervisor reported its tree dead."""


class PipeChannel(Channel):
    """The result channel under the supervisor: a pipe for the nonce (written and closed before the
    runner starts), a private pipe for the records and one for hang forensics (all-threads
    tracebacks written by ``faulthandler``), inherited through ``pass_fds``."""

    def __init__(self, nonce: str) -> None:
        self.nonce_r, nonce_w = os.pipe()
        os.write(nonce_w, nonce.encode() + b"\n")
        os.close(nonce_w)
        self.read_fd, self.write_fd = os.pipe()
        self.forensics_r, self.forensics_w = os.pipe()
        self.args = [NONCE_FD, str(self.nonce_r), RECORD_FD, str(self.write_fd), FORENSICS_FD, str(self.forensics_w)]
        self.pass_fds = (self.nonce_r, self.write_fd, self.forensics_w)
        self.on_forensics = None

    def readers(self, on_record: OnRecord) -> dict[int, OnRecord]:
        return {self.read_fd: on_record, self.forensics_r: self._forensics}

    def _forensics(self, data: bytes) -> None:
        if self.on_forensics is not None:
            self.on_forensics(data)

    def close(self) -> None:
        for fd in (self.read_fd, self.forensics_r):
            try:
                os.close(fd)
            except OSError:
                pass


class PortableSandbox(Sandbox):
    tier = "portable"

    def __init__(self, limits: Limits = Limits(), output_cap: int | None = None, output_budget: int | None = None,
                 fallback: str = "") -> None:
        if os.name != "posix":
            raise GraderError("the sandbox needs a POSIX system (Linux or macOS); on Windows use WSL")
        super().__init__(*(v for v in (output_cap, output_budget) if v is not None))
        self.limits = limits
        self.fallback = fallback
        """Why the Linux tier was not used on this Linux host (set by ``make_sandbox``)."""

    def channel(self, nonce: str) -> PipeChannel:
        return PipeChannel(nonce)

    def describe(self) -> str:
        return ("supervised process tree (subreaper, whole-tree kill), the grader's own uid, "
                f"{self.limits.describe()}; no namespaces, no cgroup")

    def notes(self) -> list[str]:
        if not self.fallback:
            return []
        return [f"the Linux sandbox is not available here ({self.fallback}), so the portable tier ran: "
                "no network or filesystem isolation, the grader's own uid, no cap on the number of "
                f"processes when run as root. Active: {self.describe()}. See SECURITY.md."]

    def run(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], channel: Channel | None = None,
            on_record: OnRecord = lambda _data: None, deadline: Deadline = lambda: None,
            readable: Sequence[str] = ()) -> Outcome:
        """This tier can read everything anyway, so ``readable`` changes nothing."""
        return self.supervise(argv, cwd, env, pipe_channel(channel), on_record, deadline, self.limits.as_spec(), {})

    def supervise(self, argv: Sequence[str], cwd: str, env: Mapping[str, str], channel: PipeChannel | None,
                  on_record: OnRecord, deadline: Deadline, limits: Mapping[str, int | None],
                  extra: Mapping[str, object]) -> Outcome:
        """Start the supervisor on ``argv`` and follow it: read the pipes, enforce deadline and budget."""
        if stopping():
            return Outcome.not_started("the grading was interrupted")
        pass_fds = channel.pass_fds if channel else ()
        out_r, out_w = os.pipe()
        ctl_r, ctl_w = os.pipe()
        spec = {"argv": list(argv), "cwd": cwd, "env": dict(env), "limits": dict(limits), "pass_fds": list(pass_fds),
                "out_fd": out_w, "forensics_fd": channel.forensics_w if channel else None, **extra}
        _become_subreaper()
        started = proctable.uptime()
        try:
            supervisor = subprocess.Popen(
                [sys.executable, "-I", "-B", SUPERVISOR, json.dumps(spec)], stdin=ctl_r, stdout=subprocess.PIPE,
                stderr=out_w, pass_fds=(out_w, *pass_fds), start_new_session=True,
                env={"PATH": env.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"})
        except OSError as exc:
            # Out of processes or memory on the host: this run fails, the grading goes on.
            for fd in (out_r, ctl_w):
                os.close(fd)
            return Outcome.not_started(f"cannot start the sandbox: {exc}")
        finally:
            for fd in (out_w, ctl_r, *pass_fds):
                os.close(fd)
        follow = _Follower(self, supervisor, out_r, ctl_w, started, channel, on_record, deadline)
        return follow.outcome()


def pipe_channel(channel: Channel | None) -> PipeChannel | None:
    if channel is not None and not isinstance(channel, PipeChannel):
        raise TypeError(f"the {PortableSandbox.tier} tier needs a PipeChannel, not {type(channel).__name__}")
    return channel


class _Follower:
    """Follows one supervised run to its end: its pipes, the deadline, the output budget."""

    def __init__(self, sandbox: PortableSandbox, supervisor: subprocess.Popen[bytes], out_r: int, ctl_w: int,
                 started: float, channel: PipeChannel | None, on_record: OnRecord, deadline: Deadline) -> None:
        self.sandbox, self.supervisor, self.out_r, self.ctl_w = sandbox, supervisor, out_r, ctl_w
        self.started, self.channel, self.deadline = started, channel, deadline
        self.readers = channel.readers(on_record) if channel else {}
        self.capture = Capture(sandbox.output_cap)
        self.status_buf = bytearray()
        self.killed = self.flooded = False
        self.channel_bytes = 0  # the channel's pipes are budgeted too: a flood there is a flood
        self.status_done_at: float | None = None
        self.killed_at = 0.0
        assert supervisor.stdout is not None
        self.status_fd = supervisor.stdout.fileno()

    def outcome(self) -> Outcome:
        with _SUPERVISORS_LOCK:
            _SUPERVISORS.add(self.supervisor.pid)
        sel = selectors.DefaultSelector()
        open_fds = {self.status_fd, self.out_r, *self.readers}
        for fd in open_fds:
            sel.register(fd, selectors.EVENT_READ)
        try:
            while open_fds and not self._finished():
                self._enforce()
                for key, _ in sel.select(timeout=0.05):
                    if not self._read(key.fd):
                        sel.unregister(key.fd)
                        open_fds.discard(key.fd)
        finally:
            sel.close()
            self._close()
        return self._result()

    def _finished(self) -> bool:
        # Once the supervisor has reported, its tree is dead: any pipe still open is held by
        # something outside it, so stop waiting shortly after. A supervisor that died without a
        # report was killed by the student (this tier shares its uid): its orphans came to us (a
        # subreaper), so the run goes on under our own watch until the deadline kills them.
        if self.status_done_at is None:
            return False
        if stopping() and self.killed:  # interrupted: the tree is dead, nobody waits for stragglers
            return True
        quiet = time.monotonic() - max(self.status_done_at, self.killed_at) > STRAGGLER_WAIT
        return quiet and (not self._orphaned() or self.killed)

    def _orphaned(self) -> bool:
        return self.status_done_at is not None and not self.status_buf and self.deadline() is not None

    def _enforce(self) -> None:
        limit = self.deadline()
        budget = self.sandbox.output_budget
        over = self.capture.total > budget or self.channel_bytes > 4 * budget
        now = time.monotonic()
        interrupted = stopping()
        if self.killed or not ((limit is not None and now >= limit) or over or interrupted):
            return
        self.flooded = over
        self.killed, self.killed_at = True, now
        if self._orphaned():
            _kill_orphans(self.started)
        else:
            # A hang gets its stacks dumped before the kill; a flood or an interrupt is killed at once.
            quick = self.flooded or interrupted or self.channel is None
            _control(self.ctl_w, CONTROL_KILL if quick else CONTROL_DUMP)

    def _read(self, fd: int) -> bool:
        """Take what ``fd`` has; False at its end."""
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            if fd == self.status_fd:
                self.status_done_at = time.monotonic()
            return False
        if fd == self.status_fd:
            self.status_buf += data
        elif fd == self.out_r:
            self.capture.add(data)
        else:
            self.channel_bytes += len(data)
            if self.channel_bytes <= 4 * self.sandbox.output_budget:
                self.readers[fd](data)
        return True

    def _close(self) -> None:
        os.close(self.out_r)
        _control(self.ctl_w, CONTROL_KILL)
        os.close(self.ctl_w)
        assert self.supervisor.stdout is not None
        self.supervisor.stdout.close()
        self.supervisor.wait()
        with _SUPERVISORS_LOCK:
            _SUPERVISORS.discard(self.supervisor.pid)

    def _result(self) -> Outcome:
        status = _parse_status(bytes(self.status_buf))
        capture = self.capture
        if status is None:
            # The supervisor itself was killed (the student can reach it in this tier): its
            # orphans were re-parented to us (a subreaper); kill and reap them here.
            _kill_orphans(self.started)
            return Outcome(None, True, capture.text(), capture.truncated, self.flooded,
                           "the sandbox supervisor was killed")
        return Outcome(status["rc"], self.killed or bool(status["killed"]), capture.text(), capture.truncated,
                       self.flooded, status.get("error"))


_SUPERVISORS: set[int] = set()
_SUPERVISORS_LOCK = threading.Lock()
_SUBREAPER: list[bool] = []


def _become_subreaper() -> None:
    """Make the grader a child subreaper (Linux, once): if a student kills a run's supervisor,
    the run's processes come to us instead of init, and ``_kill_orphans`` can find them."""
    if _SUBREAPER or not sys.platform.startswith("linux"):
        return
    _SUBREAPER.append(True)
    from grader.sandbox.supervisor import set_subreaper

    set_subreaper()


def _kill_orphans(since: float) -> None:
    """Kill and reap our children that are not supervisors and started after ``since``: the
    orphans of a killed supervisor, with everything they started."""
    me = os.getpid()
    for _round in range(200):
        procs = proctable.table()
        if procs is None:
            return
        with _SUPERVISORS_LOCK:
            keep = set(_SUPERVISORS)
        strays = [pid for pid, e in procs.items() if e.ppid == me and pid not in keep and e.started >= since - 0.05]
        if not strays:
            return
        children = proctable.children_of(procs)
        doomed, todo = set(), list(strays)
        while todo:
            pid = todo.pop()
            doomed.add(pid)
            todo += [child for child in children.get(pid, ()) if child not in doomed]
        for pid in doomed:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in strays:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.01)


def _control(ctl_w: int, how: bytes) -> None:
    try:
        os.write(ctl_w, how)
    except OSError:
        pass


def _parse_status(data: bytes) -> dict[str, Any] | None:
    try:
        status = json.loads(data.decode().strip().splitlines()[-1])
        return status if isinstance(status, dict) else None
    except (ValueError, IndexError):
        return None
