"""Grade a whole class: every (student, topic) pair is one job in one pool, results written as they finish.

Each student's result is written to ``OUT/<student>.json`` atomically (a temporary file, then
``os.replace``) the moment their last topic is graded, so a batch killed at any point and run
again grades only what is missing, and never leaves half a file. One broken submission (an
unreadable, encrypted or oddly compressed zip, a missing folder, anything that raises while it
is taken in, graded or written) becomes that student's error result with a one-line message;
the batch goes on. Files are named by a safe, length-capped, unique stem of the student's name
(``file_stem``); the name itself is kept, as text, inside the results.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grader.course import Topic
from grader.errors import GraderError
from grader.fsutil import write_atomic
from grader.grading import archives, freshness, scheduler
from grader.grading.grader import Grader
from grader.grading.intake import submission_root
from grader.grading.scoring import topic_points
from grader.grading.steps import Suite, TopicJob
from grader.report import json_result, safe
from grader.result import Flag, FlagCode, GradeResult, TopicResult
from grader.sandbox.base import Interrupted

MAX_STEM_BYTES = 100
_SAFE_STEM = re.compile(r"[^\W_][\w.-]*")


@dataclass(frozen=True)
class Student:
    name: str
    """The submission's name as text (undecodable bytes of a folder name shown as ``\\xff``)."""
    path: Path
    stem: str = ""
    """Its result files' name (``file_stem``); ``discover`` makes them unique in the class."""

    def __post_init__(self) -> None:
        if not self.stem:
            object.__setattr__(self, "stem", file_stem(self.name))

    @property
    def is_archive(self) -> bool:
        return archives.is_archive(self.path)


def discover(submissions: Path) -> list[Student]:
    """One student per subfolder (a folder of topic folders, or a repository clone), ``.zip``,
    ``.tar.gz`` or ``.tgz``; a folder with none of these is a usage error."""
    if not submissions.is_dir():
        raise GraderError(f"{submissions}: not a folder of submissions")
    students: dict[str, Path] = {}
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() or (entry.is_file() and archives.is_archive(entry)):
            name = display_name(archives.stem(entry) if entry.is_file() else entry.name)
            if name in students:
                raise GraderError(f"{submissions}: two submissions for {name!r} ({display_name(students[name].name)}, "
                                  f"{display_name(entry.name)})")
            students[name] = entry
    if not students:
        raise GraderError(f"{submissions}: no submissions in it (expected one subfolder, .zip, .tar.gz or .tgz "
                          "per student)")
    stems = file_stems(list(students))
    return [Student(name, path, stems[name]) for name, path in students.items()]


def display_name(name: str) -> str:
    """A file name as text that any writer accepts: bytes that were not UTF-8 (which Python keeps
    as lone surrogates) become ``\\xff`` escapes. Control characters stay; reports escape them."""
    return os.fsencode(name).decode("utf-8", "backslashreplace") if os.name == "posix" else \
        name.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def file_stem(name: str) -> str:
    """A name fit for a file: ``name`` itself when it is word characters, dots and dashes of at
    most ``MAX_STEM_BYTES`` bytes (UTF-8); otherwise its safe characters, capped, and a hash of
    the whole name (never a leading dot, a newline, a slash or a name too long for a file)."""
    if _SAFE_STEM.fullmatch(name) and len(name.encode("utf-8", "surrogatepass")) <= MAX_STEM_BYTES:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    slug = re.sub(r"[^\w.-]+", "_", name).strip("._-")
    while len(slug.encode("utf-8", "surrogatepass")) > MAX_STEM_BYTES - 11:
        slug = slug[:-1]
    return f"{slug.rstrip('._-') or 'student'}-{digest}"


def file_stems(names: list[str]) -> dict[str, str]:
    """``file_stem`` of each name, made unique ignoring case (two names never share a file, even
    on a case-insensitive disk) in a stable order: the same class always gets the same stems."""
    taken: set[str] = set()
    stems: dict[str, str] = {}
    for name in sorted(names):
        stem = base = file_stem(name)
        number = 1
        while stem.casefold() in taken:
            number += 1
            stem = f"{base}-{number}"
        taken.add(stem.casefold())
        stems[name] = stem
    return stems


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


def result_path(out: Path, stem: str) -> Path:
    """``OUT/<stem>.json``; ``stem`` is a ``Student.stem`` (``file_stem`` of the name)."""
    return out / f"{stem}.json"


