"""The ``grader-result/1`` JSON document (the contract in DESIGN.md).

Texts are kept as they are except lone surrogates (U+FFFD instead), which strict JSON readers refuse."""

from __future__ import annotations

import json
from typing import Any

from grader.report.feedback import error_kind
from grader.report.safe import no_surrogates
from grader.result import SCHEMA, ErrorKind, Flag, GradeResult, Status, TestResult, TopicResult


def _num(value: float) -> float:
    """Totals are rounded for reading; per-test shares (4/3) are written exactly, so a file read
    back sums to the same totals."""
    return round(value, 6)


def test_dict(test: TestResult) -> dict[str, Any]:
    return {
        "id": test.id,
        "exercise": test.exercise,
        "status": test.status.value,
        "score": test.score,
        "max_score": test.max_score,
        "message": no_surrogates(test.message),
        "hint": no_surrogates(test.hint),
        "duration_s": test.duration_s,
    }


def topic_dict(topic: TopicResult, kind: ErrorKind | None = None) -> dict[str, Any]:
    """``error_kind``: why the topic could not be graded (missing-module, syntax-error,
    unreadable-submission, import-error, tests-unavailable), or null."""
    kind = kind or topic.error_kind
    return {
        "id": topic.id,
        "title": topic.title,
        "score": _num(topic.score),
        "max_score": _num(topic.max_score),
        "status": topic.status.value,
        "message": no_surrogates(topic.message),
        "error_kind": kind.value if kind else None,
        "tests": [test_dict(t) for t in topic.tests],
    }


def as_dict(result: GradeResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "score": _num(result.score),
        "max_score": _num(result.max_score),
        "topics": [topic_dict(t, error_kind(result, t)) for t in result.topics],
        "flags": [{k: None if v is None else no_surrogates(v) for k, v in f.as_dict().items()}
                  for f in result.all_flags],
        "sandbox": result.sandbox,
    }


def render(result: GradeResult) -> str:
    return json.dumps(as_dict(result), indent=2) + "\n"


def load(data: dict[str, Any]) -> GradeResult:
    """Rebuild a GradeResult from ``as_dict`` output (batch files, shard merges)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} document (schema: {data.get('schema')!r})")
    flags_by_topic: dict[str | None, list[Flag]] = {}
    for raw in data.get("flags", []):
        flag = Flag(raw["code"], raw["message"], raw.get("topic"))
        flags_by_topic.setdefault(flag.topic, []).append(flag)
    topics = []
    for raw in data["topics"]:
        tests = tuple(
            TestResult(t["id"], t.get("exercise"), Status(t["status"]), float(t["max_score"]), t.get("message", ""),
                       t.get("hint", ""), float(t.get("duration_s", 0.0)))
            for t in raw["tests"]
        )
        kind = raw.get("error_kind")
        topics.append(TopicResult(raw["id"], raw.get("title", raw["id"]), tests,
                                  tuple(flags_by_topic.get(raw["id"], ())), raw.get("message", ""),
                                  max_points=float(raw["max_score"]), error_kind=ErrorKind(kind) if kind else None))
    return GradeResult(tuple(topics), data.get("sandbox", ""), tuple(flags_by_topic.get(None, ())))
