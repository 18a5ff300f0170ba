"""``grader validate``'s report as a terminal listing (its JSON is the report dict itself)."""

from __future__ import annotations

from typing import Any


def render(report: dict[str, Any]) -> str:
    lines = [f"PROBLEM  {problem}" for problem in report["problems"]]
    lines += [f"NOTE     {note}" for note in report.get("notes", [])]
    for topic in report["topics"]:
        lines += _topic_lines(topic)
    lines.append("validate: " + ("all good" if report["ok"] else "problems found"))
    return "\n".join(lines) + "\n"


def _topic_lines(topic: dict[str, Any]) -> list[str]:
    lines = []
    for kind in ("solution", "stub"):
        entry = topic.get(kind)
        if entry:
            scores = ", ".join(f"{r['score']:g}/{r['max_score']:g}" for r in entry["runs"])
            lines.append(f"{'ok' if entry['ok'] else 'FAIL':8} {topic['id']} {kind}: {scores}")
            if not entry["ok"]:
                lines += [f"           {t}" for r in entry["runs"] for t in r["failed_tests"][:5]]
    for mutant in topic["mutants"]:
        caught = sum(r["ok"] for r in mutant["runs"])
        lines.append(f"{'ok' if mutant['ok'] else 'MISSED':8} {topic['id']} mutant {mutant['name']}: "
                     f"caught in {caught}/{len(mutant['runs'])} runs (must lose: {', '.join(mutant['loses'])})")
    if topic["mutation_score"] is not None:
        lines.append(f"         {topic['id']} mutation score: {topic['mutation_score']:.0%}")
    lines += [f"FLAKY    {topic['id']} {flaky}" for flaky in topic["flaky"]]
    return lines
