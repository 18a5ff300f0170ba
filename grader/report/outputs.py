"""Where reports go: stdout, a file (written whole), batch folders, the files GitHub Actions reads.

The renderers stay pure; this is the I/O the commands ask for.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from grader import settings
from grader.fsutil import write_atomic
from grader.report.safe import one_line
from grader.result import Flag, FlagCode, GradeResult


def emit(out: Path | None, fmt: str, table: Callable[[bool], str], data: Callable[[], str]) -> None:
    """The report: ``table(color)`` for the table format, ``data()`` otherwise; to ``out`` if given
    (written whole), else to stdout (in colour on a terminal, unless NO_COLOR is set)."""
    if out is not None:
        write_atomic(out, data() if fmt != "table" else table(False))
        return
    color = settings.color_wanted(sys.stdout.isatty())
    sys.stdout.write(data() if fmt != "table" else table(color))


def write_batch_reports(out: Path, results: dict[str, GradeResult]) -> None:
    """gradebook.csv plus per-student feedback (Markdown, HTML) and JUnit XML, in files named by
    ``batch.file_stems``. When a student's reports fail to render or write, they are written again
    from the scores alone (no message, hint or flag text) with a ``grader-error`` flag saying why;
    the others' reports are written whatever happens."""
    from grader.grading.batch import file_stems
    from grader.report import gradebook, html, junit, markdown

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
                attempt = _scores_only(result, why)
    write_atomic(out / "gradebook.csv", gradebook.render(sorted(rows.items())))


def _scores_only(result: GradeResult, why: str) -> GradeResult:
    """``result`` without any student text, flagged with why its reports could not be written."""
    topics = tuple(replace(t, flags=(), message="report not shown" if t.message else "",
                           tests=tuple(replace(x, message="", hint="") for x in t.tests))
                   for t in result.topics)
    return replace(result, topics=topics,
                   flags=(Flag(FlagCode.GRADER_ERROR, f"the reports could not be written: {why}"),))


def write_github(result: GradeResult, files: dict[str, str], table: str) -> None:
    """What GitHub Actions reads ($GITHUB_ENV, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY), then the
    annotations and the table, fenced against workflow commands in student text. ``files`` maps
    a topic id to the file its annotations point at."""
    from grader.report import github

    for var, text in (("GITHUB_ENV", github.env_lines(result)), ("GITHUB_OUTPUT", github.output_lines(result)),
                      ("GITHUB_STEP_SUMMARY", github.summary(result))):
        target = os.environ.get(var)  # set by the Actions runner, not a grader setting
        if target:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(text)
    sys.stdout.write(github.annotation_lines(result, files))
    sys.stdout.write(github.fenced(table, secrets.token_hex(16)))
    sys.stdout.flush()
