"""Command line: parse the arguments and dispatch to the command's module. Nothing imports this module.

Exit codes: 0 when the command did its job (``grade`` exits 0 whatever the score, unless
``--fail-under`` says otherwise); 1 when a check found problems (``validate``, ``sync --check``,
``grade --fail-under``); 2 for a usage or configuration error, reported as one line without a
traceback; 130 when interrupted. A command's module is imported only when that command runs,
so ``grader hint`` never pays for the sandbox or the renderers.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TypeAlias

from grader import __version__
from grader.errors import GraderError
from grader.secret_env import shed_secrets

FORMATS = ("table", "json", "junit", "markdown", "html", "gradescope", "github")
"""The names of ``grader.report.formats.FORMATS`` (a test keeps the two in step)."""
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
COURSE_HELP = "path to course.yml (default: the nearest course.yml in this folder or above)"

COMMANDS = {
    "grade": "grader.grading.commands:grade",
    "batch": "grader.grading.commands:batch",
    "merge": "grader.grading.commands:merge",
    "check": "grader.student.commands:check",
    "watch": "grader.student.commands:watch",
    "hint": "grader.student.commands:hint",
    "status": "grader.student.commands:status",
    "validate": "grader.authoring.commands:validate",
    "sync": "grader.authoring.commands:sync",
    "release": "grader.distribution.commands:release",
    "nbgrader": "grader.distribution.commands:nbgrader",
    "gradescope": "grader.distribution.commands:gradescope",
}


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # a real start (not a call from Python): shed secrets before any student code runs
        shed_secrets()
    previous = _interrupt_on_signals()  # first: a signal during start-up is an interrupt too
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        from grader import i18n

        i18n.set_language(args.lang)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        from grader.student.repository import refuse_instructor_command

        refuse_instructor_command(args.command, args.course)  # a student's copy: one line, exit 2
        module, _, function = COMMANDS[args.command].partition(":")
        result: int = getattr(importlib.import_module(module), function)(args)
        return result
    except GraderError as exc:
        print(f"grader: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the user named cannot be used
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"grader: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: every sandbox was killed (grading.scheduler)
        summary = getattr(exc, "summary", "")
        print("grader: interrupted" + (f": {summary}" if summary else ""), file=sys.stderr)
        return 130
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _interrupt_on_signals() -> dict[int, signal._HANDLER]:
    """SIGTERM (a cancelled CI job, ``kill``) interrupts like Ctrl-C; a second signal while the
    first one stops the sandboxes (a fraction of a second) is ignored, so that the summary of what
    was graded gets printed. Returns the handlers replaced (none off the main thread)."""
    from grader.sandbox.base import stopping

    def interrupt(_signum: int, _frame: object) -> None:
        if not stopping():
            raise KeyboardInterrupt

    previous: dict[int, signal._HANDLER] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signum == signal.SIGINT and signal.getsignal(signum) is not signal.default_int_handler:
            continue  # SIGINT ignored (a background job): keep it so
        try:
            previous[signum] = signal.signal(signum, interrupt)
        except ValueError:  # not the main thread (an embedding caller): leave signals alone
            break
    return previous


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit 2), pointing at --help instead of printing the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


_Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"  # what ``add_subparsers`` returns


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="grader",
        description="Grade concurrency exercises in a sandbox: per-test timeouts, whole-tree kills, tamper checks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--course", type=Path, default=None, help=COURSE_HELP)
    parser.add_argument("--lang", choices=("en", "zh-CN"), default=None,
                        help="language of hints, messages and `release` (default: from LC_ALL, LC_MESSAGES or "
                             "LANG: zh* is zh-CN, anything else en)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _grading_commands(sub)
    _student_commands(sub)
    _author_commands(sub)
    for command in sub.choices.values():  # --course after the command too; it leaves the global one alone if absent
        command.add_argument("--course", type=Path, default=argparse.SUPPRESS, help=COURSE_HELP)
    return parser


def _grading_commands(sub: _Commands) -> None:
    grade = sub.add_parser("grade", help="grade a submission on the hidden tests (instructors, CI)")
    grade.add_argument("submission", type=Path,
                       help="a folder of topic folders (like solutions/), a repository holding exercises/, "
                            "or either as a .zip, .tar.gz or .tgz")
    _topic_option(grade)
    _output_options(grade)
    _jobs_option(grade)
    grade.add_argument("--github", action="store_true",
                       help="in GitHub Actions: runner results for the Classroom reporter ($GITHUB_ENV), outputs, "
                            "a job summary and annotations; student text is fenced against workflow commands")
    grade.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                       help="Gradescope test visibility for --format gradescope")
    grade.add_argument("--fail-under", metavar="SCORE|full", type=_fail_under, default=None,
                       help="exit 1 when the total is below SCORE points, or below the maximum with 'full' "
                            "(the report is written either way)")

    batch = sub.add_parser("batch", help="grade a class: one subfolder, .zip or git clone per student")
    batch.add_argument("submissions", type=Path, help="folder with one submission per student")
    batch.add_argument("--out", type=Path, required=True, help="folder for <student>.json, gradebook.csv, feedback/")
    batch.add_argument("--force", action="store_true", help="regrade students that already have a result")
    batch.add_argument("--quiet", "-q", action="store_true", help="no progress bar; one summary line (for CI)")
    batch.add_argument("--shard", metavar="K/N", help="grade only slice K of N (stable by student name)")
    _topic_option(batch)
    _jobs_option(batch)

    merge = sub.add_parser("merge", help="join batch or shard outputs into one gradebook")
    merge.add_argument("folders", type=Path, nargs="+", help="batch output folders")
    merge.add_argument("--out", type=Path, required=True, help="folder for the merged results and reports")
    merge.add_argument("--allow-mixed", action="store_true",
                       help="merge results graded against different course.yml, hidden tests, topics or grader "
                            "versions (refused by default, exit 2)")

    gradescope = sub.add_parser("gradescope", help="build a Gradescope autograder zip that runs this grader")
    gradescope.add_argument("zip", type=Path, help="the zip to write, e.g. autograder.zip")
    gradescope.add_argument("--visibility", choices=VISIBILITIES, default="after_due_date",
                            help="when students see each test's result (default: after_due_date; "
                                 "GRADER_VISIBILITY in Gradescope's environment still overrides it)")
    gradescope.add_argument("--lang", choices=("en", "zh-CN"), default=argparse.SUPPRESS,
                            help="the language of the feedback students read (default: the global --lang, else en)")


def _student_commands(sub: _Commands) -> None:
    check = sub.add_parser("check", help="run the visible tests on your own exercises (students)")
    check.add_argument("topic", nargs="?", help="one topic id, e.g. 04_pool (default: all)")
    check.add_argument("--path", type=Path, default=None, help="the exercises folder (default: exercises/ of the course)")
    check.add_argument("--verbose", "-v", action="store_true",
                       help="every topic's failures with messages and hints (default: one line per topic; "
                            "naming one topic shows its failures)")
    _output_options(check)
    _jobs_option(check)

    hint = sub.add_parser("hint", help="show the next hint for an exercise (weakest first)")
    hint.add_argument("exercise", help="an exercise name, e.g. parallel_apply or 04_pool/parallel_apply")
    hint.add_argument("--all", action="store_true", help="show every hint at once")

    sub.add_parser("status", help="your progress through the course and the next exercise to do")

    watch = sub.add_parser("watch", help="re-run the check whenever you save a file of the topic")
    watch.add_argument("topic", nargs="?", help="one topic id (default: all)")
    watch.add_argument("--path", type=Path, default=None, help="the exercises folder (default: exercises/ of the course)")
    _jobs_option(watch)


def _author_commands(sub: _Commands) -> None:
    validate = sub.add_parser("validate", help="lint the course; solutions full marks, stubs zero, every mutant caught")
    validate.add_argument("--repeat", type=_positive_int, default=1, help="grade everything N times (default: 1)")
    validate.add_argument("--perturb", action="store_true",
                          help="vary switch interval, CPU affinity and start method per run, and classify every "
                               "test as stable-pass, stable-fail or flaky")
    validate.add_argument("--seed", type=int, default=0, help="first perturbation seed (run i uses seed + i)")
    validate.add_argument("--only", metavar="NAME",
                          help="only the candidates NAME names: solution, stub or a mutant's name, or a shell "
                               "pattern such as 'pool_setup_*'; several, comma-separated")
    validate.add_argument("--record-durations", action="store_true",
                          help="write each topic's solution grading time to the course's durations file "
                               "(tests/hidden/durations.json), which makes grading start the longest topics first")
    _topic_option(validate)
    _output_options(validate)
    _jobs_option(validate)

    release = sub.add_parser("release", help="build the student repository (no solutions, no hidden tests)")
    release.add_argument("out", type=Path, help="folder to write the student repository into")
    release.add_argument("--force", action="store_true", help="replace the folder's contents if it is not empty")
    release.add_argument("--lang", choices=("en", "zh-CN"), default=argparse.SUPPRESS,
                         help="the release's language: zh-CN ships the Chinese lessons, hints, docstrings and "
                              "messages where translations exist (same as the global --lang)")

    nbgrader = sub.add_parser("nbgrader", help="build an nbgrader course folder: one assignment per topic")
    nbgrader.add_argument("out", type=Path, help="folder for nbgrader_config.py and source/")
    nbgrader.add_argument("--force", action="store_true", help="overwrite existing source notebooks")

    sync = sub.add_parser("sync", help="write the stubs in exercises/ from the solutions' markers")
    sync.add_argument("--check", action="store_true", help="change nothing; exit 1 if a stub differs")


def _topic_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", dest="topics", metavar="ID",
                        help="only this topic (repeatable), e.g. --topic 04_pool")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    parser.add_argument("--out", type=_report_file, default=None,
                        help="write the report to this file instead of stdout (its folder must exist)")


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=_positive_int, default=None,
                        help="topics graded at once (default: the number of usable cores)")


def _report_file(text: str) -> Path:
    """A report file whose folder exists: checked before any grading, not after it."""
    path = Path(text)
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"folder {folder} does not exist (create it first)")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a folder; name the report file, e.g. {path / 'report'}")
    return path


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _fail_under(text: str) -> str:
    """``full`` or a number of points (kept as text; the grade command compares)."""
    if text == "full":
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of points or 'full', got {text!r}") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"must be a number of points (0 or more), got {text!r}")
    return text
