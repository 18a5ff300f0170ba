"""Grade a whole class: every (student, topic) pair is one job in one pool, results written as they finish.

Each student's result is written to ``OUT/<student>.json`` atomically (a temporary file, then
``os.replace``) the moment their last topic is graded, so a batch killed at any point and run
again grades only what is missing, and never leaves half a file. One broken submission (an
unreadable zip, a missing folder) becomes that student's error result; the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from grader.course import Topic
from grader.errors import GraderError
from grader.grading import Grader, TopicJob
from grader.report import json as json_report
from grader.result import Flag, GradeResult, TopicResult
from grader.scoring import topic_points
from grader.submission import submission_root

MAX_ZIP_BYTES = 64 << 20
MAX_ZIP_MEMBERS = 2000


@dataclass(frozen=True)
class Student:
    name: str
    path: Path

    @property
    def is_zip(self) -> bool:
        return self.path.suffix == ".zip"


def discover(submissions: Path) -> list[Student]:
    """One student per subfolder (a folder of topic folders, or a repository clone) or ``.zip``."""
    if not submissions.is_dir():
        raise GraderError(f"{submissions}: not a folder of submissions")
    students: dict[str, Student] = {}
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or (entry.is_file() and entry.suffix == ".zip"):
            name = entry.stem if entry.suffix == ".zip" else entry.name
            if name in students:
                raise GraderError(f"{submissions}: two submissions for {name!r} ({students[name].path.name}, {entry.name})")
            students[name] = Student(name, entry)
    return list(students.values())


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> ``(2, 5)``."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise GraderError(f"--shard {text}: expected K/N, for example 2/5") from None
    if not 1 <= k <= n:
        raise GraderError(f"--shard {text}: K must be between 1 and N")
    return k, n


def in_shard(name: str, k: int, n: int) -> bool:
    """A stable slice by name: the same student lands in the same shard whoever else is in the class."""
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % n == k - 1


def result_path(out: Path, name: str) -> Path:
    return out / f"{name}.json"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def extract_zip(archive: Path, dest: Path) -> Path:
    """Extract regular files only, refusing links, absolute or escaping paths and oversized archives."""
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise GraderError(f"{archive.name}: more than {MAX_ZIP_MEMBERS} files")
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise GraderError(f"{archive.name}: more than {MAX_ZIP_BYTES >> 20} MiB uncompressed")
        for member in members:
            target = (dest / member.filename).resolve()
            if member.filename.startswith("/") or not target.is_relative_to(dest.resolve()):
                raise GraderError(f"{archive.name}: {member.filename!r} points outside the archive")
            if stat.S_ISLNK(member.external_attr >> 16):
                continue  # never follow links from a submission
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    entries = [e for e in dest.iterdir() if not e.name.startswith(("__MACOSX", "."))]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else dest


@dataclass
class _Pending:
    student: Student
    results: dict[str, TopicResult]
    remaining: int
    started: float


class Batch:
    def __init__(self, grader: Grader, out: Path, on_event: Callable[[str, Student, int, int], None] | None = None,
                 topics: list[Topic] | None = None):
        self.grader = grader
        self.out = out
        self.topics = topics or list(grader.course.topics)
        self.on_event = on_event or (lambda *_: None)
        self._lock = threading.Lock()

    def run(self, students: list[Student], force: bool = False) -> list[str]:
        """Grade the students that have no result yet (all with ``force``); return the names graded."""
        self.out.mkdir(parents=True, exist_ok=True)
        todo = [s for s in students if force or not result_path(self.out, s.name).exists()]
        topics = self.topics
        total, done = len(todo), 0
        graded: list[str] = []
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as tmp:
            if todo:
                self.grader.prefetch_manifests([self.grader.course.path(t.hidden).resolve() for t in topics], Path(tmp))
            units: list[tuple[_Pending, TopicJob]] = []
            for student in todo:
                pending = _Pending(student, {}, len(topics), time.monotonic())
                work = Path(tmp) / hashlib.sha256(student.name.encode()).hexdigest()[:16]
                try:
                    root = self._root(student, work / "submission")
                except (GraderError, OSError, zipfile.BadZipFile) as exc:
                    self._finish(pending, self._broken(student, str(exc)))
                    done += 1
                    graded.append(student.name)
                    self.on_event("done", student, done, total)
                    continue
                units += [(pending, TopicJob(t, root, self.grader.course.path(t.hidden).resolve(), work / t.id))
                          for t in topics]

            def grade(unit: tuple[_Pending, TopicJob]) -> None:
                nonlocal done
                pending, job = unit
                self.on_event("start", pending.student, done, total)
                result = self.grader.grade_topic(job)
                with self._lock:
                    pending.results[job.topic.id] = result
                    pending.remaining -= 1
                    finished = pending.remaining == 0
                if finished:
                    ordered = tuple(pending.results[t.id] for t in topics)
                    self._finish(pending, GradeResult(ordered, self.grader.sandbox.tier))
                    shutil.rmtree(job.work.parent, ignore_errors=True)
                    with self._lock:
                        done += 1
                        graded.append(pending.student.name)
                    self.on_event("done", pending.student, done, total)

            with ThreadPoolExecutor(max_workers=self.grader.jobs) as pool:
                list(pool.map(grade, units))
        return graded

    def _root(self, student: Student, dest: Path) -> Path:
        if student.is_zip:
            dest.mkdir(parents=True)
            return submission_root(extract_zip(student.path, dest))
        return submission_root(student.path)

    def _broken(self, student: Student, why: str) -> GradeResult:
        message = f"the submission could not be read: {why}"
        topics = tuple(
            TopicResult(t.id, t.title, (), (), message, max_points=float(topic_points(self.grader.course, t)))
            for t in self.topics
        )
        return GradeResult(topics, self.grader.sandbox.tier, (Flag("unreadable-submission", message),))

    def _finish(self, pending: _Pending, result: GradeResult) -> None:
        document = {"student": pending.student.name, **json_report.as_dict(result)}
        write_atomic(result_path(self.out, pending.student.name), json.dumps(document, indent=2) + "\n")


def load_results(folders: list[Path]) -> dict[str, GradeResult]:
    """Every ``<student>.json`` in ``folders``; the same student twice with different results is an error."""
    found: dict[str, tuple[Path, GradeResult, str]] = {}
    for folder in folders:
        if not folder.is_dir():
            raise GraderError(f"{folder}: not a folder of batch results")
        for path in sorted(folder.glob("*.json")):
            if path.name.startswith("."):
                continue
            text = path.read_text(encoding="utf-8")
            try:
                data = json.loads(text)
                result = json_report.load(data)
            except (ValueError, KeyError, TypeError) as exc:
                raise GraderError(f"{path}: not a grader result ({exc})") from None
            name = str(data.get("student") or path.stem)
            if name in found and found[name][2] != text:
                raise GraderError(f"{name} has different results in {found[name][0]} and {path}")
            found[name] = (path, result, text)
    return {name: entry[1] for name, entry in found.items()}
