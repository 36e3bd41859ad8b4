"""A correct kde module written differently from the reference: loops, and log-space weights by hand."""

import math

import numpy as np


def _vector(values, name, allow_empty=False):
    array = np.array(values, dtype=float)
    if array.ndim != 1 or (array.size == 0 and not allow_empty):
        raise ValueError(f"{name} must be a non-empty 1-D array")
    return array


def _bandwidth(h):
    if not (h > 0):
        raise ValueError("h must be positive")
    return float(h)


def gaussian_kde(data, query, h):
    data, query, h = _vector(data, "data"), _vector(query, "query", allow_empty=True), _bandwidth(h)
    out = np.zeros(len(query))
    for j, q in enumerate(query):
        total = 0.0
        for x in data:
            u = q / h - x / h
            total += math.exp(-u * u / 2)
        out[j] = total / len(data) / h / math.sqrt(2 * math.pi)
    return out


def nadaraya_watson(x_train, y_train, x_query, h):
    xs = _vector(x_train, "x_train")
    ys = np.array(y_train, dtype=float)
    if ys.shape != xs.shape:
        raise ValueError("x_train and y_train must have the same length")
    queries, h = _vector(x_query, "x_query", allow_empty=True), _bandwidth(h)
    out = np.zeros(len(queries))
    for j, q in enumerate(queries):
        # the smallest squared distance gets weight exp(0) = 1
        d2 = [((q - x) / h) ** 2 for x in xs]
        nearest = min(d2)
        weights = [math.exp(-(d - nearest) / 2) for d in d2]
        out[j] = sum(w * y for w, y in zip(weights, ys)) / sum(weights)
    return out
