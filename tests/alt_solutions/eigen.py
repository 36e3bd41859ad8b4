"""A correct eigen module written differently from the reference.

power_iteration stops on the change of v (after aligning its sign with the previous v, so a negative
eigenvalue converges too) and applies two steps of a per loop; eig_2x2 scales a to max|a| = 1 first,
takes the root of the discriminant with np.sqrt on scaled numbers, and builds each eigenvector from
whichever row of (a - lam I) is longer, the textbook route done carefully.
"""

import numpy as np


def power_iteration(a, n_iter=1000, tol=1e-12, seed=0):
    m = np.array(a, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError("a must be square")
    if n_iter < 1:
        raise ValueError("n_iter must be at least 1")
    if tol < 0:
        raise ValueError("tol must be non-negative")
    x = np.random.default_rng(seed).standard_normal(m.shape[0])
    x = x / np.sqrt(np.sum(x * x))
    for _ in range(n_iter):
        y = m @ x
        size = np.sqrt(np.sum(y * y))
        if size == 0:
            break
        y = y / size
        if y @ x < 0:  # a negative eigenvalue flips the vector: compare against -x
            y = -y
        done = np.max(np.abs(y - x)) <= max(tol, 1e-15)
        x = y
        if done:
            break
    return float(x @ m @ x), x


def eig_2x2(a):
    m = np.array(a, dtype=float)
    if m.shape != (2, 2):
        raise ValueError("a must be 2 x 2")
    if m[0, 1] != m[1, 0]:
        raise ValueError("a must be symmetric")
    big = np.max(np.abs(m))
    if big == 0:
        return np.zeros(2), np.eye(2)
    s = m / big
    p, q, d = s[0, 0], s[0, 1], s[1, 1]
    root = np.sqrt((p - d) ** 2 + 4 * q * q)  # the discriminant as a sum of squares: no cancellation
    high = ((p + d) + root) / 2
    low = ((p + d) - root) / 2
    # The eigenvector of `high` is orthogonal to both rows of s - high I; take the longer row's normal.
    row1 = np.array([p - high, q])
    row2 = np.array([q, d - high])
    row = row1 if np.hypot(*row1) >= np.hypot(*row2) else row2
    length = np.hypot(*row)
    first = np.array([1.0, 0.0]) if length == 0 else np.array([-row[1], row[0]]) / length
    second = np.array([-first[1], first[0]])
    return np.array([high, low]) * big, np.column_stack([first, second])
