"""``grader validate``'s report as types: what the renderers read and what ``--format json`` writes.

The JSON (``schema: grader-validate/1``) is ``ValidateReport.as_dict()``; its keys are the field
names below, in this order, so the types are the schema's one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "grader-validate/1"


@dataclass(frozen=True)
class RunVerdict:
    """One grading of one candidate."""

    ok: bool
    score: float
    max_score: float
    lost: dict[str, float]
    """Points lost per exercise."""
    failed_tests: tuple[str, ...]
    """``test-id [status] first line of the message`` of each test that did not pass."""
    message: str
    perturbation: str | None = None
    """The schedule perturbation of this run (``--perturb``), described."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "score": self.score, "max_score": self.max_score,
                               "lost": dict(self.lost), "failed_tests": list(self.failed_tests),
                               "message": self.message}
        if self.perturbation is not None:
            out["perturbation"] = self.perturbation
        return out


@dataclass(frozen=True)
class CandidateReport:
    """A solution, a stub or a mutant, over every run."""

    kind: str
    """``solution``, ``stub`` or ``mutant``."""
    name: str
    file: str
    loses: tuple[str, ...]
    description: str
    ok: bool
    runs: tuple[RunVerdict, ...]
    tests: dict[str, dict[str, Any]]
    """Each test's class across the runs: ``stable-pass``, ``stable-fail`` or ``flaky`` (with a reproducer)."""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "file": self.file, "loses": list(self.loses),
                "description": self.description, "ok": self.ok, "runs": [r.as_dict() for r in self.runs],
                "tests": self.tests}


@dataclass(frozen=True)
class TopicReport:
    id: str
    solution: CandidateReport | None
    stub: CandidateReport | None
    mutants: tuple[CandidateReport, ...]
    mutation_score: float | None
    """Mutants caught in every run / mutants (None without mutants)."""
    flaky: tuple[str, ...]
    """``candidate: test id`` of each flaky pair."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "mutants": [m.as_dict() for m in self.mutants]}
        for kind in ("solution", "stub"):
            candidate = getattr(self, kind)
            if candidate is not None:
                out[kind] = candidate.as_dict()
        out["mutation_score"] = self.mutation_score
        out["flaky"] = list(self.flaky)
        return out


@dataclass(frozen=True)
class ValidateReport:
    ok: bool
    repeat: int
    problems: tuple[str, ...]
    topics: tuple[TopicReport, ...]
    notes: tuple[str, ...] = field(default=())
    """Never problems: e.g. a topic not translated yet."""

    def as_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "ok": self.ok, "repeat": self.repeat, "problems": list(self.problems),
                "topics": [t.as_dict() for t in self.topics], "notes": list(self.notes)}
