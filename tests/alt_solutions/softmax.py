"""A correct softmax module written differently from the reference: loops, logsumexp by hand."""

import math

import numpy as np


def _logsumexp(values):
    top = max(values)
    if top == -math.inf:
        return -math.inf
    return top + math.log(sum(math.exp(v - top) for v in values))


def _along_axis(z, axis, row_function):
    z = np.array(z, dtype=float)
    moved = np.moveaxis(z, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        out[index] = row_function(list(moved[index]))
    return np.moveaxis(out, -1, axis)


def softmax(z, axis=-1):
    def row(values):
        lse = _logsumexp(values)
        return [math.exp(v - lse) for v in values]

    return _along_axis(z, axis, row)


def log_softmax(z, axis=-1):
    def row(values):
        lse = _logsumexp(values)
        return [v - lse for v in values]

    return _along_axis(z, axis, row)


def sigmoid(x):
    x = np.array(x, dtype=float)
    out = np.empty_like(x)
    for index, value in np.ndenumerate(x):
        if value >= 0:
            out[index] = 1.0 / (1.0 + math.exp(-value))
        else:
            out[index] = math.exp(value) / (1.0 + math.exp(value))
    return out


def cross_entropy(logits, targets):
    logits = np.array(logits, dtype=float)
    if len(logits.shape) != 2:
        raise ValueError("logits must be a 2-D array")
    targets = list(np.asarray(targets).ravel()) if np.ndim(targets) else None
    if targets is None or any(not isinstance(t, (int, np.integer)) for t in targets):
        raise ValueError("targets must be a 1-D array of integers")
    total = 0.0
    for row, target in zip(logits, targets):
        if not 0 <= target < logits.shape[1]:
            raise ValueError("each target must be in [0, number of classes)")
        total += _logsumexp(list(row)) - row[target]
    return total / len(targets)


def bce_with_logits(logits, targets):
    x = np.array(logits, dtype=float)
    t = np.array(targets, dtype=float)
    if x.shape != t.shape:
        raise ValueError("logits and targets need the same shape")
    total = 0.0
    for value, target in zip(x.ravel().tolist(), t.ravel().tolist()):
        if not 0.0 <= target <= 1.0:
            raise ValueError("each target must be in [0, 1]")
        # -log sigmoid(v) and -log(1 - sigmoid(v)) = -log sigmoid(-v), each by a branch that keeps exp small
        total += target * _softplus(-value) + (1.0 - target) * _softplus(value)
    return total / x.size


def _softplus(v):
    """log(1 + exp(v)) without overflow."""
    return v + math.log1p(math.exp(-v)) if v > 0 else math.log1p(math.exp(v))
