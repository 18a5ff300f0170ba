"""Progress bars on stderr for the long commands (``batch``, ``validate``); off where nobody watches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from grader.report.safe import one_line


def _eta_column() -> Any:
    """``ETA 0:03:20`` from the average time per finished item so far, shown from the first one on.
    (rich's own estimate needs two updates within 30 s, which a batch of slow students never gives.)"""
    from datetime import timedelta

    from rich.progress import ProgressColumn
    from rich.text import Text

    class Eta(ProgressColumn):
        def render(self, task: Any) -> Text:
            done, total, elapsed = task.completed, task.total, task.elapsed
            if not done or not total or elapsed is None:
                return Text("ETA -:--:--", style="progress.remaining")
            left = max(0.0, elapsed / done * (total - done))
            return Text(f"ETA {timedelta(seconds=round(left))}", style="progress.remaining")

    return Eta()


@contextmanager
def batch_progress(total: int, *, quiet: bool) -> Iterator[Callable[[str, Any, int, int], None]]:
    """A bar over the students; yields the ``on_event`` callback of ``grader.grading.batch.Batch``."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), _eta_column(), console=Console(stderr=True), disable=quiet)
    with progress:
        task = progress.add_task("grading", total=total)

        def on_event(event: str, student: Any, done: int, _total: int) -> None:
            # The description is rich markup: a name like "[/]" must be text, and escapes must not reach the terminal.
            name = escape(one_line(student.name, 60))
            if event == "start":
                progress.update(task, description=f"grading {name}")
            else:
                progress.update(task, completed=done, description=f"graded {name}")

        yield on_event


@contextmanager
def validate_progress() -> Iterator[Callable[[int, int], None]]:
    """A bar on a terminal only: a log file or CI gets the report and nothing else."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    progress = Progress(TextColumn("validating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        _eta_column(), console=console, disable=not console.is_terminal)
    with progress:
        task = progress.add_task("validating", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)
