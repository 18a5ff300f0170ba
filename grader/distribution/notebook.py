"""What an nbgrader grade cell calls: grade the notebook's module and return one exercise's points.

Student code never runs in the kernel: the solution cell only writes ``<module>.py`` with
``%%writefile``, and this function grades that file with the grader in a subprocess (the sandbox,
per-test timeouts, whole-tree kill). So multiprocessing under spawn, gevent patching and hangs
cannot break the kernel. The topic is graded once; later grade cells read the cached result.
The value returned is the cell's partial credit, never above its points, and nothing is written
to stderr (nbgrader scores a cell that writes to stderr as 0).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from grader import settings

_COLOR_VARS = ("FORCE_COLOR", "CLICOLOR_FORCE", "PY_COLORS")


def _grade(topic: str, course: str, folder: Path) -> dict:
    module_hash = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.glob("*.py")))).hexdigest()[:16]
    cache = folder / f".grader-{topic}-{module_hash}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    env = {k: v for k, v in os.environ.items() if k not in _COLOR_VARS}
    env["NO_COLOR"] = "1"
    proc = subprocess.run([sys.executable, "-m", "grader", "--course", course, "grade", str(folder), "--topic", topic,
                           "--format", "json"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["the grader failed"])[-1]}
    result = json.loads(proc.stdout)
    cache.write_text(json.dumps(result))
    return result


def exercise_score(topic: str, exercise: str, points: float, folder: str | Path = ".") -> float:
    """Points earned by ``exercise`` of ``topic`` for the module in ``folder`` (the notebook's folder)."""
    course = settings.env("GRADER_COURSE")
    if not course:
        print(f"{exercise}: the hidden tests run when your instructor grades this notebook; "
              "run `grader check` to try the visible tests now.")
        return 0.0
    result = _grade(topic, course, Path(folder).resolve())
    if "error" in result:
        print(f"{exercise}: could not be graded: {result['error']}")
        return 0.0
    tests = [t for topic_result in result["topics"] for t in topic_result["tests"] if t["exercise"] == exercise]
    earned = min(float(points), sum(t["score"] for t in tests))
    for topic_result in result["topics"]:
        if topic_result["message"]:
            print(topic_result["message"])
    for test in tests:
        if test["status"] != "passed":
            first = test["message"].splitlines()[0] if test["message"] else ""
            print(f"{test['status'].upper()} {test['id']}: {first}")
            if test["hint"]:
                print(f"  hint: {test['hint']}")
    print(f"{exercise}: {earned:g} / {points:g} points")
    return round(earned, 6)
