"""``grader validate`` and ``grader sync``: the course author's commands."""

from __future__ import annotations

import argparse
import json
import sys

from grader.errors import GraderError
from grader.grading.commands import load
from grader.report import outputs


def validate(args: argparse.Namespace) -> int:
    from grader.authoring import validate as validation
    from grader.grading.grader import Grader
    from grader.report import validation as listing
    from grader.report.progress import validate_progress

    if args.format not in listing.FORMATS:
        raise GraderError(f"validate writes {', '.join(listing.FORMATS)}, not {args.format}")
    course = load(args)
    topics = course.select(args.topics)
    with validate_progress() as on_progress:
        verdicts, problems = validation.validate(
            course, Grader(course, jobs=args.jobs), topics, args.repeat, perturb=args.perturb, seed=args.seed,
            only=args.only, record_durations=args.record_durations, on_progress=on_progress)
    from grader.authoring import i18n_lint

    notes = i18n_lint.problems_and_notes(course)[1]  # "not translated yet": never a problem
    report = validation.report(verdicts, problems, args.repeat, notes)
    data = (lambda: listing.render_junit(report)) if args.format == "junit" else \
        (lambda: json.dumps(report.as_dict(), indent=2) + "\n")
    outputs.emit(args.out, args.format, lambda _color: listing.render(report), data)
    return 0 if report.ok else 1


def sync(args: argparse.Namespace) -> int:
    from grader.authoring import sync as stubs

    course = load(args)
    if args.check:
        drifts = stubs.check(course)
        for drift in drifts:
            print(f"{drift.stub}: {drift.reason} (run `grader sync`)", file=sys.stderr)
        if not drifts:
            print(f"sync: {len(course.topics)} stubs match their solutions")
        return 1 if drifts else 0
    written = stubs.write(course)
    for path in written:
        print(f"wrote {path}")
    print(f"sync: {len(written)} stub(s) written, {len(course.topics) - len(written)} already up to date")
    return 0
