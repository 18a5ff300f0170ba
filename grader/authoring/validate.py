"""``grader validate``: lint the course, then prove its hidden tests separate right from wrong.

Solutions must score full marks, stubs zero, and every mutant in ``tests/mutants/<folder>/`` must
lose points in each exercise its docstring names (``Loses: parallel_apply, imap_in_order``), in
every one of ``repeat`` runs. A mutant runs only its named exercises' tests, each exercise
stopping at its first failure: that failure is the proof, and the rest would only cost time.
Every (candidate, run) pair is graded as its own job, so the whole matrix runs in parallel.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.authoring.perturb import Perturbation
from grader.authoring.sync import strip_markers
from grader.authoring.validate_report import CandidateReport, RunVerdict, TopicReport, ValidateReport
from grader.course import Course, Topic
from grader.errors import GraderError
from grader.grading import durations, scheduler
from grader.grading import lint as course_lint
from grader.grading.grader import Grader
from grader.grading.steps import Suite, TopicJob
from grader.result import Status, TopicResult

_LOSES = re.compile(r"^\s*Loses:\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Candidate:
    """One module graded against one topic's hidden tests."""

    topic: Topic
    kind: str  # solution, stub, mutant
    name: str
    path: Path
    loses: tuple[str, ...] = ()
    description: str = ""


@dataclass
class Verdict:
    candidate: Candidate
    runs: list[TopicResult] = field(default_factory=list)
    perturbations: list[Perturbation | None] = field(default_factory=list)

    def classify(self) -> dict[str, dict[str, Any]]:
        """Every test as stable-pass, stable-fail or flaky across the runs, with a reproducer for flakes."""
        outcomes: dict[str, list[bool]] = {}
        for result in self.runs:
            for test in result.tests:
                outcomes.setdefault(test.id, []).append(test.status is Status.PASSED)
        classes: dict[str, dict[str, Any]] = {}
        for test_id, passed in outcomes.items():
            if all(passed):
                classes[test_id] = {"class": "stable-pass"}
            elif not any(passed):
                classes[test_id] = {"class": "stable-fail"}
            else:
                run = passed.index(False)
                perturbation = self.perturbations[run] if run < len(self.perturbations) else None
                classes[test_id] = {"class": "flaky", "failed_runs": passed.count(False), "runs": len(passed),
                                    "failing_run": perturbation.describe() if perturbation else f"run {run + 1}",
                                    "reproduce": self.reproduce(perturbation)}
        return classes

    def reproduce(self, perturbation: Perturbation | None) -> str:
        c = self.candidate
        base = f"grader validate --topic {c.topic.id} --only {c.name}"
        return f"{base} --perturb --seed {perturbation.seed}" if perturbation else f"{base} --repeat {len(self.runs)}"

    def lost(self, result: TopicResult) -> dict[str, float]:
        """Points lost per exercise in one run."""
        lost: dict[str, float] = {}
        for test in result.tests:
            if test.exercise and test.status is not Status.PASSED:
                lost[test.exercise] = lost.get(test.exercise, 0.0) + test.max_score
        return lost

    def run_ok(self, result: TopicResult) -> bool:
        kind = self.candidate.kind
        if kind == "solution":
            return result.max_score > 0 and result.score == result.max_score and not result.message
        if kind == "stub":
            return result.score == 0
        lost = self.lost(result)
        return all(lost.get(name, 0) > 0 for name in self.candidate.loses)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(self.run_ok(r) for r in self.runs)

    def report(self) -> CandidateReport:
        runs = []
        for result, perturbation in zip(self.runs, self.perturbations + [None] * len(self.runs), strict=False):
            runs.append(RunVerdict(
                ok=self.run_ok(result), score=round(result.score, 6), max_score=round(result.max_score, 6),
                lost={k: round(v, 6) for k, v in self.lost(result).items()},
                failed_tests=tuple(f"{t.id} [{t.status.value}] {t.message.splitlines()[0] if t.message else ''}".rstrip()
                                   for t in result.tests if t.status is not Status.PASSED),
                message=result.message, perturbation=perturbation.describe() if perturbation else None))
        c = self.candidate
        return CandidateReport(c.kind, c.name, str(c.path), c.loses, c.description, self.ok, tuple(runs),
                               self.classify())


