"""``grader watch``: run the check again whenever a file of the watched topics is saved."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from grader.i18n import tr

CLEAR = "\033[2J\033[H"


def watch(paths: list[Path], run: Callable[[], str], *, clear: bool = True) -> int:
    """Print ``run()`` now and after every change under ``paths``; Ctrl-C ends it with exit code 0."""
    import watchfiles

    def show(reason: str) -> None:
        # Said at once: a run takes from seconds to a minute, and a silent screen looks stuck.
        sys.stdout.write((CLEAR if clear else "") + tr("running...") + "\n")
        sys.stdout.flush()
        text = run()
        sys.stdout.write((CLEAR if clear else "") + text + "\n"
                         + tr("{reason} - watching for changes (Ctrl-C to stop)", reason=reason) + "\n")
        sys.stdout.flush()

    try:
        show(tr("checked"))
        for changes in watchfiles.watch(*paths, watch_filter=watchfiles.PythonFilter(), debounce=400, step=100):
            names = sorted({Path(p).name for _change, p in changes})
            show(tr("changed: {names}", names=", ".join(names)))
    except KeyboardInterrupt:  # the usual way to stop watching; 130 like every interrupted command
        sys.stdout.write("\n" + tr("stopped watching") + "\n")
        return 130
    return 0
