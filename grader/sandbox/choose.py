"""Pick the sandbox tier for this machine (``GRADER_SANDBOX`` forces one)."""

from __future__ import annotations

import os
import sys

from grader import settings
from grader.errors import GraderError
from grader.sandbox.base import Sandbox

TIERS = ("linux", "portable", "basic")


def make_sandbox(practice: bool = False) -> Sandbox:
    """The Linux tier where its probe passes, else the portable tier (saying why in ``notes()``),
    else the basic one on Windows. A forced Linux tier that does not work here is a configuration
    error, not a silent fallback.

    ``practice`` is a student's check of their own code on their own machine: it needs the time
    limits and the whole-tree kill, not a guard against hostile code, so it takes the portable
    tier unless GRADER_SANDBOX names one. The Linux tier's trial run and namespaces would cost
    about 0.2 s of a 0.6 s check."""
    choice = settings.env("GRADER_SANDBOX").strip().lower()
    if choice and choice not in (*TIERS, "auto"):
        raise GraderError(f"GRADER_SANDBOX={choice!r}: expected one of {', '.join(TIERS)} (or unset)")
    if os.name != "posix" or choice == "basic":
        from grader.sandbox.basic import BasicSandbox

        return BasicSandbox()
    from grader.sandbox.portable import PortableSandbox

    if choice == "portable" or (practice and choice in ("", "auto")):
        return PortableSandbox()
    if not sys.platform.startswith("linux"):
        if choice == "linux":
            raise GraderError("GRADER_SANDBOX=linux needs Linux")
        return PortableSandbox()
    from grader.sandbox.linux import LinuxSandbox

    linux, why = LinuxSandbox.create()
    if linux is not None:
        return linux
    if choice == "linux":
        raise GraderError(f"GRADER_SANDBOX=linux, but the Linux sandbox does not work here: {why}")
    return PortableSandbox(fallback=why)
