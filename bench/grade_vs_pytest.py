"""Benchmark (a): `grader grade solutions` against plain `pytest -n <cores>` over the same hidden tests.

Prints wall times, their ratio, and the limit: the sum of the tests' own durations (as pytest
measured them inside the sandbox) divided by the cores. The grader's target is within 1.2x of
that limit; plain pytest is shown for scale (it runs with none of the grader's isolation).

    python bench/grade_vs_pytest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course as course_model  # noqa: E402
from grader.grading.grader import default_jobs  # noqa: E402


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = default_jobs()
    course = course_model.load(ROOT / "course.yml")
    student_dirs = [str(ROOT / "solutions" / t.folder) for t in course.topics]
    hidden = [str(ROOT / t.hidden) for t in course.topics]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(student_dirs), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    rows = []
    for run in range(args.repeat):
        grade_s, proc = timed([sys.executable, "-m", "grader", "grade", "solutions", "--format", "json"])
        result = json.loads(proc.stdout)
        in_test = sum(t["duration_s"] for topic in result["topics"] for t in topic["tests"])
        pytest_s, pproc = timed([sys.executable, "-m", "pytest", "-c", os.devnull, "--rootdir", str(ROOT / "tests/hidden"),
                                 "-p", "no:cacheprovider", "--import-mode=importlib", "-p", "pytest_timeout",
                                 "-p", "xdist.plugin", "-p", "grader.probes.plugin", "-n", str(cores), "-q",
                                 "--timeout", "60", *hidden], env)
        tail = pproc.stdout.strip().splitlines()[-1] if pproc.stdout.strip() else pproc.stderr[-200:]
        rows.append((run + 1, grade_s, pytest_s, in_test / cores, result["score"] == result["max_score"], tail))
    print(f"cores: {cores}   topics: {len(course.topics)}   tests: "
          f"{sum(len(t['tests']) for t in result['topics'])}")
    print(f"{'run':>3}  {'grader s':>9}  {'pytest -n s':>11}  {'limit s':>8}  {'grader/limit':>12}  "
          f"{'grader/pytest':>13}  full marks  pytest says")
    for run, g, p, limit, full, tail in rows:
        print(f"{run:>3}  {g:>9.1f}  {p:>11.1f}  {limit:>8.1f}  {g / limit:>12.2f}  {g / p:>13.2f}  {str(full):>10}  {tail}")


if __name__ == "__main__":
    main()
