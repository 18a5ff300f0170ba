"""``grader check``, ``watch``, ``hint`` and ``status``: the student's commands."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from grader import settings
from grader.errors import GraderError
from grader.grading.commands import load
from grader.report import outputs

if TYPE_CHECKING:
    from grader.course import Course
    from grader.result import GradeResult


def check(args: argparse.Namespace) -> int:
    from grader.grading.steps import Suite
    from grader.report.formats import render
    from grader.student import progress
    from grader.student.running import ProgressGrader, topic_progress

    course = load(args)
    topics = [args.topic] if args.topic else None
    selected = course.select(topics)
    folder = args.path or course.exercises_dir
    # The report's renderer (rich) is imported while the tests run, not after them.
    threading.Thread(target=importlib.import_module, args=("grader.report.check_summary",), daemon=True).start()
    with topic_progress(len(selected)) as on_start:  # "checking 01_processes (1/15)..." at once
        grader = ProgressGrader(course, on_start, jobs=args.jobs)
        result = grader.grade(folder, topics, Suite.VISIBLE)
    if args.path is None:
        progress.record_check(course, result)
    detailed = bool(args.topic) or args.verbose
    outputs.emit(args.out, args.format, lambda color: _summary(course, folder, result, detailed, color),
                 lambda: render(result, args.format))
    return 0


def watch(args: argparse.Namespace) -> int:
    from grader.grading.grader import Grader
    from grader.grading.steps import Suite
    from grader.sandbox.choose import make_sandbox
    from grader.student import progress
    from grader.student.watch import watch as watch_paths

    course = load(args)
    topics = [args.topic] if args.topic else None
    folder = args.path or course.exercises_dir
    paths = [folder / t.folder for t in course.select(topics) if (folder / t.folder).is_dir()]
    if not paths:
        raise GraderError(f"nothing to watch: no topic folders under {folder}")
    grader = Grader(course, make_sandbox(practice=True), jobs=args.jobs)
    color = settings.color_wanted(sys.stdout.isatty())

    def run() -> str:
        result = grader.grade(folder, topics, Suite.VISIBLE)
        if args.path is None:
            progress.record_check(course, result)
        return _summary(course, folder, result, bool(args.topic), color)

    return watch_paths(paths, run, clear=sys.stdout.isatty())


def _summary(course: Course, folder: Path, result: GradeResult, detailed: bool, color: bool) -> str:
    """The check's report at the terminal's width, naming files as the student sees them."""
    from grader.report.check_summary import Place, render

    def shown(path: Path) -> str:
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return str(path)

    from grader.i18n import lesson_name

    places = {t.id: Place(shown(folder / t.folder / lesson_name(folder / t.folder)), shown(folder / t.folder / t.module_file))
              for t in course.topics}
    width = shutil.get_terminal_size().columns
    return render(result, places, detailed=detailed, color=color, width=width)


def hint(args: argparse.Namespace) -> int:
    from grader.student import progress

    course = load(args)
    topic, exercise = progress.find_exercise(course, args.exercise)
    hints, total = progress.next_hints(course, topic, exercise, show_all=args.all)
    from grader.grading.localise import hint_text
    from grader.i18n import language, tr

    if not hints:
        lesson = course.lesson(topic).relative_to(course.root).as_posix()
        print(tr("{exercise} has no hints; the lesson is {lesson}", exercise=f"{topic.id}/{exercise.name}",
                 lesson=lesson))
        return 0
    for number, text in enumerate(hints, 1):
        print(tr("hint {number}/{total} for {exercise}: {text}", number=number, total=total,
                 exercise=f"{topic.id}/{exercise.name}", text=hint_text(text, language())))
    if len(hints) < total:
        print(tr("(run `grader hint {name}` again for a stronger hint)", name=exercise.name))
    return 0


def status(args: argparse.Namespace) -> int:
    from grader.report import status as status_report
    from grader.student import progress

    course = load(args)
    rows, upcoming, unchecked = progress.overview(course)
    sys.stdout.write(status_report.render(course, rows, upcoming, unchecked,
                                          color=settings.color_wanted(sys.stdout.isatty())))
    return 0