def _work_name(student: Student) -> str:
    """A student's work folder: a hash of the name (to find it when debugging) and a random part, so
    that on a tier sharing one uid a classmate's code cannot guess the path of anyone else's files."""
    digest = hashlib.sha256(student.stem.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{digest}-{secrets.token_hex(8)}"


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
        self.basis = freshness.current(grader.course, self.topics)
        """What this batch grades against; written into every result (``graded_against``)."""
        self.on_event: Event = on_event or (lambda *_: None)
        self.done = 0
        self.total = 0
        self.unwritten: list[tuple[str, str]] = []
        """Students whose result could not be written at all, with why."""
        self._lock = threading.Lock()

    def plan(self, students: list[Student], force: bool = False) -> dict[str, str]:
        """The students to grade, by name, with why: ``new`` (no result yet), ``forced``, or why
        their stored result no longer stands (``grader.grading.freshness``). The rest are kept."""
        why = {s.name: "forced" if force else freshness.stale(result_path(self.out, s.stem), self.basis)
               for s in students}
        return {name: reason for name, reason in why.items() if reason}

    def run(self, students: list[Student]) -> list[str]:
        """Grade ``students`` (``plan`` says which); return the names graded."""
        self.out.mkdir(parents=True, exist_ok=True)
        todo = list(students)
        self.total, self.done = len(todo), 0
        graded: list[str] = []
        with tempfile.TemporaryDirectory(prefix="grader-batch-") as tmp:
            os.chmod(tmp, 0o711)  # students' folders can be entered by their exact name, not listed
            units: list[scheduler.Unit[TopicResult]] = []
            jobs: list[tuple[_Pending, TopicJob]] = []
            for group, student in enumerate(todo):
                work = Path(tmp) / _work_name(student)
                try:
                    root = self._root(student, work / "submission")
                except Exception as exc:  # noqa: BLE001 - whatever one submission raises, the class goes on
                    self._finish(_Pending(student, {}, 0), self._broken(student, _one_line(exc)), graded)
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

            try:
                scheduler.run(self.grader, units, Path(tmp), on_done=on_done)
            except Interrupted as exc:
                exc.summary = self._interrupted(graded)
                raise
        return graded

    def _interrupted(self, graded: list[str]) -> str:
        """What an interrupted batch kept: the students finished this run (their files stay)."""
        with self._lock:
            names = [safe.one_line(name, 60) for name in graded]
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        kept = f"{len(names)} student(s) graded this run and kept in {self.out}" + (f" ({shown})" if names else "")
        return f"{kept}; {self.total - len(names)} not finished: run the same command again to grade them"

    def _grading(self, pending: _Pending, job: TopicJob) -> Callable[[], TopicResult]:
        def grade() -> TopicResult:
            self._notify("start", pending.student, self.done, self.total)
            return self.grader.grade_topic(job)  # never raises: an internal error is the topic's result

        return grade

    def _root(self, student: Student, dest: Path) -> Path:
        if student.is_archive:
            dest.mkdir(parents=True)
            return submission_root(archives.extract(student.path, dest.resolve()))
        return submission_root(student.path)

    def _notify(self, event: str, student: Student, done: int, total: int) -> None:
        try:
            self.on_event(event, student, done, total)
        except Exception:  # noqa: BLE001 - a progress display that fails on one name must not stop the batch
            pass

    def _broken(self, student: Student, why: str, what: str = "the submission could not be read") -> GradeResult:
        message = f"{what}: {why}"
        topics = tuple(
            TopicResult(t.id, t.title, (), (), message, max_points=float(topic_points(self.grader.course, t)))
            for t in self.topics
        )
        return GradeResult(topics, self.grader.sandbox.tier, (Flag(FlagCode.UNREADABLE_SUBMISSION, message),))

    def _finish(self, pending: _Pending, result: GradeResult, graded: list[str]) -> None:
        """Write the student's result (the moment their last topic is graded) and say so; if writing
        fails, an error result in its place; if that fails too (the disk is full), the student is
        listed in ``unwritten`` and the batch goes on."""
        student = pending.student
        try:
            self._write(student, result)
        except Exception as exc:  # noqa: BLE001 - one student's result, not the class's
            try:
                self._write(student, self._broken(student, _one_line(exc), "the result could not be written"))
            except Exception as again:  # noqa: BLE001
                with self._lock:
                    self.unwritten.append((student.name, _one_line(again)))
        with self._lock:
            self.done += 1
            graded.append(student.name)
        self._notify("done", student, self.done, self.total)

    def _write(self, student: Student, result: GradeResult) -> None:
        document = freshness.document(result, self.basis, student=student.name)
        write_atomic(result_path(self.out, student.stem), json.dumps(document, indent=2) + "\n")


def _one_line(exc: BaseException) -> str:
    """What went wrong, on one line a report can show (a one-line GraderError or OSError as it is)."""
    text = str(exc) if isinstance(exc, (GraderError, OSError)) and str(exc) else f"{type(exc).__name__}: {exc}"
    return safe.one_line(text, 300)


def load_results(folders: list[Path], allow_mixed: bool = True) -> dict[str, GradeResult]:
    """Every ``<student>.json`` in ``folders``; the same student twice with different results is an
    error, and so (unless ``allow_mixed``) are results graded against different records."""
    found: dict[str, tuple[Path, GradeResult, str]] = {}
    bases: dict[freshness.Basis | None, Path] = {}
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
            bases.setdefault(freshness.Basis.from_document(data), path)
    if not allow_mixed and len(bases) > 1:
        (first, one), (second, other) = list(bases.items())[:2]
        raise GraderError(f"results graded against different courses: {one} ({_basis(first)}) and {other} "
                          f"({_basis(second)}); regrade them, or pass --allow-mixed to merge them anyway")
    return {name: entry[1] for name, entry in found.items()}


def _basis(basis: freshness.Basis | None) -> str:
    return basis.short() if basis else "no record of what it was graded against"
