"""What every sandbox tier is: the contract the grading relies on, and the values it passes.

A tier runs one command with an outer wall-clock deadline, bounded output capture, a clean
environment and a whole-tree kill, and hands the command a private result channel. The tiers
(``portable``, ``linux``, ``basic``) differ in how much they contain; SECURITY.md says what.
"""

from __future__ import annotations

import os
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from grader import settings
from grader.sandboxed.protocol import RUN_MARKER_ENV


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

    def describe(self) -> str:
        return (f"rlimits: DATA {self.data_bytes >> 20} MiB per process, FSIZE {self.file_bytes >> 20} MiB, "
                f"NOFILE {self.open_files}, CPU {self.cpu_seconds} s")


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

    @classmethod
    def not_started(cls, why: str) -> Outcome:
        return cls(None, False, "", False, False, why)


class Channel(ABC):
    """The private result channel of one run: how the runner inside gets the nonce and sends
    records back. ``args`` go on the runner's command line."""

    args: list[str]
    on_forensics: Callable[[bytes], None] | None = None
    """Receives raw stack dumps of hung tests (tiers with a forensics pipe); advice, never evidence."""

    @abstractmethod
    def close(self) -> None: ...


_STOP = threading.Event()


def stop_all() -> None:
    """An interrupt (Ctrl-C, SIGTERM): every run in progress kills its whole tree at once, without
    a stack dump or the usual wait for stragglers, and no run starts from now on (``stopping``)."""
    _STOP.set()


def stopping() -> bool:
    """Whether ``stop_all`` was called: a run that returns now was cut short, not finished."""
    return _STOP.is_set()


class Interrupted(KeyboardInterrupt):
    """The grading was interrupted (``stop_all``): raised where a cut-short run would otherwise be
    taken for a result. ``summary`` says what was finished (filled in by whoever knows: the
    scheduler, then the command); the CLI prints it and exits 130."""

    def __init__(self, summary: str = "", finished: Mapping[int, object] | None = None) -> None:
        super().__init__(summary)
        self.summary = summary
        self.finished = dict(finished or {})
        """The scheduler's finished units: index -> result."""


OnRecord = Callable[[bytes], None]
Deadline = Callable[[], "float | None"]


class Sandbox(ABC):
    """One tier. ``run`` never raises for what the command does: everything is in the Outcome."""

    tier: str

    def __init__(self, output_cap: int = settings.OUTPUT_CAP, output_budget: int = settings.OUTPUT_BUDGET) -> None:
        self.output_cap = output_cap
        self.output_budget = output_budget

    @abstractmethod
    def channel(self, nonce: str) -> Channel:
        """A fresh result channel carrying ``nonce``."""

    @abstractmethod
    def run(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], channel: Channel | None = None,
            on_record: OnRecord = lambda _data: None, deadline: Deadline = lambda: None,
            readable: Sequence[str] = ()) -> Outcome:
        """Run ``argv`` (which carries ``channel.args``); ``on_record`` gets every chunk of the channel.

        The caller closes the channel. ``deadline`` returns a ``time.monotonic()`` instant after
        which the tree is killed. ``readable`` names folders the command reads (the hidden tests):
        a tier with its own filesystem view binds only those.
        """

    @abstractmethod
    def describe(self) -> str:
        """What this tier enforces on this host, in one line."""

    def notes(self) -> list[str]:
        """What an instructor should know about this tier on this host (empty when nothing)."""
        return []


class Capture:
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

    @property
    def truncated(self) -> bool:
        return self.total > 2 * self.cap

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
        RUN_MARKER_ENV: run_id,
    }
    if os.name == "nt":
        # Windows cannot start Python's socket or random support without these.
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "PATHEXT", "TEMP", "TMP") if k in os.environ})
    env.update(extra or {})
    return env
