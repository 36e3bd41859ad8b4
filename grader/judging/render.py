"""Values and calls as short, copy-pasteable text for reports."""

from __future__ import annotations

import numpy as np

MAX_CHARS = 600  # one rendered value; longer ones are cut with a note
SMALL_ARRAY = 16  # arrays up to this many values are shown whole (copy-pasteable); larger ones summarised
SHOWN_VALUES = 6  # values shown of a summarised array
DIGITS = 6  # significant digits of a summarised value (more when needed to tell got from expected)


def value(obj) -> str:
    if isinstance(obj, Description):
        return str(obj)
    text = _render(obj)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 5] + " [...]"


def _render(obj) -> str:
    if isinstance(obj, np.ndarray):
        if obj.ndim == 0 and obj.dtype == np.float64:
            return repr(float(obj))
        if obj.size > SMALL_ARRAY:
            return summary(obj)
        return _one_line(obj)
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


def _one_line(array: np.ndarray, digits: int | None = None) -> str:
    """The array as numpy would write it, on one line and without alignment padding.

    Floats at full precision (the text can be pasted back), or at ``digits`` significant
    digits; a report folds the line at the spaces between values, never inside a number.
    """
    formatter = {"float_kind": (lambda x: repr(float(x))) if digits is None else (lambda x: _short(x, digits))}
    text = np.array2string(array, separator=", ", formatter=formatter, threshold=SMALL_ARRAY + 1,
                           max_line_width=10**6)
    body = " ".join(line.strip() for line in text.splitlines() if line.strip())
    default_dtype = array.dtype in (np.float64, np.int64, np.bool_) and array.size
    return f"array({body})" if default_dtype else f"array({body}, dtype={array.dtype})"


def summary(array: np.ndarray, around: tuple | None = None, digits: int = DIGITS) -> str:
    """A large array in one line: dtype, shape, and a few values (from the start, or around an index)."""
    flat = array.reshape(-1)
    start = 0
    if around is not None:
        start = max(0, min(int(np.ravel_multi_index(around, array.shape)) - 1, flat.size - SHOWN_VALUES))
    shown = flat[start:start + SHOWN_VALUES]
    values = ", ".join(_short(v, digits) for v in shown)
    before = "..., " if start else ""
    after = ", ..." if start + len(shown) < flat.size else ""
    where = f" from index {tuple(int(i) for i in np.unravel_index(start, array.shape))}" if start else ""
    return f"{array.dtype} array of shape {array.shape}{where}: [{before}{values}{after}]"


def _short(x, digits: int) -> str:
    if isinstance(x, (float, np.floating)):
        text = f"{float(x):.{digits}g}"
        return text if any(c in text for c in ".einf") else text + ".0"  # 1.0 reads as a float, not 1
    return repr(x.item() if isinstance(x, np.generic) else x)


def got_and_expected(got, expected) -> tuple[str, str]:
    """Both values for a report; two large arrays of one shape are shown around their first difference."""
    if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and got.shape == expected.shape \
            and got.ndim:
        index = first_difference(got, expected)
        if index is not None:
            digits = DIGITS
            a, b = got[index], expected[index]
            while digits < 17 and _short(a, digits) == _short(b, digits):
                digits += 1  # never show two different values as the same text
            if got.size <= SMALL_ARRAY:
                return _one_line(got, digits), _one_line(expected, digits)
            note = f" (first difference at index {index})"
            return summary(got, index, digits) + note, summary(expected, index, digits) + note
    return value(got), value(expected)


def first_difference(got: np.ndarray, expected: np.ndarray) -> tuple | None:
    try:
        same = (got == expected) | (np.isnan(got) & np.isnan(expected)) if got.dtype.kind in "fc" else got == expected
    except (TypeError, ValueError):
        return None
    where = np.argwhere(~np.asarray(same))
    return tuple(int(i) for i in where[0]) if len(where) else None


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
