"""The Linux tier: the portable tier's supervisor running the command inside bubblewrap.

On top of the portable tier (supervisor, deadline, bounded output, rlimits, clean environment):
- new PID, network, IPC and UTS namespaces (``bwrap --unshare-pid --unshare-net ...``): the whole
  run dies with its PID 1, ``--die-with-parent`` ties it to the supervisor, and there is no
  network but a loopback of its own;
- a new root holding only read-only binds of what Python needs (the interpreter, the venv, the
  grader package, the topic's hidden tests, /usr and the /lib links, a few /etc files written
  for the run) and size-capped tmpfs mounts for /tmp (also HOME), /dev/shm and the work dir, whose
  submission files are bound read-only inside it: the student writes nowhere on the host disk;
- ``--clearenv`` plus the run's clean environment, ``--new-session`` (no TIOCSTI);
- when the grader runs as root: the command runs as a dedicated unprivileged uid (one per
  concurrent run, so RLIMIT_NPROC counts that run's tasks and nothing else), with no-new-privs,
  no capabilities and an empty bounding set. bwrap itself runs as root (it must: the interpreter
  may live under /root, mode 0700) and ``setpriv`` drops privileges inside the new root;
- a cgroup per run (``grader.sandbox.cgroups``) capping memory summed over every process and the number
  of tasks, where this host lets the grader create one.

``LinuxSandbox.create()`` probes all of this once per process with a trivial sandboxed command;
``grader.sandbox.choose.make_sandbox`` falls back to the portable tier, saying why, when it fails.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import grader
from grader import settings
from grader.sandbox.base import Channel, Deadline, Limits, OnRecord, Outcome
from grader.sandbox.cgroups import Cgroups
from grader.sandbox.portable import PortableSandbox, pipe_channel

UID_BASE = int(settings.env("GRADER_SANDBOX_UID"))
"""First uid of the range reserved for sandboxed runs."""
UID_SLOTS = 64
"""Concurrent runs with a uid of their own; more runs wait for a free one."""
INSIDE_TMP = "/tmp"
_PROBE_CACHE: dict[tuple, tuple[LinuxSandbox | None, str]] = {}


class _UidPool:
    """Hands out one uid per concurrent run (flock on a file per uid, so separate grader processes
    on one host never share one: RLIMIT_NPROC counts every task of a uid on the whole host)."""

    def __init__(self, base: int, slots: int) -> None:
        self.base = base
        self.slots = slots
        self.dir = _private_dir("grader-sandbox-uids")

    @contextlib.contextmanager
    def take(self) -> Iterator[int]:
        order = list(range(self.slots))
        random.shuffle(order)
        fd = None
        try:
            for blocking in (False, True):
                for slot in order if not blocking else order[:1]:
                    fd = os.open(self.dir / f"uid-{self.base + slot}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
                    except BlockingIOError:
                        os.close(fd)
                        fd = None
                        continue
                    yield self.base + slot
                    return
        finally:
            if fd is not None:
                os.close(fd)


def _private_dir(name: str) -> Path:
    """A folder only we can write, for lock files: /run when we are root, else the temp dir."""
    root = Path("/run") if os.geteuid() == 0 and os.access("/run", os.W_OK) else Path(tempfile.gettempdir())
    path = root / f"{name}-{os.geteuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    info = path.lstat()
    if not path.is_dir() or path.is_symlink() or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise OSError(f"{path} is not a private folder of uid {os.geteuid()}")
    return path


@dataclasses.dataclass(frozen=True)
class Tools:
    bwrap: str
    setpriv: str | None
    """Present and used only when the grader is root: drops to the run's uid inside the sandbox."""


