"""How long each topic's hidden tests take, recorded by ``grader validate --record-durations`` and
kept with the course (the author commits it; a test run never rewrites it).

The file is ``tests/hidden/durations.json`` (``Course.durations_file``): the durations describe the
hidden tests, so they live, are versioned and are shipped (the Gradescope zip) with them, and
never reach the student repository (``grader release`` copies from an allow-list). course.yml is
the hand-written source of truth and stays free of machine-written figures. The scheduler reads
it to start the longest topics first; a missing or unreadable file only means course order.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.fsutil import write_atomic


def load(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, dict):
        return {}
    return {str(k): float(v) for k, v in topics.items() if isinstance(v, (int, float))}


def record(path: Path, seconds: dict[str, float]) -> None:
    """Merge ``seconds`` (topic id -> wall time of its solution's grading) into the file, if the
    course keeps one (an author creates it once; fixture courses in tests never get one)."""
    if not seconds or not path.is_file():
        return
    known = load(path)
    known.update({topic: round(value, 1) for topic, value in seconds.items()})
    document = {"about": "seconds to grade each topic's solution, written by `grader validate --record-durations`; "
                         "the grader starts the longest topics first", "topics": dict(sorted(known.items()))}
    write_atomic(path, json.dumps(document, indent=2) + "\n")
