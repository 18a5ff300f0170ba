"""The format registry: every ``--format`` name and the pure renderer behind it.

Renderers take a GradeResult and return text; only the commands write it somewhere. The
renderer modules are imported when their format is asked for, so a command pays for one.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from grader.result import GradeResult


@dataclass(frozen=True)
class Format:
    name: str
    help: str
    render: Callable[..., str]


def _table(result: GradeResult, *, color: bool = False, compact: bool = False, **_: object) -> str:
    from grader.report import table

    return table.render(result, color=color, compact=compact)


def _json(result: GradeResult, **_: object) -> str:
    from grader.report import json_result

    return json_result.render(result)


def _gradescope(result: GradeResult, *, visibility: str = "visible", **_: object) -> str:
    from grader.report import gradescope

    return gradescope.render(result, visibility=visibility)


def _github(result: GradeResult, **_: object) -> str:
    from grader.report import github

    return json.dumps(github.runner_results(result), indent=2) + "\n"


def _module(name: str) -> Callable[..., str]:
    def render(result: GradeResult, **_: object) -> str:
        renderer: Callable[[GradeResult], str] = importlib.import_module(f"grader.report.{name}").render
        return renderer(result)

    return render


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("table", "a terminal table, then each failure with its message and hint", _table),
    Format("json", "the grader-result/1 document", _json),
    Format("junit", "JUnit XML, one testsuite per topic", _module("junit")),
    Format("markdown", "per-student feedback in Markdown", _module("markdown")),
    Format("html", "per-student feedback as one HTML page", _module("html")),
    Format("gradescope", "Gradescope's results.json", _gradescope),
    Format("github", "GitHub Classroom runner results", _github),
)}


def render(result: GradeResult, fmt: str, **options: object) -> str:
    """The report of ``result`` in format ``fmt`` (``color``, ``compact``, ``visibility`` where they apply)."""
    return FORMATS[fmt].render(result, **options)