class LinuxSandbox(PortableSandbox):
    tier = "linux"

    def __init__(self, tools: Tools, cgroups: Cgroups | None = None, limits: Limits = Limits(),
                 output_cap: int | None = None, output_budget: int | None = None, cgroup_note: str = "") -> None:
        super().__init__(limits, output_cap, output_budget)
        self.tools = tools
        self.cgroups = cgroups
        self.cgroup_note = cgroup_note
        self.uids = _UidPool(UID_BASE, UID_SLOTS) if tools.setpriv and os.geteuid() == 0 else None

    # -- what is active ------------------------------------------------------------------------

    @property
    def drops_privileges(self) -> bool:
        return self.uids is not None

    @property
    def contains_tasks(self) -> bool:
        """Whether a fork bomb is stopped: a dedicated uid with RLIMIT_NPROC, or a pids cgroup."""
        return self.drops_privileges or bool(self.cgroups and self.cgroups.pids_parent)

    @property
    def contains_memory(self) -> bool:
        """Whether memory summed over several processes is capped (a memory cgroup)."""
        return bool(self.cgroups and self.cgroups.memory_parent)

    def describe(self) -> str:
        parts = ["bubblewrap: PID, network, IPC and UTS namespaces, read-only root, "
                 f"{self.limits.tmpfs_bytes >> 20} MiB tmpfs for /tmp, /dev/shm and the work dir"]
        if self.drops_privileges:
            parts.append(f"a dedicated uid per run (from {UID_BASE}), no-new-privs, no capabilities, "
                         f"RLIMIT_NPROC {self.limits.tasks}")
        else:
            parts.append("the grader's own uid (not root, so no dedicated uid) with no-new-privs")
        if self.cgroups:
            limits = []
            if self.cgroups.memory_parent:
                limits.append(f"memory {self.limits.memory_bytes >> 20} MiB")
            if self.cgroups.pids_parent:
                limits.append(f"tasks {self.limits.tasks}")
            parts.append(f"{self.cgroups.describe()}: {', '.join(limits)} per run")
        else:
            parts.append(f"no cgroup ({self.cgroup_note or 'not available'})")
        parts.append(self.limits.describe())
        return "; ".join(parts)

    def notes(self) -> list[str]:
        """What an instructor should know about this tier on this host (empty when complete)."""
        missing = []
        if not self.drops_privileges:
            missing.append("a dedicated uid (the grader is not root)")
        if not self.contains_memory:
            missing.append("a cap on memory summed over processes (no memory cgroup)")
        if not self.contains_tasks:
            missing.append("a cap on the number of processes (no dedicated uid, no pids cgroup)")
        if not missing:
            return []
        return [f"Linux sandbox without {'; '.join(missing)}. Active: {self.describe()}. See SECURITY.md."]

    # -- running -------------------------------------------------------------------------------

    def run(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], channel: Channel | None = None,
            on_record: OnRecord = lambda _data: None, deadline: Deadline = lambda: None,
            readable: Sequence[str] = ()) -> Outcome:
        pipes = pipe_channel(channel)
        with contextlib.ExitStack() as stack:
            uid = stack.enter_context(self.uids.take()) if self.uids else None
            cgroup = None
            if self.cgroups:
                try:
                    cgroup = self.cgroups.create(self.limits.memory_bytes, self.limits.tasks)
                except OSError as exc:
                    for fd in pipes.pass_fds if pipes else ():
                        os.close(fd)  # as a started run would have
                    return Outcome.not_started(f"cannot create the run's cgroup: {exc}")
                stack.callback(cgroup.remove)
            etc = Path(tempfile.mkdtemp(prefix="grader-etc-"))
            stack.callback(shutil.rmtree, etc, True)
            _write_etc(etc, uid)
            if uid is not None and pipes is not None:
                # Spawned children reopen the forensics pipe through /proc, which checks the
                # pipe's owner: make it the run's uid (the record pipe stays the grader's).
                os.fchown(pipes.forensics_w, uid, uid)
            command = self.command(argv, cwd=cwd, env=env, readable=readable, uid=uid, etc=etc)
            limits = dict(self.limits.as_spec())
            if uid is not None:
                limits["nproc"] = self.limits.tasks  # counts this run's uid only, so it means something
            outcome = self.supervise(command, "/", {"PATH": "/usr/bin:/bin"}, pipes, on_record, deadline, limits,
                                     {"cgroup_procs": cgroup.procs_files if cgroup else []})
            rc = outcome.returncode
            if rc is not None and 128 < rc < 128 + 65:
                # bwrap's PID 1 reports a command killed by signal N as exit code 128 + N.
                outcome = dataclasses.replace(outcome, returncode=128 - rc)
            if cgroup is not None:
                outcome = dataclasses.replace(outcome, oom_kills=cgroup.oom_kills())
        return outcome

    def command(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], readable: Sequence[str] = (),
                uid: int | None = None, etc: Path | None = None) -> list[str]:
        """The bwrap (and setpriv) command line that runs ``argv`` in the sandbox."""
        size = str(self.limits.tmpfs_bytes)
        mounts = _Mounts()
        mounts.add(INSIDE_TMP, "--perms", "1777", "--size", size, "--tmpfs", INSIDE_TMP)
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            host = Path("/") / name
            if host.is_symlink():
                mounts.add(str(host), "--symlink", os.readlink(host), str(host))
            elif host.is_dir():
                mounts.add(str(host), "--ro-bind", str(host), str(host))
        for path in _python_paths(argv[0] if argv else sys.executable) + [str(p) for p in readable]:
            mounts.bind_ro(path)
        if etc is not None:
            for name in ("passwd", "group", "hosts"):
                mounts.add(f"/etc/{name}", "--ro-bind", str(etc / name), f"/etc/{name}")
        for name in ("ld.so.cache", "ld.so.conf", "localtime", "nsswitch.conf", "host.conf"):
            if os.path.exists(f"/etc/{name}"):
                mounts.add(f"/etc/{name}", "--ro-bind", f"/etc/{name}", f"/etc/{name}")
        # The work dir: a writable tmpfs holding the submission's files, bound read-only.
        work = os.path.abspath(cwd)
        mounts.add(work, "--perms", "1777", "--size", size, "--tmpfs", work)
        for entry in sorted(os.listdir(work)):
            path = os.path.join(work, entry)
            if not os.path.islink(path) and (os.path.isfile(path) or os.path.isdir(path)):
                mounts.add(path, "--ro-bind", path, path)
        inner_env = {**env, "HOME": INSIDE_TMP, "TMPDIR": INSIDE_TMP}
        setenv = [arg for key, value in inner_env.items() for arg in ("--setenv", key, value)]
        drop: list[str] = []
        if self.tools.setpriv and uid is not None:
            drop = [self.tools.setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                    "--inh-caps=-all", "--bounding-set=-all", "--"]
        elif self.tools.setpriv:
            drop = [self.tools.setpriv, "--no-new-privs", "--"]
        return [
            self.tools.bwrap,
            "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--hostname", "sandbox",
            *mounts.args(),
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", size, "--tmpfs", "/dev/shm",
            "--chdir", work,
            "--clearenv", *setenv,
            "--", *drop, *argv,
        ]

    # -- the probe -----------------------------------------------------------------------------

    @classmethod
    def create(cls, limits: Limits = Limits()) -> tuple[LinuxSandbox | None, str]:
        """A working Linux sandbox for this host, or None and the reason (probed once per process)."""
        bwrap = settings.env("GRADER_BWRAP") or shutil.which("bwrap")
        key = (bwrap, limits, os.geteuid())
        if key not in _PROBE_CACHE:
            _PROBE_CACHE[key] = cls._probe(bwrap, limits)
        return _PROBE_CACHE[key]

    @classmethod
    def _probe(cls, bwrap: str | None, limits: Limits) -> tuple[LinuxSandbox | None, str]:
        if not sys.platform.startswith("linux"):
            return None, "not Linux"
        if not bwrap or not os.access(bwrap, os.X_OK):
            return None, "bubblewrap (bwrap) is not installed"
        setpriv = shutil.which("setpriv", path="/usr/bin:/bin:/usr/sbin:/sbin")
        root = os.geteuid() == 0
        if root and not setpriv:
            return None, "running as root but setpriv (util-linux) is missing, so privileges cannot be dropped"
        cgroups, cgroup_note = Cgroups.probe()
        sandbox = cls(Tools(bwrap, setpriv), cgroups, limits, cgroup_note=cgroup_note)
        problem = sandbox._trial()
        if problem and cgroups is not None:
            # The namespaces may work where joining our cgroups does not: keep what works.
            sandbox = cls(sandbox.tools, None, limits, cgroup_note=f"joining a cgroup failed: {problem}")
            problem = sandbox._trial()
        if problem:
            return None, problem
        return sandbox, ""

    def _trial(self) -> str:
        """Run a trivial command the way a real run goes; return what went wrong, or ''."""
        code = "import os, sys; print(os.getuid(), sys.prefix, flush=True)"
        work = Path(tempfile.mkdtemp(prefix="grader-probe-"))
        try:
            (work / "probe.txt").write_text("ok\n")
            outcome = self.run([sys.executable, "-I", "-S", "-B", "-c", code], cwd=str(work),
                               env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        except OSError as exc:
            return f"the sandbox could not start: {exc}"
        finally:
            shutil.rmtree(work, ignore_errors=True)
        lines = outcome.output.strip().splitlines()
        if outcome.error or outcome.returncode != 0 or not lines:
            why = outcome.error or (lines[-1] if lines else f"exit code {outcome.returncode}")
            return f"a trial run in bubblewrap failed: {why[:300]}"
        uid = lines[-1].split()[0]
        if self.drops_privileges and uid in ("0", str(os.geteuid())):
            return "the trial run did not drop to the sandbox uid"
        return ""


class _Mounts:
    """bwrap mount operations ordered parent-first, each missing parent created 0755 (bwrap's own
    parents are 0700, which a dropped uid cannot traverse)."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, tuple[str, ...]]] = []
        self.binds: list[str] = []

    def add(self, dest: str, *op: str) -> None:
        self.ops.append((os.path.normpath(dest), op))

    def bind_ro(self, path: str) -> None:
        path = os.path.abspath(path)
        if not os.path.exists(path) or any(_inside(path, other) for other in self.binds):
            return
        self.binds = [b for b in self.binds if not _inside(b, path)] + [path]

    def args(self) -> list[str]:
        ops = self.ops + [(b, ("--ro-bind", b, b)) for b in self.binds]
        ops.sort(key=lambda item: item[0].count("/") if item[0] != "/" else 0)
        made = {"/"}
        out: list[str] = []
        for dest, op in ops:
            parts = dest.strip("/").split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                parent = "/" + "/".join(parts[:depth])
                if parent not in made:
                    out += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            out += list(op)
            made.add(dest)
        return out


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _python_paths(python: str) -> list[str]:
    """Folders the sandboxed interpreter needs: /usr, its prefix, the venv, the grader package
    (the one this process runs and the one ``python -I`` imports: an editable install's .pth
    points at the repository, of which only ``grader/`` is bound, never the solutions or tests)."""
    paths = ["/usr", sys.base_prefix, sys.prefix, os.path.dirname(os.path.dirname(os.path.realpath(python)))]
    paths.append(os.path.dirname(os.path.abspath(grader.__file__)))
    paths += _imported_grader(python)
    return [p for p in dict.fromkeys(paths) if p and p != "/"]


_GRADER_DIRS: dict[str, list[str]] = {}


def _imported_grader(python: str) -> list[str]:
    """Where ``python -I`` finds the ``grader`` package (asked once per interpreter)."""
    if python not in _GRADER_DIRS:
        code = ("import importlib.util, json; s = importlib.util.find_spec('grader'); "
                "print(json.dumps(list(s.submodule_search_locations or []) if s else []))")
        try:
            out = subprocess.run([python, "-I", "-B", "-c", code], capture_output=True, text=True,
                                 timeout=30, cwd="/", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
            found = json.loads(out.stdout.strip() or "[]")
        except (OSError, ValueError, subprocess.SubprocessError):
            found = []
        _GRADER_DIRS[python] = [str(p) for p in found if isinstance(p, str) and os.path.isdir(p)]
    return _GRADER_DIRS[python]


def _write_etc(folder: Path, uid: int | None) -> None:
    """/etc/passwd, /etc/group and /etc/hosts for the run: the sandbox user and nothing of the host's."""
    uid_line = f"sandbox:x:{uid}:{uid}:sandbox:{INSIDE_TMP}:/usr/sbin/nologin\n" if uid is not None else ""
    me = os.geteuid()
    own = f"user:x:{me}:{os.getegid()}:user:{INSIDE_TMP}:/usr/sbin/nologin\n" if me != 0 else ""
    (folder / "passwd").write_text("root:x:0:0:root:/root:/usr/sbin/nologin\n" + uid_line + own
                                   + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
    gid_line = f"sandbox:x:{uid}:\n" if uid is not None else ""
    (folder / "group").write_text("root:x:0:\n" + gid_line + "nogroup:x:65534:\n")
    (folder / "hosts").write_text("127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n")
    for name in ("passwd", "group", "hosts"):
        (folder / name).chmod(0o644)
    folder.chmod(0o755)
