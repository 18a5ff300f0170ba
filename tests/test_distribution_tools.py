"""grader nbgrader's notebooks and config, and grader gradescope's scripts, as the tools that run them see them."""

import json
import os
import shutil
import stat
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI, run_grader


def build_nbgrader(out: Path, course: Path = MINI, *extra: str) -> None:
    proc = run_grader("--course", str(course / "course.yml"), "nbgrader", str(out), *extra)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_nbgrader_cells_have_stable_ids(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="the nbgrader extra is part of .[test]")
    build_nbgrader(tmp_path / "a")
    build_nbgrader(tmp_path / "b")
    build_nbgrader(tmp_path / "b", MINI, "--force")
    for topic in ("01_basics", "02_other"):
        path = Path("source", topic, f"{topic}.ipynb")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # MissingIDFieldWarning among them
            notebook = nbformat.read(tmp_path / "a" / path, as_version=4)
            nbformat.validate(notebook)
        ids = [cell["id"] for cell in notebook.cells]
        assert len(set(ids)) == len(ids) and all(ids)
        assert ids == [c["id"] for c in json.loads((tmp_path / "b" / path).read_text())["cells"]], "stable"


def test_nbgrader_config_is_relative_and_clean(tmp_path):
    course = tmp_path / "term" / "course"
    shutil.copytree(MINI, course)
    build_nbgrader(tmp_path / "term" / "nb", course)
    config = (tmp_path / "term" / "nb" / "nbgrader_config.py").read_text()
    assert str(tmp_path) not in config and "research" not in config
    moved = tmp_path / "moved"
    (tmp_path / "term").rename(moved)
    env = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    script = ("import os, runpy\nclass C(dict):\n    def __getattr__(self, k):\n        return self.setdefault(k, C())\n"
              "runpy.run_path('nbgrader_config.py', {'get_config': C})\nprint(os.environ['GRADER_COURSE'])\n")
    proc = subprocess.run([shutil.which("python3") or "python3", "-c", script], cwd=moved / "nb", env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()) == moved / "course" / "course.yml"


def test_grade_cell_without_a_course_says_what_works_in_a_notebook(monkeypatch):
    from IPython.core.formatters import DisplayFormatter

    from grader.distribution.notebook import exercise_score

    monkeypatch.delenv("GRADER_COURSE", raising=False)
    value = exercise_score("01_basics", "add", 3)
    shown, _ = DisplayFormatter().format(value)
    assert shown["text/plain"] == "0.0", "nbgrader reads partial credit from the plain text"
    assert "Restart &amp; Run All" in shown["text/html"] and "grader check" not in shown["text/html"]


def _fake(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _unzip_for_a_fake_image(zip_path: Path, root: Path) -> Path:
    """The zip's two scripts with /autograder moved under ``root``, and fake apt-get, python3 and grader."""
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as zf:
        for name in ("setup.sh", "run_autograder"):
            (root / name).write_text(zf.read(name).decode().replace("/autograder", str(root / "autograder")))
    (root / "autograder" / "source").mkdir(parents=True)
    _fake(bin_dir, "apt-get", 'echo "apt-get $*" >> "$LOG"\n[[ "$*" != *bubblewrap* ]]\n')
    _fake(bin_dir, "python3", f'mkdir -p "{root}/autograder/venv/bin"\n'
                             f'printf \'#!/usr/bin/env bash\\necho "pip $*" >> "$LOG"\\n\' > "{root}/autograder/venv/bin/pip"\n'
                             f'chmod +x "{root}/autograder/venv/bin/pip"\n')
    return bin_dir


def test_gradescope_installs_bubblewrap_and_takes_the_visibility_at_build_time(tmp_path):
    zip_path = tmp_path / "autograder.zip"
    proc = run_grader("--course", str(MINI / "course.yml"), "gradescope", str(zip_path), "--visibility", "hidden")
    assert proc.returncode == 0 and "visibility hidden" in proc.stdout, proc.stderr
    bin_dir = _unzip_for_a_fake_image(zip_path, tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "LOG": str(tmp_path / "log")}
    env.pop("GRADER_VISIBILITY", None)
    setup = subprocess.run(["bash", str(tmp_path / "setup.sh")], env=env, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stderr
    assert "apt-get install -y -q bubblewrap" in (tmp_path / "log").read_text()
    assert "bubblewrap could not be installed" in setup.stderr and "portable" in setup.stderr
    _fake(tmp_path / "autograder" / "venv" / "bin", "grader", 'echo "grader $*" >> "$LOG"\n')
    run = subprocess.run(["bash", str(tmp_path / "run_autograder")], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "--visibility hidden" in (tmp_path / "log").read_text()
    default = tmp_path / "default.zip"
    assert run_grader("--course", str(MINI / "course.yml"), "gradescope", str(default)).returncode == 0
    with zipfile.ZipFile(default) as zf:
        assert "${GRADER_VISIBILITY:-after_due_date}" in zf.read("run_autograder").decode()
        assert "grader grade" in zf.read("run_autograder").decode()  # English: no --lang
    chinese = tmp_path / "zh.zip"
    proc = run_grader("--course", str(MINI / "course.yml"), "gradescope", str(chinese), "--lang", "zh-CN")
    assert proc.returncode == 0 and "feedback in zh-CN" in proc.stdout, proc.stderr
    with zipfile.ZipFile(chinese) as zf:
        assert "grader --lang zh-CN grade /autograder/submission" in zf.read("run_autograder").decode()
