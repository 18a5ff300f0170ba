"""The child subreaper: runs one command with rlimits, then kills and reaps its whole tree.

Started by ``grader.sandbox.portable`` as a script (stdlib and this package's stdlib-only
protocol and process-table modules) in its own session. It makes
itself a child subreaper (Linux), so every process the command leaves behind, even one that
double-forked and called ``setsid``, is re-parented here and can be killed and reaped. It runs
the command in a new process group with rlimits set between fork and exec, waits for it to exit
or for a kill request, then kills every descendant, round after round until none is left (a
process that keeps re-forking cannot outrun it), and reports one JSON line.

Protocol: argv[1] is a JSON spec ``{argv, cwd, env, limits, pass_fds, out_fd}`` with optional
``cgroup_procs`` (``cgroup.procs`` files the command joins before it starts: the Linux tier's
per-run cgroups) and ``forensics_fd`` (one of ``pass_fds``: the hang-forensics pipe); fd 0 is the
control pipe (``k`` or EOF = kill now: EOF also means the grader died; ``d`` = dump every
process's stacks first, then kill); fd 1 receives the status line ``{"rc", "killed", "leftovers",
"error", "dumped"}``. The command's stdout and stderr go to ``out_fd``.

The dump (``grader.sandboxed.protocol``): every descendant that has a handler for DUMP_SIGNAL (the sandboxed runner registers
``faulthandler`` for it, and its children inherit or re-register it) gets the signal in turn,
after a header line on the forensics pipe naming it, so each process's all-threads traceback
lands in one piece. Processes without a handler are never signalled (the default action kills).
"""

import json
import os
import select
import signal
import subprocess
import sys
import time

from grader.sandbox import proctable
from grader.sandboxed.protocol import DUMP_SIGNAL, dump_header, dump_signal_bit

PR_SET_CHILD_SUBREAPER = 36
CONTROL_KILL = b"k"
"""On the control pipe (fd 0): kill the tree now (so does EOF: the grader died)."""
CONTROL_DUMP = b"d"
"""On the control pipe: ask every process for its stacks, then kill the tree."""
DUMP_PAUSE = 0.05
"""After a process took the signal: time for its handler to write (it writes at once, in C)."""
DUMP_WAIT = 1.0
"""Longest wait for one process to take the signal (a loaded machine may not schedule it at once)."""
DUMP_BUDGET = 2.5


