"""``grader release --lang zh-CN``: the student repository in Chinese, where translations exist.

Applied to the files ``release.build`` has written (nothing else is copied, so the leak check
holds): each translated lesson ships as ``README.zh-CN.md`` beside the English one; the stub's
docstrings and the visible tests' messages are replaced by their Chinese from
``exercises/<folder>/i18n.zh-CN.yml`` (a docstring only while its ``en:`` still equals the English
one: a stale translation is left out, never shipped for the wrong text); course.yml keeps its
Chinese hints; a ``README.zh-CN.md`` tells the student how to work; the grading workflow grades with
``--lang zh-CN``. Topics without translations ship in English.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from grader import i18n
from grader.authoring import i18n_lint
from grader.course import Course
from grader.distribution.readme import SETUP_POSIX, SETUP_WINDOWS
from grader.errors import GraderError


def apply(course: Course, out: Path, lang: str) -> list[Path]:
    """Translate the release in ``out`` into ``lang``; return the files written or changed."""
    if lang == i18n.ENGLISH:
        return []
    if lang != i18n.CHINESE:
        raise GraderError(f"no translations for {lang!r} (languages: {', '.join(i18n.LANGUAGES)})")
    changed: list[Path] = []
    for topic in course.topics:
        folder = out / "exercises" / topic.folder
        lesson = i18n_lint.chinese_lesson(course, topic)
        if lesson.is_file():
            target = folder / lesson.name
            target.write_text(lesson.read_text(encoding="utf-8"), encoding="utf-8")
            changed.append(target)
        data = i18n_lint.load_yaml(i18n_lint.translations_file(course, topic)) or {}
        stub = folder / topic.module_file
        text = stub.read_text(encoding="utf-8")
        new = translate_docstrings(text, data.get("docstrings") or {})
        if new != text:
            _write_python(stub, new)
            changed.append(stub)
        visible = folder / course.visible_tests(topic).name
        text = visible.read_text(encoding="utf-8")
        new = text
        for english, chinese in (data.get("messages") or {}).items():
            new = new.replace(str(english), str(chinese))
        if new != text:
            _write_python(visible, new)
            changed.append(visible)
    readme = out / "README.zh-CN.md"
    readme.write_text(student_readme(course), encoding="utf-8")
    changed.append(readme)
    workflow = out / ".github" / "workflows" / "classroom.yml"
    if workflow.is_file():
        text = workflow.read_text(encoding="utf-8")
        workflow.write_text(text.replace(" grader --course ", " grader --lang zh-CN --course "), encoding="utf-8")
        changed.append(workflow)
    return changed


def _write_python(path: Path, text: str) -> None:
    try:
        ast.parse(text)
    except SyntaxError as exc:
        raise GraderError(f"{path.name}: the Chinese translation breaks the file (line {exc.lineno}: {exc.msg}); "
                          f"check the quotes in exercises/{path.parent.name}/{i18n_lint.TRANSLATIONS}") from None
    path.write_text(text, encoding="utf-8")


def translate_docstrings(source: str, translations: dict[str, dict[str, str]]) -> str:
    """``source`` with each named docstring whose English matches replaced by its ``zh-CN`` text."""
    found = i18n_lint.docstrings(source)
    edits = []
    for name, entry in translations.items():
        node = found.get(name)
        if node is None or not isinstance(entry, dict) or not entry.get("zh-CN"):
            continue
        if inspect.cleandoc(str(entry.get("en", ""))) != inspect.cleandoc(str(node.value)):
            continue  # stale: the course lint reports it; the English ships
        edits.append((node, str(entry["zh-CN"])))
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")
    for node, chinese in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset
        data = data[:start] + _literal(chinese, node.col_offset).encode("utf-8") + data[end:]
    return data.decode("utf-8")


def _literal(text: str, indent: int) -> str:
    body = inspect.cleandoc(text).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = body.split("\n")
    pad = " " * indent
    joined = "\n".join([lines[0], *[(pad + line) if line else "" for line in lines[1:]]])
    return f'"""{joined}\n{pad}"""' if len(lines) > 1 else f'"""{joined}"""'


def student_readme(course: Course) -> str:
    rows = "\n".join(f"| `{t.id}` | {t.title} | "
                     f"{'中文' if i18n_lint.chinese_lesson(course, t).is_file() else 'English'} |"
                     for t in course.topics)
    return f"""# {course.title}（中文版）

## 安装（只需一次）

Linux 和 macOS：

{SETUP_POSIX}

Windows（PowerShell 或 cmd）：

{SETUP_WINDOWS}

这样会安装课程的 `grader` 命令，并用可见测试检查每一个练习（一开始全部失败：模块里只有待完成的桩代码）。

## 语言

`grader` 的提示、状态和测试失败信息在中文环境下（`LANG`、`LC_ALL` 或 `LC_MESSAGES` 以 `zh` 开头，
例如 `export LANG=zh_CN.UTF-8`）显示为中文；也可以在任何命令前加 `--lang zh-CN`（或 `--lang en` 改回英文），
例如 `grader --lang zh-CN check 01_processes`。还没有翻译的内容显示英文原文。

## 怎样学习

1. 打开 `exercises/NN_topic/README.zh-CN.md`（英文原文是同一文件夹里的 `README.md`）：先读课文，再看任务。
2. 在 `exercises/NN_topic/<module>.py` 里每个写着 `# YOUR CODE HERE` 的地方填入你的代码。
3. 运行 `grader check NN_topic`：每个失败的测试都会附上课程的提示；`grader hint <练习名>` 逐条给出更具体的提示，
   `grader status` 显示你的进度，`grader watch NN_topic` 在你保存文件时自动重新检查。
4. 提交并推送（commit、push）。`.github/workflows/classroom.yml` 里的工作流会用课程的隐藏测试给你的作业评分。

| 主题 | | 课文 |
|---|---|---|
{rows}
"""
