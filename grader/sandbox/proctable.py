"""The process table, read from /proc in one place (stdlib only: the supervisor and the
sandboxed runner import it too). Every function returns nothing useful where there is no /proc
(macOS): callers fall back or skip."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    ppid: int
    state: str
    """``R``, ``S``, ``Z`` (a zombie), ..."""
    started: float
    """Seconds since boot (the clock of ``uptime``)."""


def table() -> dict[int, Entry] | None:
    """Every process, from /proc/<pid>/stat (None where there is no /proc)."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        entries = os.listdir("/proc")
    except (OSError, ValueError, AttributeError):
        return None
    found = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                rest = fh.read().rsplit(b")", 1)[1].split()
            found[int(entry)] = Entry(int(rest[1]), rest[0].decode(), int(rest[19]) / ticks)
        except (OSError, IndexError, ValueError):
            continue
    return found


def uptime() -> float:
    """Seconds since boot, the clock process start times are in (0.0 without /proc)."""
    try:
        with open("/proc/uptime") as fh:
            return float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0


def status(pid: int | str) -> dict[str, str]:
    """The fields of /proc/<pid>/status (empty when the process is gone or there is no /proc)."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        pass
    return fields


def children_of(procs: dict[int, Entry]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pid, entry in procs.items():
        children.setdefault(entry.ppid, []).append(pid)
    return children


def descendants(root: int, procs: dict[int, Entry]) -> tuple[list[int], list[int]]:
    """Live (non-zombie) descendants of ``root``, and its zombie children."""
    children = children_of(procs)
    live, zombies, todo = [], [], list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        if procs[pid].state == "Z":
            if procs[pid].ppid == root:
                zombies.append(pid)
        else:
            live.append(pid)
        todo.extend(children.get(pid, ()))
    return live, zombies


def signal_mask(fields: dict[str, str], *names: str) -> int:
    """The union of hexadecimal signal masks (``SigCgt``, ``SigPnd``, ...) of a status; -1 if unreadable."""
    try:
        mask = 0
        for name in names:
            mask |= int(fields.get(name, "0"), 16)
        return mask
    except ValueError:
        return -1
