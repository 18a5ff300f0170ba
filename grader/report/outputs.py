"""Where reports go: stdout, a file (written whole), batch folders, the files GitHub Actions reads.

The renderers stay pure; this is the I/O the commands ask for.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from grader import settings
from grader.fsutil import write_atomic
from grader.result import GradeResult


def emit(out: Path | None, fmt: str, table: Callable[[bool], str], data: Callable[[], str]) -> None:
    """The report: ``table(color)`` for the table format, ``data()`` otherwise; to ``out`` if given
    (written whole), else to stdout (in colour on a terminal, unless NO_COLOR is set)."""
    if out is not None:
        write_atomic(out, data() if fmt != "table" else table(False))
        return
    color = settings.color_wanted(sys.stdout.isatty())
    sys.stdout.write(data() if fmt != "table" else table(color))


def write_batch_reports(out: Path, results: dict[str, GradeResult]) -> None:
    """gradebook.csv plus per-student feedback (Markdown, HTML) and JUnit XML."""
    from grader.report import gradebook, html, junit, markdown

    for sub in ("feedback", "junit"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for student, result in results.items():
        write_atomic(out / "feedback" / f"{student}.md", markdown.render(result, student))
        write_atomic(out / "feedback" / f"{student}.html", html.render(result, student))
        write_atomic(out / "junit" / f"{student}.xml", junit.render(result, name=student))
    write_atomic(out / "gradebook.csv", gradebook.render(sorted(results.items())))


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
