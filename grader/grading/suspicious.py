"""Suspicious-code flags: an AST scan of the submission, in the trusted process, before it runs.

While hidden tests and student code share a process, a determined student can forge a pass
(SECURITY.md): find the reporter or pytest's config through ``gc`` or the stack, write to the
result pipe found in ``/proc/self/fd``, switch the timeout off. None of that is needed to solve
a concurrency exercise, so the code that does it is flagged for an instructor to read, with
``file:line``. A flag never changes a score: it asks a human to look.

The rules name what course code never needs (checked against every reference solution: zero
flags). Docstrings are not scanned. The scan parses only; it never imports or runs anything.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

from grader.grading.suspicious_rules import ATTRS, CALLS, ENV_WHOLE, LYING, MODULES, STRINGS

MAX_FINDINGS = 8
"""Per file; the rest are counted in one more line."""

@dataclass(frozen=True)
class Finding:
    line: int
    reason: str

    def text(self, shown: str) -> str:
        return f"{shown}:{self.line}: {self.reason}"


class _Scanner(ast.NodeVisitor):
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.aliases: dict[str, str] = {}
        self.docstrings: set[int] = set()
        self.loops = 0
        self.functions = 0

    def add(self, node: ast.AST, reason: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), reason))

    def dotted(self, node: ast.AST) -> str:
        """``gc.get_objects`` for ``g.get_objects`` after ``import gc as g`` (empty if not a name chain)."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ""
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    # -- structure -------------------------------------------------------------------------

    def _docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.docstrings.add(id(body[0].value))

    def visit_Module(self, node: ast.Module) -> None:
        self._docstring(node)
        for stmt in node.body:
            self._module_level_exit(stmt)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._docstring(node)
        if node.name in ("__reduce__", "__reduce_ex__", "__setstate__"):
            self.add(node, f"defines {node.name} (runs code wherever the object is unpickled)")
        if node.name == "__eq__" and _always_true(node):
            self.add(node, "defines an __eq__ that always returns True")
        elif node.name in LYING and _ignores_other(node):
            self.add(node, f"defines a {node.name} that ignores what it is compared with")
        self.functions += 1
        self.generic_visit(node)
        self.functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def _module_level_exit(self, stmt: ast.stmt) -> None:
        """``os._exit``, ``sys.exit`` or raising SystemExit/KeyboardInterrupt while being imported."""
        if isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
            return
        for node in ast.walk(stmt):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                return
            if isinstance(node, ast.Call) and self.dotted(node.func) in ("os._exit", "sys.exit", "exit", "quit"):
                self.add(node, f"exits while being imported ({self.dotted(node.func)})")
            if isinstance(node, ast.Raise) and node.exc is not None:
                name = self.dotted(node.exc.func if isinstance(node.exc, ast.Call) else node.exc)
                if name in ("SystemExit", "KeyboardInterrupt", "GeneratorExit"):
                    self.add(node, f"raises {name} while being imported")

    def visit_While(self, node: ast.While) -> None:
        self.loops += 1
        if isinstance(node.test, ast.Constant) and node.test.value:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and self.dotted(inner.func) in ("os.fork", "os.forkpty"):
                    self.add(inner, "forks in an endless loop (a fork bomb)")
                    break
        self.generic_visit(node)
        self.loops -= 1

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.loops += 1
        if self.dotted(node.iter) == "os.environ":
            self.add(node, "reads the whole environment")
        self.generic_visit(node)
        self.loops -= 1

    visit_AsyncFor = visit_For

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        names = []
        if node.type is None:
            names = ["(bare)"]
        else:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names = [self.dotted(t) for t in types]
        swallows = all(isinstance(s, (ast.Pass, ast.Continue)) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                       for s in node.body)
        if swallows and any(n in ("(bare)", "BaseException", "SystemExit", "KeyboardInterrupt") for n in names):
            what = "every exception" if "(bare)" in names or "BaseException" in names else names[0]
            self.add(node, f"swallows {what} (that hides the grader's timeout)")
        self.generic_visit(node)

    # -- names -----------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
            self._module(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._module(node, module)
        for alias in node.names:
            full = f"{module}.{alias.name}" if module else alias.name
            self.aliases[alias.asname or alias.name] = full
            if full in CALLS:
                self.add(node, f"{CALLS[full]} ({full})")

    def _module(self, node: ast.AST, name: str) -> None:
        top = name.split(".")[0]
        if top in MODULES:
            self.add(node, f"{MODULES[top]} ({name})")

    def visit_Call(self, node: ast.Call) -> None:
        name = self.dotted(node.func)
        if name in CALLS:
            self.add(node, f"{CALLS[name]} ({name})")
        if name in ("__import__", "importlib.import_module") and node.args and isinstance(node.args[0], ast.Constant):
            self._module(node, str(node.args[0].value))
        if name in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) >= 2:
            attr = node.args[1]
            if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                if attr.value in ATTRS:
                    self.add(node, f"{ATTRS[attr.value]} ({name}(..., {attr.value!r}))")
                base = self.dotted(node.args[0])
                if f"{base}.{attr.value}" in CALLS:
                    self.add(node, f"{CALLS[f'{base}.{attr.value}']} ({name}({base}, {attr.value!r}))")
        if name in ("os.kill", "os.killpg") and node.args:
            target = node.args[0]
            if (isinstance(target, ast.Call) and self.dotted(target.func) in ("os.getppid", "os.getpgid", "os.getpgrp")) or (
                    isinstance(target, ast.Constant) and isinstance(target.value, int) and target.value <= 1) or (
                    isinstance(target, ast.UnaryOp)):
                self.add(node, f"signals a process it did not start ({name})")
        if name in ("dict", "str", "repr", "print", "list") and any(self.dotted(a) == "os.environ" for a in node.args):
            self.add(node, "reads the whole environment")
        if name == "type" and len(node.args) == 3:
            self.add(node, "builds a class at run time (type(name, bases, namespace))")
        if name in ("sys.modules.get", "sys.modules.values", "sys.modules.items", "sys.modules.keys",
                    "vars", "globals") and (name.startswith("sys.") or node.args):
            self.add(node, f"reaches loaded modules or namespaces by name ({name})")
        if name in ("os.fork", "os.forkpty") and self.loops and not self.functions:
            self.add(node, "forks in a loop at import")
        for keyword in node.keywords:
            if keyword.arg in ("start_new_session", "preexec_fn", "process_group") and not (
                    isinstance(keyword.value, ast.Constant) and not keyword.value.value):
                self.add(node, f"detaches a child process from the run ({keyword.arg}=...)")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in ATTRS:
            self.add(node, f"{ATTRS[node.attr]} (.{node.attr})")
        base = self.dotted(node.value)
        if base == "os.environ" and node.attr in ENV_WHOLE:
            self.add(node, "reads the whole environment")
        if base == "sys" and node.attr in ("modules", "meta_path", "path_hooks") and isinstance(node.ctx, ast.Load):
            pass  # reading sys.modules is common; only assignments below are flagged
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self.dotted(node.value) == "sys.modules":
            self.add(node, "reaches a loaded module by name (sys.modules[...])")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned(node.target)
        self.generic_visit(node)

    def _assigned(self, target: ast.AST, value: ast.AST | None = None) -> None:
        if isinstance(target, ast.Name) and target.id in LYING and not (
                isinstance(value, ast.Lambda) and not _ignores_other(value)):
            self.add(target, f"sets {target.id} to something other than a method that compares")
        if isinstance(target, ast.Subscript):
            target = target.value
        name = self.dotted(target)
        if name.startswith(("sys.modules", "sys.meta_path", "sys.path_hooks", "builtins.", "sys.stdout", "sys.stderr",
                            "sys.excepthook", "threading.excepthook", "os.environ")):
            self.add(target, f"patches the interpreter ({name})")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings:
            if node.value in LYING:
                self.add(node, f"names {node.value} (a comparison built at run time)")
                return
            lowered = node.value.lower()
            for needle, reason in STRINGS:
                if needle in lowered:
                    self.add(node, f"{reason} ({_quote(node.value, needle)})")
                    break


