"""What an nbgrader grade cell calls: grade the notebook's module and return one exercise's points.

Student code never runs in the kernel: the solution cell only writes ``<module>.py`` with
``%%writefile``, and this function grades that file with the grader in a subprocess (the sandbox,
per-test timeouts, whole-tree kill). So multiprocessing under spawn, gevent patching and hangs
cannot break the kernel. The topic is graded once; later grade cells read the cached result.
The value returned is the cell's partial credit, never above its points, shown to people as a
sentence ("add: 2 / 3 points", ``Points``); nothing is written to stderr (nbgrader scores a cell
that writes to stderr as 0).
"""

from __future__ import annotations

import hashlib
import html
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


class Points(float):
    """A grade cell's value: a number to nbgrader, a readable line to people.

    nbgrader reads partial credit from the ``text/plain`` of the cell's result, so that stays the
    bare number; Jupyter and nbgrader's feedback show the richer ``text/html``, a sentence.
    """

    line: str = ""

    def __new__(cls, value: float, line: str) -> Points:
        points = super().__new__(cls, value)
        points.line = line
        return points

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.line)}</pre>"


def exercise_score(topic: str, exercise: str, points: float, folder: str | Path = ".") -> Points:
    """Points earned by ``exercise`` of ``topic`` for the module in ``folder`` (the notebook's folder)."""
    course = settings.env("GRADER_COURSE")
    if not course:
        return Points(0.0, f"{exercise}: the hidden tests run when your instructor grades this notebook. To check "
                           "that your code runs, use Kernel > Restart & Run All (or nbgrader's Validate button).")
    result = _grade(topic, course, Path(folder).resolve())
    if "error" in result:
        return Points(0.0, f"{exercise}: could not be graded: {result['error']}")
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
    return Points(round(earned, 6), f"{exercise}: {earned:g} / {points:g} points")