def lint(course: Course) -> list[str]:
    """Problems with the course's files and metadata, one sentence each."""
    order = course_lint.order_problem(course)
    problems = [f"course.yml: {order}"] if order else []
    for topic in course.topics:
        for path in (course.solution(topic), course.stub(topic), course.lesson(topic), course.visible_tests(topic),
                     course.hidden_tests(topic)):
            if not path.is_file():
                problems.append(f"{topic.id}: {path.relative_to(course.root).as_posix()} is missing")
        for exercise in topic.exercises:
            if not exercise.hints:
                problems.append(f"{topic.id}: exercise {exercise.name} has no hints")
        mutants = mutant_files(course, topic)
        if not mutants:
            problems.append(f"{topic.id}: no mutants in tests/mutants/{topic.folder}/")
        names = {e.name for e in topic.exercises}
        for path in mutants:
            loses, _ = read_mutant(path)
            if not loses:
                problems.append(f"{topic.id}: mutant {path.name} has no 'Loses: <exercise>' line in its docstring")
            for name in set(loses) - names:
                problems.append(f"{topic.id}: mutant {path.name} names unknown exercise {name!r}")
    from grader.authoring import i18n_lint

    return problems + i18n_lint.problems_and_notes(course)[0]  # the Chinese edition in step with the English


def mutant_files(course: Course, topic: Topic) -> list[Path]:
    folder = course.mutants_dir(topic)
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_")) if folder.is_dir() else []


