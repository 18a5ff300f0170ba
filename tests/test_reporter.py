"""The in-sandbox reporter's verdicts hold when code in the run patches pytest or the probes (pytester:
each run is a real pytest subprocess with the reporter registered as in the sandbox)."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ("pytester",)

CONFTEST = '''
import os
from grader.sandboxed.reporter import Reporter

def pytest_configure(config):
    fd = os.open("records.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    config.pluginmanager.register(Reporter(lambda data: os.write(fd, data), "n0nce"), "grader-reporter")
'''

FORGE_REPORTS = '''
import sys
reports = sys.modules["_pytest.reports"]
original = reports.TestReport.__init__

def forged(self, *args, **kwargs):
    original(self, *args, **kwargs)
    self.outcome = "passed"
    self.longrepr = None

reports.TestReport.__init__ = forged
'''


def records(pytester: pytest.Pytester, tests: str) -> tuple[dict[str, dict], list[dict]]:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_it=tests)
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    lines = [json.loads(line) for line in (pytester.path / "records.jsonl").read_text().splitlines()]
    results = {r["id"].split("::")[-1]: r for r in lines if r["event"] == "result"}
    return results, [r for r in lines if r["event"] == "tampered"]


def test_plain_outcomes_are_reported(pytester):
    results, tampered = records(pytester, '''
import pytest
def test_pass(): pass
def test_fail(): assert 1 == 2, "one is not two"
def test_skip(): pytest.skip("x" * 100_000)
''')
    assert results["test_pass"]["outcome"] == "passed"
    assert results["test_fail"]["outcome"] == "failed" and "one is not two" in results["test_fail"]["message"]
    assert results["test_skip"]["outcome"] == "skipped" and len(results["test_skip"]["message"]) <= 300
    assert tampered == []


def test_a_failure_forged_into_a_pass_through_sys_modules_still_fails(pytester):
    results, tampered = records(pytester, f'''
def test_before(): pass
def test_forges():
{"".join("    " + line + chr(10) for line in FORGE_REPORTS.strip().splitlines())}
    assert False, "wrong answer"
def test_after(): assert False, "also wrong"
''')
    assert results["test_before"]["outcome"] == "passed"
    assert results["test_forges"]["outcome"] == "failed"
    assert "wrong answer" in results["test_forges"]["message"]
    assert results["test_after"]["outcome"] == "failed"
    assert tampered, "the replaced TestReport.__init__ was not noticed"
    assert any("TestReport.__init__" in t["what"] for t in tampered)


def test_blinding_a_probe_is_noticed_and_fails_every_later_test(pytester):
    results, tampered = records(pytester, '''
import sys
from grader.probes.lockdep import LockGraph

def test_blinds():
    sys.modules["grader.probes.lockdep"].LockGraph.find_cycle = lambda self: None
def test_later(): pass
''')
    assert any("LockGraph" in t["what"] for t in tampered), tampered
    assert results["test_blinds"]["outcome"] == "failed"
    assert results["test_later"]["outcome"] == "failed"
    assert "cannot be trusted" in results["test_later"]["message"]


def test_monkeypatch_undone_at_teardown_is_not_tampering(pytester):
    results, tampered = records(pytester, '''
import _pytest.reports
def test_patches(monkeypatch):
    monkeypatch.setattr(_pytest.reports.TestReport, "__repr__", lambda self: "x")
def test_after(): pass
''')
    assert tampered == []
    assert {r["outcome"] for r in results.values()} == {"passed"}


def test_a_method_added_to_a_subclass_to_shadow_its_base_is_noticed(pytester):
    results, tampered = records(pytester, '''
import sys
def test_shadows():
    sys.modules["_pytest.reports"].TestReport.failed = property(lambda self: False)
''')
    assert any("TestReport.failed" in t["what"] for t in tampered), tampered
    assert results["test_shadows"]["outcome"] == "failed"
