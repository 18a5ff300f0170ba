"""Command line: thin wiring from arguments to the grader's modules. Nothing imports this module.

Exit codes: 0 when the command did its job (``grade`` exits 0 whatever the score); 1 when a check
found problems (``validate``, ``sync --check``); 2 for a usage or configuration error, reported
as one line without a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, NoReturn, Sequence

from grader import __version__
from grader.errors import GraderError
from grader.secret_env import shed_secrets

FORMATS = ("table", "json", "junit", "markdown", "html", "gradescope", "github")


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # a real start (not a call from Python): shed secrets before any student code runs
        shed_secrets()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except GraderError as exc:
        print(f"grader: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the user named cannot be used
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"grader: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grader: interrupted", file=sys.stderr)
        return 130


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit 2), pointing at --help instead of printing the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="grader",
        description="Grade concurrency exercises in a sandbox: per-test timeouts, whole-tree kills, tamper checks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--course", type=Path, default=None,
                        help="path to course.yml (default: the nearest course.yml in this folder or above)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    grade = sub.add_parser("grade", help="grade a submission on the hidden tests (instructors, CI)")
    grade.add_argument("submission", type=Path,
                       help="a folder of topic folders (like solutions/) or a repository holding exercises/")
    _topic_option(grade)
    _output_options(grade)
    _jobs_option(grade)
    grade.add_argument("--github", action="store_true",
                       help="in GitHub Actions: runner results for the Classroom reporter ($GITHUB_ENV), outputs, "
                            "a job summary and annotations; student text is fenced against workflow commands")
    grade.add_argument("--visibility", choices=("hidden", "after_due_date", "after_published", "visible"),
                       default="visible", help="Gradescope test visibility for --format gradescope")
    grade.set_defaults(func=cmd_grade)

    batch = sub.add_parser("batch", help="grade a class: one subfolder, .zip or git clone per student")
    batch.add_argument("submissions", type=Path, help="folder with one submission per student")
    batch.add_argument("--out", type=Path, required=True, help="folder for <student>.json, gradebook.csv, feedback/")
    batch.add_argument("--force", action="store_true", help="regrade students that already have a result")
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar; one summary line (for CI)")
    batch.add_argument("--shard", metavar="K/N", help="grade only slice K of N (stable by student name)")
    _topic_option(batch)
    _jobs_option(batch)
    batch.set_defaults(func=cmd_batch)

    merge = sub.add_parser("merge", help="join batch or shard outputs into one gradebook")
    merge.add_argument("folders", type=Path, nargs="+", help="batch output folders")
    merge.add_argument("--out", type=Path, required=True, help="folder for the merged results and reports")
    merge.set_defaults(func=cmd_merge)

    gradescope = sub.add_parser("gradescope", help="build a Gradescope autograder zip that runs this grader")
    gradescope.add_argument("zip", type=Path, help="the zip to write, e.g. autograder.zip")
    gradescope.set_defaults(func=cmd_gradescope)

    check = sub.add_parser("check", help="run the visible tests on your own exercises (students)")
    check.add_argument("topic", nargs="?", help="one topic id, e.g. 04_pool (default: all)")
    check.add_argument("--path", type=Path, default=None, help="the exercises folder (default: exercises/ of the course)")
    _output_options(check)
    _jobs_option(check)
    check.set_defaults(func=cmd_check)

    hint = sub.add_parser("hint", help="show the next hint for an exercise (weakest first)")
    hint.add_argument("exercise", help="an exercise name, e.g. parallel_apply or 04_pool/parallel_apply")
    hint.add_argument("--all", action="store_true", help="show every hint at once")
    hint.set_defaults(func=cmd_hint)

    status = sub.add_parser("status", help="your progress through the course and the next exercise to do")
    status.set_defaults(func=cmd_status)

    watch = sub.add_parser("watch", help="re-run the check whenever you save a file of the topic")
    watch.add_argument("topic", nargs="?", help="one topic id (default: all)")
    watch.add_argument("--path", type=Path, default=None, help="the exercises folder (default: exercises/ of the course)")
    _jobs_option(watch)
    watch.set_defaults(func=cmd_watch)

    validate = sub.add_parser("validate", help="lint the course; solutions full marks, stubs zero, every mutant caught")
    validate.add_argument("--repeat", type=_positive_int, default=1, help="grade everything N times (default: 1)")
    validate.add_argument("--perturb", action="store_true",
                          help="vary switch interval, CPU affinity and start method per run, and classify every "
                               "test as stable-pass, stable-fail or flaky")
    validate.add_argument("--seed", type=int, default=0, help="first perturbation seed (run i uses seed + i)")
    validate.add_argument("--only", metavar="NAME", help="only the candidate NAME: solution, stub or a mutant's name")
    _topic_option(validate)
    _output_options(validate)
    _jobs_option(validate)
    validate.set_defaults(func=cmd_validate)

    release = sub.add_parser("release", help="build the student repository (no solutions, no hidden tests)")
    release.add_argument("out", type=Path, help="folder to write the student repository into")
    release.add_argument("--force", action="store_true", help="replace the folder's contents if it is not empty")
    release.set_defaults(func=cmd_release)

    nbgrader = sub.add_parser("nbgrader", help="build an nbgrader course folder: one assignment per topic")
    nbgrader.add_argument("out", type=Path, help="folder for nbgrader_config.py and source/")
    nbgrader.add_argument("--force", action="store_true", help="overwrite existing source notebooks")
    nbgrader.set_defaults(func=cmd_nbgrader)

    sync = sub.add_parser("sync", help="write the stubs in exercises/ from the solutions' markers")
    sync.add_argument("--check", action="store_true", help="change nothing; exit 1 if a stub differs")
    sync.set_defaults(func=cmd_sync)
    return parser


def _topic_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", dest="topics", metavar="ID",
                        help="only this topic (repeatable), e.g. --topic 04_pool")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--out", type=Path, default=None, help="write the report to this file instead of stdout")


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=_positive_int, default=None,
                        help="topics graded at once (default: the number of usable cores)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def find_course(explicit: Path | None) -> Path:
    if explicit is not None:
        return explicit
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "course.yml").is_file():
            return folder / "course.yml"
    raise GraderError("no course.yml here or in any parent folder (run inside the course, or pass --course)")


def _load(args: argparse.Namespace):
    from grader import course

    return course.load(find_course(args.course))


def _emit(args: argparse.Namespace, render_table: Callable[[bool], str], data: Callable[[], str]) -> None:
    if getattr(args, "github", False) and args.out is None and args.format == "table":
        return  # --github already printed the (fenced) table
    if args.out is not None:
        text = data() if args.format != "table" else render_table(False)
        if args.out.exists() and not args.out.is_file():
            # /dev/null, /dev/stdout, a FIFO: write through it. Replacing it would swap a device
            # node for a regular file (as root, /dev/null itself).
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(text)
            return
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, args.out)
        return
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(data() if args.format != "table" else render_table(color))


def _check_topics(course, topics: list[str] | None) -> None:
    for topic_id in topics or ():
        course.topic(topic_id)  # raises a one-line error for an unknown id


def render(result, fmt: str, *, color: bool = False, visibility: str = "visible") -> str:
    """The report of ``result`` in format ``fmt`` (one renderer module per format)."""
    from grader.report import github, gradescope, html, junit, markdown, table
    from grader.report import json as json_report

    if fmt == "table":
        return table.render(result, color=color)
    if fmt == "json":
        return json_report.render(result)
    if fmt == "gradescope":
        return gradescope.render(result, visibility=visibility)
    if fmt == "github":
        return json.dumps(github.runner_results(result), indent=2) + "\n"
    return {"junit": junit.render, "markdown": markdown.render, "html": html.render}[fmt](result)


def cmd_grade(args: argparse.Namespace) -> int:
    from grader.grading import Grader

    course = _load(args)
    _check_topics(course, args.topics)
    result = Grader(course, jobs=args.jobs).grade(args.submission, args.topics)
    if args.github:
        _github(course, result)
    _emit(args, lambda color: render(result, "table", color=color),
          lambda: render(result, args.format, visibility=args.visibility))
    return 0


def _github(course, result) -> None:
    """Write what GitHub Actions reads; print annotations and a fenced table."""
    import secrets

    from grader.report import github

    for var, text in (("GITHUB_ENV", github.env_lines(result)), ("GITHUB_OUTPUT", github.output_lines(result)),
                      ("GITHUB_STEP_SUMMARY", github.summary(result))):
        target = os.environ.get(var)
        if target:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(text)
    files = {t.id: f"exercises/{t.folder}/{t.module_file}" for t in course.topics}
    sys.stdout.write(github.annotations(result, files))
    sys.stdout.write(github.fenced(render(result, "table"), secrets.token_hex(16)))
    sys.stdout.flush()


def cmd_check(args: argparse.Namespace) -> int:
    from grader.grading import Grader
    from grader.report import json as json_report
    from grader.report import table

    course = _load(args)
    topics = [args.topic] if args.topic else None
    _check_topics(course, topics)
    path = args.path or course.path("exercises")
    result = Grader(course, jobs=args.jobs).grade(path, topics, visible=True)
    if args.path is None:
        from grader import student

        student.record_check(course, result)
    _emit(args, lambda color: table.render(result, color=color, compact=True), lambda: render(result, args.format))
    return 0


def cmd_hint(args: argparse.Namespace) -> int:
    from grader import student

    course = _load(args)
    topic, exercise = student.find_exercise(course, args.exercise)
    hints, total = student.next_hints(course, topic, exercise, show_all=args.all)
    if not hints:
        print(f"{topic.id}/{exercise.name} has no hints; the lesson is exercises/{topic.folder}/README.md")
        return 0
    for number, text in enumerate(hints, 1):
        print(f"hint {number}/{total} for {topic.id}/{exercise.name}: {text}")
    if len(hints) < total:
        print(f"(run `grader hint {exercise.name}` again for a stronger hint)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    from grader import student

    course = _load(args)
    rows, upcoming, unchecked = student.overview(course)
    console = Console(highlight=False, no_color=not sys.stdout.isatty() or "NO_COLOR" in os.environ)
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("topic", "progress", "done"):
        table.add_column(column)
    for topic, done, total in rows:
        table.add_row(topic.id, ProgressBar(total=total, completed=done, width=30), f"{done}/{total}")
    console.print(table)
    passed, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    console.print(f"course: {passed}/{total} exercises done ({passed / total:.0%})")
    if upcoming is None:
        console.print("all exercises pass their visible tests: well done! Push to have them graded.")
    else:
        topic, exercise = upcoming
        console.print(f"next: {topic.id}/{exercise.name} in exercises/{topic.folder}/{topic.module_file} "
                      f"(grader check {topic.id}; grader hint {exercise.name})")
    if unchecked:
        console.print(f"{unchecked} exercise(s) not checked yet: run `grader check` to update this overview")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from grader import student
    from grader.grading import Grader
    from grader.watch import watch

    course = _load(args)
    topics = [args.topic] if args.topic else None
    _check_topics(course, topics)
    folder = args.path or course.path("exercises")
    chosen = [course.topic(t) for t in topics] if topics else list(course.topics)
    paths = [folder / t.folder for t in chosen if (folder / t.folder).is_dir()]
    if not paths:
        raise GraderError(f"nothing to watch: no topic folders under {folder}")
    grader = Grader(course, jobs=args.jobs)
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ

    def run() -> str:
        result = grader.grade(folder, topics, visible=True)
        if args.path is None:
            student.record_check(course, result)
        return render_table_compact(result, color)

    return watch(paths, run, clear=sys.stdout.isatty())


def render_table_compact(result, color: bool) -> str:
    from grader.report import table

    return table.render(result, color=color, compact=True)


def cmd_validate(args: argparse.Namespace) -> int:
    from grader import validate
    from grader.grading import Grader

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    course = _load(args)
    _check_topics(course, args.topics)
    topics = [course.topic(t) for t in args.topics] if args.topics else list(course.topics)
    console = Console(stderr=True)
    # A bar on a terminal only: a log file or CI gets the report and nothing else.
    progress = Progress(TextColumn("validating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=console, disable=not console.is_terminal)
    with progress:
        task = progress.add_task("validating", total=None)
        verdicts, problems = validate.validate(
            course, Grader(course, jobs=args.jobs), topics, args.repeat, perturb=args.perturb, seed=args.seed,
            only=args.only, on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    report = validate.report(verdicts, problems, args.repeat)
    _emit(args, lambda _color: _validate_table(report), lambda: json.dumps(report, indent=2) + "\n")
    return 0 if report["ok"] else 1


def _validate_table(report: dict) -> str:
    lines = []
    for problem in report["problems"]:
        lines.append(f"PROBLEM  {problem}")
    for topic in report["topics"]:
        for kind in ("solution", "stub"):
            entry = topic.get(kind)
            if entry:
                scores = ", ".join(f"{r['score']:g}/{r['max_score']:g}" for r in entry["runs"])
                lines.append(f"{'ok' if entry['ok'] else 'FAIL':8} {topic['id']} {kind}: {scores}")
                if not entry["ok"]:
                    lines += [f"           {t}" for r in entry["runs"] for t in r["failed_tests"][:5]]
        for mutant in topic["mutants"]:
            caught = sum(r["ok"] for r in mutant["runs"])
            lines.append(f"{'ok' if mutant['ok'] else 'MISSED':8} {topic['id']} mutant {mutant['name']}: "
                         f"caught in {caught}/{len(mutant['runs'])} runs (must lose: {', '.join(mutant['loses'])})")
        if topic["mutation_score"] is not None:
            lines.append(f"         {topic['id']} mutation score: {topic['mutation_score']:.0%}")
        for flaky in topic["flaky"]:
            lines.append(f"FLAKY    {topic['id']} {flaky}")
    lines.append("validate: " + ("all good" if report["ok"] else "problems found"))
    return "\n".join(lines) + "\n"


def cmd_batch(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.markup import escape

    from grader import batch
    from grader.grading import Grader
    from grader.report.safe import one_line

    course = _load(args)
    _check_topics(course, args.topics)
    students = batch.discover(args.submissions)
    if args.shard:
        k, n = batch.parse_shard(args.shard)
        students = [s for s in students if batch.in_shard(s.name, k, n)]
    grader = Grader(course, jobs=args.jobs)
    todo = sum(args.force or not batch.result_path(args.out, s.stem).exists() for s in students)
    console = Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=console, disable=args.quiet)
    with progress:
        task = progress.add_task("grading", total=todo)

        def on_event(event: str, student, done: int, total: int) -> None:
            # The description is rich markup: a name like "[/]" must be text, and escapes must not reach the terminal.
            name = escape(one_line(student.name, 60))
            if event == "start":
                progress.update(task, description=f"grading {name}")
            else:
                progress.update(task, completed=done, description=f"graded {name}")

        topics = [course.topic(t) for t in args.topics] if args.topics else None
        runner = batch.Batch(grader, args.out, on_event, topics)
        graded = runner.run(students, force=args.force)
    results = batch.load_results([args.out])
    _write_reports(args.out, {s.name: results[s.name] for s in students if s.name in results})
    for name, why in runner.unwritten:
        print(f"grader: warning: no result written for {one_line(name, 100)!r}: {why}", file=sys.stderr)
    skipped = len(students) - len(graded)
    print(f"batch: graded {len(graded)}, kept {skipped} earlier result(s), {len(students)} student(s) in "
          f"{args.out}", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    import shutil

    from grader import batch

    results = batch.load_results(args.folders)
    args.out.mkdir(parents=True, exist_ok=True)
    for folder in args.folders:
        for path in folder.glob("*.json"):
            if not path.name.startswith(".") and path.resolve().parent != args.out.resolve():
                shutil.copyfile(path, args.out / path.name)
    _write_reports(args.out, results)
    print(f"merge: {len(results)} student(s) from {len(args.folders)} folder(s) into {args.out}", file=sys.stderr)
    return 0


def _write_reports(out: Path, results: dict) -> None:
    """gradebook.csv plus per-student feedback (Markdown, HTML) and JUnit XML, in files named by
    ``batch.file_stems``. When a student's reports fail to render or write, they are written again
    from the scores alone (no message, hint or flag text) with a ``grader-error`` flag saying why;
    the others' reports are written whatever happens."""
    from dataclasses import replace

    from grader.batch import file_stems, write_atomic
    from grader.report import gradebook, html, junit, markdown
    from grader.report.safe import one_line
    from grader.result import Flag

    for sub in ("feedback", "junit"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    stems = file_stems(list(results))
    rows = {}
    for student, result in results.items():
        attempt = result
        for last in (False, True):
            try:
                write_atomic(out / "feedback" / f"{stems[student]}.md", markdown.render(attempt, student))
                write_atomic(out / "feedback" / f"{stems[student]}.html", html.render(attempt, student))
                write_atomic(out / "junit" / f"{stems[student]}.xml", junit.render(attempt, name=student))
                gradebook.render([(student, attempt)])
                rows[student] = attempt
                break
            except Exception as exc:  # noqa: BLE001 - one student's reports never stop the class's
                why = one_line(f"{type(exc).__name__}: {exc}", 300)
                print(f"grader: warning: reports for {one_line(student, 100)!r}: {why}", file=sys.stderr)
                if last:
                    break
                topics = tuple(replace(t, flags=(), message="report not shown" if t.message else "",
                                       tests=tuple(replace(x, message="", hint="") for x in t.tests))
                               for t in result.topics)
                attempt = replace(result, topics=topics,
                                  flags=(Flag("grader-error", f"the reports could not be written: {why}"),))
    write_atomic(out / "gradebook.csv", gradebook.render(sorted(rows.items())))


def cmd_gradescope(args: argparse.Namespace) -> int:
    from grader import gradescope_zip

    course = _load(args)
    files = gradescope_zip.build(course, args.zip)
    print(f"gradescope: wrote {args.zip} ({files} files); upload it as the autograder of a programming assignment")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from grader import release, sync

    course = _load(args)
    drifts = sync.check(course)
    if drifts:
        raise GraderError(f"{drifts[0].stub} {drifts[0].reason}; run `grader sync` first")
    written = release.build(course, args.out, force=args.force)
    print(f"release: wrote {len(written)} files to {args.out}")
    return 0


def cmd_nbgrader(args: argparse.Namespace) -> int:
    from grader import nbgen

    course = _load(args)
    written = nbgen.build(course, args.out, force=args.force)
    print(f"nbgrader: wrote {len(written)} files to {args.out}; next: cd {args.out} && "
          f"nbgrader generate_assignment <topic id>")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from grader import sync

    course = _load(args)
    if args.check:
        drifts = sync.check(course)
        for drift in drifts:
            print(f"{drift.stub}: {drift.reason} (run `grader sync`)", file=sys.stderr)
        if not drifts:
            print(f"sync: {len(course.topics)} stubs match their solutions")
        return 1 if drifts else 0
    written = sync.write(course)
    for path in written:
        print(f"wrote {path}")
    print(f"sync: {len(written)} stub(s) written, {len(course.topics) - len(written)} already up to date")
    return 0
