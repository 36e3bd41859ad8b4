"""Exponentially weighted moving averages, with the bias correction Adam uses.

Each average keeps beta of the previous one and mixes in (1 - beta) of the new point, so old
points fade geometrically. Starting from 0 drags the first averages towards 0; dividing by
1 - beta**t (the total weight the first t points received) undoes exactly that.
v_0 = 0, v_t = beta * v_{t-1} + (1 - beta) * x_t, corrected: v_t / (1 - beta**t), t = 1 .. T.

Run `grade ewma` to check your work; stuck? `grade hint ewma`.
"""

import numpy as np


def ewma(x, beta: float, bias_correction: bool = True) -> np.ndarray:
    """The (T,) exponentially weighted averages of the series x (T,), v_0 = 0, beta in [0, 1).

    Example: ewma([1.0, 2.0], 0.5, bias_correction=False) -> array([0.5, 1.25])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D series, got shape {x.shape}")
    beta = float(beta)
    # beta = 1 would never let a new point in (and 1 - beta**t = 0); "not <" also rejects NaN.
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    v = _running_average(x, beta)
    if not bias_correction:
        return v
    # t counts from 1: after t points the weights sum to 1 - beta**t, never 0 since beta < 1.
    # beta**t underflowing to 0 for long series is harmless: the correction becomes 1.
    t = np.arange(1, len(x) + 1, dtype=np.float64)
    return v / (1.0 - beta**t)


def _running_average(x: np.ndarray, beta: float) -> np.ndarray:
    """The uncorrected averages v_1 .. v_T of the recursion started at v_0 = 0."""
    # The recursion is sequential, so loop. The closed form beta**t * cumsum(x * beta**-t)
    # looks vectorised but overflows: 0.5**-10000 is inf. The loop only ever shrinks v.
    v = np.empty(x.shape, dtype=np.float64)
    previous = 0.0
    for t, value in enumerate(x.tolist()):
        previous = beta * previous + (1.0 - beta) * value
        v[t] = previous
    return v
