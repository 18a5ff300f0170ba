"""Student-controlled text is capped before trusted code reads it, and no rule backtracks on it.

Each test gets a generous pytest-timeout deadline: a catastrophic regex on a 1 MB message takes
hours, so the deadline only separates "finishes" from "hangs"; it measures no speed.
"""

from __future__ import annotations

import json

import pytest

from grader.grading.diagnose import RULES, explain
from grader.grading.records import MAX_MESSAGE, RecordStream

MB = 1 << 20
HOSTILE = [
    "waited " * (MB // 7),
    "waited 1 s for " * (MB // 15),
    "left behind " * (MB // 12),
    "x" * MB,
    ("waited " + "a" * 1000 + " s for " + "b" * 1000) * 400,
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("message", HOSTILE, ids=lambda m: m[:20].strip().replace(" ", "_"))
def test_hint_rules_finish_on_megabyte_messages(message):
    assert explain(message) in {"", *(text for _, text in RULES)}


def test_hint_rules_still_recognise_real_messages():
    assert "global order" in explain("waited 3.0 s for lock account 2: a deadlock between threads")
    assert "close() then join()" in explain("left behind 1 Pool(s) still running")


@pytest.mark.timeout(60)
def test_a_record_message_is_capped_where_it_is_read():
    run = RecordStream(nonce="n", expected={"t::a"})
    record = {"nonce": "n", "event": "result", "id": "t::a", "outcome": "failed" * 1000, "message": "m" * (MB // 2)}
    run.feed(json.dumps(record).encode() + b"\n")
    outcome = run.results["t::a"]
    assert len(outcome.message) <= MAX_MESSAGE and outcome.outcome.value == "error"
