"""A correct mf_sgd module written differently from the reference.

SGD with Python loops over the components and an explicit gradient; ALS row by row as a
least-squares problem on the augmented system [Q_O; sqrt(reg) I] x = [r_O; 0] (no normal
equations); masked_rmse with a loop over the cells.
"""

import math

import numpy as np


def _shapes(ratings, P, Q):
    ratings = np.array(ratings, dtype=float)
    P = np.array(P, dtype=float)
    Q = np.array(Q, dtype=float)
    if len(ratings.shape) != 2 or len(P.shape) != 2 or len(Q.shape) != 2:
        raise ValueError("ratings, P and Q must all be 2-D")
    if P.shape[0] != ratings.shape[0]:
        raise ValueError("P needs one row per user (row of ratings)")
    if Q.shape[0] != ratings.shape[1]:
        raise ValueError("Q needs one row per item (column of ratings)")
    if P.shape[1] != Q.shape[1]:
        raise ValueError("P and Q need the same number of columns k")
    return ratings, P, Q


def mf_sgd_epoch(ratings, P, Q, lr, reg, order):
    ratings, P, Q = _shapes(ratings, P, Q)
    if lr <= 0:
        raise ValueError("lr must be positive")
    if reg < 0:
        raise ValueError("reg must be non-negative")
    k = P.shape[1]
    for u, i in np.asarray(order, dtype=np.int64).reshape(-1, 2).tolist():
        p = [float(x) for x in P[u]]
        q = [float(x) for x in Q[i]]
        prediction = 0.0
        for j in range(k):
            prediction += p[j] * q[j]
        error = ratings[u][i] - prediction
        for j in range(k):
            # gradient of (error^2 + reg (|p|^2 + |q|^2)) / 2 with respect to p_j and q_j
            grad_p = -error * q[j] + reg * p[j]
            grad_q = -error * p[j] + reg * q[j]
            P[u][j] = p[j] - lr * grad_p
            Q[i][j] = q[j] - lr * grad_q
    return P, Q


def _ridge_row(values, fixed, reg):
    k = fixed.shape[1]
    seen = [j for j in range(len(values)) if not math.isnan(values[j])]
    if not seen:
        return np.zeros(k)
    A = np.vstack([fixed[seen], math.sqrt(reg) * np.eye(k)])
    b = np.concatenate([values[seen], np.zeros(k)])
    x, *_ = np.linalg.lstsq(A, b, rcond=None)
    return x


def als_step(ratings, P, Q, reg):
    ratings, P, Q = _shapes(ratings, P, Q)
    if reg < 0:
        raise ValueError("reg must be non-negative")
    new_P = np.array([_ridge_row(ratings[u], Q, reg) for u in range(ratings.shape[0])]).reshape(P.shape)
    new_Q = np.array([_ridge_row(ratings[:, i], new_P, reg) for i in range(ratings.shape[1])]).reshape(Q.shape)
    return new_P, new_Q


def masked_rmse(ratings, P, Q):
    ratings, P, Q = _shapes(ratings, P, Q)
    total, count = 0.0, 0
    for u in range(ratings.shape[0]):
        for i in range(ratings.shape[1]):
            if not math.isnan(ratings[u, i]):
                total += (ratings[u, i] - float(np.dot(P[u], Q[i]))) ** 2
                count += 1
    if count == 0:
        raise ValueError("ratings has no observed cell")
    return math.sqrt(total / count)
