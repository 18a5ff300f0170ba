"""A failed test's message as the student can read it: the test's own words, the student's paths.

pytest explains a failed ``assert`` by expanding it (``assert not True`` then ``+  where True =
ChildResult(...)``): that shows the hidden test's internals and says nothing the test's own message
does not. The student's files are named as the student knows them (``exercises/01_processes/
processes.py:12``), never by the sandbox's temporary folder.
"""

from __future__ import annotations

import re

from grader.course import Topic

_WHERE = re.compile(r"^\s*\+\s+(?:where|and)\b")
_NOISE = re.compile(r"^\s*(?:Use -v to get (?:more|the full) diff|\(pytest_assertion plugin: .*\))\s*$")


def clean(topic: Topic, message: str) -> str:
    """``message`` without pytest's expansion of the test's objects, with the student's paths."""
    return student_paths(topic, strip_introspection(message))


def strip_introspection(message: str) -> str:
    """Keep an assertion's own message (``AssertionError: <text>``) and drop what follows from its
    ``assert ...`` line on; for a bare ``assert``, keep the comparison but drop ``+ where`` lines."""
    lines = message.split("\n")
    if lines and lines[0].startswith("AssertionError: "):
        cut = next((i for i, line in enumerate(lines) if line.startswith("assert ")), len(lines))
        lines[0] = lines[0].removeprefix("AssertionError: ")
        lines = lines[:cut]
    kept = [line for line in lines if not _WHERE.match(line) and not _NOISE.match(line)]
    return "\n".join(kept).rstrip()


def student_paths(topic: Topic, message: str) -> str:
    """Every absolute path to one of the topic's files (``/tmp/grader-x/work/processes.py``) as
    ``exercises/<folder>/<file>``, the path in the student's repository."""
    names = "|".join(re.escape(name) for name in (topic.module_file, *topic.files))
    # Absolute paths only: the lookbehind keeps a relative ``02_other/other.py`` (intake's words) as it is.
    pattern = re.compile(r"""(?<![\w.\-/\\])(?:[A-Za-z]:)?[/\\](?:[^\s"'<>|:*?/\\]+[/\\]){0,40}(""" + names + r")\b")
    return pattern.sub(lambda m: f"exercises/{topic.folder}/{m.group(1)}", message)
