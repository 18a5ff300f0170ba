"""The basic sandbox for students' own machines, Windows included: portable calls only.

No supervisor, no rlimits, no pass_fds: the runner connects to a loopback socket, receives the
run's nonce and sends its records back; the outer deadline and the output budget work as in the
POSIX sandbox, and the process tree is killed with psutil (plus the process group on POSIX). A
process that detaches from the tree (setsid and double fork) can escape it: acceptable on a
student's own machine, never used for grading others' work. ``GRADER_SANDBOX=basic`` selects it on
POSIX too, which is how its tests run.
"""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import threading
import time
from typing import Callable, Mapping, Sequence

import psutil

from grader.sandbox import Outcome, _Capture


class SocketChannel:
    def __init__(self, nonce: str) -> None:
        self.nonce = nonce
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.args = ["--connect", f"127.0.0.1:{self.listener.getsockname()[1]}"]
        self.conn: socket.socket | None = None

    def close(self) -> None:
        for sock in (self.conn, self.listener):
            if sock is not None:
                sock.close()


class BasicSandbox:
    tier = "basic"

    def __init__(self, output_cap: int = 32 << 10, output_budget: int = 8 << 20) -> None:
        self.output_cap = output_cap
        self.output_budget = output_budget

    def channel(self, nonce: str) -> SocketChannel:
        return SocketChannel(nonce)

    def run(self, argv: Sequence[str], *, cwd: str, env: Mapping[str, str], channel: SocketChannel | None = None,
            on_record: Callable[[bytes], None] = lambda _data: None,
            deadline: Callable[[], float | None] = lambda: None, readable: Sequence[str] = ()) -> Outcome:
        group = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"
                 else {"start_new_session": True})
        try:
            proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **group)
        except OSError as exc:
            return Outcome(None, False, "", False, False, f"cannot start {argv[0]}: {exc}")
        capture = _Capture(self.output_cap)
        lock = threading.Lock()

        def pump() -> None:
            assert proc.stdout is not None
            for chunk in iter(lambda: proc.stdout.read1(65536), b""):  # type: ignore[union-attr]
                with lock:
                    capture.add(chunk)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        tree: set[int] = set()
        killed = flooded = False
        sel = selectors.DefaultSelector()
        if channel is not None:
            sel.register(channel.listener, selectors.EVENT_READ)
        exited_at: float | None = None
        last_scan = 0.0
        try:
            while True:
                now = time.monotonic()
                if now - last_scan > 0.2:
                    tree |= _descendants(proc.pid)
                    last_scan = now
                if proc.poll() is not None:
                    exited_at = exited_at or now
                    if channel is None or channel.conn is None or now - exited_at > 1.0:
                        break
                limit = deadline()
                with lock:
                    over = capture.total > self.output_budget
                if not killed and ((limit is not None and now >= limit) or over):
                    killed, flooded = True, over
                    _kill(proc, tree)
                for key, _ in sel.select(timeout=0.05) if sel.get_map() else ():
                    if channel is not None and key.fileobj is channel.listener:
                        conn, _addr = channel.listener.accept()
                        conn.setblocking(True)
                        conn.sendall(channel.nonce.encode() + b"\n")
                        channel.conn = conn
                        sel.unregister(channel.listener)  # one connection: the runner's, made first
                        sel.register(conn, selectors.EVENT_READ)
                    else:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if data:
                            on_record(data)
                        else:
                            sel.unregister(key.fileobj)
                if not sel.get_map() and proc.poll() is not None:
                    break
                if not sel.get_map():
                    time.sleep(0.02)
        finally:
            sel.close()
            _kill(proc, tree | _descendants(proc.pid))
            proc.wait()
            reader.join(1.0)
        with lock:
            return Outcome(proc.returncode, killed, capture.text(), capture.total > 2 * self.output_cap, flooded)


def _descendants(pid: int) -> set[int]:
    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return set()


def _kill(proc: subprocess.Popen, tree: set[int]) -> None:
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
