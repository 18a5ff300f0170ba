"""The trusted entry point inside the sandbox: ``python -I -B -m grader.sandboxed.run_tests``.

Reads the nonce and closes its pipe before any student code can run, runs pytest with an explicit
configuration (``-c /dev/null``: no ini file of the submission counts; entry-point plugins are off
through PYTEST_DISABLE_PLUGIN_AUTOLOAD, so only the plugins named here load), and ends with
``os._exit``, so a leftover non-daemon thread or process cannot hang interpreter exit.

With ``--forensics-fd`` (the POSIX tiers) every process of the run answers a stack-dump request
and a test that times out sends a snapshot of its threads first (``grader.sandboxed.hangdump``).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from collections.abc import Callable

from grader.sandboxed.protocol import CONNECT, FORENSICS_FD, NONCE_FD, RECORD_FD, Event


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="grader.sandboxed.run_tests")
    parser.add_argument(NONCE_FD, type=int, help="pipe holding the run's nonce (POSIX sandbox)")
    parser.add_argument(RECORD_FD, type=int, help="pipe for the records (POSIX sandbox)")
    parser.add_argument(CONNECT, metavar="HOST:PORT", help="loopback socket for nonce and records (basic sandbox)")
    parser.add_argument(FORENSICS_FD, type=int, help="pipe for stack dumps of hung tests (POSIX sandbox)")
    parser.add_argument("--rootdir", required=True)
    parser.add_argument("--student-dir", required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--collect-only", action="store_true")
    parser.add_argument("--exitfirst", action="store_true", help="stop at the first failing test (validation)")
    parser.add_argument("tests", nargs="+")
    return parser.parse_args(argv)


def pytest_args(args: argparse.Namespace) -> list[str]:
    options = [
        "-c", os.devnull,
        "--rootdir", args.rootdir,
        "-p", "no:cacheprovider",
        "-p", "no:stepwise",
        "--import-mode=importlib",
        "-p", "pytest_timeout",
        "-p", "grader.probes.plugin",
        "--student-dir", args.student_dir,
        "--timeout", str(args.timeout),
        # signal fails just the hung test; where there is no SIGALRM (Windows) only the thread
        # method exists, which ends the process: the grader then scores the test as timed out.
        "--timeout-method", "signal" if hasattr(signal, "SIGALRM") else "thread",
        "--timeout-disable-debugger-detection",
        "-o", "filterwarnings=error::pytest.PytestUnhandledThreadExceptionWarning",
        "-q", "--tb=short", "-rN",
    ]
    if args.collect_only:
        options.append("--collect-only")
    if args.exitfirst:
        options.append("--exitfirst")
    return options + args.tests


def open_channel(args: argparse.Namespace) -> tuple[str, Callable[[bytes], None]]:
    """The nonce and a writer for records, before any student code can run."""
    if args.connect:
        host, port = args.connect.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=30)
        sock.settimeout(None)
        received = b""
        while not received.endswith(b"\n"):
            chunk = sock.recv(64)
            if not chunk:
                break
            received += chunk
        return received.decode().strip(), sock.sendall
    with os.fdopen(args.nonce_fd, "rb") as fh:
        nonce = fh.read().decode().strip()
    os.set_inheritable(args.record_fd, False)  # children that exec never see the channel
    fd = args.record_fd

    def write(data: bytes) -> None:
        while data:
            data = data[os.write(fd, data):]

    return nonce, write


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    nonce, write = open_channel(args)
    from grader.sandboxed import hangdump

    hangdump.install(args.forensics_fd)
    import pytest

    from grader.sandboxed.perturb import apply_from_env

    apply_from_env()

    from grader.sandboxed.reporter import Reporter

    reporter = Reporter(write, nonce)
    plugins = [reporter, hangdump.timeout_plugin(reporter.send, args.forensics_fd)]
    rc = 3
    try:
        rc = int(pytest.main(pytest_args(args), plugins=plugins))
    finally:
        try:
            reporter.send(Event.END, rc=rc)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(rc)


if __name__ == "__main__":
    main()
elif __name__ == "__mp_main__":
    # A spawned or forkserver child of the run re-imports this module under this name: have it
    # answer stack-dump requests like the runner and its forked children.
    from grader.sandboxed import hangdump as _hangdump

    _hangdump.install_from_env()
