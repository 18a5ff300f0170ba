"""Run cosmic-ray over the reference solutions, graded by the hidden tests.

    python mutation/run.py 04_pool              # one topic (all of its mutants)
    python mutation/run.py --sample 30 04_pool  # 30 mutants drawn at random (a quick estimate)
    python mutation/run.py                      # every topic: hours, never part of CI

Each topic runs in a scratch copy of the course, so solutions/ is never touched while cosmic-ray
rewrites the module. Only mutations inside the ``### BEGIN/END SOLUTION`` regions are tested: that
is the code a student writes; the rest of the module (docstrings, constants, given helpers) is the
course's. A mutant is killed when ``grader grade --fail-under full`` exits non-zero (the hidden
tests took points), or when it times out. The session database is kept in mutation/sessions/
(not committed); ``python mutation/report.py`` turns the sessions into the per-topic figures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from cosmic_ray.config import load_config
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SESSIONS = HERE / "sessions"
COPIED = ("course.yml", "solutions", "exercises", "tests/hidden")


def solution_lines(module: Path) -> set[int]:
    """Line numbers (1-based) strictly between ``### BEGIN SOLUTION`` and ``### END SOLUTION``."""
    inside, lines = False, set()
    for number, text in enumerate(module.read_text(encoding="utf-8").splitlines(), start=1):
        marker = text.strip()
        if marker == "### BEGIN SOLUTION":
            inside = True
        elif marker == "### END SOLUTION":
            inside = False
        elif inside:
            lines.add(number)
    return lines


def skip(db: WorkDB, job_id: str, why: str) -> None:
    db.set_result(job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why))


def prepare(db: WorkDB, module: Path, sample: int | None, seed: int) -> int:
    """Skip the mutations outside solution regions (and, with ``sample``, all but a random few)."""
    wanted = solution_lines(module)
    kept = []
    for item in db.pending_work_items:
        if all(m.start_pos[0] in wanted for m in item.mutations):
            kept.append(item.job_id)
        else:
            skip(db, item.job_id, "outside the solution region")
    kept.sort()
    if sample is not None and sample < len(kept):
        chosen = set(random.Random(seed).sample(kept, sample))
        for job_id in kept:
            if job_id not in chosen:
                skip(db, job_id, "not in the sample")
        kept = sorted(chosen)
    return len(kept)


def run_topic(topic: str, sample: int | None, seed: int, env: dict[str, str]) -> None:
    config = HERE / f"{topic}.toml"
    if not config.is_file():
        sys.exit(f"mutation/run.py: no session configuration {config.relative_to(ROOT)}")
    settings = load_config(str(config))
    SESSIONS.mkdir(exist_ok=True)
    session = SESSIONS / f"{topic}.sqlite"
    with tempfile.TemporaryDirectory(prefix=f"mutation-{topic}-") as scratch:
        work = Path(scratch)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, work / name)
        shutil.copy2(config, work / "session.toml")
        baseline = subprocess.run(settings.test_command, shell=True, cwd=work, env=env)
        if baseline.returncode != 0:
            sys.exit(f"mutation/run.py: {topic}: the unmutated solution does not get full marks; fix that first")
        db_path = work / "session.sqlite"
        subprocess.run(["cosmic-ray", "init", "session.toml", "session.sqlite"], cwd=work, env=env, check=True)
        with use_db(str(db_path), WorkDB.Mode.open) as db:
            count = prepare(db, work / settings["module-path"], sample, seed)
        print(f"{topic}: {count} mutants to grade", flush=True)
        subprocess.run(["cosmic-ray", "exec", "session.toml", "session.sqlite"], cwd=work, env=env, check=True)
        shutil.copy2(db_path, session)
    print(f"{topic}: session saved to {session.relative_to(ROOT)}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topics", nargs="*", help="topic ids (default: every topic with a configuration)")
    parser.add_argument("--sample", type=int, help="grade only this many mutants per topic, drawn at random")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default: 0)")
    args = parser.parse_args(argv)
    topics = args.topics or sorted(path.stem for path in HERE.glob("*.toml"))
    # cosmic-ray and grader must be the ones installed beside this interpreter.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for topic in topics:
        run_topic(topic, args.sample, args.seed, env)


if __name__ == "__main__":
    main()
