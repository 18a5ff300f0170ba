"""The host <-> sandbox protocol, spelled once: both sides import this module (stdlib only).

The sandboxed runner (``grader.sandboxed``) writes one JSON record per line on a private channel,
each carrying the run's nonce; the grader (``grader.grading.records``) checks every record.
A hang is explained from stack dumps: the supervisor (or the runner) writes a header line on
the forensics pipe, then sends DUMP_SIGNAL, and the process's ``faulthandler`` writes its
threads' tracebacks after it.
"""

from __future__ import annotations

import json
import re
import signal
from enum import Enum
from typing import Any


class Event(str, Enum):
    """What a record on the result channel says."""

    COLLECTED = "collected"
    """Every test id pytest collected (``ids``)."""
    COLLECT_ERROR = "collect_error"
    """A file did not collect (``id``, ``message``)."""
    START = "start"
    """A test begins (``id``)."""
    FORENSICS = "forensics"
    """A snapshot of the test process when pytest-timeout fired (``id``, ``threads``, ``tasks``, ``waits``)."""
    RESULT = "result"
    """A test ended, teardown included (``id``, ``outcome``, ``message``, ``duration``)."""
    TAMPERED = "tampered"
    """The test machinery was replaced, or a failure reported as a pass (``id``, ``what``)."""
    END = "end"
    """pytest returned (``rc``), written by the entry point."""


class TestOutcome(str, Enum):
    """A test's outcome as the runner reports it (``skipped`` earns nothing on the host side)."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"

    __test__ = False  # not a pytest test class

    @classmethod
    def parse(cls, value: object) -> TestOutcome:
        try:
            return cls(str(value))
        except ValueError:
            return cls.ERROR


PYTEST_TIMEOUT = re.compile(r"Timeout \(>([0-9.]+)s\) from pytest-timeout\.?")
"""pytest-timeout's failure text: the one place a timeout is recognised in a message."""


def encode(nonce: str, event: Event | str, **fields: Any) -> bytes:
    """One record line. ``event`` may be given by name: code in the test process can call the
    reporter too (SECURITY.md: in-process forgery is flagged, not prevented), and a type check
    here would only pretend otherwise."""
    return (json.dumps({"nonce": nonce, "event": Event(event).value, **fields}) + "\n").encode()


def decode(line: bytes) -> dict[str, Any] | None:
    """A record as a dict, or None when the line is not a JSON object."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


# -- the sandboxed runner's command line (the channel's end inside the sandbox) ---------------

NONCE_FD = "--nonce-fd"
RECORD_FD = "--record-fd"
FORENSICS_FD = "--forensics-fd"
CONNECT = "--connect"
RUNNER_MODULE = "grader.sandboxed.run_tests"

# -- environment the grader sets for the sandboxed side -------------------------------------

RUN_MARKER_ENV = "GRADER_SANDBOX_RUN"
"""Set in every sandboxed run (to a part of its nonce), so escaped processes can be recognised."""
PERTURB_ENV = "GRADER_PERTURB"
"""A schedule perturbation (``grader validate --perturb``) as JSON, applied before pytest starts."""
FORENSICS_ENV = "GRADER_FORENSICS"
"""Set by the runner for its spawned children: where to write their stack dumps."""

# -- hang forensics ----------------------------------------------------------------------

DUMP_SIGNAL = signal.SIGRTMIN + 5 if hasattr(signal, "SIGRTMIN") else None
"""The signal the sandboxed runner's faulthandler answers with all threads' tracebacks."""
DUMP_HEADER = "\n@@grader-forensics pid={pid} ppid={ppid} name={name}\n"
_HEADER = re.compile(r"^@@grader-forensics pid=(\S+) ppid=(\S+) name=(.*)$")


def dump_header(pid: object, ppid: object, name: str) -> bytes:
    return DUMP_HEADER.format(pid=pid, ppid=ppid, name=name).encode()


def parse_header(line: str) -> tuple[str, str, str] | None:
    """``(pid, ppid, name)`` of a dump header line, or None."""
    match = _HEADER.match(line.strip())
    return (match.group(1), match.group(2), match.group(3)) if match else None


def dump_signal_bit() -> int:
    """The DUMP_SIGNAL bit in /proc/<pid>/status signal masks (0 where there is no such signal)."""
    return 1 << (int(DUMP_SIGNAL) - 1) if DUMP_SIGNAL is not None else 0
