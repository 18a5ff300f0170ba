"""The student's language: the grader's own messages in English or Chinese (``zh-CN``), English as fallback.

The language is ``--lang`` (a global option, ``set_language``) or else the locale: the first of
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (POSIX order) chooses Chinese when it starts with
``zh``. Messages are keyed by their English text, which is also the fallback: ``tr("hint {n}/{total}",
n=1, total=3)``. A message is translated whole or not at all, so no sentence mixes the two languages.

Course texts have their own files (the course lint keeps them in step with the English, see
``grader.authoring.i18n_lint``): hints in course.yml (``{text: ..., zh-CN: ...}``), lessons in
``README.zh-CN.md``, stub docstrings and visible-test messages in ``exercises/<folder>/i18n.zh-CN.yml``,
and hidden-test failure messages in ``tests/hidden/<folder>/messages.zh-CN.yml`` (``MessageCatalogue``).
Standard library only (and ``settings``): the student commands and the reports import it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from grader import settings

ENGLISH = "en"
CHINESE = "zh-CN"
LANGUAGES = (ENGLISH, CHINESE)

_chosen: str | None = None


def set_language(lang: str | None) -> None:
    """Use ``lang`` from now on (``None``: follow the locale again)."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    _chosen = lang


def language() -> str:
    """``--lang`` if given, else the locale's language: ``zh-CN`` for a ``zh*`` locale, ``en`` otherwise."""
    if _chosen is not None:
        return _chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = settings.env(name)
        if value:
            return CHINESE if value.lower().startswith("zh") else ENGLISH
    return ENGLISH


def tr(english: str, /, **fields: object) -> str:
    """``english`` (a ``str.format`` template) in the current language, with ``fields`` filled in."""
    template = CATALOGUE.get(language(), {}).get(english, english)
    return template.format(**fields) if fields else template


def lesson_name(folder: Path) -> str:
    """The lesson file to point a student at: ``README.zh-CN.md`` in Chinese when the topic has one."""
    return "README.zh-CN.md" if language() == CHINESE and (folder / "README.zh-CN.md").is_file() else "README.md"


def pick(texts: Mapping[str, str]) -> str:
    """The current language's text from ``{"en": ..., "zh-CN": ...}``; English when there is none."""
    return texts.get(language()) or texts.get(ENGLISH, "")


# -- failure messages of tests, keyed by English templates --------------------------------------

# An exception's qualified class name before the message (``queue.Empty: ``, ``Failed: ``,
# ``test_concepts._Forbidden: ``): kept as it is, the message after it translated.
_EXCEPTION_PREFIX = r"(?P<_prefix>(?:(?:[A-Za-z_]\w*\.)*_?[A-Z]\w*: )?)"
MAX_LINE = 2000
"""Longest message line matched against a catalogue (messages carry student text; matching stays linear)."""


@dataclass(frozen=True)
class _Entry:
    pattern: re.Pattern[str]
    translation: str


