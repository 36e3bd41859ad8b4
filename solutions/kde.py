"""Kernel density estimation and Nadaraya-Watson kernel regression with a Gaussian kernel.

A kernel density estimate puts a small Gaussian bump of width h on every data point and
averages them: f(q) = (1 / (n h)) sum_i phi((q - x_i) / h), with phi(u) = exp(-u^2 / 2) / sqrt(2 pi).
Nadaraya-Watson regression predicts at q the weighted mean of the y_i, with weights
w_i = exp(-(q - x_i)^2 / (2 h^2)): nearby points count most. Those weights are a softmax of
-(q - x_i)^2 / (2 h^2), so the same max-shift keeps them finite when every w_i underflows.

Write it with numpy: scipy.stats, scikit-learn and statsmodels (which have both estimators) are not allowed.

Run `grade kde` to check your work; stuck? `grade hint kde`.
"""

import numpy as np


def gaussian_kde(data, query, h: float) -> np.ndarray:
    """The Gaussian kernel density estimate of the sample data (n,) with bandwidth h, at each query point (m,).

    f(q) = (1 / (n h)) * sum_i exp(-((q - data_i) / h)^2 / 2) / sqrt(2 pi). Works for any h > 0,
    from 1e-200 to 1e200 (divide by h before squaring). An empty query gives an empty array.
    Example: gaussian_kde([0.0, 1.0], [0.0, 0.5], 1.0) -> array([0.3204565 , 0.35206533])
    """
    data, query, h = _checked(data, query, h, "data")
    u = (query[:, None] - data[None, :]) / h  # (m, n), scaled first: (q - x)^2 and h^2 may overflow separately
    return np.exp(-0.5 * u**2).sum(axis=1) / (data.size * h * np.sqrt(2.0 * np.pi))


def nadaraya_watson(x_train, y_train, x_query, h: float) -> np.ndarray:
    """Kernel regression: at each query point (m,), the mean of y_train (n,) weighted by exp(-(q - x_i)^2 / (2 h^2)).

    A query so far from every x_i that all weights underflow still gets an answer: the limit,
    the y of the nearest x_i (the mean of the nearest ones' y on a tie). An empty query gives an empty array.
    Example: nadaraya_watson([0.0, 1.0], [0.0, 10.0], [0.0, 0.5], 1.0) -> array([3.77540669, 5.        ])
    """
    x_train, x_query, h = _checked(x_train, x_query, h, "x_train")
    y_train = np.asarray(y_train, dtype=np.float64)
    if y_train.shape != x_train.shape:
        raise ValueError(f"y_train must have the shape of x_train, {x_train.shape}, got {y_train.shape}")
    logits = -0.5 * ((x_query[:, None] - x_train[None, :]) / h) ** 2  # (m, n) log-weights
    # Softmax over the training points: shift so the largest log-weight is 0, so some weight is exactly 1.
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (w @ y_train) / w.sum(axis=1)


def _checked(points, query, h, name):
    """(points (n,), query (m,), h) as float64, or ValueError naming the argument."""
    points = np.asarray(points, dtype=np.float64)
    query = np.asarray(query, dtype=np.float64)
    if points.ndim != 1 or points.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {points.shape}")
    if query.ndim != 1:
        raise ValueError(f"the query must be a 1-D array, got shape {query.shape}")
    if not h > 0 or not np.isfinite(h):
        raise ValueError(f"h must be a positive bandwidth, got {h!r}")
    return points, query, float(h)
