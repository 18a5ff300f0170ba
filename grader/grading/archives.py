"""Zipped and tarred submissions (``.zip``, ``.tar.gz``, ``.tgz``), taken in the same safe way.

Only regular files are extracted, by reading each member and writing it ourselves (never
``extractall``): links, devices and FIFOs are skipped, never followed; an absolute member or one
that climbs out with ``..`` refuses the archive; so do more than ``MAX_ZIP_MEMBERS`` members or
more than ``MAX_ZIP_BYTES`` uncompressed, encrypted zips, compression methods Python cannot read
and names that are not UTF-8. Each refusal is a one-line ``GraderError``: in a batch, that
student's error result.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from grader.errors import GraderError
from grader.settings import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS

SUFFIXES = (".zip", ".tar.gz", ".tgz")
"""What ``is_archive`` accepts (a submission file of any other kind is not one)."""
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def stem(path: Path) -> str:
    """The name without its archive suffix: ``ada.tar.gz`` -> ``ada``."""
    lower = path.name.lower()
    suffix = next((s for s in SUFFIXES if lower.endswith(s)), "")
    return path.name[: len(path.name) - len(suffix)]


def extract(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` into the existing folder ``dest``; the folder that holds the submission
    (the one top folder of the archive if it has only that, else ``dest``)."""
    if archive.name.lower().endswith(".zip"):
        extract_zip(archive, dest)
    else:
        extract_tar(archive, dest)
    entries = [e for e in dest.iterdir() if not e.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest


@contextlib.contextmanager
def unpacked(path: Path) -> Iterator[Path]:
    """``path`` itself, or for an archive the folder it was extracted to (removed afterwards)."""
    if not is_archive(path) or not path.is_file():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="grader-archive-") as tmp:
        yield extract(path, Path(tmp).resolve())


def extract_zip(archive: Path, dest: Path) -> None:
    try:
        zf = zipfile.ZipFile(archive)
    except UnicodeDecodeError:
        raise GraderError(f"{archive.name}: a file name in the archive is not valid UTF-8; zip the files again "
                          "with plain names") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise GraderError(f"{archive.name}: not a readable zip ({exc})") from None
    with zf:
        members = zf.infolist()
        _caps(archive, len(members), sum(m.file_size for m in members))
        for member in members:
            if member.flag_bits & 0x1:
                raise GraderError(f"{archive.name}: {member.filename!r} is encrypted; submit a zip without a password")
            if member.compress_type not in _ZIP_METHODS:
                raise GraderError(f"{archive.name}: {member.filename!r} uses compression method "
                                  f"{member.compress_type}, which cannot be read; use plain zip (deflate)")
            target = _target(archive, dest, member.filename)
            if stat.S_ISLNK(member.external_attr >> 16):
                continue  # never follow links from a submission
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            with zf.open(member) as src:
                _write(src, target)


def extract_tar(archive: Path, dest: Path) -> None:
    try:
        with tarfile.open(archive, "r:*") as tf:
            count = size = 0
            for member in tf:  # read one header at a time: the caps hold before the whole archive is read
                count, size = count + 1, size + max(member.size, 0)
                _caps(archive, count, size)
                target = _target(archive, dest, member.name)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                elif member.isfile():  # links, devices and FIFOs are never extracted
                    src = tf.extractfile(member)
                    if src is not None:
                        with src:
                            _write(src, target)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise GraderError(f"{archive.name}: not a readable tar.gz ({type(exc).__name__}: {exc})") from None


def _caps(archive: Path, members: int, size: int) -> None:
    if members > MAX_ZIP_MEMBERS:
        raise GraderError(f"{archive.name}: more than {MAX_ZIP_MEMBERS} files")
    if size > MAX_ZIP_BYTES:
        raise GraderError(f"{archive.name}: more than {MAX_ZIP_BYTES >> 20} MiB uncompressed")


def _target(archive: Path, dest: Path, name: str) -> Path:
    """Where member ``name`` goes; an absolute name or one that leaves ``dest`` refuses the archive."""
    target = (dest / name).resolve()
    if name.startswith(("/", "\\")) or not target.is_relative_to(dest.resolve()):
        raise GraderError(f"{archive.name}: {name!r} points outside the archive")
    return target


def _write(src: IO[bytes], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
