"""Benchmark (e): what a student's `grader check TOPIC` costs over plain pytest on the same visible tests.

Both run the topic's visible tests against its reference solution: the grader through its
sandbox (`grader check TOPIC --path solutions`), pytest directly in a folder holding the module
and the visible test file. The two alternate, round after round, so a machine that slows down
for a while slows both. Both run in the environment a student's terminal has: variables that
look like credentials (which make the grader start itself again without them) are left out.
Also prints the CLI's start-up alone (`grader --version` and `grader hint`, which loads the
course) and the heaviest imports of `grader check`.
The target (issue 14) is check <= 1.5x plain pytest for a fast topic.

    python bench/cli_startup.py [--topic 01_processes] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def student_env() -> dict[str, str]:
    from grader.secret_env import secret_names

    secret = set(secret_names(os.environ))
    return {k: v for k, v in os.environ.items() if k not in secret}


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=student_env())
    return time.perf_counter() - start


def median(cmd: list[str], cwd: Path, repeat: int) -> float:
    return statistics.median(timed(cmd, cwd) for _ in range(repeat))


def heaviest_imports(topic: str) -> list[str]:
    proc = subprocess.run([PYTHON, "-X", "importtime", "-m", "grader", "check", topic, "--path", "solutions"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return [f"{us / 1000:7.1f} ms {name}" for us, name in sorted(rows, reverse=True)[:8]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topic", default="01_processes")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from grader.course import load

    course = load(ROOT / "course.yml")
    topic = course.topic(args.topic)
    plains, checks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(course.solution(topic), work / topic.module_file)
        shutil.copy(course.visible_tests(topic), work / course.visible_tests(topic).name)
        for _ in range(args.repeat):
            plains.append(timed([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "."],
                                work))
            checks.append(timed([PYTHON, "-m", "grader", "check", args.topic, "--path", "solutions"], ROOT))
    plain, check = statistics.median(plains), statistics.median(checks)
    version = median([PYTHON, "-m", "grader", "--version"], ROOT, args.repeat)
    hint = median([PYTHON, "-m", "grader", "hint", topic.exercises[0].name, "--all"], ROOT, args.repeat)
    print(f"topic {args.topic}, median of {args.repeat}")
    print(f"  plain pytest on the visible tests   {plain:6.2f} s")
    print(f"  grader check (sandboxed)            {check:6.2f} s   {check / plain:.2f}x plain pytest (target 1.5x)")
    print(f"  grader --version (start-up)         {version:6.2f} s")
    print(f"  grader hint (start-up + course)     {hint:6.2f} s")
    print("heaviest imports of grader check (cumulative):")
    for row in heaviest_imports(args.topic):
        print("  " + row)


if __name__ == "__main__":
    main()