class MessageCatalogue:
    """English message templates (``"{fn}() did not return within {secs} s"``) and their translations.

    ``localise(message)`` translates each line of a failure message that one template matches as a
    whole (after an optional ``AssertionError: `` prefix, which is kept); other lines stay as they
    are. A line is translated whole or not at all: a sentence never mixes the two languages.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self.entries: list[_Entry] = []
        for english, translation in pairs:
            self.add(english, translation)

    def add(self, english: str, translation: str) -> None:
        fields = [f for _, f, _, _ in string.Formatter().parse(english) if f]
        missing = set(_fields(translation)) - set(fields)
        if missing:
            raise ValueError(f"translation of {english!r} uses fields the English has not: {sorted(missing)}")
        self.entries.append(_Entry(re.compile(_EXCEPTION_PREFIX + template_regex(english) + r"\Z", re.DOTALL),
                                   translation))

    def __len__(self) -> int:
        return len(self.entries)

    def line(self, text: str) -> str | None:
        """The translation of one line, or ``None``."""
        if len(text) > MAX_LINE:
            return None
        for entry in self.entries:
            match = entry.pattern.match(text)
            if match:
                values = {k: v for k, v in match.groupdict().items() if k != "_prefix"}
                return match.group("_prefix") + entry.translation.format(**values)
        return None

    def localise(self, message: str) -> str:
        if not self.entries or not message:
            return message
        return "\n".join(self.line(line) or line for line in message.split("\n"))


def load_messages(path: Path) -> MessageCatalogue:
    """A topic's ``messages.zh-CN.yml`` (``{English template: Chinese}``); empty when there is none.
    A broken file raises ``ValueError`` (or ``yaml.YAMLError``): the course lint reports it."""
    if not path.is_file():
        return MessageCatalogue()
    from grader.yaml_load import safe_load

    data = safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return MessageCatalogue()
    if not isinstance(data, dict):
        raise ValueError("expected a mapping of English message templates to their Chinese")
    return MessageCatalogue((str(k), str(v)) for k, v in data.items())


def template_regex(english: str) -> str:
    """``"{fn}() took {secs} s"`` -> a regex with a lazy named group per field (a repeated field matches once)."""
    out, seen = [], set()
    for literal, field, _spec, _conv in string.Formatter().parse(english):
        out.append(re.escape(literal))
        if field:
            if field in seen:
                out.append(f"(?P={field})")
            else:
                seen.add(field)
                out.append(f"(?P<{field}>.+?)")
    return "".join(out)


def _fields(template: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


# -- the grader's own messages ------------------------------------------------------------------

CATALOGUE: dict[str, dict[str, str]] = {CHINESE: {
    # grader hint
    "{exercise} has no hints; the lesson is {lesson}": "{exercise} 没有提示；请读课文 {lesson}",
    "hint {number}/{total} for {exercise}: {text}": "{exercise} 的提示 {number}/{total}：{text}",
    "(run `grader hint {name}` again for a stronger hint)": "（再运行一次 `grader hint {name}`，得到更具体的提示）",
    "no exercise {name!r}{suggestion}": "没有练习 {name!r}{suggestion}",
    " (did you mean {names}?)": "（你是不是想输入 {names}？）",
    " (grader status lists them)": "（`grader status` 会列出所有练习）",
    " or ": " 或 ",
    "{name!r} is in several topics: {where}": "{name!r} 出现在多个主题里：{where}",
    # grader status
    "topic": "主题",
    "progress": "进度",
    "done": "完成",
    "course: {passed}/{total} exercises done ({share})": "课程：已完成 {passed}/{total} 个练习（{share}）",
    "all exercises pass their visible tests: well done! Push to have them graded.":
        "所有练习都通过了可见测试：做得好！推送（push）之后即可评分。",
    "next: {exercise} in {stub} (grader check {topic}; grader hint {name})":
        "下一个：{stub} 里的 {exercise}（grader check {topic}；grader hint {name}）",
    "{count} exercise(s) not checked yet: run `grader check` to update this overview":
        "{count} 个练习还没有检查过：运行 `grader check` 更新这个概览",
    # grader check / watch: the table
    "exercise": "练习",
    "passed": "通过",
    "failed": "失败",
    "timed out": "超时",
    "points": "得分",
    "hint: {text}": "提示：{text}",
    "Hint: {text}": "提示：{text}",
    # feedback (Markdown, HTML, the table): grader.report.feedback
    "Feedback": "反馈",
    "Feedback for {student}": "{student} 的反馈",
    "Score: {score} / {max_score}": "得分：{score} / {max_score}",
    "score": "得分",
    "status": "状态",
    "Not graded": "未评分",
    "... and {count} more failure {where}": "……还有 {count} 个失败{where}",
    "... and {count} more failures {where}": "……还有 {count} 个失败{where}",
    "(not shown)": "（未列出）",
    "(the feedback files list them all)": "（反馈文件里列出了全部）",
    "all {count} tests": "全部 {count} 个测试",
    ", and {count} more cases": "，另有 {count} 个用例",
    "Total: {score}/{max_score}   (sandbox: {sandbox})": "总分：{score}/{max_score}   （沙箱：{sandbox}）",
    "PASSED": "通过",
    "FAILED": "失败",
    "ERROR": "出错",
    "TIMEOUT": "超时",
    "running...": "正在运行……",
    "could not run: {message}": "无法运行：{message}",
    "no visible tests": "没有可见测试",
    "{passed}/{total} visible tests pass": "{passed}/{total} 个可见测试通过",
    "error:": "出错：",
    "todo": "待完成",
    "error": "出错",
    "timeout": "超时",
    "hint": "提示",
    "All visible tests pass. Commit and push: the hidden tests grade your work.":
        "所有可见测试都通过了。提交并推送（commit、push）：隐藏测试会给你的作业评分。",
    "Start with {topic}: read {lesson}, then fill in {module}.": "从 {topic} 开始：先读 {lesson}，再完成 {module}。",
    "The visible tests give no points: they show what works. The hidden tests grade your push.":
        "可见测试不计分：它们告诉你哪些部分已经能用。你推送之后，隐藏测试才会评分。",
    "Next: `grader check {topic}` shows its failures with hints (`grader check -v`: every topic's).":
        "下一步：`grader check {topic}` 会列出它的失败和提示（`grader check -v`：列出所有主题的）。",
    "Also: `grader watch {topic}` re-checks on every save; `grader hint <exercise>` gives a hint; "
    "`grader status` shows your progress.":
        "另外：`grader watch {topic}` 在每次保存时重新检查；`grader hint <练习名>` 给出提示；"
        "`grader status` 显示你的进度。",
    "checking {topic} ({started}/{total})...": "正在检查 {topic}（{started}/{total}）……",
    "checking {total} topic(s)...": "正在检查 {total} 个主题……",
    "checked": "已检查",
    "changed: {names}": "已修改：{names}",
    "{reason} - watching for changes (Ctrl-C to stop)": "{reason}——正在监视文件改动（按 Ctrl-C 停止）",
    "stopped watching": "已停止监视",
    # failure messages every topic shares (the stubs' raise, the probes' bounded waits)
    "NotImplementedError": "NotImplementedError：这个练习还没有完成（把 `# YOUR CODE HERE` 下面的 raise 换成你的代码）",
    # explanations of common failures (grader.grading.diagnose.RULES)
    "Process targets and Pool functions are pickled under spawn and forkserver: use module-level functions "
    "(no lambdas or nested functions) and pass only picklable arguments.":
        "在 spawn 和 forkserver 下，进程的 target 和进程池的函数都要经过 pickle：请使用模块级函数"
        "（不要用 lambda 或嵌套函数），并且只传可以 pickle 的参数。",
    "A multiprocessing.Queue cannot travel through Pool arguments: use Manager().Queue() or the Pool initializer.":
        "multiprocessing.Queue 不能作为进程池任务的参数传递：请改用 Manager().Queue()，或者进程池的 initializer。",
    "join() on a running Pool: call pool.close() first, then pool.join().":
        "对仍在运行的进程池调用了 join()：先调用 pool.close()，再调用 pool.join()。",
    "The tasks did not overlap: submit every task with apply_async before calling get() on any result "
    "(a get() inside the submit loop runs them one at a time).":
        "这些任务没有同时运行：先用 apply_async 提交所有任务，再对结果调用 get()"
        "（在提交循环里调用 get() 会让任务一个接一个地运行）。",
    "Two code paths take the same locks in opposite orders: always take locks in one global order "
    "(for example by account id or fork number).":
        "两段代码以相反的顺序获取同一组锁：请始终按一个全局顺序加锁（例如按账户 id 或叉子编号）。",
    "A thread waited forever for a lock another thread holds: take locks in one global order, or use "
    "acquire(timeout=...) and back off.":
        "一个线程一直在等待另一个线程持有的锁：请按一个全局顺序加锁，或者使用 acquire(timeout=...) 并退让。",
    "A daemon process cannot start processes: run that work in a non-daemon process.":
        "守护进程不能再启动子进程：请在非守护进程里做这件事。",
    "Processes were started while a child was importing your module: put that code under "
    "if __name__ == \"__main__\":.":
        "子进程导入你的模块时又启动了进程：请把这段代码放到 if __name__ == \"__main__\": 下面。",
    "set_start_method() may run once per program: use multiprocessing.get_context(method) instead.":
        "set_start_method() 在一个程序里只能调用一次：请改用 multiprocessing.get_context(method)。",
    "A blocking call froze the event loop: use await asyncio.sleep(...), or asyncio.to_thread(...) for "
    "blocking work, inside coroutines.":
        "一个阻塞调用卡住了事件循环：在协程里请使用 await asyncio.sleep(...)，阻塞的工作交给 asyncio.to_thread(...)。",
    "asyncio.wait() takes tasks: wrap each coroutine with asyncio.create_task() (or use gather / TaskGroup).":
        "asyncio.wait() 接收的是任务：用 asyncio.create_task() 包装每个协程（或者使用 gather / TaskGroup）。",
    "multiprocessing.TimeoutError is not the built-in TimeoutError: catch multiprocessing.TimeoutError.":
        "multiprocessing.TimeoutError 不是内置的 TimeoutError：请捕获 multiprocessing.TimeoutError。",
    "Set daemon before start(): pass daemon=True to the constructor.":
        "在 start() 之前设置 daemon：把 daemon=True 传给构造函数。",
    "Prime the generator coroutine (call next() once) before the first send().":
        "第一次 send() 之前，先预激生成器协程（调用一次 next()）。",
    "wait() and notify() must be called while holding the condition's lock: use `with cond:`.":
        "调用 wait() 和 notify() 时必须持有条件变量的锁：请使用 `with cond:`。",
    "A lock was released more often than taken (an RLock only by the thread that holds it).":
        "锁被释放的次数多于获取的次数（递归锁只能由持有它的线程释放）。",
    "More release() than acquire(): BoundedSemaphore reports it, a plain Semaphore grows silently.":
        "release() 比 acquire() 多：BoundedSemaphore 会报错，普通的 Semaphore 会悄悄变大。",
    "The code hung: look for a join() before a queue is drained, a lock never released, or a get() "
    "that nobody answers.":
        "代码卡住了：检查是否在队列取空之前就调用了 join()、是否有从未释放的锁、是否有没人应答的 get()。",
    "Processes or Pools were left running: join every process you start, and close() then join() every Pool.":
        "有进程或进程池没有结束：对你启动的每个进程调用 join()，对每个进程池先 close() 再 join()。",
}}
"""Translations of the grader's own messages, keyed by the English (a unit test keeps the fields in step)."""

COMMON_MESSAGES = MessageCatalogue([
    ("not done yet: {name} still raises NotImplementedError (replace the `# YOUR CODE HERE` line in {path})",
     "还没有完成：{name} 仍然抛出 NotImplementedError（把 {path} 里 `# YOUR CODE HERE` 那一行换成你的代码）"),
    ("NotImplementedError", CATALOGUE[CHINESE]["NotImplementedError"]),
    ("{fn}() did not return within {secs} s: it is blocked (a deadlock, a join before draining a queue, "
     "or a get() nobody answers)",
     "{fn}() 在 {secs} 秒内没有返回：它被阻塞了（死锁、在取空队列之前 join，或者一个没人应答的 get()）"),
])
"""Failure messages any topic's tests produce (before the topic's own ``messages.zh-CN.yml``)."""
