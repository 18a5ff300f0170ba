"""Grade a whole class: every (student, topic) pair is one job in one pool, results written as they finish.

Each student's result is written to ``OUT/<student>.json`` atomically (a temporary file, then
``os.replace``) the moment their last topic is graded, so a batch killed at any point and run
again grades only what is missing, and never leaves half a file. One broken submission (an
unreadable zip, a missing folder) becomes that student's error result; the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.course import Topic
from grader.errors import GraderError
from grader.fsutil import write_atomic
from grader.grading import scheduler
from grader.grading.grader import Grader
from grader.grading.intake import submission_root
from grader.grading.scoring import topic_points
from grader.grading.steps import Suite, TopicJob
from grader.report import json_result
from grader.result import Flag, FlagCode, GradeResult, TopicResult
from grader.settings import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS


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


Event = Callable[[str, Student, int, int], None]
"""``(event, student, done, total)``: ``start`` when one of a student's topics starts, ``done``
when the student's result is written."""


class Batch:
    def __init__(self, grader: Grader, out: Path, on_event: Event | None = None, topics: list[Topic] | None = None):
        self.grader = grader
        self.out = out
        self.topics = topics or list(grader.course.topics)
        self.on_event: Event = on_event or (lambda *_: None)
        self.done = 0
        self.total = 0

    def run(self, students: list[Student], force: bool = False) -> list[str]:
        """Grade the students that have no result yet (all with ``force``); return the names graded."""
        self.out.mkdir(parents=True, exist_ok=True)
        todo = [s for s in students if force or not result_path(self.out, s.name).exists()]
        self.total, self.done = len(todo), 0
        graded: list[str] = []
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as tmp:
            units: list[scheduler.Unit[TopicResult]] = []
            jobs: list[tuple[_Pending, TopicJob]] = []
            for group, student in enumerate(todo):
                work = Path(tmp) / hashlib.sha256(student.name.encode()).hexdigest()[:16]
                try:
                    root = self._root(student, work / "submission")
                except (GraderError, OSError, zipfile.BadZipFile) as exc:
                    self._finish(_Pending(student, {}, 0), self._broken(student, str(exc)), graded)
                    continue
                pending = _Pending(student, {}, len(self.topics))
                for topic in self.topics:
                    job = TopicJob(topic, root, Suite.HIDDEN.test_file(self.grader.course, topic), work / topic.id)
                    jobs.append((pending, job))
                    units.append(scheduler.Unit(topic.id, self._grading(pending, job), group))

            def on_done(index: int, result: TopicResult) -> None:
                pending, job = jobs[index]
                pending.results[job.topic.id] = result
                pending.remaining -= 1
                if pending.remaining == 0:
                    ordered = tuple(pending.results[t.id] for t in self.topics)
                    self._finish(pending, GradeResult(ordered, self.grader.sandbox.tier), graded)
                    shutil.rmtree(job.work.parent, ignore_errors=True)

            scheduler.run(self.grader, units, Path(tmp), on_done=on_done)
        return graded

    def _grading(self, pending: _Pending, job: TopicJob) -> Callable[[], TopicResult]:
        def grade() -> TopicResult:
            self.on_event("start", pending.student, self.done, self.total)
            return self.grader.grade_topic(job)

        return grade

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
        return GradeResult(topics, self.grader.sandbox.tier, (Flag(FlagCode.UNREADABLE_SUBMISSION, message),))

    def _finish(self, pending: _Pending, result: GradeResult, graded: list[str]) -> None:
        """Write the student's result (the moment their last topic is graded) and say so."""
        document = {"student": pending.student.name, **json_result.as_dict(result)}
        write_atomic(result_path(self.out, pending.student.name), json.dumps(document, indent=2) + "\n")
        self.done += 1
        graded.append(pending.student.name)
        self.on_event("done", pending.student, self.done, self.total)


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
                result = json_result.load(data)
            except (ValueError, KeyError, TypeError) as exc:
                raise GraderError(f"{path}: not a grader result ({exc})") from None
            name = str(data.get("student") or path.stem)
            if name in found and found[name][2] != text:
                raise GraderError(f"{name} has different results in {found[name][0]} and {path}")
            found[name] = (path, result, text)
    return {name: entry[1] for name, entry in found.items()}
