"""The one way the grader writes a file a reader may be looking at: whole or not at all."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``.

    A path that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO) is
    written through: replacing it would swap a device node for a regular file (as root, /dev/null
    itself). The temporary name is unique per process and thread, so concurrent writers of
    different files in one folder never collide, and short whatever ``path``'s is. Text a UTF-8
    writer refuses (a lone surrogate from a student's message) is written as U+FFFD, never raised.
    """
    if path.exists() and not path.is_file():
        with open(path, "w", encoding="utf-8", errors="replace") as fh:
            fh.write(text)
        return
    tmp = path.with_name(f".{path.name[:100]}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", errors="replace")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
