"""Hang forensics, on the trusted side: turn stack dumps into a few lines a student can act on.

Input comes from the sandbox (``grader.sandboxed.hangdump``): a snapshot record taken when the
in-process timeout fired (thread names, stacks, asyncio tasks, RecordingLock waits) and the raw
``faulthandler`` dumps of every process that answered the supervisor's or the runner's dump
request, each after a ``@@grader-forensics pid=... ppid=... name=...`` header. The output says
where each thread of each process was, in the student's files first, and, where the course's
RecordingLocks are in play, the wait-for chain:

    Thread-2 waits for lock_b held by Thread-1 at bank.py:42, which waits for lock_a held by Thread-2

All of it is advice: the student's code ran in those processes and could have written anything,
so it only ever lands in a message, never in a score.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

from grader.sandboxed.protocol import parse_header

MAX_LINES = 14
MAX_LINE = 180
_THREAD = re.compile(r"^(Current thread|Thread) (0x[0-9a-f]+)(?: \[(.*?)\])? \(most recent call first\):")
_FRAME = re.compile(r'^\s+File "(.*)", line (\d+) in (.*)$')

# Innermost library frames that say what a thread is blocked in, by (file suffix, function).
_BLOCKING = {
    ("threading.py", "wait"): "a Condition/Event wait()",
    ("threading.py", "join"): "Thread.join()",
    ("threading.py", "_wait_for_tstate_lock"): "Thread.join()",
    ("threading.py", "acquire"): "a Semaphore acquire()",
    ("threading.py", "wait_for"): "Condition.wait_for()",
    ("queue.py", "get"): "queue.get()",
    ("queue.py", "put"): "queue.put()",
    ("queue.py", "join"): "queue.join()",
    ("queues.py", "get"): "a multiprocessing Queue get()",
    ("queues.py", "put"): "a multiprocessing Queue put()",
    ("pool.py", "get"): "a Pool result's get()",
    ("pool.py", "wait"): "a Pool result's wait()",
    ("pool.py", "join"): "Pool.join()",
    ("pool.py", "map"): "Pool.map()",
    ("process.py", "join"): "Process.join()",
    ("popen_fork.py", "wait"): "Process.join()",
    ("popen_fork.py", "poll"): "Process.join()",
    ("connection.py", "recv"): "a Pipe recv()",
    ("connection.py", "_recv_bytes"): "a Pipe/Queue read",
    ("connection.py", "wait"): "waiting on a Pipe/Queue",
    ("synchronize.py", "__enter__"): "a multiprocessing Lock",
    ("synchronize.py", "acquire"): "a multiprocessing Lock",
    ("synchronize.py", "wait"): "a multiprocessing Condition/Event wait()",
    ("_base.py", "result"): "Future.result()",
    ("_base.py", "wait"): "concurrent.futures.wait()",
    ("thread.py", "shutdown"): "executor shutdown (waiting for its tasks)",
    ("selectors.py", "select"): "waiting for I/O (select)",
    ("base_events.py", "run_forever"): "the asyncio event loop",
    ("lockdep.py", "acquire"): "lock.acquire()",
    ("hub.py", "switch"): "the gevent hub",
}
_MAIN_BOTTOM = {"<module>", "_run_module_as_main", "_run_code"}
_INFRA_FUNCS = {"_handle_workers", "_handle_tasks", "_handle_results", "_feed", "_serve", "serve_forever",
                "_bootstrap", "_bootstrap_inner", "run", "_worker"}


@dataclass
class Frame:
    file: str
    line: int
    func: str
    code: str = ""

    @property
    def where(self) -> str:
        return f"{os.path.basename(self.file)}:{self.line}"


@dataclass
class Thread:
    name: str
    frames: list[Frame]  # outermost first
    ident: int | None = None
    main: bool = False


@dataclass
class Process:
    label: str
    threads: list[Thread] = field(default_factory=list)


def parse_dumps(raw: str) -> list[Process]:
    """The processes in a stream of headed faulthandler dumps (text outside a section is ignored)."""
    processes: list[Process] = []
    current: Process | None = None
    thread: Thread | None = None
    for line in raw.splitlines():
        header = parse_header(line)
        if header:
            current = Process(f"child process {header[0]}")
            processes.append(current)
            thread = None
            continue
        if current is None:
            continue
        match = _THREAD.match(line)
        if match:
            name = match.group(3) or f"thread {match.group(2)}"
            thread = Thread(name, [], int(match.group(2), 16))
            current.threads.append(thread)
            continue
        frame = _FRAME.match(line)
        if frame and thread is not None:
            thread.frames.insert(0, Frame(frame.group(1), int(frame.group(2)), frame.group(3)))
    for process in processes:
        for thread in process.threads:
            # faulthandler gives no names: the thread that runs the script is the main one.
            if thread.name.startswith("thread 0x") and thread.frames and thread.frames[0].func in _MAIN_BOTTOM:
                thread.name, thread.main = "MainThread", True
        if len(process.threads) == 1 and process.threads[0].name.startswith("thread 0x"):
            process.threads[0].name = "its thread"
    return [p for p in processes if p.threads]


def from_snapshot(snapshot: dict[str, Any]) -> tuple[Process, dict[int, Thread]]:
    """The test process as its own snapshot describes it, and its threads by ident."""
    process = Process("the test process")
    by_ident: dict[int, Thread] = {}
    for raw in snapshot.get("threads") or []:
        if not isinstance(raw, dict):
            continue
        frames = [Frame(str(f[0]), int(f[1]), str(f[2]), str(f[3] or "")) for f in raw.get("stack") or []
                  if isinstance(f, list) and len(f) == 4]
        thread = Thread(str(raw.get("name", "?"))[:40], frames, raw.get("ident"), bool(raw.get("main")))
        process.threads.append(thread)
        if isinstance(thread.ident, int):
            by_ident[thread.ident] = thread
    for raw in snapshot.get("tasks") or []:
        if isinstance(raw, dict):
            frames = [Frame(str(f[0]), int(f[1]), str(f[2])) for f in raw.get("stack") or []
                      if isinstance(f, list) and len(f) >= 3]
            process.threads.append(Thread(f"asyncio task {str(raw.get('name', '?'))[:30]}", frames))
    process.threads.sort(key=lambda t: (not t.main, t.name))
    return process, by_ident


class _Explainer:
    def __init__(self, student_dir: str) -> None:
        self.student_dir = os.path.abspath(student_dir) + os.sep if student_dir else ""

    def mine(self, frame: Frame) -> bool:
        return bool(self.student_dir) and os.path.abspath(frame.file).startswith(self.student_dir)

    def student_frame(self, thread: Thread) -> Frame | None:
        return next((f for f in reversed(thread.frames) if self.mine(f)), None)

    def blocked_in(self, thread: Thread) -> str:
        """The library call the thread waits in, named at the level the student called it."""
        frames = thread.frames
        mine = [i for i, f in enumerate(frames) if self.mine(f)]
        for frame in frames[mine[-1] + 1:] if mine else frames:
            for (suffix, func), what in _BLOCKING.items():
                if frame.file.endswith(suffix) and frame.func == func:
                    return what
        return ""

    def code(self, frame: Frame) -> str:
        """The source line of a frame in the student's folder (read without following links, and
        opened non-blocking: student code may have swapped the file for a FIFO)."""
        if frame.code or not self.mine(frame) or os.path.dirname(os.path.abspath(frame.file)) + os.sep != self.student_dir:
            return frame.code
        try:
            fd = os.open(frame.file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return ""
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return ""
            lines = fh.read(256 << 10).decode("utf-8", "replace").splitlines()
        return lines[frame.line - 1] if 0 < frame.line <= len(lines) else ""

    def where(self, thread: Thread) -> str:
        """``at bank.py:42 in transfer (`with b.lock:`), blocked in ...``, or the innermost frame."""
        frame = self.student_frame(thread)
        blocked = self.blocked_in(thread)
        if frame is not None:
            line = self.code(frame).strip()
            code = f" (`{line[:60]}`)" if line else ""
            text = f"at {frame.where} in {frame.func}{code}"
        elif blocked:
            return f"waiting in {blocked} (not in your code)"
        elif thread.frames:
            inner = thread.frames[-1]
            text = f"in {inner.func} ({inner.where}, not in your code)"
        else:
            text = "no Python frames (in C code)"
        return text + (f", blocked in {blocked}" if blocked else "")

    def infrastructure(self, thread: Thread) -> bool:
        """A thread of a Pool, Manager or executor with none of the student's frames."""
        return self.student_frame(thread) is None and not thread.main and any(
            f.func in _INFRA_FUNCS and ("multiprocessing" in f.file or "concurrent" in f.file) for f in thread.frames)


