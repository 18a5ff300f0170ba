"""``grader watch``: run the check again whenever a file of the watched topics is saved."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

CLEAR = "\033[2J\033[H"


def watch(paths: list[Path], run: Callable[[], str], *, clear: bool = True) -> int:
    """Print ``run()`` now and after every change under ``paths``; Ctrl-C ends it with exit code 0."""
    import watchfiles

    def show(reason: str) -> None:
        text = run()
        sys.stdout.write((CLEAR if clear else "") + text + f"\n{reason} - watching for changes (Ctrl-C to stop)\n")
        sys.stdout.flush()

    try:
        show("checked")
        for changes in watchfiles.watch(*paths, watch_filter=watchfiles.PythonFilter(), debounce=400, step=100):
            names = sorted({Path(p).name for _change, p in changes})
            show(f"changed: {', '.join(names)}")
    except KeyboardInterrupt:
        sys.stdout.write("\nstopped watching\n")
    return 0
