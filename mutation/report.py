"""Per-topic mutation figures from the cosmic-ray sessions in mutation/sessions/.

    python mutation/report.py             # a table, then every survivor not listed as equivalent
    python mutation/report.py --markdown  # the same as Markdown (mutation/RESULTS.md is made this way)

score = killed / (graded - incompetent - listed), where `listed` are the survivors that
mutation/equivalent.yml judges equivalent or harmless (each with a one-line reason). A survivor is
matched by topic, cosmic-ray operator and the text of the line it changed, so the list survives
edits elsewhere in the solution.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome

HERE = Path(__file__).resolve().parent
SESSIONS = HERE / "sessions"
EQUIVALENT = HERE / "equivalent.yml"


@dataclass(frozen=True)
class Survivor:
    operator: str
    line_number: int
    line: str
    diff: str


@dataclass
class Figures:
    topic: str
    graded: int = 0
    killed: int = 0
    incompetent: int = 0
    listed: int = 0
    survivors: list[Survivor] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        counted = self.graded - self.incompetent - self.listed
        return self.killed / counted if counted else None


def changed_line(diff: str) -> str:
    """The first original line the mutation changed, from cosmic-ray's unified diff."""
    for text in diff.splitlines():
        if text.startswith("-") and not text.startswith("---"):
            return text[1:].strip()
    return ""


def load_equivalents(path: Path = EQUIVALENT) -> set[tuple[str, str, str]]:
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.is_file() else []
    keys = set()
    for number, entry in enumerate(entries):
        missing = {"topic", "operator", "line", "reason"} - set(entry)
        if missing:
            raise SystemExit(f"{path.name}: entry {number} lacks {', '.join(sorted(missing))}")
        keys.add((entry["topic"], entry["operator"], entry["line"].strip()))
    return keys


def figures(topic: str, session: Path, equivalents: set[tuple[str, str, str]]) -> Figures:
    result = Figures(topic)
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item, outcome in db.completed_work_items:
            if outcome.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            result.graded += 1
            if outcome.test_outcome == TestOutcome.KILLED:
                result.killed += 1
            elif outcome.test_outcome == TestOutcome.INCOMPETENT:
                result.incompetent += 1
            else:
                mutation = item.mutations[0]
                line = changed_line(outcome.diff or "")
                if (topic, mutation.operator_name, line) in equivalents:
                    result.listed += 1
                else:
                    result.survivors.append(Survivor(mutation.operator_name, mutation.start_pos[0], line,
                                                     outcome.diff or ""))
    return result


def render(rows: list[Figures], markdown: bool) -> str:
    head = ("topic", "mutants", "killed", "incompetent", "listed", "survived", "score")
    lines = []
    if markdown:
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    else:
        lines.append(f"{head[0]:<24}" + "  ".join(f"{h:>11}" for h in head[1:]))
    for row in rows:
        score = "n/a" if row.score is None else f"{row.score:.0%}"
        cells = (row.topic, row.graded, row.killed, row.incompetent, row.listed, len(row.survivors), score)
        lines.append("| " + " | ".join(map(str, cells)) + " |" if markdown
                     else f"{row.topic:<24}" + "  ".join(f"{c!s:>11}" for c in cells[1:]))
    for row in rows:
        for survivor in row.survivors:
            lines.append(f"\n{row.topic}: survived {survivor.operator} at line {survivor.line_number}: "
                         f"{survivor.line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args(argv)
    sessions = sorted(SESSIONS.glob("*.sqlite"))
    if not sessions:
        raise SystemExit("mutation/report.py: no sessions yet: run mutation/run.py first")
    equivalents = load_equivalents()
    print(render([figures(path.stem, path, equivalents) for path in sessions], args.markdown))


if __name__ == "__main__":
    main()
