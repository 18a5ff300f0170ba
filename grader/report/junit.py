"""JUnit XML: one testsuite per topic, one testcase per hidden test (CI dashboards read this).

Always well-formed: every text passes through ``plain`` (no NUL, ESC, U+FFFE or lone surrogate,
which XML 1.0 cannot hold), and ElementTree escapes the markup characters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.report.feedback import error_kind
from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status, TopicResult


def render(result: GradeResult, name: str = "grader") -> str:
    # A topic that could not be graded and listed no test is one test case in error (``(topic)``),
    # counted in ``tests`` and ``errors``: a dashboard never reads tests="0" with an error inside.
    counted = [(t, len(t.tests) + (1 if t.message and not t.tests else 0)) for t in result.topics]
    suites = ET.Element("testsuites", name=one_line(name), tests=str(sum(n for _, n in counted)),
                        failures=str(sum(_failures(t) for t in result.topics)),
                        errors=str(sum(n - len(t.tests) + _errors(t) for t, n in counted)))
    for topic, count in counted:
        suite = ET.SubElement(suites, "testsuite", name=plain(topic.id), tests=str(count),
                              failures=str(_failures(topic)), errors=str(count - len(topic.tests) + _errors(topic)),
                              time=f"{sum(t.duration_s for t in topic.tests):.3f}")
        if topic.message and not topic.tests:
            kind = error_kind(result, topic)
            case = ET.SubElement(suite, "testcase", classname=plain(topic.id), name="(topic)", time="0")
            ET.SubElement(case, "error", message=_first_line(plain(topic.message)),
                          type=kind.value if kind else "error").text = plain(topic.message)
        for test in topic.tests:
            case = ET.SubElement(suite, "testcase", classname=plain(f"{topic.id}.{test.exercise or 'unassigned'}"),
                                 name=plain(test.id), time=f"{test.duration_s:.3f}")
            ET.SubElement(case, "properties")
            props = case.find("properties")
            assert props is not None
            ET.SubElement(props, "property", name="score", value=f"{test.score:g}")
            ET.SubElement(props, "property", name="max_score", value=f"{test.max_score:g}")
            if test.status is Status.PASSED:
                continue
            tag = "failure" if test.status is Status.FAILED else "error"
            body = plain(test.message + (f"\nhint: {test.hint}" if test.hint else ""))
            ET.SubElement(case, tag, message=_first_line(plain(test.message)) or test.status.value,
                          type=test.status.value).text = body
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _failures(topic: TopicResult) -> int:
    return sum(t.status is Status.FAILED for t in topic.tests)


def _errors(topic: TopicResult) -> int:
    return sum(t.status in (Status.ERROR, Status.TIMEOUT) for t in topic.tests)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