def set_subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def apply_limits(limits, cgroup_procs=()):
    """Runs in the child between fork and exec: its own process group, its cgroups, the rlimits.

    It also gives the run a terminal's signal dispositions: a grader started as a background job
    (SIGINT, SIGQUIT) or under nohup (SIGHUP) has them ignored, an ignored signal stays ignored
    across exec, and Python then never raises KeyboardInterrupt. The verdict must not depend on
    how the grader was started.
    """
    import resource

    os.setpgid(0, 0)
    for name in ("SIGINT", "SIGQUIT", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    for path in cgroup_procs:
        # Failing here fails the start: a run must never go ahead outside its cgroup.
        with open(path, "w") as fh:
            fh.write(str(os.getpid()))
    table = {
        "cpu": resource.RLIMIT_CPU,
        "data": resource.RLIMIT_DATA,
        "fsize": resource.RLIMIT_FSIZE,
        "nofile": resource.RLIMIT_NOFILE,
        "core": resource.RLIMIT_CORE,
    }
    if hasattr(resource, "RLIMIT_NPROC"):
        table["nproc"] = resource.RLIMIT_NPROC
    for name, value in limits.items():
        if value is None or name not in table:
            continue
        soft, hard = resource.getrlimit(table[name])
        # Never raise a limit, only lower it; CPU gets a hard limit one second above the soft
        # one, so SIGXCPU comes first and SIGKILL follows if the student catches it.
        new_hard = value + 1 if name == "cpu" else value
        if hard != resource.RLIM_INFINITY:
            new_hard = min(new_hard, hard)
        resource.setrlimit(table[name], (min(value, new_hard), new_hard))


def descendants(root):
    """Live (non-zombie) descendants of ``root`` and its zombie children."""
    procs = proctable.table()
    if procs is None:
        try:
            import psutil

            kids = psutil.Process(root).children(recursive=True)
            return [p.pid for p in kids], []
        except Exception:  # noqa: BLE001 - best effort where there is no /proc
            return [], []
    return proctable.descendants(root, procs)


def dump_stacks(forensics_fd):
    """Ask every descendant that handles DUMP_SIGNAL for its stacks, one at a time; return how many."""
    if forensics_fd is None or DUMP_SIGNAL is None or proctable.table() is None:
        return 0
    started, dumped = time.monotonic(), 0
    live, _ = descendants(os.getpid())
    bit = dump_signal_bit()
    for pid in sorted(live):
        if time.monotonic() - started > DUMP_BUDGET:
            break
        fields = proctable.status(pid)
        caught = proctable.signal_mask(fields, "SigCgt")
        if caught < 0 or not caught & bit:
            continue
        # Name it as the student sees it: its pid inside the sandbox's PID namespace.
        inner = fields.get("NSpid", str(pid)).split()[-1]
        parent = proctable.status(fields.get("PPid", "0")).get("NSpid", fields.get("PPid", "?")).split()
        try:
            os.write(forensics_fd, dump_header(inner, parent[-1] if parent else "?", fields.get("Name", "?")))
            os.kill(pid, DUMP_SIGNAL)
        except OSError:
            continue
        dumped += 1
        _wait_taken(pid, bit, started)
    return dumped


def _wait_taken(pid, bit, started):
    """One process at a time, or dumps interleave under the wrong header: wait until the signal
    is no longer pending (taken), then give the handler a moment to write."""
    waited = time.monotonic()
    while time.monotonic() - waited < DUMP_WAIT and time.monotonic() - started < DUMP_BUDGET:
        # Empty once the process is gone: nothing pending.
        pending = proctable.signal_mask(proctable.status(pid), "SigPnd", "ShdPnd")
        if pending < 0 or not pending & bit:
            break
        time.sleep(0.01)
    time.sleep(DUMP_PAUSE)


def kill_tree(proc):
    """Kill the command's group and every descendant until none is left; return how many were live."""
    me = os.getpid()
    first = None
    for _round in range(500):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        live, zombies = descendants(me)
        if first is None:
            first = len([p for p in live if p != proc.pid])
        for pid in live:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in zombies:
            if pid != proc.pid:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass
        proc.poll()
        # Done only after a scan that found nothing at all: a zombie seen in this scan may have
        # forked just before it died, after /proc was listed (a re-forking hydra does exactly
        # that), and its child shows up only in the next scan.
        if not live and not [pid for pid in zombies if pid != proc.pid] and proc.returncode is not None:
            break
        time.sleep(0.005 if _round < 20 else 0.05)
    return first or 0


def _exit_fd(pid):
    """A file descriptor that becomes readable when ``pid`` exits, or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def main():
    spec = json.loads(sys.argv[1])
    status: dict[str, object] = {"rc": None, "killed": False, "leftovers": 0, "error": None, "dumped": 0}
    set_subreaper()
    out_fd = spec["out_fd"]
    forensics_fd = spec.get("forensics_fd")
    if forensics_fd is not None:
        forensics_fd = os.dup(forensics_fd)  # our own copy, for the headers of a dump
    cgroup_procs = spec.get("cgroup_procs") or []
    try:
        proc = subprocess.Popen(
            spec["argv"],
            cwd=spec["cwd"],
            env=spec["env"],
            stdin=subprocess.DEVNULL,
            stdout=out_fd,
            stderr=out_fd,
            pass_fds=tuple(spec["pass_fds"]),
            preexec_fn=lambda: apply_limits(spec["limits"], cgroup_procs),
        )
    except (OSError, subprocess.SubprocessError) as exc:
        status["error"] = f"cannot start {spec['argv'][0]}: {exc}"
        os.write(1, (json.dumps(status) + "\n").encode())
        return
    # Our copies of the command's pipes must go, so the grader sees EOF when the tree is gone.
    for fd in set(spec["pass_fds"]) | {out_fd}:
        try:
            os.close(fd)
        except OSError:
            pass
    exited = _exit_fd(proc.pid)
    while proc.poll() is None:
        # Woken by the command's exit where the kernel has pidfds (Linux 5.3), else every 20 ms.
        readable, _, _ = select.select([0] if exited is None else [0, exited], [], [], 0.02 if exited is None else 1.0)
        if 0 in readable:
            data = os.read(0, 64)
            if CONTROL_DUMP in data:
                status["dumped"] = dump_stacks(forensics_fd)
            if not data or CONTROL_KILL in data or CONTROL_DUMP in data:
                status["killed"] = True
                break
    for fd in (forensics_fd, exited):
        if fd is not None:
            os.close(fd)
    status["leftovers"] = kill_tree(proc)
    status["rc"] = proc.returncode
    try:
        os.write(1, (json.dumps(status) + "\n").encode())
    except OSError:
        pass


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
