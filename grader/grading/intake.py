"""Find a student's files and copy only the allow-listed ones into a fresh folder (intake).

A submission is a folder of topic folders (``01_processes/processes.py``, like ``solutions/``),
a repository root holding ``exercises/``, or a flat folder of modules (a Gradescope upload). Only the topic's module and the extra files
course.yml names are copied, and only if they are regular files under the size cap: no
symlinks, no ``conftest.py``, ``*.pth``, ``sitecustomize.py`` or ``__pycache__``; those are
noted for the instructor instead.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Topic
from grader.errors import GraderError

MAX_FILE_BYTES = 256 << 10
SUSPICIOUS = ("conftest.py", "sitecustomize.py", "usercustomize.py", "pytest.ini", "tox.ini", "setup.cfg",
              "pyproject.toml", "__pycache__")


@dataclass(frozen=True)
class Intake:
    copied: tuple[str, ...]
    missing: str = ""
    """Why the topic's module could not be taken (empty when it was)."""
    notes: tuple[str, ...] = field(default=())
    """Files present but ignored, worth an instructor's look."""


def submission_root(path: Path) -> Path:
    """The folder that holds the topic folders."""
    if not path.exists():
        raise GraderError(f"{path}: no such folder")
    if not path.is_dir():
        raise GraderError(f"{path}: not a folder (pass the folder that holds the topic folders)")
    exercises = path / "exercises"
    return exercises if exercises.is_dir() else path


def intake(root: Path, topic: Topic, dest: Path) -> Intake:
    """Copy the topic's allowed files from ``root/<folder>`` into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    source = root / topic.folder
    if not source.is_dir() and (root / topic.module_file).exists():
        source = root  # a flat upload (Gradescope, a single folder of modules)
    copied, notes, missing = [], [], ""
    for name in (topic.module_file, *topic.files):
        problem = _copy_regular(source / name, dest / name)
        if problem is None:
            copied.append(name)
        elif name == topic.module_file:
            missing = problem
        else:
            notes.append(problem)
    if source.is_dir():
        for entry in sorted(os.listdir(source)):
            if entry in SUSPICIOUS or entry.endswith((".pth", ".pyc", ".so")):
                notes.append(f"{topic.folder}/{entry} is present and was ignored")
    return Intake(tuple(copied), missing, tuple(notes))


def _copy_regular(src: Path, dst: Path) -> str | None:
    """Copy ``src`` if it is a small regular file; otherwise say why not."""
    shown = f"{src.parent.name}/{src.name}"
    try:
        info = os.lstat(src)
    except FileNotFoundError:
        return f"{src.name} was not found in the submission (looked for {shown})"
    except OSError as exc:
        return f"{shown} cannot be read: {exc.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return f"{shown} is a symbolic link; submit the file itself"
    if not stat.S_ISREG(info.st_mode):
        return f"{shown} is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return f"{shown} is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(src, flags)
    except OSError as exc:
        return f"{shown} cannot be read: {exc.strerror}"
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return f"{shown} grew past {MAX_FILE_BYTES} bytes while it was read"
    dst.write_bytes(data)
    return None
