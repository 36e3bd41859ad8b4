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
    # TODO: raise ValueError unless 0 <= beta < 1; an empty x gives an empty array;
    #       divide by 1 - beta**t only when bias_correction is True (t counts from 1).
    raise NotImplementedError