def explain(snapshot: dict[str, Any] | None, raw: str, student_dir: str) -> str:
    """A few lines on what was running when a test was stopped; empty when nothing is known."""
    ex = _Explainer(student_dir)
    processes: list[Process] = []
    by_ident: dict[int, Thread] = {}
    if snapshot:
        main, by_ident = from_snapshot(snapshot)
        processes.append(main)
    dumped = parse_dumps(raw)
    if not snapshot and dumped:
        dumped[0].label = "the test process"
    processes += dumped
    if not processes:
        return ""
    lines: list[str] = []
    chain = _wait_chain(snapshot, by_ident, ex) if snapshot else ""
    if chain:
        lines += chain.splitlines()
    # Children that were doing the same thing (Pool workers, a fork bomb) are told once.
    groups: dict[tuple[str, ...], list[Process]] = {}
    for index, process in enumerate(processes):
        key = tuple(_thread_lines(process, ex))
        groups.setdefault(key if index else ("the test process", *key), []).append(process)
    for body, members in groups.items():
        first = members[0]
        if first.label != "the test process":
            if len(members) == 1:
                lines.append(f"In {first.label}:")
            else:
                pids = [m.label.rsplit(" ", 1)[-1] for m in members]
                shown = ", ".join(pids[:4]) + (", ..." if len(pids) > 4 else "")
                lines.append(f"In {len(members)} child processes ({shown}), each:")
        lines += [line for line in body if line != "the test process"]
    lines = [line if len(line) <= MAX_LINE else line[: MAX_LINE - 3] + "..." for line in lines]
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [f"(... {len(lines) - MAX_LINES + 1} more lines)"]
    return "When it was stopped:\n" + "\n".join(lines)


