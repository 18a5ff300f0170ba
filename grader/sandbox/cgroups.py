"""One cgroup per sandboxed run: a cap on the memory and the tasks of all its processes together.

rlimits are per process (four Pool workers may each use the whole RLIMIT_DATA) and RLIMIT_NPROC
counts per uid; a cgroup caps the *sum* over every process of the run and lists them all for the
final kill. Two layouts are supported:

- cgroup v2 (GitHub runners, current distributions): ``memory.max``, ``memory.swap.max``,
  ``pids.max``, ``cgroup.kill``. A v2 cgroup can only hand controllers to its children when it
  holds no process itself, so the run's cgroup goes under the nearest ancestor of ours that has
  ``memory`` and ``pids`` in its ``cgroup.subtree_control`` and that we may write (as root the
  hierarchy's root; for a user, a systemd-delegated subtree).
- cgroup v1 (older hosts, some containers): the ``memory`` and ``pids`` hierarchies, each run's
  cgroup nested under our own cgroup there (v1 has no such rule); no ``cgroup.kill``, so the kill
  walks ``cgroup.procs``.

Nothing here is required: ``Cgroups.probe()`` returns None with the reason when this host does
not let the grader create cgroups, and the sandbox says which limits were active.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "grader-"
_counter = itertools.count()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _write(path: Path, value: str) -> bool:
    try:
        path.write_text(value)
        return True
    except OSError:
        return False


def _mounts() -> tuple[Path | None, dict[str, Path]]:
    """The cgroup2 mount point and the v1 mount point of each v1 controller."""
    v2: Path | None = None
    v1: dict[str, Path] = {}
    for line in _read(Path("/proc/self/mountinfo")).splitlines():
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or len(rest) < 3:
            continue
        mount_point, fstype, options = Path(fields[4]), rest[0], rest[2].split(",")
        if fstype == "cgroup2" and v2 is None:
            v2 = mount_point
        elif fstype == "cgroup":
            for controller in ("memory", "pids"):
                if controller in options:
                    v1.setdefault(controller, mount_point)
    return v2, v1


def _own_paths() -> tuple[str | None, dict[str, str]]:
    """Our cgroup in the v2 hierarchy and in each v1 hierarchy, from /proc/self/cgroup."""
    v2, v1 = None, {}
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        hierarchy, controllers, path = parts
        if hierarchy == "0" and controllers == "":
            v2 = path
        for controller in controllers.split(","):
            if controller in ("memory", "pids"):
                v1[controller] = path
    return v2, v1


@dataclass
class CgroupRun:
    """The cgroup(s) of one run: one directory on v2, one per controller on v1."""

    version: int
    dirs: list[Path]
    memory_dir: Path | None
    pids_dir: Path | None

    @property
    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs]

    def pids(self) -> set[int]:
        found: set[int] = set()
        for d in self.dirs:
            found.update(int(p) for p in _read(d / "cgroup.procs").split() if p.isdigit())
        return found

    def oom_kills(self) -> int:
        """How many of the run's processes the kernel killed for going over the memory limit."""
        if self.memory_dir is None:
            return 0
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        match = re.search(r"^oom_kill (\d+)$", _read(self.memory_dir / name), re.MULTILINE)
        return int(match.group(1)) if match else 0

    def peak_memory(self) -> int | None:
        if self.memory_dir is None:
            return None
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        text = _read(self.memory_dir / name).strip()
        return int(text) if text.isdigit() else None

    def kill(self) -> None:
        """SIGKILL every process in the run's cgroup (``cgroup.kill`` where the kernel has it)."""
        for d in self.dirs:
            if self.version == 2 and _write(d / "cgroup.kill", "1"):
                continue
            for _round in range(100):
                pids = [int(p) for p in _read(d / "cgroup.procs").split() if p.isdigit()]
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.01)

    def remove(self) -> None:
        """Kill what is left and remove the directories (retrying while the dead are reaped)."""
        self.kill()
        for d in self.dirs:
            for attempt in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if attempt % 10 == 9:
                        self.kill()
                    time.sleep(0.02)


