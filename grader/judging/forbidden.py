"""Find forbidden library calls in a learner's source by static analysis (nothing is run).

A forbidden pattern is a dotted name: ``numpy.linalg.svd`` forbids that function,
``scipy.stats`` the whole module. References are resolved through ``import ... as``,
``from ... import ... as``, attribute chains, ``getattr(module, "name")`` and
``importlib.import_module("name")``. Method names (``x.softmax(...)``) catch tensor methods.
Dynamic code (``eval``, ``exec``) is reported too: the grader could not see what it runs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

DYNAMIC_CODE = ("eval", "exec", "compile", "__import__", "importlib.import_module")


@dataclass(frozen=True)
class Finding:
    line: int
    name: str  # the forbidden thing, e.g. "scipy.special.softmax" or ".softmax()"
    scope: str | None  # the exercise function it appears in; None means module level or a helper

    def message(self) -> str:
        if self.name in DYNAMIC_CODE:
            return (f"line {self.line} calls {self.name}(), which the grader cannot check for forbidden "
                    f"library calls; write the code out")
        return f"line {self.line} uses {self.name}, which does this exercise for you; write it yourself"


def find(source: str, forbidden: tuple[str, ...], methods: tuple[str, ...],
         functions: tuple[str, ...]) -> list[Finding]:
    """Every use of a forbidden name in ``source``; a source that does not parse has none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    # A method the learner's own class defines (their Layer.backward) is not the library's.
    own = {item.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
           for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}
    visitor = _Visitor(forbidden, tuple(m for m in methods if m not in own), set(functions))
    visitor.visit(tree)
    return sorted(set(visitor.findings), key=lambda f: (f.line, f.name))


def affected(findings: list[Finding], functions: tuple[str, ...]) -> dict[str, Finding]:
    """Exercise function -> the first finding that forbids it. Module-level uses forbid them all."""
    result: dict[str, Finding] = {}
    for finding in findings:
        for function in ([finding.scope] if finding.scope else functions):
            result.setdefault(function, finding)
    return result


class _Visitor(ast.NodeVisitor):
    def __init__(self, forbidden, methods, functions):
        self.forbidden = forbidden
        self.methods = set(methods)
        self.functions = functions
        self.aliases: dict[str, str] = {}  # local name -> dotted module/object name
        self.scope: str | None = None
        self.depth = 0
        self.findings: list[Finding] = []

    def report(self, node, name: str):
        self.findings.append(Finding(node.lineno, name, self.scope))

    def check_name(self, node, dotted: str):
        for pattern in self.forbidden:
            if dotted == pattern or dotted.startswith(pattern + "."):
                self.report(node, dotted)
                return True
        return False

    def _enter(self, node):
        outer = self.scope
        if self.depth == 0:
            self.scope = node.name if node.name in self.functions else None
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        self.scope = outer

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter

    def visit_Import(self, node):
        for alias in node.names:
            self.check_name(node, alias.name)
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node):
        if node.level:  # relative imports reach the learner's own files only
            return
        for alias in node.names:
            dotted = f"{node.module}.{alias.name}"
            self.check_name(node, dotted)
            self.aliases[alias.asname or alias.name] = dotted

    def resolve(self, node) -> str | None:
        """The dotted name an expression refers to, if it starts from an imported name."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return ".".join([self.aliases[node.id], *reversed(parts)])
        return None

    def visit_Attribute(self, node):
        dotted = self.resolve(node)
        if dotted is not None:
            if self.check_name(node, dotted):
                return  # report the longest chain once, not each prefix
        elif node.attr in self.methods:
            self.report(node, f".{node.attr}()")
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.aliases and isinstance(node.ctx, ast.Load):
            self.check_name(node, self.aliases[node.id])

    def visit_Call(self, node):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        text_arg = _constant_text(node.args[1]) if len(node.args) > 1 else None
        first_text = _constant_text(node.args[0]) if node.args else None
        if name in ("eval", "exec", "compile"):
            self.report(node, name)
        elif name == "getattr" and text_arg is not None:
            base = self.resolve(node.args[0])
            if base is not None:
                self.check_name(node, f"{base}.{text_arg}")
            elif text_arg in self.methods:
                self.report(node, f".{text_arg}()")
        elif name == "__import__" or self.resolve(func) == "importlib.import_module":
            if first_text is not None:
                self.check_name(node, first_text)
            else:
                self.report(node, name or "importlib.import_module")
        self.generic_visit(node)


def _constant_text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
