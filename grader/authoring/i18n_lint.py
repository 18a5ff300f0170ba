"""The course lint for the Chinese edition: the two languages stay in step.

A topic is translated once its lesson has a ``README.zh-CN.md``; until then it is only noted as
"not translated yet" (never a problem). A translated topic is checked against its English:

* the lesson: the same number of headings at each level, the same code blocks (identical code;
  ``#`` comments and Mermaid diagrams' labels may differ), every exercise named in the English
  (as ```name```) named too, the
  glossary's Chinese term wherever its English term appears, and the English lesson's hash recorded
  in the Chinese file's first line (``<!-- zh-CN of README.md sha256:0123456789ab -->``): a lesson
  changed in English and not in Chinese is reported with the hash to record once it is translated;
* every hint of the topic in course.yml has a Chinese text (``{text: ..., zh-CN: ...}``);
* ``exercises/<folder>/i18n.zh-CN.yml``: each docstring translation names the current English
  docstring (``en:``), each visible-test message is still in the visible tests;
* ``tests/hidden/<folder>/messages.zh-CN.yml``: templates whose translations use only their fields.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from grader import i18n
from grader.course import Course, Topic
from grader.yaml_load import safe_load

LESSON = "README.zh-CN.md"
TRANSLATIONS = "i18n.zh-CN.yml"
MESSAGES = "messages.zh-CN.yml"
GLOSSARY = "i18n/glossary.zh-CN.yml"
STAMP = re.compile(r"<!--\s*zh-CN of README\.md sha256:([0-9a-f]{12})\s*-->")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+\S")


def chinese_lesson(course: Course, topic: Topic) -> Path:
    return course.lesson(topic).with_name(LESSON)


def translations_file(course: Course, topic: Topic) -> Path:
    return course.stub(topic).with_name(TRANSLATIONS)


def messages_file(course: Course, topic: Topic) -> Path:
    return course.hidden_tests(topic).with_name(MESSAGES)


def stamp(english: str) -> str:
    """The hash a Chinese lesson records of the English it translates (12 hex digits)."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Shape:
    """What both languages of a lesson must share."""

    headings: tuple[int, ...]
    """Number of headings at level 1..6."""
    code: tuple[tuple[str, str], ...]
    """(language, code without comments) of each fenced block, in order."""
    exercises: frozenset[str]


def shape(text: str, exercise_names: set[str]) -> Shape:
    headings = [0] * 6
    blocks: list[tuple[str, str]] = []
    fence: tuple[str, str, list[str]] | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = (match.group(2), match.group(3), [])
                continue
            heading = _HEADING.match(line)
            if heading:
                headings[len(heading.group(1)) - 1] += 1
        elif match and match.group(2).startswith(fence[0]) and not match.group(3):
            blocks.append((fence[1], code_only(fence[1], "\n".join(fence[2]))))
            fence = None
        else:
            fence[2].append(line)
    named = frozenset(n for n in exercise_names if re.search(rf"`{re.escape(n)}\b", text))
    return Shape(tuple(headings), tuple(blocks), named)


def code_only(language: str, code: str) -> str:
    """The code without ``#`` comments and trailing blanks (a comment may be translated)."""
    if language in ("python", "py", "python3", "pycon", ""):
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(code + "\n").readline)
                      if t.type != tokenize.COMMENT]
            text = tokenize.untokenize(tokens)
            return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass
    lines = [re.sub(r"\s+#\s.*$|^\s*#\s.*$", "", line).rstrip() for line in code.splitlines()]
    return "\n".join(line for line in lines if line.strip())


def load_glossary(root: Path) -> list[tuple[str, str]]:
    """(English term, Chinese term) pairs of ``i18n/glossary.zh-CN.yml``; none if the file is missing."""
    path = root / GLOSSARY
    if not path.is_file():
        return []
    data = safe_load(path.read_text(encoding="utf-8")) or {}
    return [(str(e["en"]), str(e["zh-CN"])) for e in data.get("terms", [])]


def glossary_problems(english: str, chinese: str, glossary: list[tuple[str, str]]) -> list[str]:
    """Glossary terms whose English is in the English lesson's prose but whose Chinese is not in the Chinese."""
    prose_en = _prose(english).lower()
    prose_zh = _prose(chinese)
    missing = []
    for en, zh in glossary:
        if re.search(rf"(?<![\w-]){re.escape(en.lower())}(?![\w-])", prose_en) and zh not in prose_zh:
            missing.append(f"{en} -> {zh}")
    return missing


def _prose(text: str) -> str:
    """The lesson without code blocks and inline code (terms there are identifiers, not words)."""
    out, fence = [], None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
        elif fence is not None and match and match.group(2).startswith(fence):
            fence = None
        elif fence is None:
            out.append(re.sub(r"`[^`]*`", " ", line))
    return "\n".join(out)


def load_yaml(path: Path) -> Any:
    return safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


def docstrings(source: str) -> dict[str, ast.Constant]:
    """Every docstring of a module by qualified name (``(module)``, ``f``, ``Cls``, ``Cls.method``)."""
    tree = ast.parse(source)
    found: dict[str, ast.Constant] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            found[prefix or "(module)"] = body[0].value
        for child in body:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, f"{prefix}.{child.name}" if prefix else child.name)

    visit(tree, "")
    return found


