"""Safe arithmetic for numeric answers: ``3*3*3*16 + 16``, ``1/3``, ``exp(-1)``, ``sqrt(512)``.

The text is parsed with ``ast`` and walked over a whitelist: numbers, ``+ - * / **``, unary
signs, parentheses, the constants ``pi`` and ``e`` and the functions ``sqrt exp log``.
Anything else (names, attributes, calls, subscripts, strings) is an ``ArithmeticFormatError``;
nothing is ever passed to ``eval``. Exponents are capped so ``9**9**9`` is refused at once
instead of hanging. Integer arithmetic stays exact (a parameter count typed as a product).
"""

from __future__ import annotations

import ast
import math
import operator

MAX_LENGTH = 200  # characters: an answer, not a program
MAX_EXPONENT = 1024  # |exponent| above this is refused before computing anything
MAX_MAGNITUDE = 1e300  # results beyond this are refused (no inf, no giant ints)
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS = {"sqrt": math.sqrt, "exp": math.exp, "log": math.log}
BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class ArithmeticFormatError(ValueError):
    """The text is not an arithmetic expression we evaluate; the message says what is wrong."""


def evaluate(text: str) -> int | float:
    """The value of ``text``: an int when every step was an exact integer operation, else a float."""
    text = text.strip()
    if not text:
        raise ArithmeticFormatError("type a number")
    if len(text) > MAX_LENGTH:
        raise ArithmeticFormatError(f"that is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ArithmeticFormatError(f"cannot read {text!r} as a number or an arithmetic expression") from None
    value = _value(tree.body)
    if isinstance(value, float) and not math.isfinite(value):
        raise ArithmeticFormatError("the result is not a finite number")
    return value


def _value(node: ast.AST) -> int | float:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ArithmeticFormatError(f"{node.value!r} is not a number")
        return _bounded(node.value)
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise ArithmeticFormatError(f"unknown name {node.id!r}: only {', '.join(CONSTANTS)} and "
                                    f"{', '.join(f + '()' for f in FUNCTIONS)} may be used")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        operand = _value(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _power(_value(node.left), _value(node.right))
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ArithmeticFormatError("division by zero")
        return _bounded(BINARY[type(node.op)](left, right))
    if isinstance(node, ast.Call):
        return _call(node)
    raise ArithmeticFormatError(f"{_describe(node)} is not allowed in an answer: use numbers, + - * / ** "
                                f"and {', '.join(FUNCTIONS)}")


def _call(node: ast.Call) -> float:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise ArithmeticFormatError(f"only {', '.join(FUNCTIONS)} may be called")
    if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
        raise ArithmeticFormatError(f"{node.func.id}() takes exactly one number")
    argument = _value(node.args[0])
    try:
        return _bounded(FUNCTIONS[node.func.id](argument))
    except (ValueError, OverflowError):
        raise ArithmeticFormatError(f"{node.func.id}({argument:g}) is not defined") from None


def _power(base: int | float, exponent: int | float) -> int | float:
    if abs(exponent) > MAX_EXPONENT:
        raise ArithmeticFormatError(f"the exponent {exponent:g} is too large (at most {MAX_EXPONENT})")
    try:
        approximate = math.pow(base, exponent)  # floats first: a cheap overflow test
    except OverflowError:
        raise ArithmeticFormatError("the result is too large") from None
    except ValueError:
        raise ArithmeticFormatError(f"{base:g} ** {exponent:g} is not a real number") from None
    if isinstance(base, int) and isinstance(exponent, int) and exponent >= 0:
        return _bounded(base ** exponent)  # exact, and known to be bounded by the test above
    return _bounded(approximate)


def _bounded(value: int | float) -> int | float:
    if isinstance(value, complex) or abs(value) > MAX_MAGNITUDE:
        raise ArithmeticFormatError("the result is too large")
    return value


def _describe(node: ast.AST) -> str:
    names = {ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "a lambda",
             ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.Tuple: "a tuple (a comma)",
             ast.List: "a list", ast.FloorDiv: "//", ast.Mod: "%"}
    if isinstance(node, ast.BinOp):
        return names.get(type(node.op), type(node.op).__name__)
    return names.get(type(node), type(node).__name__)
