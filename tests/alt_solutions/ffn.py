"""A correct ffn written differently from the reference: einsum, a ReLU as (h + |h|) / 2, and the
parameter count by adding up the sizes of the arrays a block would hold."""

import numpy as np


def ffn(x, w1, b1, w2, b2):
    x = np.array(x, dtype=float)
    w1, b1, w2, b2 = (np.array(a, dtype=float) for a in (w1, b1, w2, b2))
    if x.ndim != 3 or w1.ndim != 2 or w1.shape[0] != x.shape[2] or b1.shape != (w1.shape[1],) \
            or w2.shape != w1.shape[::-1] or b2.shape != (x.shape[2],):
        raise ValueError("x (B, T, D), w1 (D, F), b1 (F,), w2 (F, D) and b2 (D,) do not fit together")
    h = np.einsum("btd,df->btf", x, w1) + b1
    h = (h + np.abs(h)) / 2
    return np.einsum("btf,fd->btd", h, w2) + b2


def ffn_param_count(d_model, d_ff):
    if type(d_model) is not int or type(d_ff) is not int or min(d_model, d_ff) <= 0:
        raise ValueError("d_model and d_ff must be positive ints")
    sizes = [(d_model, d_ff), (d_ff,), (d_ff, d_model), (d_model,)]
    total = 0
    for shape in sizes:
        count = 1
        for side in shape:
            count *= side
        total += count
    return total
