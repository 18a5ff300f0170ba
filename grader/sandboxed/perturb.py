"""Inside the sandbox: apply the schedule perturbation the grader named (``grader validate --perturb``).

The choice is made on the host (``grader.authoring.perturb``) and arrives as JSON in
PERTURB_ENV; it is applied before pytest starts, so a seed reproduces a run exactly.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys

from grader.sandboxed.protocol import PERTURB_ENV


def apply_from_env() -> dict[str, object] | None:
    """Apply the perturbation named in the environment, if any; return what was applied."""
    raw = os.environ.get(PERTURB_ENV)
    if not raw:
        return None
    p = json.loads(raw)
    sys.setswitchinterval(float(p["switch_interval"]))
    if p["one_core"] and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    random.seed(p["seed"])
    if p["start_method"]:
        multiprocessing.set_start_method(p["start_method"], force=True)
    return dict(p)