def read_mutant(path: Path) -> tuple[tuple[str, ...], str]:
    """(exercises it must lose, first docstring line), read without running the file."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        return (), "(does not parse)"
    match = _LOSES.search(doc)
    loses = tuple(n.strip() for n in match.group(1).split(",") if n.strip()) if match else ()
    return loses, doc.strip().splitlines()[0] if doc.strip() else ""


def candidates(course: Course, topics: list[Topic]) -> list[Candidate]:
    found = []
    for topic in topics:
        found.append(Candidate(topic, "solution", "solution", course.solution(topic)))
        found.append(Candidate(topic, "stub", "stub", course.stub(topic)))
        for path in mutant_files(course, topic):
            loses, description = read_mutant(path)
            found.append(Candidate(topic, "mutant", path.stem, path, loses, description))
    return found


def module_text(course: Course, candidate: Candidate) -> str:
    """The module graded for a candidate: a mutant is an overlay appended to the plain solution."""
    text = candidate.path.read_text(encoding="utf-8")
    if candidate.kind != "mutant":
        return text
    solution = course.solution(candidate.topic)
    overlay = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("from __future__"))
    return f"{strip_markers(solution.read_text(encoding='utf-8'))}\n\n# --- mutant: {candidate.name} ---\n{overlay}"


def chosen(course: Course, topics: list[Topic], only: str | None) -> list[Candidate]:
    """The candidates ``only`` names (names or shell patterns, comma-separated; None: all of them)."""
    patterns = [p.strip() for p in (only or "").split(",") if p.strip()]
    found = [c for c in candidates(course, topics)
             if only is None or any(fnmatch.fnmatchcase(c.name, p) for p in patterns)]
    if only is not None and not found:
        raise GraderError(f"--only {only}: no solution, stub or mutant of that name in the chosen topics")
    return found


def validate(course: Course, grader: Grader, topics: list[Topic], repeat: int, *, perturb: bool = False,
             seed: int = 0, only: str | None = None, record_durations: bool = False,
             on_progress: Callable[[int, int], None] = lambda _done, _total: None) -> tuple[list[Verdict], list[str]]:
    """Grade every candidate ``repeat`` times; return the verdicts and the problems found.

    With ``perturb``, run ``i`` uses ``Perturbation.from_seed(seed + i)`` for every candidate, so a
    flaky (candidate, test) pair comes with the seed that reproduces it. ``on_progress(done, total)``
    follows the gradings (a release check takes an hour). With ``record_durations`` the solutions'
    grading times go to the course's durations file, so later gradings start the longest topics first.
    """
    problems = lint(course)
    verdicts = [Verdict(c) for c in chosen(course, topics, only)]
    schedule = [Perturbation.from_seed(seed + i) if perturb else None for i in range(repeat)]
    plan = [(v, i) for i in range(repeat) for v in verdicts]
    seconds: dict[str, float] = {}
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="grader-validate-") as tmp:
        def grade(verdict: Verdict, i: int) -> TopicResult:
            started = time.monotonic()
            result = _grade_candidate(course, grader, verdict.candidate, Path(tmp), i, schedule[i])
            if verdict.candidate.kind == "solution" and not perturb:
                with lock:
                    seconds[verdict.candidate.topic.id] = max(seconds.get(verdict.candidate.topic.id, 0.0),
                                                              time.monotonic() - started)
            return result

        units = [scheduler.Unit(v.candidate.topic.id, lambda v=v, i=i: grade(v, i)) for v, i in plan]  # type: ignore[misc]
        done = 0

        def finished(_index: int, _result: TopicResult) -> None:
            nonlocal done
            done += 1
            on_progress(done, len(units))

        on_progress(0, len(units))
        results = scheduler.run(grader, units, Path(tmp), on_done=finished)
    for (verdict, i), result in zip(plan, results, strict=True):
        verdict.runs.append(result)
        verdict.perturbations.append(schedule[i])
    if record_durations:  # the solutions' times (``--only solution`` records just those)
        durations.record(course.durations_file, seconds)
    return verdicts, problems + _flaky(verdicts)


def _grade_candidate(course: Course, grader: Grader, c: Candidate, tmp: Path, i: int,
                     perturbation: Perturbation | None) -> TopicResult:
    root = tmp / f"{c.topic.id}-{c.kind}-{c.name}-{i}"
    (root / "sub" / c.topic.folder).mkdir(parents=True)
    if c.path.is_file():
        (root / "sub" / c.topic.folder / c.topic.module_file).write_text(module_text(course, c))
    hidden = Suite.HIDDEN.test_file(course, c.topic)
    if c.kind != "mutant" or not c.loses:
        return grader.grade_topic(TopicJob(c.topic, root / "sub", hidden, root / "run", perturbation))
    # A mutant only has to lose points in the exercises it names: run just their tests, one
    # exercise at a time, each stopping at its first failure.
    parts = [grader.grade_topic(TopicJob(c.topic, root / "sub", hidden, root / f"run-{name}", perturbation,
                                         exercises=(name,)))
             for name in c.loses]
    return TopicResult(c.topic.id, c.topic.title, tuple(t for p in parts for t in p.tests),
                       tuple(f for p in parts for f in p.flags), next((p.message for p in parts if p.message), ""))


def _flaky(verdicts: list[Verdict]) -> list[str]:
    problems = []
    for verdict in verdicts:
        if verdict.candidate.kind in ("solution", "stub"):
            for test_id, info in verdict.classify().items():
                if info["class"] == "flaky":
                    problems.append(f"{verdict.candidate.topic.id}: {test_id} is flaky on the {verdict.candidate.kind} "
                                    f"({info['failed_runs']}/{info['runs']} runs failed; reproduce: {info['reproduce']})")
    return problems


def report(verdicts: list[Verdict], problems: list[str], repeat: int, notes: list[str] | None = None) -> ValidateReport:
    by_topic: dict[str, list[CandidateReport]] = {}
    for verdict in verdicts:
        by_topic.setdefault(verdict.candidate.topic.id, []).append(verdict.report())
    topics = []
    for topic_id, candidates in by_topic.items():
        kinds = {c.kind: c for c in candidates if c.kind != "mutant"}
        mutants = tuple(c for c in candidates if c.kind == "mutant")
        score = round(sum(m.ok for m in mutants) / len(mutants), 4) if mutants else None
        flaky = tuple(f"{c.name}: {test_id}" for c in [kinds.get("solution"), kinds.get("stub"), *mutants]
                      if c for test_id, info in c.tests.items() if info["class"] == "flaky")
        topics.append(TopicReport(topic_id, kinds.get("solution"), kinds.get("stub"), mutants, score, flaky))
    ok = not problems and all(v.ok for v in verdicts)
    return ValidateReport(ok, repeat, tuple(problems), tuple(topics), tuple(notes or ()))
