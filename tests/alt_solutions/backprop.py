"""A correct backprop module written differently: one example at a time, scalar math, sums by hand."""

import math

import numpy as np


def _act(z, kind):
    if kind == "tanh":
        return math.tanh(z)
    if kind == "relu":
        return z if z > 0 else 0.0
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    return math.exp(z) / (1.0 + math.exp(z))


def _act_grad(z, kind):
    if kind == "tanh":
        # 1 / cosh(z)^2, written so that it cannot overflow: 4 e^{-2|z|} / (1 + e^{-2|z|})^2
        e = math.exp(-2.0 * abs(z))
        return 4.0 * e / (1.0 + e) ** 2
    if kind == "relu":
        return 1.0 if z > 0 else 0.0
    e = math.exp(-abs(z))
    return e / (1.0 + e) ** 2  # sigmoid(z) * sigmoid(-z), symmetric in z


def _layers(X, params, activation):
    if activation not in ("tanh", "relu", "sigmoid"):
        raise ValueError("unknown activation: " + repr(activation))
    X = np.array(X, dtype=float)
    if len(X.shape) != 2:
        raise ValueError("X must be a matrix")
    layers = []
    fan_in = X.shape[1]
    for W, b in params:
        W = np.array(W, dtype=float)
        b = np.array(b, dtype=float)
        if len(W.shape) != 2 or W.shape[0] != fan_in or b.shape != (W.shape[1],):
            raise ValueError("params: layer %d has W %s and b %s, which do not fit" % (len(layers), W.shape, b.shape))
        layers.append((W.tolist(), b.tolist()))
        fan_in = W.shape[1]
    if not layers:
        raise ValueError("params is empty")
    return X, layers


def _forward_one(x, layers, activation):
    """Every layer's input and pre-activation for one example (plain lists)."""
    inputs, zs = [], []
    a = list(x)
    for index, (W, b) in enumerate(layers):
        z = [b[j] + math.fsum(a[i] * W[i][j] for i in range(len(a))) for j in range(len(b))]
        inputs.append(a)
        zs.append(z)
        a = z if index == len(layers) - 1 else [_act(v, activation) for v in z]
    return inputs, zs


def mlp_forward(X, params, activation="tanh"):
    X, layers = _layers(X, params, activation)
    out = np.zeros((X.shape[0], len(layers[-1][1])))
    for n in range(X.shape[0]):
        out[n] = _forward_one(X[n].tolist(), layers, activation)[1][-1]
    return out


def mlp_backward(X, Y, params, activation="tanh"):
    X, layers = _layers(X, params, activation)
    Y = np.array(Y, dtype=float)
    d_out = len(layers[-1][1])
    if Y.shape != (X.shape[0], d_out) or X.shape[0] == 0:
        raise ValueError("Y must be (N, d_out) with N >= 1")
    count = Y.size
    dWs = [np.zeros((len(W), len(b))) for W, b in layers]
    dbs = [np.zeros(len(b)) for _, b in layers]
    for n in range(X.shape[0]):
        inputs, zs = _forward_one(X[n].tolist(), layers, activation)
        delta = [2.0 * (zs[-1][j] - Y[n, j]) / count for j in range(d_out)]
        for index in range(len(layers) - 1, -1, -1):
            W, _ = layers[index]
            a = inputs[index]
            for i in range(len(a)):
                for j in range(len(delta)):
                    dWs[index][i, j] += a[i] * delta[j]
            for j in range(len(delta)):
                dbs[index][j] += delta[j]
            if index > 0:
                upstream = [math.fsum(W[i][j] * delta[j] for j in range(len(delta))) for i in range(len(a))]
                delta = [upstream[i] * _act_grad(zs[index - 1][i], activation) for i in range(len(a))]
    return [(dW, db) for dW, db in zip(dWs, dbs)]


def numerical_grad(f, x, eps=1e-6):
    """Central differences over a flat copy; f sees the point reshaped back to x's shape."""
    if eps <= 0 or eps != eps:
        raise ValueError("eps must be > 0")
    point = np.asarray(x, dtype=float)
    flat = point.astype(float).ravel().tolist()
    out = []
    for i in range(len(flat)):
        plus, minus = list(flat), list(flat)
        plus[i] += eps
        minus[i] -= eps
        f_plus = f(np.array(plus).reshape(point.shape))
        f_minus = f(np.array(minus).reshape(point.shape))
        out.append((f_plus - f_minus) * (0.5 / eps))
    return np.array(out, dtype=float).reshape(point.shape)