def problems_and_notes(course: Course) -> tuple[list[str], list[str]]:
    """The course's language problems (the lint fails on them) and notes (untranslated topics)."""
    problems: list[str] = []
    notes: list[str] = []
    glossary = load_glossary(course.root)
    for topic in course.topics:
        zh_path = chinese_lesson(course, topic)
        en_path = course.lesson(topic)
        if not zh_path.is_file():
            notes.append(f"{topic.id}: not translated yet (no {zh_path.relative_to(course.root).as_posix()})")
            problems += _hidden_messages(course, topic)
            continue
        problems += topic_problems(course, topic, en_path, zh_path, glossary)
    return problems, notes


def topic_problems(course: Course, topic: Topic, en_path: Path, zh_path: Path,
                   glossary: list[tuple[str, str]]) -> list[str]:
    out = []
    rel = zh_path.relative_to(course.root).as_posix()
    english = en_path.read_text(encoding="utf-8") if en_path.is_file() else ""
    chinese = zh_path.read_text(encoding="utf-8")
    names = {e.name for e in topic.exercises}
    en_shape, zh_shape = shape(english, names), shape(chinese, names)
    if en_shape.headings != zh_shape.headings:
        out.append(f"{topic.id}: {rel} is out of step with README.md: headings per level "
                   f"{_levels(zh_shape.headings)} vs {_levels(en_shape.headings)} in English")
    if len(en_shape.code) != len(zh_shape.code):
        out.append(f"{topic.id}: {rel} is out of step with README.md: {len(zh_shape.code)} code blocks vs "
                   f"{len(en_shape.code)} in English")
    else:
        for number, (en_block, zh_block) in enumerate(zip(en_shape.code, zh_shape.code, strict=True), 1):
            if en_block[0] == zh_block[0] == "mermaid":
                continue  # a diagram's labels are prose: translated, so only its place is compared
            if en_block != zh_block:
                out.append(f"{topic.id}: {rel} is out of step with README.md: code block {number} differs "
                           f"(only # comments may be translated)")
    missing = sorted(en_shape.exercises - zh_shape.exercises)
    if missing:
        out.append(f"{topic.id}: {rel} does not name the exercise(s) {', '.join(missing)} (as `name`)")
    recorded = STAMP.search(chinese.split("\n", 1)[0])
    now = stamp(english)
    if recorded is None:
        out.append(f"{topic.id}: {rel} has no first line <!-- zh-CN of README.md sha256:{now} -->")
    elif recorded.group(1) != now:
        out.append(f"{topic.id}: README.md changed since {rel} was translated (sha256 {recorded.group(1)}, now "
                   f"{now}): translate the change, then record sha256:{now} in its first line")
    terms = glossary_problems(english, chinese, glossary)
    if terms:
        out.append(f"{topic.id}: {rel} does not use the glossary's term(s) {'; '.join(terms)} ({GLOSSARY})")
    for exercise in topic.exercises:
        for n, hint in enumerate(exercise.hints):
            if not hint_translation(hint):
                out.append(f"{topic.id}: hint {n + 1} of {exercise.name} in course.yml has no zh-CN text "
                           f"(write it as {{text: ..., zh-CN: ...}})")
    out += _stub_and_visible(course, topic)
    out += _hidden_messages(course, topic)
    return out


def hint_translation(hint: object) -> str:
    translations = getattr(hint, "translations", None) or {}
    return str(translations.get(i18n.CHINESE, ""))


def _levels(counts: tuple[int, ...]) -> str:
    return "/".join(str(c) for c in counts[:max((i + 1 for i, c in enumerate(counts) if c), default=1)])


def _stub_and_visible(course: Course, topic: Topic) -> list[str]:
    path = translations_file(course, topic)
    rel = path.relative_to(course.root).as_posix() if path.is_absolute() else str(path)
    try:
        data = load_yaml(path)
    except yaml.YAMLError as exc:
        return [f"{topic.id}: {rel}: invalid YAML: {str(exc).splitlines()[0]}"]
    if data is None:
        return []
    out = []
    stub = course.stub(topic)
    try:
        current = {k: inspect.cleandoc(str(v.value)) for k, v in docstrings(stub.read_text(encoding="utf-8")).items()}
    except (OSError, SyntaxError):
        current = {}
    for name, entry in (data.get("docstrings") or {}).items():
        if not isinstance(entry, dict) or not entry.get("zh-CN"):
            out.append(f"{topic.id}: {rel}: docstrings.{name} needs en: and zh-CN:")
        elif name not in current:
            out.append(f"{topic.id}: {rel}: docstrings.{name}: {stub.name} has no such docstring")
        elif inspect.cleandoc(str(entry.get("en", ""))) != current[name]:
            out.append(f"{topic.id}: {rel}: docstrings.{name} is out of step: the English docstring in "
                       f"{stub.name} changed (copy it to en: and translate the change)")
    visible = course.visible_tests(topic)
    visible_text = visible.read_text(encoding="utf-8") if visible.is_file() else ""
    for english in (data.get("messages") or {}):
        if str(english) not in visible_text:
            out.append(f"{topic.id}: {rel}: messages: {str(english)[:60]!r} is no longer in {visible.name}")
    return out


def _hidden_messages(course: Course, topic: Topic) -> list[str]:
    path = messages_file(course, topic)
    try:
        i18n.load_messages(path)
    except (ValueError, yaml.YAMLError) as exc:
        return [f"{topic.id}: {path.relative_to(course.root).as_posix()}: {str(exc).splitlines()[0]}"]
    return []

