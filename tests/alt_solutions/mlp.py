"""A correct mlp module written differently: einsum, reduce, tanh-based sigmoid, a different XOR net."""

from functools import reduce

import numpy as np


def _layer_list(params, n_in=None):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError("params: need a non-empty list of (W, b)")
    out = []
    for i, (W, b) in enumerate(params):
        W, b = np.array(W, dtype=float), np.array(b, dtype=float)
        if W.ndim != 2 or b.ndim != 1 or len(b) != W.shape[1] or (n_in is not None and W.shape[0] != n_in):
            raise ValueError("params[%d] has the wrong shape" % i)
        n_in = W.shape[1]
        out.append((W, b))
    return out


def _g(name, z):
    return {
        "relu": lambda v: v * (v > 0),
        "tanh": np.tanh,
        "sigmoid": lambda v: 0.5 * (1.0 + np.tanh(0.5 * v)),  # the same function, no exp at all
        "identity": lambda v: v,
    }[name](z)


def mlp_forward(X, params, activation="relu"):
    if activation not in ("relu", "tanh", "sigmoid", "identity"):
        raise ValueError("activation")
    X = np.array(X, dtype=float)
    if X.ndim != 2:
        raise ValueError("X must be a matrix")
    layers = _layer_list(params, X.shape[1])
    h = X
    for W, b in layers[:-1]:
        h = _g(activation, np.einsum("ni,io->no", h, W) + b)
    W, b = layers[-1]
    return np.einsum("ni,io->no", h, W) + b


def xor_params():
    # h1 = relu(x1 - x2), h2 = relu(x2 - x1); y = h1 + h2 = |x1 - x2|
    return [(np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2)), (np.array([[1.0], [1.0]]), np.zeros(1))]


def collapse_linear(params):
    layers = _layer_list(params)
    return reduce(lambda acc, layer: (acc[0] @ layer[0], acc[1] @ layer[0] + layer[1]), layers[1:], layers[0])
