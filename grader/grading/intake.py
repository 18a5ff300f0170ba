"""Find a student's files and copy only the allow-listed ones into a fresh folder (intake).

A submission is a folder of topic folders (``01_processes/processes.py``, like ``solutions/``),
a repository root holding ``exercises/``, or a flat folder of modules (a Gradescope upload). Only the topic's module and the extra files
course.yml names are copied, and only if they are regular files under the size cap: no
symlinks, no ``conftest.py``, ``*.pth``, ``sitecustomize.py`` or ``__pycache__``; those are
noted for the instructor instead.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Topic
from grader.errors import GraderError

MAX_FILE_BYTES = 256 << 10
LINKED = "{} is a symbolic link and was not followed: submit the file itself"
SUSPICIOUS = ("conftest.py", "sitecustomize.py", "usercustomize.py", "pytest.ini", "tox.ini", "setup.cfg",
              "pyproject.toml", "__pycache__")


@dataclass(frozen=True)
class Intake:
    copied: tuple[str, ...]
    missing: str = ""
    """Why the topic's module could not be taken (empty when it was)."""
    notes: tuple[str, ...] = field(default=())
    """Files present but ignored, worth an instructor's look."""
    refused: tuple[str, ...] = field(default=())
    """Symbolic links met on the way to a file; never followed, always flagged."""


def submission_root(path: Path) -> Path:
    """The folder that holds the topic folders.

    A link is never followed inside a submission: neither the submission folder itself (in a batch,
    a student's folder could point at a classmate's or at the solutions) nor its ``exercises``.
    A linked ``exercises`` leaves the root where it is, so intake finds nothing and flags the link.
    """
    if path.is_symlink():
        raise GraderError(f"{path.name} is a symbolic link; submit the folder itself")
    if not path.exists():
        raise GraderError(f"{path}: no such folder")
    if not path.is_dir():
        raise GraderError(f"{path}: not a folder (pass the folder that holds the topic folders)")
    exercises = path / "exercises"
    return exercises if exercises.is_dir() and not exercises.is_symlink() else path


def intake(root: Path, topic: Topic, dest: Path) -> Intake:
    """Copy the topic's allowed files from ``root/<folder>`` into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    # A linked exercises/ was left unfollowed by submission_root: say so where the files were missed.
    refused = [LINKED.format("exercises")] if (root / "exercises").is_symlink() else []
    folder = root / topic.folder
    flat = not folder.is_dir() and os.path.lexists(root / topic.module_file)
    source = root if flat else folder  # flat: a Gradescope upload, a single folder of modules
    copied, notes, missing = [], [], ""
    for name in (topic.module_file, *topic.files):
        problem = _copy_regular(root, () if flat else (topic.folder,), name, dest / name)
        if problem is None:
            copied.append(name)
        elif name == topic.module_file:
            missing = problem
        else:
            notes.append(problem)
        if problem and problem.endswith(LINKED.format("")):
            refused.append(problem)
    if source.is_dir() and not source.is_symlink():
        for entry in sorted(os.listdir(source)):
            if entry in SUSPICIOUS or entry.endswith((".pth", ".pyc", ".so")):
                notes.append(f"{topic.folder}/{entry} is present and was ignored")
    return Intake(tuple(copied), missing, tuple(notes), tuple(dict.fromkeys(refused)))


_DIR_FDS = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")


def _copy_regular(root: Path, folders: tuple[str, ...], name: str, dst: Path) -> str | None:
    """Copy ``root/<folders>/name`` if it is a small regular file reached through no link; else say why not.

    Each step is opened relative to the previous one without following links (where the platform
    allows), so a folder swapped for a link while we read is refused too, not followed.
    """
    shown = "/".join((*folders[-1:], name))
    try:
        fd = _open_beneath(root, (*folders, name))
    except _Linked as exc:
        return LINKED.format(exc)
    except FileNotFoundError:
        return f"{name} was not found in the submission (looked for {shown})"
    except OSError as exc:
        return f"{shown} cannot be read: {exc.strerror}"
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            return f"{shown} is not a regular file"
        if info.st_size > MAX_FILE_BYTES:
            return f"{shown} is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}"
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return f"{shown} grew past {MAX_FILE_BYTES} bytes while it was read"
    dst.write_bytes(data)
    return None


class _Linked(OSError):
    """A symbolic link on the way to a submission file (its path relative to the root is the message)."""


def _open_beneath(root: Path, parts: tuple[str, ...]) -> int:
    """Open ``root/parts...`` for reading with no symbolic link anywhere below ``root``."""
    done: list[str] = []
    for part in parts:
        done.append(part)
        if stat.S_ISLNK(os.lstat(root.joinpath(*done)).st_mode):
            raise _Linked("/".join(done))
    if not _DIR_FDS:
        return os.open(root.joinpath(*parts), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            flags = os.O_RDONLY | os.O_NOFOLLOW | (0 if last else os.O_DIRECTORY) | (os.O_NONBLOCK if last else 0)
            try:
                child = os.open(part, flags, dir_fd=fd)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise _Linked("/".join(parts[: index + 1])) from None
                raise
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise
