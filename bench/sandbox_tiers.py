"""Benchmark (d): what each sandbox tier costs, per run and per graded topic.

Part 1 starts a trivial command (`python -I -S -c pass`) N times in each tier that works here and
prints the median and 90th percentile wall time of a whole run (supervisor, namespaces, uid and
cgroup set-up, teardown) next to a bare subprocess. Part 2 grades the reference solutions of a few
topics in each tier, so the figure covers real hidden tests.

    python bench/sandbox_tiers.py [--runs 30] [--topics 01_processes,07_locks_races,14_asyncio]

Quiet machines only: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course as course_model  # noqa: E402
from grader.grading.grader import Grader  # noqa: E402
from grader.sandbox.linux import LinuxSandbox  # noqa: E402
from grader.sandbox.portable import Sandbox, clean_env  # noqa: E402


def tiers() -> dict[str, object]:
    found: dict[str, object] = {"portable": Sandbox()}
    linux, why = LinuxSandbox.create() if sys.platform.startswith("linux") else (None, "not Linux")
    if linux is not None:
        found["linux"] = linux
    else:
        print(f"linux tier: not measured ({why})")
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def trivial_runs(runs: int) -> None:
    argv = [sys.executable, "-I", "-S", "-c", "pass"]
    with tempfile.TemporaryDirectory(prefix="bench-tiers-") as work:
        env = clean_env(work, work, "bench")
        rows = {"bare subprocess": []}
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, cwd=work, env=env, check=True)
            rows["bare subprocess"].append(time.perf_counter() - start)
        for name, sandbox in tiers().items():
            rows[name] = []
            for _ in range(runs):
                start = time.perf_counter()
                outcome = sandbox.run(argv, cwd=work, env=env)
                rows[name].append(time.perf_counter() - start)
                assert outcome.returncode == 0, outcome
    print(f"\none trivial run ({runs} runs each): median / p90")
    for name, values in rows.items():
        print(f"  {name:16s} {statistics.median(values) * 1000:7.1f} ms / {percentile(values, 0.9) * 1000:7.1f} ms")


def graded_topics(topic_ids: list[str]) -> None:
    course = course_model.load(ROOT / "course.yml")
    print(f"\ngrading the reference solutions of {', '.join(topic_ids)}")
    for name, sandbox in tiers().items():
        grader = Grader(course, sandbox=sandbox, jobs=1)
        start = time.perf_counter()
        result = grader.grade(ROOT / "solutions", topic_ids)
        elapsed = time.perf_counter() - start
        tests = sum(len(t.tests) for t in result.topics)
        assert result.score == result.max_score, f"{name}: {result.score}/{result.max_score}"
        print(f"  {name:16s} {elapsed:6.1f} s for {tests} tests ({result.score:g}/{result.max_score:g})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--topics", default="01_processes,07_locks_races,14_asyncio")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, uid {os.geteuid()}")
    trivial_runs(args.runs)
    graded_topics(args.topics.split(","))


if __name__ == "__main__":
    main()
