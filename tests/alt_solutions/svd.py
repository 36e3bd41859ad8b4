"""A correct svd module written differently from the reference: one-sided Jacobi rotations in loops.

No Gram matrix at all: plane rotations are applied to pairs of columns of a until every pair is
orthogonal; the column lengths are then the singular values. Zero columns are completed by
Gram-Schmidt against the standard basis. No rescaling: the sums of squares stay in range here.
"""

import math

import numpy as np


def _rotate_until_orthogonal(work, v):
    n = work.shape[1]
    for _sweep in range(60):
        rotated = False
        for i in range(n - 1):
            for j in range(i + 1, n):
                alpha = float(work[:, i] @ work[:, i])
                beta = float(work[:, j] @ work[:, j])
                gamma = float(work[:, i] @ work[:, j])
                if gamma == 0.0 or abs(gamma) <= 1e-15 * math.sqrt(alpha) * math.sqrt(beta):
                    continue
                rotated = True
                zeta = (beta - alpha) / (2.0 * gamma)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.hypot(1.0, zeta))
                c = 1.0 / math.hypot(1.0, t)
                s = c * t
                for matrix in (work, v):
                    left, right = matrix[:, i].copy(), matrix[:, j].copy()
                    matrix[:, i] = c * left - s * right
                    matrix[:, j] = s * left + c * right
        if not rotated:
            return


def _complete(columns, m):
    """Orthonormal vectors (m,) filling the missing slots (None) of `columns`."""
    basis = [c for c in columns if c is not None]
    out = []
    for c in columns:
        if c is not None:
            out.append(c)
            continue
        best, best_norm = None, -1.0
        for e in np.eye(m):
            w = e.copy()
            for _ in range(2):  # Gram-Schmidt twice keeps it orthogonal to rounding
                for b in basis:
                    w = w - (b @ w) * b
            norm = math.sqrt(float(w @ w))
            if norm > best_norm:
                best, best_norm = w, norm
        best = best / best_norm
        basis.append(best)
        out.append(best)
    return out


def svd(a):
    a = np.array(a, dtype=float)
    if len(a.shape) != 2:
        raise ValueError("a must be a matrix")
    m, n = a.shape
    if m < n:
        u, s, vt = svd(a.T)
        return vt.T, s, u.T
    work, v = a.copy(), np.eye(n)
    _rotate_until_orthogonal(work, v)
    lengths = [math.hypot(*work[:, i]) if m else 0.0 for i in range(n)]
    order = sorted(range(n), key=lambda i: -lengths[i])
    s = np.array([lengths[i] for i in order])
    top = s[0] if n else 0.0
    columns = [work[:, i] / lengths[i] if lengths[i] > 1e-13 * top else None for i in order]
    u = np.column_stack(_complete(columns, m)) if n else np.zeros((m, 0))
    vt = np.array([v[:, i] for i in order]).reshape(n, n)
    return u, s, vt


def low_rank_approx(a, k):
    a = np.array(a, dtype=float)
    if len(a.shape) != 2:
        raise ValueError("a must be a matrix")
    if int(k) != k or k < 0 or k > min(a.shape):
        raise ValueError("k must be an integer between 0 and min(m, n)")
    u, s, vt = svd(a)
    out = np.zeros(a.shape)
    for i in range(int(k)):
        out += s[i] * np.outer(u[:, i], vt[i])
    return out
