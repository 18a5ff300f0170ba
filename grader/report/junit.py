"""JUnit XML: one testsuite per topic, one testcase per hidden test (CI dashboards read this).

Always well-formed: every text passes through ``plain`` (no NUL, ESC, U+FFFE or lone surrogate,
which XML 1.0 cannot hold), and ElementTree escapes the markup characters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.report.safe import one_line, plain
from grader.result import GradeResult, Status


def render(result: GradeResult, name: str = "grader") -> str:
    suites = ET.Element("testsuites", name=one_line(name), tests=str(sum(len(t.tests) for t in result.topics)))
    for topic in result.topics:
        failures = sum(t.status is Status.FAILED for t in topic.tests)
        errors = sum(t.status in (Status.ERROR, Status.TIMEOUT) for t in topic.tests)
        suite = ET.SubElement(suites, "testsuite", name=plain(topic.id), tests=str(len(topic.tests)),
                              failures=str(failures), errors=str(errors),
                              time=f"{sum(t.duration_s for t in topic.tests):.3f}")
        if topic.message and not topic.tests:
            case = ET.SubElement(suite, "testcase", classname=plain(topic.id), name="(topic)", time="0")
            ET.SubElement(case, "error", message=plain(topic.message)).text = plain(topic.message)
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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
