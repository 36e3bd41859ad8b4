"""A correct batchnorm written differently: channels moved last and flattened, np.var, explicit loops over C."""

import numpy as np


def batchnorm(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    x = np.array(x, dtype=float)
    if len(x.shape) not in (2, 4):
        raise ValueError("x: expected 2 or 4 dimensions")
    C = x.shape[1]
    g, bt, rm, rv = (np.array(v, dtype=float) for v in (gamma, beta, running_mean, running_var))
    if any(v.shape != (C,) for v in (g, bt, rm, rv)):
        raise ValueError("gamma/beta/running stats: expected shape (C,)")
    if (rv < 0).any() or momentum < 0 or momentum > 1 or eps <= 0:
        raise ValueError("running_var, momentum or eps out of range")
    cols = np.moveaxis(x, 1, -1).reshape(-1, C)  # (M, C): one column per channel
    M = cols.shape[0]
    if training and M <= 1:
        raise ValueError("x: need more than one value per channel to train")
    out = np.empty_like(cols)
    new_rm, new_rv = rm.copy(), rv.copy()
    for c in range(C):
        col = cols[:, c]
        if training:
            mu, var = col.mean(), np.var(col)
            new_rm[c] = rm[c] + momentum * (mu - rm[c])
            new_rv[c] = rv[c] + momentum * (np.var(col, ddof=1) - rv[c])
        else:
            mu, var = rm[c], rv[c]
        out[:, c] = g[c] * (col - mu) / np.sqrt(var + eps) + bt[c]
    moved = out.reshape(np.moveaxis(x, 1, -1).shape)
    return np.ascontiguousarray(np.moveaxis(moved, -1, 1)), new_rm, new_rv
