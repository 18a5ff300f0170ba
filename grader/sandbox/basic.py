"""The basic tier, for students' own machines, Windows included: portable calls only.

No supervisor, no rlimits, no pass_fds: the runner connects to a loopback socket, receives the
run's nonce and sends its records back; the outer deadline and the output budget work as in the
POSIX tiers, and the process tree is killed with psutil (plus the process group on POSIX). A
process that detaches from the tree (setsid and double fork) can escape it: acceptable on a
student's own machine, never used for grading others' work. ``GRADER_SANDBOX=basic`` selects it on
POSIX too, which is how its tests run.
"""

from __future__ import annotations

import io
import os
import selectors
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import psutil

from grader.sandbox.base import Capture, Channel, Deadline, OnRecord, Outcome, Sandbox, stopping
from grader.sandboxed.protocol import CONNECT

SCAN_EVERY = 0.2
"""Seconds between scans of the process tree (a child that exits between scans is still killed
through its process group on POSIX)."""


class SocketChannel(Channel):
    def __init__(self, nonce: str) -> None:
        self.nonce = nonce
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.args = [CONNECT, f"127.0.0.1:{self.listener.getsockname()[1]}"]
        self.conn: socket.socket | None = None

    def accept(self) -> socket.socket:
        """Take the runner's connection (the first one) and hand it the nonce."""
        conn, _addr = self.listener.accept()
        conn.setblocking(True)
        conn.sendall(self.nonce.encode() + b"\n")
        self.conn = conn
        return conn

    def close(self) -> None:
        for sock in (self.conn, self.listener):
            if sock is not None:
                sock.close()


class BasicSandbox(Sandbox):
    tier = "basic"

    def channel(self, nonce: str) -> SocketChannel:
        return SocketChannel(nonce)

    def describe(self) -> str:
        return "a process tree killed with psutil, the grader's own uid; no rlimits, no namespaces, no cgroup"

    def run(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], channel: Channel | None = None,
            on_record: OnRecord = lambda _data: None, deadline: Deadline = lambda: None,
            readable: Sequence[str] = ()) -> Outcome:
        if channel is not None and not isinstance(channel, SocketChannel):
            raise TypeError(f"the basic tier needs a SocketChannel, not {type(channel).__name__}")
        if stopping():
            return Outcome.not_started("the grading was interrupted")
        group: dict[str, Any] = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"  # type: ignore[attr-defined]
                                 else {"start_new_session": True})
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **group)
        except OSError as exc:
            return Outcome.not_started(f"cannot start {argv[0]}: {exc}")
        return _BasicRun(self, proc, channel, on_record, deadline).follow()


class _BasicRun:
    def __init__(self, sandbox: BasicSandbox, proc: subprocess.Popen[bytes], channel: SocketChannel | None,
                 on_record: OnRecord, deadline: Deadline) -> None:
        self.sandbox, self.proc, self.channel = sandbox, proc, channel
        self.on_record, self.deadline = on_record, deadline
        self.capture = Capture(sandbox.output_cap)
        self.lock = threading.Lock()
        self.tree: set[int] = set()
        self.killed = self.flooded = False

    def _pump(self) -> None:
        out = self.proc.stdout
        assert isinstance(out, io.BufferedReader)
        for chunk in iter(lambda: out.read1(65536), b""):
            with self.lock:
                self.capture.add(chunk)

    def follow(self) -> Outcome:
        reader = threading.Thread(target=self._pump, daemon=True)
        reader.start()
        sel = selectors.DefaultSelector()
        if self.channel is not None:
            sel.register(self.channel.listener, selectors.EVENT_READ)
        try:
            self._loop(sel)
        finally:
            sel.close()
            _kill(self.proc, self.tree | _descendants(self.proc.pid))
            self.proc.wait()
            reader.join(1.0)
        with self.lock:
            return Outcome(self.proc.returncode, self.killed, self.capture.text(), self.capture.truncated,
                           self.flooded)

    def _loop(self, sel: selectors.BaseSelector) -> None:
        exited_at: float | None = None
        last_scan = 0.0
        while True:
            now = time.monotonic()
            if now - last_scan > SCAN_EVERY:
                self.tree |= _descendants(self.proc.pid)
                last_scan = now
            if self.proc.poll() is not None:
                exited_at = exited_at or now
                if self.channel is None or self.channel.conn is None or now - exited_at > 1.0 or stopping():
                    return
            self._enforce(now)
            for key, _ in sel.select(timeout=0.05) if sel.get_map() else ():
                self._read(sel, key.fileobj)
            if not sel.get_map():
                if self.proc.poll() is not None:
                    return
                time.sleep(0.02)

    def _enforce(self, now: float) -> None:
        limit = self.deadline()
        with self.lock:
            over = self.capture.total > self.sandbox.output_budget
        if not self.killed and ((limit is not None and now >= limit) or over or stopping()):
            self.killed, self.flooded = True, over
            _kill(self.proc, self.tree)

    def _read(self, sel: selectors.BaseSelector, source: Any) -> None:
        if self.channel is not None and source is self.channel.listener:
            sel.unregister(self.channel.listener)  # one connection: the runner's, made first
            sel.register(self.channel.accept(), selectors.EVENT_READ)
            return
        data = source.recv(65536)
        if data:
            self.on_record(data)
        else:
            sel.unregister(source)


def _descendants(pid: int) -> set[int]:
    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return set()


def _kill(proc: subprocess.Popen[bytes], tree: set[int]) -> None:
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for pid in tree | {proc.pid}:
        try:
            psutil.Process(pid).kill()
        except psutil.Error:
            pass
