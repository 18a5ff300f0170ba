"""``grader grade``, ``grader batch`` and ``grader merge``: what the CLI dispatches to."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter

from grader.course import Course
from grader.course import find as find_course
from grader.course import load as load_course
from grader.grading import freshness
from grader.report import outputs
from grader.report.formats import render
from grader.report.safe import one_line


def load(args: argparse.Namespace) -> Course:
    return load_course(find_course(args.course))


def grade(args: argparse.Namespace) -> int:
    from grader.grading import archives
    from grader.grading.grader import Grader

    course = load(args)
    basis = freshness.current(course, course.select(args.topics))  # an unknown topic: a usage error now
    with archives.unpacked(args.submission) as submission:  # a .zip or .tar.gz: extracted as batch does
        result = Grader(course, jobs=args.jobs).grade(submission, args.topics)
    if args.github:
        files = {t.id: course.stub(t).relative_to(course.root).as_posix() for t in course.topics}
        outputs.write_github(result, files, render(result, "table"))
    if not (args.github and args.out is None and args.format == "table"):  # --github printed the table
        outputs.emit(args.out, args.format, lambda color: render(result, "table", color=color),
                     lambda: freshness.render(result, basis) if args.format == "json" else
                     render(result, args.format, visibility=args.visibility))
    if args.fail_under is not None:
        floor = result.max_score if args.fail_under == "full" else float(args.fail_under)
        if result.score < floor - 1e-9:
            print(f"grader: score {result.score:g} is below --fail-under {args.fail_under} "
                  f"({floor:g} of {result.max_score:g})", file=sys.stderr)
            return 1
    return 0


def batch(args: argparse.Namespace) -> int:
    from grader.grading import batch as batching
    from grader.grading.grader import Grader
    from grader.report.progress import batch_progress

    course = load(args)
    topics = course.select(args.topics) if args.topics else None
    students = batching.discover(args.submissions)
    if args.shard:
        k, n = batching.parse_shard(args.shard)
        students = [s for s in students if batching.in_shard(s.name, k, n)]
    grader = Grader(course, jobs=args.jobs)
    runner = batching.Batch(grader, args.out, topics=topics)
    todo = runner.plan(students, force=args.force)
    with batch_progress(len(todo), quiet=args.quiet) as on_event:
        runner.on_event = on_event
        graded = runner.run([s for s in students if s.name in todo])
    results = batching.load_results([args.out])
    outputs.write_batch_reports(args.out, {s.name: results[s.name] for s in students if s.name in results})
    for name, why in runner.unwritten:
        print(f"grader: warning: no result written for {one_line(name, 100)!r}: {why}", file=sys.stderr)
    skipped = len(students) - len(graded)
    print(f"batch: graded {len(graded)}{_regraded(todo)}, kept {skipped} earlier result(s), {len(students)} "
          f"student(s) in {args.out}", file=sys.stderr)
    return 0


def _regraded(todo: dict[str, str]) -> str:
    """`` (2 regraded: 1 course.yml changed, 1 not a valid result file)``: the students whose
    stored result no longer stood, by why (new students and ``--force`` are not regrades)."""
    reasons = Counter(why for why in todo.values() if why not in ("new", "forced"))
    if not reasons:
        return ""
    return f" ({sum(reasons.values())} regraded: {', '.join(f'{n} {why}' for why, n in sorted(reasons.items()))})"


def merge(args: argparse.Namespace) -> int:
    from grader.grading import batch as batching

    results = batching.load_results(args.folders, allow_mixed=args.allow_mixed)
    args.out.mkdir(parents=True, exist_ok=True)
    for folder in args.folders:
        for path in folder.glob("*.json"):
            if not path.name.startswith(".") and path.resolve().parent != args.out.resolve():
                shutil.copyfile(path, args.out / path.name)
    outputs.write_batch_reports(args.out, results)
    print(f"merge: {len(results)} student(s) from {len(args.folders)} folder(s) into {args.out}", file=sys.stderr)
    return 0
