"""A topic no submission of the corpus targets: its tests and solution must stay out of reach."""

from grader.probes import load_student

SECRET = "red-team-canary-7f3a"


def test_answer():
    assert load_student("secret").answer() == 42
