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

``make_sandbox`` picks the tier: the Linux tier (``grader.linux_sandbox``: bubblewrap namespaces,
a dedicated uid, cgroups) where its start-up probe succeeds, else this portable tier, else (on
Windows) the basic one. ``GRADER_SANDBOX=linux|portable|basic`` forces a tier. SECURITY.md says
what each tier guarantees.
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
    """RLIMIT_DATA per process (not AS: address-space limits break threaded code)."""
    file_bytes: int = 16 << 20
    open_files: int = 256
    tasks: int = 512
    """Linux tier: processes and threads of one run (RLIMIT_NPROC of its dedicated uid, pids.max)."""
    memory_bytes: int = 2 << 30
    """Linux tier: memory of all the run's processes together (a memory cgroup)."""
    tmpfs_bytes: int = 128 << 20
    """Linux tier: size of each writable filesystem (/tmp, /dev/shm, the work dir)."""

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
    oom_kills: int = 0
    """Processes the kernel killed for going over the run's memory limit (Linux tier)."""


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
    runner starts), a private pipe for the records and one for hang forensics (all-threads
    tracebacks written by ``faulthandler``), inherited through ``pass_fds``.

    Forensics are advice for the student's message, never evidence: set ``on_forensics`` to
    receive them.
    """

    def __init__(self, nonce: str) -> None:
        self.nonce_r, nonce_w = os.pipe()
        os.write(nonce_w, nonce.encode() + b"\n")
        os.close(nonce_w)
        self.read_fd, self.write_fd = os.pipe()
        self.forensics_r, self.forensics_w = os.pipe()
        self.args = ["--nonce-fd", str(self.nonce_r), "--record-fd", str(self.write_fd),
                     "--forensics-fd", str(self.forensics_w)]
        self.pass_fds = (self.nonce_r, self.write_fd, self.forensics_w)
        self.on_forensics: Callable[[bytes], None] | None = None

    def readers(self, on_record: Callable[[bytes], None]) -> dict[int, Callable[[bytes], None]]:
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


class Sandbox:
    tier = TIER
    fallback = ""
    """Why the Linux tier was not used on this Linux host (set by ``make_sandbox``)."""

    def channel(self, nonce: str) -> PipeChannel:
        return PipeChannel(nonce)

    def describe(self) -> str:
        return (f"supervised process tree (subreaper, whole-tree kill), the grader's own uid, "
                f"rlimits: DATA {self.limits.data_bytes >> 20} MiB per process, FSIZE {self.limits.file_bytes >> 20} MiB, "
                f"NOFILE {self.limits.open_files}, CPU {self.limits.cpu_seconds} s; no namespaces, no cgroup")

    def notes(self) -> list[str]:
        """What an instructor should know about this tier on this host (empty when nothing)."""
        if not self.fallback:
            return []
        return [f"the Linux sandbox is not available here ({self.fallback}), so the portable tier ran: "
                "no network or filesystem isolation, the grader's own uid, no cap on the number of "
                f"processes when run as root. Active: {self.describe()}. See SECURITY.md."]

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
        readable: Sequence[str] = (),
    ) -> Outcome:
        """Run ``argv`` (which carries ``channel.args``); ``on_record`` gets every chunk of the channel.

        The channel's inherited ends are closed here once the command started; the caller closes
        the channel. ``deadline`` returns a ``time.monotonic()`` instant after which the tree is
        killed (after a stack dump, for the hang forensics). ``readable`` names folders the
        command reads (the hidden tests): this tier can read everything anyway.
        """
        return self._supervise(argv, cwd, env, channel, on_record, deadline, self.limits.as_spec(), {})

    def _supervise(
        self,
        argv: Sequence[str],
        cwd: str,
        env: Mapping[str, str],
        channel: PipeChannel | None,
        on_record: Callable[[bytes], None],
        deadline: Callable[[], float | None],
        limits: Mapping[str, int | None],
        extra: Mapping[str, object],
    ) -> Outcome:
        """Start the supervisor on ``argv`` and follow it: read the pipes, enforce deadline and budget."""
        pass_fds = channel.pass_fds if channel else ()
        readers = channel.readers(on_record) if channel else {}
        out_r, out_w = os.pipe()
        ctl_r, ctl_w = os.pipe()
        spec = {
            "argv": list(argv),
            "cwd": cwd,
            "env": dict(env),
            "limits": dict(limits),
            "pass_fds": list(pass_fds),
            "out_fd": out_w,
            "forensics_fd": channel.forensics_w if channel else None,
            **extra,
        }
        _become_subreaper()
        started = _uptime()
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
        except OSError as exc:
            # Out of processes or memory on the host: this run fails, the grading goes on.
            for fd in (out_r, ctl_w):
                os.close(fd)
            return Outcome(None, False, "", False, False, f"cannot start the sandbox: {exc}")
        finally:
            for fd in (out_w, ctl_r, *pass_fds):
                os.close(fd)
        with _SUPERVISORS_LOCK:
            _SUPERVISORS.add(supervisor.pid)
        capture = _Capture(self.output_cap)
        status_buf = bytearray()
        killed = flooded = False
        channel_bytes = 0  # the channel's pipes are budgeted too: a flood there is a flood
        sel = selectors.DefaultSelector()
        assert supervisor.stdout is not None
        status_fd = supervisor.stdout.fileno()
        sel.register(status_fd, selectors.EVENT_READ)
        sel.register(out_r, selectors.EVENT_READ)
        for fd in readers:
            sel.register(fd, selectors.EVENT_READ)
        open_fds = {status_fd, out_r, *readers}
        status_done_at: float | None = None
        killed_at = 0.0
        try:
            while open_fds:
                now = time.monotonic()
                # Once the supervisor has reported, its tree is dead: any pipe still open is held
                # by something outside it, so stop waiting shortly after. A supervisor that died
                # without a report was killed by the student (this tier shares its uid): its
                # orphans came to us (a subreaper), so the run goes on under our own watch.
                limit = deadline()
                orphaned = status_done_at is not None and not status_buf and limit is not None
                if status_done_at is not None and now - max(status_done_at, killed_at) > 1.0 and (
                        not orphaned or killed):
                    break
                over = capture.total > self.output_budget or channel_bytes > 4 * self.output_budget
                if not killed and ((limit is not None and now >= limit) or over):
                    flooded = over
                    killed, killed_at = True, now
                    if orphaned:
                        _kill_orphans(started)
                    else:
                        # A hang gets its stacks dumped before the kill; a flood is killed at once.
                        _kill(ctl_w, b"k" if flooded or channel is None else b"d")
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
                        channel_bytes += len(data)
                        if channel_bytes <= 4 * self.output_budget:
                            readers[fd](data)
        finally:
            sel.close()
            os.close(out_r)
            _kill(ctl_w)
            os.close(ctl_w)
            supervisor.stdout.close()
            supervisor.wait()
            with _SUPERVISORS_LOCK:
                _SUPERVISORS.discard(supervisor.pid)
        status = _parse_status(bytes(status_buf))
        if status is None:
            # The supervisor itself was killed (the student can reach it in this tier): its
            # orphans were re-parented to us (a subreaper); kill and reap them here.
            _kill_orphans(started)
            return Outcome(None, True, capture.text(), capture.total > 2 * self.output_cap, flooded,
                           "the sandbox supervisor was killed")
        return Outcome(
            status["rc"], killed or bool(status["killed"]), capture.text(),
            capture.total > 2 * self.output_cap, flooded, status.get("error"),
        )


TIERS = ("linux", "portable", "basic")


def make_sandbox():
    """The sandbox for this machine: the Linux tier where its probe passes, else the portable tier
    (saying why in ``notes()``), else the basic one on Windows.

    ``GRADER_SANDBOX=linux|portable|basic`` forces a tier; a forced Linux tier that does not work
    here is a configuration error, not a silent fallback.
    """
    choice = os.environ.get("GRADER_SANDBOX", "").strip().lower()
    if choice and choice not in (*TIERS, "auto"):
        raise GraderError(f"GRADER_SANDBOX={choice!r}: expected one of {', '.join(TIERS)} (or unset)")
    if os.name != "posix" or choice == "basic":
        from grader.basic_sandbox import BasicSandbox

        return BasicSandbox()
    if choice == "portable":
        return Sandbox()
    if sys.platform.startswith("linux"):
        from grader.linux_sandbox import LinuxSandbox

        linux, why = LinuxSandbox.create()
        if linux is not None:
            return linux
        if choice == "linux":
            raise GraderError(f"GRADER_SANDBOX=linux, but the Linux sandbox does not work here: {why}")
        portable = Sandbox()
        portable.fallback = why
        return portable
    if choice == "linux":
        raise GraderError("GRADER_SANDBOX=linux needs Linux")
    return Sandbox()


_SUPERVISORS: set[int] = set()
_SUPERVISORS_LOCK = threading.Lock()
_SUBREAPER: list[bool] = []


def _become_subreaper() -> None:
    """Make the grader a child subreaper (Linux, once): if a student kills a run's supervisor,
    the run's processes come to us instead of init, and ``_kill_orphans`` can find them."""
    if _SUBREAPER or not sys.platform.startswith("linux"):
        return
    _SUBREAPER.append(True)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _kill_orphans(since: float) -> None:
    """Kill and reap our children that are not supervisors and started after ``since``: the
    orphans of a killed supervisor, with everything they started."""
    me = os.getpid()
    for _round in range(200):
        table = _proc_table()
        if table is None:
            return
        with _SUPERVISORS_LOCK:
            keep = set(_SUPERVISORS)
        strays = [pid for pid, (ppid, _state, started) in table.items()
                  if ppid == me and pid not in keep and started >= since - 0.05]
        if not strays:
            return
        doomed, todo = set(), list(strays)
        while todo:
            pid = todo.pop()
            doomed.add(pid)
            todo += [child for child, (ppid, _s, _t) in table.items() if ppid == pid and child not in doomed]
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


def _uptime() -> float:
    """Seconds since boot, the clock /proc gives process start times in (0.0 without /proc)."""
    try:
        with open("/proc/uptime") as fh:
            return float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def _proc_table() -> dict[int, tuple[int, str, float]] | None:
    """{pid: (ppid, state, start time in seconds since boot)} from /proc (None where there is none)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        entries = os.listdir("/proc")
    except (OSError, ValueError):
        return None
    table = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                rest = fh.read().rsplit(b")", 1)[1].split()
            table[int(entry)] = (int(rest[1]), rest[0].decode(), int(rest[19]) / ticks)
        except (OSError, IndexError, ValueError):
            continue
    return table


def _kill(ctl_w: int, how: bytes = b"k") -> None:
    try:
        os.write(ctl_w, how)
    except OSError:
        pass


def _parse_status(data: bytes) -> dict | None:
    try:
        status = json.loads(data.decode().strip().splitlines()[-1])
        return status if isinstance(status, dict) else None
    except (ValueError, IndexError):
        return None
