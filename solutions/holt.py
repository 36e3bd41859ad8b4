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
    y = _series(y)
    alpha, l0 = _weight(alpha, "alpha"), _number(l0, "l0")
    h = _horizon(h)
    level = l0
    fitted = []
    for value in y.tolist():
        fitted.append(level)  # the forecast made before seeing this point
        level += alpha * (value - level)  # = alpha y + (1 - alpha) level: move alpha of the way
    return np.array(fitted, dtype=np.float64), np.full(h, level, dtype=np.float64)


def holt(y, alpha: float, beta: float, l0: float, b0: float, h: int) -> tuple[np.ndarray, np.ndarray]:
    """Holt's linear trend: float64 arrays (fitted (T,), forecast (h,)); fitted[t] = l_{t-1} + b_{t-1}.

    forecast[k-1] = l_T + k b_T for k = 1 .. h. alpha and beta in [0, 1]; an empty y gives an empty
    fitted and the forecasts l0 + k b0.
    Example: holt([1.0, 3.0], 0.5, 0.5, 0.0, 1.0, 2) -> (array([1., 2.]), array([3.75, 5.  ]))
    """
    y = _series(y)
    alpha, beta = _weight(alpha, "alpha"), _weight(beta, "beta")
    l0, b0, h = _number(l0, "l0"), _number(b0, "b0"), _horizon(h)
    level, trend = l0, b0
    fitted = []
    for value in y.tolist():
        previous = level
        fitted.append(previous + trend)  # the one-step forecast made before seeing this point
        level = alpha * value + (1.0 - alpha) * (previous + trend)
        # the new slope blends the step the level just took with the old slope
        trend = beta * (level - previous) + (1.0 - beta) * trend
    steps = np.arange(1, h + 1, dtype=np.float64)  # forecasts are 1 .. h steps ahead, never 0
    return np.array(fitted, dtype=np.float64), level + steps * trend


def _series(y) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D series, got shape {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("y must be finite (no NaN or inf)")
    return y


def _weight(value, name: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:  # "not" also rejects NaN
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return value


def _number(value, name: str) -> float:
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def _horizon(h) -> int:
    if isinstance(h, (bool, np.bool_)) or not isinstance(h, (int, np.integer)):
        raise ValueError(f"h must be an int, got {h!r}")
    if h < 0:
        raise ValueError(f"h must be >= 0, got {h}")
    return int(h)
