"""A correct holt module written differently from the reference: the error-correction form.

Each step computes the one-step error e_t = y_t - (l_{t-1} + b_{t-1}) and moves the state by it:
l_t = l_{t-1} + b_{t-1} + alpha e_t, b_t = b_{t-1} + alpha beta e_t (algebraically the same
recursion). SES is Holt with no trend.
"""

import math

import numpy as np


def _validate(y, weights, numbers, h):
    y = np.array(y, dtype=float)
    if y.ndim != 1 or not np.isfinite(y).all():
        raise ValueError("y must be a finite 1-D series")
    for name, w in weights.items():
        if not (0 <= w <= 1):
            raise ValueError(f"{name} must lie in [0, 1]")
    for name, v in numbers.items():
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite")
    if type(h) is bool or not isinstance(h, (int, np.integer)) or h < 0:
        raise ValueError("h must be a non-negative int")
    return y


def _smooth(y, alpha, beta, level, trend, h, with_trend):
    fitted = np.empty(len(y))
    for t in range(len(y)):
        forecast = level + trend
        fitted[t] = forecast
        error = y[t] - forecast
        level = forecast + alpha * error
        if with_trend:
            trend = trend + alpha * beta * error
    horizon = np.arange(1.0, h + 1.0)
    return fitted, level + horizon * trend


def ses(y, alpha, l0, h):
    y = _validate(y, {"alpha": alpha}, {"l0": l0}, h)
    return _smooth(y, alpha, 0.0, float(l0), 0.0, int(h), with_trend=False)


def holt(y, alpha, beta, l0, b0, h):
    y = _validate(y, {"alpha": alpha, "beta": beta}, {"l0": l0, "b0": b0}, h)
    return _smooth(y, alpha, beta, float(l0), float(b0), int(h), with_trend=True)
