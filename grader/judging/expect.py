"""Assertions for spec authors. Each raises ``Failure`` with a message a learner understands.

Two families: ``*_contract`` helpers are strict about types (the contract tier); ``as_*``
helpers convert leniently with ``np.asarray`` so the other tiers judge values, not types.
"""

from __future__ import annotations

import numpy as np

from grader.judging import render
from grader.judging.checks import Failure
from grader.sandbox.learner import Raised, Returned


def as_array(value, *, shape=None, what="the result") -> np.ndarray:
    """The value as a float64 array (any array-like is fine here); check its shape."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(f"{what} is {render.kind(value)}, which is not an array of numbers",
                      got=value) from None
    if shape is not None and array.shape != tuple(shape):
        raise Failure(f"{what} has shape {array.shape}; expected shape {tuple(shape)}",
                      expected=render.describe(f"an array of shape {tuple(shape)}"), got=value)
    return array


def array_contract(value, *, shape, what="the result") -> np.ndarray:
    """The value must be a float64 numpy array of exactly this shape."""
    expected = render.describe(f"a float64 numpy array of shape {tuple(shape)}")
    if not isinstance(value, np.ndarray):
        raise Failure(f"{what} is {render.kind(value)}; return a numpy array (np.asarray helps)",
                      expected=expected, got=value)
    if value.shape != tuple(shape):
        raise Failure(f"{what} has shape {value.shape}; expected {tuple(shape)}", expected=expected, got=value)
    if value.dtype != np.float64:
        raise Failure(f"{what} has dtype {value.dtype}; expected float64", expected=expected, got=value)
    return value


def as_float(value, *, what="the result") -> float:
    """A number from a Python/numpy scalar or a 0-d array."""
    if isinstance(value, (bool, np.bool_)):
        raise Failure(f"{what} is a bool; expected a number", got=value)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(f"{what} is {render.kind(value)}; expected a number", got=value) from None
    if array.ndim != 0:
        raise Failure(f"{what} is an array of shape {array.shape}; expected a single number", got=value)
    return float(array)


def float_contract(value, *, what="the result") -> float:
    """A Python float, a numpy float, or a 0-d float array."""
    ok = (isinstance(value, (float, np.floating))
          or (isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind == "f"))
    if not ok:
        raise Failure(f"{what} is {render.kind(value)}; expected a float", expected=render.describe("a float"),
                      got=value)
    return float(value)


def int_contract(value, *, what="the result") -> int:
    """A Python int or a numpy integer; never a bool or a float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise Failure(f"{what} is {render.kind(value)}; expected an int", expected=render.describe("an int"),
                      got=value)
    return int(value)


def tuple_contract(value, length: int, *, what="the result") -> tuple:
    """Any sequence of this length: a tuple, a list, or a 1-D-or-more array (DESIGN.md)."""
    if isinstance(value, np.ndarray) and value.ndim >= 1:
        value = list(value)
    if not isinstance(value, (tuple, list)) or len(value) != length:
        raise Failure(f"{what} is {render.kind(value)}; expected a tuple of {length} items",
                      expected=render.describe(f"a tuple of {length} items"), got=value)
    return tuple(value)


def expect_close(got, expected, *, rtol: float, atol: float, what="the result") -> None:
    """Elementwise |got - expected| <= atol + rtol*|expected|; NaN and inf must match exactly."""
    got_array = as_array(got, what=what)
    want = np.asarray(expected, dtype=np.float64)
    if got_array.shape != want.shape:
        raise Failure(f"{what} has shape {got_array.shape}; expected shape {want.shape}", expected=expected, got=got)
    with np.errstate(all="ignore"):
        same_special = (np.isnan(got_array) & np.isnan(want)) | (
            np.isinf(want) & (got_array == want))
        finite = np.isfinite(want) & np.isfinite(got_array)
        error = np.where(finite, np.abs(got_array - want), np.inf)
        bad = ~same_special & (error > atol + rtol * np.abs(np.where(finite, want, 0.0)))
    if not bad.any():
        return
    index = np.unravel_index(np.argmax(np.where(bad, error, -1.0)), bad.shape) if bad.ndim else ()
    where = f" at index {tuple(int(i) for i in index)}" if bad.ndim else ""
    g, w = float(got_array[index]), float(want[index])
    if np.isfinite(g) and np.isfinite(w):
        detail = f"off by {abs(g - w):.3g}{where} (got {g!r}, expected {w!r}; tolerance {atol + rtol * abs(w):.2g})"
    else:
        detail = f"got {g!r}{where}, expected {w!r}"
    raise Failure(f"{what} {'are' if plural(what) else 'is'} wrong: {detail}", expected=expected, got=got)


def plural(what: str) -> bool:
    """Does a generated subject such as 'the averages (each ...)' take 'are'? Its head noun decides."""
    head = what.split(" (")[0].split(" of ")[0].split()
    word = head[-1] if head else ""
    return len(word) > 2 and word.isalpha() and word.endswith("s") and not word.endswith(("ss", "is", "us"))


def expect_finite(array, *, what="the result", got=None) -> None:
    """No NaN or infinity anywhere (say where the first one is)."""
    values = np.asarray(array, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {index}" if values.ndim else ""
        raise Failure(f"{what} contains {float(values[index])!r}{where}", got=array if got is None else got)


def expect_value_error(outcome, *, bad: str) -> None:
    """The call must have raised ValueError; ``bad`` says what was wrong with the input."""
    expected = render.describe("ValueError")
    if isinstance(outcome, Raised):
        if outcome.value_error:
            return
        raise Failure(f"raised {outcome.describe()} for {bad}; raise ValueError instead",
                      expected=expected, got=render.describe(f"{outcome.type}: {outcome.message}"))
    got = outcome.value if isinstance(outcome, Returned) else render.describe("an unreadable value")
    raise Failure(f"returned a value for {bad}; it should raise ValueError", expected=expected, got=got)


def expect_unchanged(sent, after, *, function: str) -> None:
    """The arguments the worker saw after the call must equal what was sent."""
    for name, before in sent.items():
        now = after.get(name, before) if isinstance(after, dict) else before
        if isinstance(before, np.ndarray):
            changed = (not isinstance(now, np.ndarray) or now.shape != before.shape
                       or not np.array_equal(now, before, equal_nan=before.dtype.kind == "f"))
        else:
            changed = _differs(before, now)
        if changed:
            raise Failure(f"{function} changed its argument {name!r} in place; work on a copy",
                          expected=before, got=now)


def _differs(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                    and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b))
    return a != b
