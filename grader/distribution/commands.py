"""``grader release``, ``grader nbgrader`` and ``grader gradescope``: shipping the course."""

from __future__ import annotations

import argparse

from grader.errors import GraderError
from grader.grading.commands import load


def release(args: argparse.Namespace) -> int:
    from grader.authoring import sync
    from grader.distribution import release as student_repo

    course = load(args)
    drifts = sync.check(course)
    if drifts:
        raise GraderError(f"{drifts[0].stub} {drifts[0].reason}; run `grader sync` first")
    lang = getattr(args, "lang", None) or "en"
    written = student_repo.build(course, args.out, force=args.force, lang=lang)
    print(f"release: wrote {len(written)} files to {args.out}" + (f" ({lang})" if lang != "en" else ""))
    return 0


def nbgrader(args: argparse.Namespace) -> int:
    from grader.distribution import nbgrader_course

    course = load(args)
    written = nbgrader_course.build(course, args.out, force=args.force)
    print(f"nbgrader: wrote {len(written)} files to {args.out}; next: cd {args.out} && "
          f"nbgrader generate_assignment <topic id>")
    return 0


def gradescope(args: argparse.Namespace) -> int:
    from grader.distribution import gradescope as autograder

    course = load(args)
    lang = getattr(args, "lang", None) or "en"
    files = autograder.build(course, args.zip, visibility=args.visibility, lang=lang)
    print(f"gradescope: wrote {args.zip} ({files} files, test visibility {args.visibility}, feedback in {lang}); "
          "upload it as the autograder of a programming assignment")
    return 0
