"""Stubs are generated from the solutions' markers, and the repository's stubs are in sync."""

import pytest

from grader.authoring.sync import strip_markers, stub_from_solution
from grader.errors import GraderError
from tests.conftest import run_grader

SOLUTION = '''import os


def f(x):
    """Square x."""
    ### BEGIN SOLUTION
    y = x * x
    return y
    ### END SOLUTION


class C:
    def run(self):
        ### BEGIN SOLUTION
        return os.getpid()
        ### END SOLUTION
'''


def test_marked_regions_become_nbgrader_style_stubs_at_their_indentation():
    stub = stub_from_solution(SOLUTION)
    assert "x * x" not in stub and "os.getpid()" not in stub
    assert '    """Square x."""\n    # YOUR CODE HERE\n    raise NotImplementedError()\n' in stub
    assert "        # YOUR CODE HERE\n        raise NotImplementedError()\n" in stub
    compile(stub, "stub.py", "exec")


def test_module_level_region_leaves_an_importable_stub():
    stub = stub_from_solution("X = 1\n### BEGIN SOLUTION\nY = 2\n### END SOLUTION\n")
    assert stub == "X = 1\n# YOUR CODE HERE\n"


def test_strip_markers_gives_the_plain_solution():
    plain = strip_markers(SOLUTION)
    assert "### " not in plain and "y = x * x" in plain


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("### BEGIN SOLUTION\nx\n", "never closed"),
        ("x\n### END SOLUTION\n", "without a ### BEGIN SOLUTION"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "inside the region opened at line 1"),
    ],
)
def test_unbalanced_markers_are_reported_with_the_line(text, problem):
    with pytest.raises(GraderError, match=problem):
        stub_from_solution(text, "sol.py")


def test_repository_stubs_match_their_solutions():
    proc = run_grader("sync", "--check")
    assert proc.returncode == 0, proc.stderr


def test_sync_check_reports_drift(tmp_path):
    import shutil

    from tests.conftest import MINI

    course = tmp_path / "mini"
    shutil.copytree(MINI, course)
    stub = course / "exercises/02_other/other.py"
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    proc = run_grader("--course", str(course / "course.yml"), "sync", "--check")
    assert proc.returncode == 1
    assert "other.py: differs" in proc.stderr
    assert run_grader("--course", str(course / "course.yml"), "sync").returncode == 0
    assert run_grader("--course", str(course / "course.yml"), "sync", "--check").returncode == 0
