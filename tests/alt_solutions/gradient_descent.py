"""Correct gradient-descent functions written differently: integer ceil by (n + b - 1) // b, a while
loop over batches, per-row gradient sums, explicit power sums, and the threshold from an SVD."""

import numpy as np


def _whole(name, value, smallest):
    if type(value) is bool or not isinstance(value, (int, np.integer)) or value < smallest:
        raise ValueError(f"{name} must be an int >= {smallest}")
    return int(value)


def iterations_per_epoch(n, batch_size, drop_last=False):
    n, b = _whole("n", n, 0), _whole("batch_size", batch_size, 1)
    full, rest = divmod(n, b)
    return full + (1 if rest and not drop_last else 0)


def minibatch_indices(n, batch_size, seed=0, shuffle=True, drop_last=False):
    n, b = _whole("n", n, 0), _whole("batch_size", batch_size, 1)
    order = np.arange(n)
    if shuffle:
        np.random.default_rng(seed).shuffle(order)  # the same stream as permutation(n)
    out, start = [], 0
    while start < n:
        chunk = order[start:start + b]
        if len(chunk) == b or not drop_last:
            out.append(chunk.copy())
        start += b
    return out


def gd_linear_regression(X, y, lr, epochs, batch_size=None, seed=0):
    X, y = np.array(X, dtype=float), np.array(y, dtype=float)
    if X.ndim != 2 or len(X) == 0 or y.shape != (len(X),):
        raise ValueError("X must be (m, d) with m >= 1 and y (m,)")
    if lr <= 0:
        raise ValueError("lr must be positive")
    epochs = _whole("epochs", epochs, 0)
    size = len(X) if batch_size is None else _whole("batch_size", batch_size, 1)
    generator = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        order = generator.permutation(len(X))
        for start in range(0, len(X), size):
            rows = order[start:start + size]
            gradient = sum(2.0 * (X[i] @ w - y[i]) * X[i] for i in rows) / len(rows)
            w = w - lr * gradient
    return w


def _columns(x, y):
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError("x and y must be 1-D of one length")
    return x, y


def cubic_grad(x, y, coef):
    x, y = _columns(x, y)
    coef = np.array(coef, dtype=float).ravel()
    if coef.size != 4 or np.ndim(np.asarray(coef)) != 1:
        raise ValueError("coef must have four entries")
    a, b, c, d = coef
    twice_residual = 2.0 * (a + x * (b + x * (c + x * d)) - y)  # Horner
    return np.array([np.sum(twice_residual * x**k) for k in range(4)])


def fit_cubic(x, y, lr=1e-6, steps=2000):
    x, y = _columns(x, y)
    if lr <= 0:
        raise ValueError("lr must be positive")
    coef = np.zeros(4)
    for _ in range(_whole("steps", steps, 0)):
        coef = coef - lr * cubic_grad(x, y, coef)
    return coef


def divergence_threshold(x):
    x = np.array(x, dtype=float)
    if x.ndim != 1 or x.size < 1:
        raise ValueError("x must be a non-empty 1-D array")
    design = np.stack([np.ones_like(x), x, x * x, x * x * x], axis=1)
    largest_singular_value = np.linalg.svd(design, compute_uv=False)[0]
    return 1.0 / largest_singular_value**2  # 2 / lambda_max(2 A^T A) with lambda_max(A^T A) = sigma_max^2
