"""Benchmark (b): `grader batch` over synthetic submissions: throughput, CPU use, grader memory.

Builds N submissions (default 40) from the course itself: reference solutions, stubs, mutants
(each overlaid on its topic's solution) and a few that deadlock or leak processes, then runs
`grader batch` with --jobs 1 and --jobs <cores>, sampling the grader's memory.

    python bench/batch_throughput.py [--students 40] [--jobs 1,2] [--topics 02_ipc,08_deadlock,14_asyncio]

The default grades three topics per submission (a mix of process, thread and asyncio tests) so
the run takes minutes; --topics all grades the whole course.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import course as course_model  # noqa: E402
from grader.authoring import validate  # noqa: E402
from grader.grading.grader import default_jobs  # noqa: E402

DEADLOCK = "\n\nimport threading as _t\n_L = _t.Lock()\n_L.acquire()\n\n\ndef _hang(*a, **k):\n    _L.acquire()\n"
LEAK = ("\n\nimport subprocess as _sp, sys as _sys\n_sp.Popen([_sys.executable, '-c', "
        "'import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\ntime.sleep(600)'], "
        "start_new_session=True)\n")


def build(out: Path, n: int, topic_ids: list[str]) -> dict[str, int]:
    course = course_model.load(ROOT / "course.yml")
    chosen = [t for t in course.topics if t.id in topic_ids]
    kinds = {"solution": 0, "stub": 0, "mutant": 0, "deadlock": 0, "leak": 0}
    mutants = [c for c in validate.candidates(course, chosen) if c.kind == "mutant"]
    plan = itertools.cycle(["solution", "stub", "mutant", "mutant", "deadlock", "mutant", "leak", "mutant"])
    mutant_iter = itertools.cycle(mutants)
    for i in range(n):
        kind = next(plan)
        kinds[kind] += 1
        sub = out / f"student{i:03d}"
        src = "exercises" if kind == "stub" else "solutions"
        for topic in chosen:
            (sub / topic.folder).mkdir(parents=True)
            shutil.copy(ROOT / src / topic.folder / topic.module_file, sub / topic.folder / topic.module_file)
        if kind == "mutant":
            m = next(mutant_iter)
            (sub / m.topic.folder / m.topic.module_file).write_text(validate.module_text(course, m))
        elif kind in ("deadlock", "leak"):
            topic = chosen[i % len(chosen)]
            path = sub / topic.folder / topic.module_file
            if kind == "leak":
                path.write_text(path.read_text() + LEAK)
            else:
                # The topic's first exercise hangs on a lock nobody releases (every test of it
                # then costs its bounded wait or its timeout; the other exercises are graded).
                text = path.read_text() + DEADLOCK
                text += f"\n{topic.exercises[0].name} = _hang\n"
                path.write_text(text)
    return kinds


def run_batch(subs: Path, out: Path, jobs: int, topic_ids: list[str]) -> tuple[float, float, float]:
    start = time.perf_counter()
    topics = [arg for t in topic_ids for arg in ("--topic", t)]
    proc = psutil.Popen([sys.executable, "-m", "grader", "batch", str(subs), "--out", str(out), "--quiet",
                         "--jobs", str(jobs), *topics], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    cpu_before = psutil.cpu_times()
    while proc.poll() is None:
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    wall = time.perf_counter() - start
    cpu_after = psutil.cpu_times()
    busy = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    if proc.returncode != 0:
        raise SystemExit(f"batch failed: {proc.stderr.read().decode()[-500:]}")
    return wall, busy / (wall * psutil.cpu_count()), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", default=f"1,{default_jobs()}")
    parser.add_argument("--topics", default="02_ipc,08_deadlock,14_asyncio")
    args = parser.parse_args()
    course = course_model.load(ROOT / "course.yml")
    topic_ids = [t.id for t in course.topics] if args.topics == "all" else args.topics.split(",")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        subs = Path(tmp) / "subs"
        kinds = build(subs, args.students, topic_ids)
        print(f"submissions: {args.students} ({', '.join(f'{k} {v}' for k, v in kinds.items())}); "
              f"topics: {', '.join(topic_ids)}; cores: {default_jobs()}")
        print(f"{'jobs':>4}  {'wall s':>8}  {'subs/min':>8}  {'CPU use':>7}  {'grader peak MiB':>15}")
        for jobs in (int(j) for j in args.jobs.split(",")):
            out = Path(tmp) / f"out{jobs}"
            wall, cpu, peak = run_batch(subs, out, jobs, topic_ids)
            print(f"{jobs:>4}  {wall:>8.1f}  {args.students / wall * 60:>8.1f}  {cpu:>6.0%}  {peak:>15.1f}")


if __name__ == "__main__":
    main()
