"""Every lesson links the reference documentation, its Mermaid diagrams are well-formed and its Python
snippets run as shown (issue #16).

A Mermaid block is a fenced block opened by a line that is exactly ```` ```mermaid ````, closed by a
line that is exactly ```` ``` ```` before any other fence opens, whose first line names a diagram
type GitHub renders. Inside it, square brackets, parentheses and double quotes balance on every line
(an unbalanced one is the usual reason a diagram shows as an error box on GitHub).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from grader import course as course_model
from tests.conftest import ROOT

COURSE = course_model.load(ROOT / "course.yml")
LESSONS = {topic.id: COURSE.lesson(topic) for topic in COURSE.topics}
DIAGRAM_TYPES = ("flowchart", "graph", "sequenceDiagram", "gantt", "stateDiagram-v2", "classDiagram", "timeline")
FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
# The lessons the issue asks a picture for, and the opening topic.
MUST_HAVE_A_DIAGRAM = ("00_concepts", "01_processes", "02_ipc", "04_pool", "07_locks_races", "08_deadlock",
                       "11_gil", "14_asyncio")


def fenced_blocks(text: str) -> list[tuple[int, str, list[str]]]:
    """(line number, info string, body lines) of every fenced block; an unclosed fence is an error."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info, start = match.group(1), match.group(2).strip(), i
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            i += 1
        if i == len(lines):
            raise AssertionError(f"line {start + 1}: the fence {fence}{info} is never closed")
        blocks.append((start + 1, info, lines[start + 1:i]))
        i += 1
    return blocks


def mermaid_problems(text: str) -> list[str]:
    problems = []
    for line_no, info, body in fenced_blocks(text):
        if info != "mermaid":
            if "mermaid" in info.lower():
                problems.append(f"line {line_no}: write the fence as ```mermaid (got {info!r})")
            continue
        content = [line for line in body if line.strip() and not line.strip().startswith("%%")]
        if not content:
            problems.append(f"line {line_no}: empty mermaid block")
            continue
        first = content[0].split()[0]
        if first not in DIAGRAM_TYPES:
            problems.append(f"line {line_no}: the diagram starts with {first!r}, not one of {', '.join(DIAGRAM_TYPES)}")
        for offset, line in enumerate(body, start=1):
            if "```" in line:
                problems.append(f"line {line_no + offset}: a fence inside the mermaid block")
            if line.count('"') % 2:
                problems.append(f"line {line_no + offset}: unbalanced double quotes")
            unquoted = re.sub(r'"[^"]*"', "", line)
            for opening, closing in ("[]", "()", "{}"):
                if unquoted.count(opening) != unquoted.count(closing):
                    problems.append(f"line {line_no + offset}: unbalanced {opening}{closing} outside quotes")
    return problems


@pytest.mark.parametrize("topic_id", sorted(LESSONS))
def test_every_lesson_links_the_reference_docs(topic_id):
    text = LESSONS[topic_id].read_text(encoding="utf-8")
    assert re.search(r"\(https://docs\.python\.org/3/[^)\s]+\)", text), (
        f"{topic_id}: the lesson has no link to docs.python.org/3 (add a Further reading list)")
    assert "## Further reading" in text, f"{topic_id}: no '## Further reading' section"


@pytest.mark.parametrize("topic_id", sorted(LESSONS))
def test_mermaid_blocks_are_well_formed(topic_id):
    problems = mermaid_problems(LESSONS[topic_id].read_text(encoding="utf-8"))
    assert not problems, f"{LESSONS[topic_id]}: " + "; ".join(problems)


@pytest.mark.parametrize("topic_id", MUST_HAVE_A_DIAGRAM)
def test_the_lessons_that_need_a_picture_have_one(topic_id):
    text = LESSONS[topic_id].read_text(encoding="utf-8")
    assert any(info == "mermaid" for _, info, _ in fenced_blocks(text)), f"{topic_id}: no Mermaid diagram"


@pytest.mark.parametrize(("text", "expected"), [
    ("```mermaid\nflowchart LR\n  A --> B\n```\n", []),
    ("```mermaid\nflowchart LR\n  A[\"x\" --> B\n```\n", ["unbalanced []"]),
    ("```mermaid\nsequence\n  A->>B: hi\n```\n", ["the diagram starts with 'sequence'"]),
    ("```mermaid\n```\n", ["empty mermaid block"]),
    ("```Mermaid\ngraph TD\n  A --> B\n```\n", ["write the fence as ```mermaid"]),
])
def test_the_mermaid_check_itself(text, expected):
    problems = mermaid_problems(text)
    assert len(problems) == len(expected) and all(e in p for e, p in zip(expected, problems, strict=True)), problems


def test_an_unclosed_fence_is_reported():
    with pytest.raises(AssertionError, match="never closed"):
        fenced_blocks("```mermaid\ngraph TD\n")


def test_lessons_are_found_for_every_topic():
    assert all(isinstance(path, Path) and path.is_file() for path in LESSONS.values())


# Lesson snippets run as shown (issue #16): every ```python block is a whole program that a student
# can save to a file and run, unless the line before its fence says otherwise:
#   <!-- fragment -->      part of a program around it (it must still compile)
#   <!-- python 3.13+ -->  runs from that version on (before it, it must still compile)
SNIPPET_MARK = re.compile(r"<!--\s*(fragment|python (3\.\d+)\+)\s*-->")


def python_snippets() -> list[tuple[str, int, str, str]]:
    """(topic id, block line, mark or "", code) of every python block of every English lesson."""
    found = []
    for topic_id, path in LESSONS.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line_no, info, body in fenced_blocks("\n".join(lines)):
            if info == "python":
                before = next((lines[i] for i in range(line_no - 2, -1, -1) if lines[i].strip()), "")
                mark = SNIPPET_MARK.search(before)
                found.append((topic_id, line_no, mark.group(1) if mark else "", "\n".join(body) + "\n"))
    return found


SNIPPETS = python_snippets()


def test_the_lessons_have_snippets_to_run():
    assert len(SNIPPETS) > 60 and sum(not mark for *_, mark, _ in SNIPPETS) > 50


@pytest.mark.slow
@pytest.mark.parametrize(("topic_id", "line", "mark", "code"), SNIPPETS,
                         ids=[f"{t}:{line}" for t, line, _, _ in SNIPPETS])
def test_every_python_snippet_runs_as_shown(topic_id, line, mark, code, tmp_path):
    where = f"{LESSONS[topic_id].relative_to(ROOT)} line {line}"
    compile(code, where, "exec")  # every block is valid Python, fragments included
    version = re.match(r"python (3\.\d+)\+", mark)
    if mark == "fragment" or (version and sys.version_info < tuple(map(int, version.group(1).split(".")))):
        return
    script = tmp_path / "snippet.py"
    script.write_text(code, encoding="utf-8")
    # A snippet that imports the topic's module gets what the student will have written: the solution.
    solution = COURSE.solution(next(t for t in COURSE.topics if t.id == topic_id)).parent
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(solution)})
    assert proc.returncode == 0, f"{where} exits {proc.returncode}:\n{proc.stderr[-1500:]}"