def _thread_lines(process: Process, ex: _Explainer) -> list[str]:
    interesting = [t for t in process.threads if not ex.infrastructure(t)]
    hidden = len(process.threads) - len(interesting)
    # Threads in the student's code first: that is where the hang usually is.
    interesting.sort(key=lambda t: (ex.student_frame(t) is None and not t.main, not t.main))
    lines = [f"- {thread.name}: {ex.where(thread)}" for thread in interesting[:6]]
    more = len(interesting) - 6
    if more > 0 or hidden:
        extra = [f"{more} more thread(s)"] if more > 0 else []
        extra += [f"{hidden} Pool/executor thread(s)"] if hidden else []
        lines.append(f"  ({'and ' if lines else ''}{', '.join(extra)})")
    return lines


def _wait_chain(snapshot: dict[str, Any], threads: dict[int, Thread], ex: _Explainer) -> str:
    """``Thread-2 waits for lock_b held by Thread-1 at bank.py:42, which waits for ...`` (a cycle
    first, else the longest chain)."""
    waits: dict[int, tuple[str, int | None]] = {}
    for wait in snapshot.get("waits") or []:
        if isinstance(wait, dict) and isinstance(wait.get("thread"), int):
            owner = wait.get("owner")
            waits[wait["thread"]] = (str(wait.get("lock", "?"))[:40], owner if isinstance(owner, int) else None)
    if not waits:
        return ""

    def name(ident: int | None) -> str:
        thread = threads.get(ident) if ident is not None else None
        return thread.name if thread else "a thread that has ended"

    def at(ident: int | None) -> str:
        thread = threads.get(ident) if ident is not None else None
        frame = ex.student_frame(thread) if thread else None
        return f" at {frame.where}" if frame else ""

    best: tuple[bool, int, str] = (False, 0, "")
    for start in sorted(waits):
        seen, ident, parts = [start], start, [f"{name(start)}{at(start)} waits for {waits[start][0]}"]
        cycle = False
        while True:
            owner = waits[ident][1]
            if owner is None:
                parts[-1] += " (held by no thread: it was never released, or released by another thread)"
                break
            if owner in seen:
                parts[-1] += f" held by {name(owner)}"
                cycle = True
                break
            if owner not in waits:
                parts[-1] += f" held by {name(owner)}{at(owner)}"
                break
            parts[-1] += f" held by {name(owner)}{at(owner)}"
            parts.append(f"which waits for {waits[owner][0]}")
            seen.append(owner)
            ident = owner
        candidate = (cycle, len(seen), ", ".join(parts))
        if candidate[:2] > best[:2]:
            best = candidate
    cycle, _, text = best
    if cycle:
        return f"Deadlock: {text}.\nEach waits for the other: take the locks in one global order (for example by id)."
    return text + "."
