"""Correct recurrent cells written differently: einsum, gate slices by index, tanh-based sigmoid, recursion-free
list building, one stacked weight matrix [W_ih | W_hh]."""

import numpy as np


def _sig(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)  # the logistic function; no exp to overflow


def _shapes(x, h, W_ih, W_hh, b, k):
    x, h, W_ih, W_hh, b = (np.array(a, dtype=float) for a in (x, h, W_ih, W_hh, b))
    if x.ndim != 2 or h.ndim != 2 or len(x) != len(h):
        raise ValueError("x and h must be (B, I) and (B, H)")
    H = h.shape[1]
    if W_ih.shape != (k * H, x.shape[1]) or W_hh.shape != (k * H, H) or b.shape != (k * H,):
        raise ValueError("weights do not fit")
    return x, h, W_ih, W_hh, b


def rnn_cell(x, h, W_ih, W_hh, b):
    x, h, W_ih, W_hh, b = _shapes(x, h, W_ih, W_hh, b, 1)
    W = np.concatenate([W_ih, W_hh], axis=1)  # (H, I + H)
    return np.tanh(np.einsum("bk,hk->bh", np.concatenate([x, h], axis=1), W) + b)


def lstm_cell(x, h, c, W_ih, W_hh, b):
    x, h, W_ih, W_hh, b = _shapes(x, h, W_ih, W_hh, b, 4)
    c = np.array(c, dtype=float)
    if c.shape != h.shape:
        raise ValueError("c must be shaped like h")
    H = h.shape[1]
    z = np.einsum("bi,gi->bg", x, W_ih) + np.einsum("bj,gj->bg", h, W_hh) + b
    gate = {name: z[:, k * H:(k + 1) * H] for k, name in enumerate("ifgo")}
    c_new = _sig(gate["f"]) * c + _sig(gate["i"]) * np.tanh(gate["g"])
    return _sig(gate["o"]) * np.tanh(c_new), c_new


def rnn_unroll(xs, h0, W_ih, W_hh, b):
    xs = np.array(xs, dtype=float)
    if xs.ndim != 3:
        raise ValueError("xs must be (T, B, I)")
    x_shape = np.zeros(xs.shape[1:])
    _, h, *_ = _shapes(x_shape, h0, W_ih, W_hh, b, 1)
    out = np.zeros((len(xs),) + h.shape)
    for t in range(len(xs)):
        h = rnn_cell(xs[t], h, W_ih, W_hh, b)
        out[t] = h
    return out


def lstm_unroll(xs, h0, c0, W_ih, W_hh, b):
    xs = np.array(xs, dtype=float)
    if xs.ndim != 3:
        raise ValueError("xs must be (T, B, I)")
    h, c = np.array(h0, dtype=float), np.array(c0, dtype=float)
    lstm_cell(np.zeros(xs.shape[1:]), h, c, W_ih, W_hh, b)  # validates every shape, also when T = 0
    out = np.zeros((len(xs),) + h.shape)
    for t in range(len(xs)):
        h, c = lstm_cell(xs[t], h, c, W_ih, W_hh, b)
        out[t] = h
    return out, c
