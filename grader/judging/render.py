"""Values and calls as short, copy-pasteable text for reports."""

from __future__ import annotations

import numpy as np

MAX_CHARS = 600  # one rendered value; longer ones are cut with a note


def value(obj) -> str:
    if isinstance(obj, Description):
        return str(obj)
    with np.printoptions(threshold=40, edgeitems=3, precision=17, floatmode="maxprec", linewidth=88):
        text = _render(obj)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 5] + " [...]"


def _render(obj) -> str:
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0 and obj.dtype == np.float64:
            return repr(float(obj))
        return repr(obj)
    if isinstance(obj, np.generic):
        if isinstance(obj, (np.float64, np.int64, np.bool_)):
            return repr(obj.item())  # the learner reads 2.0, not np.float64(2.0)
        return f"np.{type(obj).__name__}({obj.item()!r})"
    if isinstance(obj, list):
        return "[" + ", ".join(_render(v) for v in obj) + "]"
    if isinstance(obj, tuple):
        inner = ", ".join(_render(v) for v in obj)
        return f"({inner},)" if len(obj) == 1 else f"({inner})"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{k!r}: {_render(v)}" for k, v in obj.items()) + "}"
    return repr(obj)


def call(function: str, kwargs: dict) -> str:
    args = ", ".join(f"{name}={value(v)}" for name, v in kwargs.items())
    return f"{function}({args})"


class Description(str):
    """Text shown as-is in the expected/got column (not a value to repr)."""


def describe(text: str) -> Description:
    return Description(text)


def kind(obj) -> str:
    """What a value is, in a learner's words: 'a list', 'a float32 array of shape (2, 3)'."""
    if isinstance(obj, np.ndarray):
        return f"a {obj.dtype} array of shape {obj.shape}"
    if isinstance(obj, np.generic):
        return f"a numpy {obj.dtype} scalar"
    if obj is None:
        return "None (did you forget to return?)"
    name = type(obj).__name__
    article = "an" if name[0] in "aeiou" else "a"
    return f"{article} {name}"
