"""Correct activations and losses written differently: per-element math functions, erfc for gelu,
tanh-based sigmoid, and losses through explicit loops."""

import math

import numpy as np


def _elementwise(function, x):
    x = np.array(x, dtype=float)
    return np.array([function(float(v)) for v in x.ravel()], dtype=float).reshape(x.shape)


def _phi_cdf(v):
    return 0.5 * math.erfc(-v / math.sqrt(2.0))  # erfc keeps accuracy far in the left tail


ACTIVATIONS = {
    "relu": lambda v: v if v > 0 else 0.0,
    "leaky_relu": lambda v: v if v > 0 else v / 100.0,
    "sigmoid": lambda v: 0.5 * (1.0 + math.tanh(v / 2.0)),  # sigma(x) = (1 + tanh(x / 2)) / 2, no exp at all
    "tanh": math.tanh,
    "gelu": lambda v: v * _phi_cdf(v),
}
DERIVATIVES = {
    "relu": lambda v: 1.0 if v > 0 else 0.0,
    "leaky_relu": lambda v: 1.0 if v > 0 else 0.01,
    "sigmoid": lambda v: 0.25 / math.cosh(v / 2.0) ** 2 if abs(v) < 700 else 0.0,
    "tanh": lambda v: 1.0 / math.cosh(v) ** 2 if abs(v) < 350 else 0.0,
    "gelu": lambda v: _phi_cdf(v) + v * math.exp(-v * v / 2.0) / math.sqrt(2.0 * math.pi),
}


def activation(x, kind):
    if kind not in ACTIVATIONS:
        raise ValueError("unknown activation " + repr(kind))
    return _elementwise(ACTIVATIONS[kind], x)


def activation_grad(x, kind):
    if kind not in DERIVATIVES:
        raise ValueError("unknown activation " + repr(kind))
    return _elementwise(DERIVATIVES[kind], x)


def _pairs(y_true, y_pred):
    a, b = np.array(y_true, dtype=float), np.array(y_pred, dtype=float)
    if a.shape != b.shape or a.size < 1:
        raise ValueError("y_true and y_pred need one shape and at least one element")
    return [float(p) - float(t) for t, p in zip(a.ravel(), b.ravel())], b.shape


def mse(y_true, y_pred):
    residuals, _ = _pairs(y_true, y_pred)
    return math.fsum(r * r for r in residuals) / len(residuals)


def mae(y_true, y_pred):
    residuals, _ = _pairs(y_true, y_pred)
    return math.fsum(abs(r) for r in residuals) / len(residuals)


def huber(y_true, y_pred, delta=1.0):
    residuals, _ = _pairs(y_true, y_pred)
    if delta <= 0:
        raise ValueError("delta must be positive")
    terms = [r * r / 2 if abs(r) <= delta else delta * abs(r) - delta * delta / 2 for r in residuals]
    return math.fsum(terms) / len(terms)


def loss_grad(y_true, y_pred, kind, delta=1.0):
    residuals, shape = _pairs(y_true, y_pred)
    n = len(residuals)
    if kind == "mse":
        out = [2 * r / n for r in residuals]
    elif kind == "mae":
        out = [(r > 0) - (r < 0) for r in residuals]
        out = [s / n for s in out]
    elif kind == "huber":
        if delta <= 0:
            raise ValueError("delta must be positive")
        out = [max(-delta, min(delta, r)) / n for r in residuals]
    else:
        raise ValueError("unknown loss " + repr(kind))
    return np.array(out, dtype=float).reshape(shape)
