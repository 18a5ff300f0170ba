"""``grader validate``'s report as a terminal listing or JUnit XML (its JSON is ``ValidateReport.as_dict()``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.authoring.validate_report import CandidateReport, TopicReport, ValidateReport
from grader.report.safe import plain

FORMATS = ("table", "json", "junit")
"""The ``--format`` values validate writes; any other is refused before anything runs."""


def render(report: ValidateReport) -> str:
    lines = [f"PROBLEM  {problem}" for problem in report.problems]
    lines += [f"NOTE     {note}" for note in report.notes]
    for topic in report.topics:
        lines += _topic_lines(topic)
    lines.append("validate: " + ("all good" if report.ok else "problems found"))
    return "\n".join(lines) + "\n"


def _topic_lines(topic: TopicReport) -> list[str]:
    lines = []
    for candidate in (topic.solution, topic.stub):
        if candidate is not None:
            lines += _candidate_lines(topic.id, candidate)
    for mutant in topic.mutants:
        lines.append(_mutant_line(topic.id, mutant))
    if topic.mutation_score is not None:
        lines.append(f"         {topic.id} mutation score: {topic.mutation_score:.0%}")
    lines += [f"FLAKY    {topic.id} {flaky}" for flaky in topic.flaky]
    return lines


def _candidate_lines(topic_id: str, candidate: CandidateReport) -> list[str]:
    scores = ", ".join(f"{r.score:g}/{r.max_score:g}" for r in candidate.runs)
    lines = [f"{'ok' if candidate.ok else 'FAIL':8} {topic_id} {candidate.kind}: {scores}"]
    if not candidate.ok:
        lines += [f"           {t}" for r in candidate.runs for t in r.failed_tests[:5]]
    return lines


def _mutant_line(topic_id: str, mutant: CandidateReport) -> str:
    caught = sum(r.ok for r in mutant.runs)
    return (f"{'ok' if mutant.ok else 'MISSED':8} {topic_id} mutant {mutant.name}: "
            f"caught in {caught}/{len(mutant.runs)} runs (must lose: {', '.join(mutant.loses)})")

def render_junit(report: ValidateReport) -> str:
    """One testsuite per topic, one testcase per verdict (``solution``, ``stub``, ``mutant NAME``,
    ``flaky ...``): a verdict that is not ok is a failure; course problems are errors of a suite
    named ``course``."""
    suites = ET.Element("testsuites", name="grader validate")
    if report.problems:
        course = ET.SubElement(suites, "testsuite", name="course")
        for number, problem in enumerate(report.problems, 1):
            case = ET.SubElement(course, "testcase", classname="course", name=f"problem {number}")
            ET.SubElement(case, "error", message=plain(problem), type="problem").text = plain(problem)
    for topic in report.topics:
        suite = ET.SubElement(suites, "testsuite", name=plain(topic.id))
        for candidate in (topic.solution, topic.stub):
            if candidate is not None:
                _case(suite, topic.id, candidate.kind, candidate.ok, _candidate_lines(topic.id, candidate))
        for mutant in topic.mutants:
            _case(suite, topic.id, f"mutant {mutant.name}", mutant.ok, [_mutant_line(topic.id, mutant)])
        for flaky in topic.flaky:
            _case(suite, topic.id, f"flaky {flaky}", False, [f"FLAKY    {topic.id} {flaky}"])
    for element in [suites, *suites.iter("testsuite")]:
        cases = list(element.iter("testcase"))
        element.set("tests", str(len(cases)))
        element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        element.set("errors", str(sum(c.find("error") is not None for c in cases)))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _case(suite: ET.Element, topic: str, name: str, ok: bool, lines: list[str]) -> None:
    case = ET.SubElement(suite, "testcase", classname=plain(topic), name=plain(name))
    text = plain("\n".join(line.strip() for line in lines))
    if ok:
        ET.SubElement(case, "system-out").text = text
    else:
        ET.SubElement(case, "failure", message=text.splitlines()[0] if text else name, type="validate").text = text
