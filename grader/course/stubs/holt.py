"""Exponential smoothing: a level (simple exponential smoothing), then a level and a trend (Holt).

Simple exponential smoothing keeps a level and moves it a fraction alpha of the way towards each
new point: l_t = alpha y_t + (1 - alpha) l_{t-1}. Holt's linear trend adds a slope b_t, smoothed
with its own weight beta:
    l_t = alpha y_t + (1 - alpha) (l_{t-1} + b_{t-1})
    b_t = beta (l_t - l_{t-1}) + (1 - beta) b_{t-1}
The series y[0], ..., y[T-1] is y_1 .. y_T; the given l0 and b0 are the state l_0, b_0 before y_1.
The fitted value of y_t is the forecast made just before seeing it (l_{t-1} for SES,
l_{t-1} + b_{t-1} for Holt), and the k-step forecast from the end is l_T (SES) or l_T + k b_T (Holt).

Forbidden (they do the exercise): statsmodels, scipy.signal and pandas' ewm.
Run `grade holt` to check your work; stuck? `grade hint holt`.
"""

import numpy as np


def ses(y, alpha: float, l0: float, h: int) -> tuple[np.ndarray, np.ndarray]:
    """Simple exponential smoothing: float64 arrays (fitted (T,), forecast (h,)), fitted[t] the level before y[t].

    alpha in [0, 1]; an empty y gives an empty fitted and h forecasts equal to l0.
    Example: ses([1.0, 3.0], 0.5, 0.0, 2) -> (array([0. , 0.5]), array([1.75, 1.75]))
    """
    # TODO: loop over y: store the current level as fitted[t], then l = alpha * y[t] + (1 - alpha) * l.
    # Raise ValueError when y is not 1-D or not finite, alpha is outside [0, 1] (or NaN), l0 is not finite,
    # or h is not an int >= 0 (a bool is not one).
    raise NotImplementedError


def holt(y, alpha: float, beta: float, l0: float, b0: float, h: int) -> tuple[np.ndarray, np.ndarray]:
    """Holt's linear trend: float64 arrays (fitted (T,), forecast (h,)); fitted[t] = l_{t-1} + b_{t-1}.

    forecast[k-1] = l_T + k b_T for k = 1 .. h. alpha and beta in [0, 1]; an empty y gives an empty
    fitted and the forecasts l0 + k b0.
    Example: holt([1.0, 3.0], 0.5, 0.5, 0.0, 1.0, 2) -> (array([1., 2.]), array([3.75, 5.  ]))
    """
    # TODO: loop over y: store l + b as fitted[t], then update the level, then the trend (it needs the
    # level from before this update); forecast[k - 1] = l_T + k * b_T for k = 1 .. h. Raise ValueError as
    # in ses, and also when beta is outside [0, 1] (or NaN) or b0 is not finite.
    raise NotImplementedError