def _quote(text: str, needle: str) -> str:
    at = text.lower().find(needle)
    start = max(0, at - 15)
    snippet = text[start: at + len(needle) + 15].replace("\n", " ")
    return repr(("..." if start else "") + snippet + ("..." if at + len(needle) + 15 < len(text) else ""))


def _ignores_other(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> bool:
    """True when a comparison method never looks at the object it is compared with."""
    params = [*node.args.posonlyargs, *node.args.args]
    if len(params) < 2:
        return True
    other = params[1].arg
    body = node.body if isinstance(node.body, list) else [node.body]
    return not any(isinstance(n, ast.Name) and n.id == other for stmt in body for n in ast.walk(stmt))


def _always_true(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    returns = [n for n in ast.walk(node) if isinstance(n, ast.Return)]
    return bool(returns) and all(isinstance(r.value, ast.Constant) and r.value.value is True for r in returns)


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators))


def scan_source(source: str | bytes, shown: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """``shown:line: reason`` for each suspicious construct (empty if the file does not parse), but
    for the reasons in ``allowed``."""
    try:
        tree = ast.parse(source, filename=shown)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    scanner = _Scanner()
    try:
        scanner.visit(tree)
    except RecursionError:
        return [f"{shown}: too deeply nested to scan"]
    seen, lines = set(), []
    for finding in sorted(scanner.findings, key=lambda f: f.line):
        key = (finding.line, finding.reason)
        if key not in seen and finding.reason not in allowed:
            seen.add(key)
            lines.append(finding.text(shown))
    if len(lines) > MAX_FINDINGS:
        lines = lines[:MAX_FINDINGS] + [f"{shown}: and {len(lines) - MAX_FINDINGS} more suspicious line(s)"]
    return lines


def taught(solution: Path) -> frozenset[str]:
    """The reasons a topic's reference solution itself gives (none where it is absent, as in a
    student's copy): what a topic teaches is not suspicious in that topic."""
    try:
        tree = ast.parse(solution.read_bytes(), filename=solution.name)
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    scanner = _Scanner()
    scanner.visit(tree)
    return frozenset(f.reason for f in scanner.findings)


def scan_files(folder: Path, names: tuple[str, ...] | list[str], allowed: frozenset[str] = frozenset()) -> list[str]:
    """Scan the submission's copied ``.py`` files in ``folder`` (the grader's own copy)."""
    found = []
    for name in (n for n in names if n.endswith(".py")):
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        with os.fdopen(fd, "rb") as fh:
            found += scan_source(fh.read(), name, allowed)
    return found
