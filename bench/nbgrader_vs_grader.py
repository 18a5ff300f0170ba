"""Benchmark (c): nbgrader autograde vs `grader batch` on the same submissions.

Builds the nbgrader course with `grader nbgrader`, makes N students' submissions per topic (the
source notebook, i.e. the reference solution), autogrades them with nbgrader's Python API (one
notebook at a time, as nbgrader works), and grades the same modules with `grader batch`.
Needs the nbgrader extra.

    python bench/nbgrader_vs_grader.py [--students 6] [--topics 04_pool,08_deadlock]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--topics", default="04_pool,08_deadlock")
    args = parser.parse_args()
    topics = args.topics.split(",")
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    os.environ["GRADER_COURSE"] = str(ROOT / "course.yml")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        nb = Path(tmp) / "nb"
        subprocess.run([sys.executable, "-m", "grader", "nbgrader", str(nb)], cwd=ROOT, check=True,
                       capture_output=True)
        cfg = Config()
        cfg.CourseDirectory.root = str(nb)
        cfg.CourseDirectory.course_id = "bench"
        cfg.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py",
                                      ".grader-*.json"]
        cfg.Execute.timeout = 1800
        cfg.Execute.raise_on_iopub_timeout = False
        api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
        subs = Path(tmp) / "subs"
        for topic in topics:
            assert api.generate_assignment(topic, force=True, create=True)["success"]
            source = nb / "source" / topic / f"{topic}.ipynb"
            module = json.loads(source.read_text())["cells"][1]["source"][0].split()[1]
            for i in range(args.students):
                target = nb / "submitted" / f"s{i:02d}" / topic / f"{topic}.ipynb"
                target.parent.mkdir(parents=True)
                shutil.copy(source, target)
                folder = subs / f"s{i:02d}" / topic
                folder.mkdir(parents=True)
                shutil.copy(ROOT / "solutions" / topic / module, folder / module)
        start = time.perf_counter()
        scores = []
        for topic in topics:
            for i in range(args.students):
                result = api.autograde(topic, f"s{i:02d}", force=True, create=True)
                assert result["success"], result["error"]
                scores.append(api.get_submission(topic, f"s{i:02d}")["score"])
        nb_s = time.perf_counter() - start
        start = time.perf_counter()
        env = {**os.environ}
        proc = subprocess.run([sys.executable, "-m", "grader", "batch", str(subs), "--out", str(Path(tmp) / "out"),
                               "--quiet", *sum((["--topic", t] for t in topics), [])], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        grader_s = time.perf_counter() - start
        n = len(topics) * args.students
        print(f"submissions: {args.students} students x {len(topics)} topics ({', '.join(topics)}) = {n} notebooks")
        print(f"{'tool':<22} {'total s':>8} {'s per notebook':>15}")
        print(f"{'nbgrader autograde':<22} {nb_s:>8.1f} {nb_s / n:>15.2f}   scores {sorted(set(scores))}")
        print(f"{'grader batch':<22} {grader_s:>8.1f} {grader_s / n:>15.2f}   {proc.stderr.strip().splitlines()[-1]}")
        print(f"speed-up: {nb_s / grader_s:.1f}x")


if __name__ == "__main__":
    main()
