"""The ``grader-result/1`` JSON document (the contract in DESIGN.md)."""

from __future__ import annotations

import json
from typing import Any

from grader.result import SCHEMA, GradeResult, TestResult, TopicResult


def _num(value: float) -> float:
    # Shares like 4/9 are kept exact while summing; round only what is shown.
    return round(value, 6)


def test_dict(test: TestResult) -> dict[str, Any]:
    return {
        "id": test.id,
        "exercise": test.exercise,
        "status": test.status.value,
        "score": _num(test.score),
        "max_score": _num(test.max_score),
        "message": test.message,
        "hint": test.hint,
        "duration_s": test.duration_s,
    }


def topic_dict(topic: TopicResult) -> dict[str, Any]:
    return {
        "id": topic.id,
        "title": topic.title,
        "score": _num(topic.score),
        "max_score": _num(topic.max_score),
        "status": topic.status.value,
        "message": topic.message,
        "tests": [test_dict(t) for t in topic.tests],
    }


def as_dict(result: GradeResult) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "score": _num(result.score),
        "max_score": _num(result.max_score),
        "topics": [topic_dict(t) for t in result.topics],
        "flags": [f.as_dict() for f in result.all_flags],
        "sandbox": result.sandbox,
    }


def render(result: GradeResult) -> str:
    return json.dumps(as_dict(result), indent=2) + "\n"