@dataclass
class Cgroups:
    """Where this process may create per-run cgroups, found once by ``probe``."""

    version: int
    memory_parent: Path | None
    pids_parent: Path | None
    notes: list[str] = field(default_factory=list)

    @property
    def controllers(self) -> list[str]:
        return [name for name, parent in (("memory", self.memory_parent), ("pids", self.pids_parent)) if parent]

    def describe(self) -> str:
        return f"cgroup v{self.version} ({' + '.join(self.controllers)})"

    @classmethod
    def probe(cls) -> tuple[Cgroups | None, str]:
        """The usable layout, or None and why not."""
        v2_mount, v1_mounts = _mounts()
        v2_own, v1_own = _own_paths()
        reasons = []
        if v2_mount is not None and v2_own is not None:
            parent = _v2_parent(v2_mount, v2_own)
            if parent is not None:
                found = cls(2, parent, parent)
                _sweep(parent)
                return found, ""
            reasons.append("no writable cgroup v2 parent with the memory and pids controllers")
        if v1_mounts:
            parents: dict[str, Path | None] = {}
            for controller in ("memory", "pids"):
                mount, own = v1_mounts.get(controller), v1_own.get(controller)
                parent = mount / own.lstrip("/") if mount and own is not None else None
                parents[controller] = parent if parent and _can_create(parent) else None
            if any(parents.values()):
                found = cls(1, parents["memory"], parents["pids"])
                for parent in {p for p in parents.values() if p}:
                    _sweep(parent)
                return found, ""
            reasons.append("the cgroup v1 memory and pids hierarchies are not writable")
        return None, "; ".join(reasons) or "no cgroup hierarchy is mounted"

    def create(self, memory_bytes: int | None, tasks: int | None) -> CgroupRun:
        """A fresh cgroup (or one per v1 controller) with the limits set; raises OSError on failure."""
        name = f"{PREFIX}{os.getpid()}-{next(_counter)}"
        if self.version == 2:
            assert self.memory_parent is not None
            d = self.memory_parent / name
            d.mkdir()
            run = CgroupRun(2, [d], d, d)
            try:
                if memory_bytes:
                    (d / "memory.max").write_text(str(memory_bytes))
                    _write(d / "memory.swap.max", "0")  # a bomb must hit the limit, not the swap
                if tasks:
                    (d / "pids.max").write_text(str(tasks))
            except OSError:
                run.remove()
                raise
            return run
        dirs, memory_dir, pids_dir = [], None, None
        try:
            if self.memory_parent is not None and memory_bytes:
                memory_dir = self.memory_parent / name
                memory_dir.mkdir()
                dirs.append(memory_dir)
                (memory_dir / "memory.limit_in_bytes").write_text(str(memory_bytes))
                _write(memory_dir / "memory.memsw.limit_in_bytes", str(memory_bytes))
            if self.pids_parent is not None and tasks:
                pids_dir = self.pids_parent / name
                pids_dir.mkdir()
                dirs.append(pids_dir)
                (pids_dir / "pids.max").write_text(str(tasks))
        except OSError:
            CgroupRun(1, dirs, memory_dir, pids_dir).remove()
            raise
        return CgroupRun(1, dirs, memory_dir, pids_dir)


def _v2_parent(mount: Path, own: str) -> Path | None:
    """The nearest ancestor of our own v2 cgroup (ours excluded) that can host a run's cgroup."""
    parts = [p for p in own.split("/") if p]
    for depth in range(max(len(parts) - 1, 0), -1, -1):  # our own root counts when we sit in it
        candidate = mount.joinpath(*parts[:depth])
        enabled = _read(candidate / "cgroup.subtree_control").split()
        if "memory" in enabled and "pids" in enabled and _can_create(candidate):
            return candidate
    return None


def _can_create(parent: Path) -> bool:
    probe = parent / f"{PREFIX}{os.getpid()}-probe"
    try:
        probe.mkdir()
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        probe.rmdir()
    except OSError:
        return False
    return True


def _sweep(parent: Path) -> None:
    """Remove run cgroups left by graders that died (their pid is gone and the cgroup is empty)."""
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        match = re.fullmatch(rf"{PREFIX}(\d+)-\w+", entry.name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
            continue  # its grader is alive
        except ProcessLookupError:
            pass
        except OSError:
            continue
        try:
            entry.rmdir()
        except OSError:
            pass
