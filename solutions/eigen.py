"""Eigenvalues and eigenvectors: power iteration, and the closed form for a symmetric 2x2.

An eigenvector v of a square matrix a keeps its direction: a @ v = lam * v. Multiplying any start
vector by a again and again (and rescaling to length 1) stretches its component along the eigenvector
of the largest |lam| the most, so it turns towards that one: power iteration. The error shrinks like
(|lam_2| / |lam_1|)**k, so it needs a gap between the two largest magnitudes. For a symmetric 2x2
[[a, b], [b, d]] the eigenvalues are (a + d) / 2 +- sqrt(((a - d) / 2)**2 + b**2); their sum is the
trace a + d and their product the determinant a d - b**2.

np.linalg.eig, eigh, eigvals, eigvalsh, svd, np.roots and numpy.polynomial's root finders (and the scipy
and torch versions of these) are off limits here: they would do the exercise for you.

Run `grade eigen` to check your work; stuck? `grade hint eigen`.
"""

import math

import numpy as np


def power_iteration(a, n_iter: int = 1000, tol: float = 1e-12, seed: int = 0) -> tuple[float, np.ndarray]:
    """The dominant eigenpair (lam, v) of a symmetric (n, n) matrix a: lam has the largest |lam|.

    Start from v = np.random.default_rng(seed).standard_normal(n) scaled to length 1; repeat
    w = a @ v, lam = v @ w (the Rayleigh quotient), v = w / ||w||, until lam changes by at most
    tol * |lam| from one step to the next, or n_iter steps are done. Returns lam (a float) and v
    (float64, shape (n,), length 1); v and -v are both right, either sign is accepted.
    The grader uses matrices with |lam_2| <= 0.9 |lam_1| (a spectral gap) and expects lam to 1e-9
    relative and v to 1e-4; the default n_iter and tol reach that.
    Raises ValueError if a is not a square 2-D matrix, n_iter < 1 or tol < 0.

    Example: power_iteration([[2.0, 0.0], [0.0, 1.0]]) -> (2.0, array([1., 0.]))  (or -v)
    """
    a = _square(a)
    if isinstance(n_iter, (bool, np.bool_)) or not isinstance(n_iter, (int, np.integer)) or n_iter < 1:
        raise ValueError(f"n_iter must be an integer >= 1, got {n_iter!r}")
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
    v = np.random.default_rng(seed).standard_normal(a.shape[0])
    return _iterate(a, v / np.linalg.norm(v), n_iter, tol)


def eig_2x2(a) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and eigenvectors of a symmetric 2x2 matrix [[a, b], [b, d]], in closed form.

    Returns (lams, vecs): lams float64 (2,) in descending order, vecs float64 (2, 2) whose column i is
    the unit eigenvector of lams[i] (signs are free; for a tied pair, a multiple of the identity, any
    orthonormal pair is right). lams and a @ vecs - vecs * lams must be right to ~1e-12 of max|a| for
    every symmetric a: also when b is tiny or 0 (the eigenvector (b, lam - a) vanishes or loses digits),
    when the two eigenvalues nearly coincide (the textbook (tr +- sqrt(tr**2 - 4 det)) / 2 loses digits),
    and for entries as large as 1e200 or as small as 1e-200 (their squares overflow or vanish).
    Raises ValueError if a is not 2x2 or not symmetric (a[0, 1] != a[1, 0]).

    Example: eig_2x2([[2.0, 1.0], [1.0, 2.0]])
        -> (array([3., 1.]), array([[0.70710678, -0.70710678], [0.70710678, 0.70710678]]))  (signs may differ)
    """
    return _closed_form_2x2(_square(a))


def _square(a) -> np.ndarray:
    """a as a float64 (n, n) array of finite numbers, or ValueError naming `a`."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"a must be a square 2-D matrix (n, n), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("a must contain only finite numbers")
    return a


def _iterate(a: np.ndarray, v: np.ndarray, n_iter: int, tol: float) -> tuple[float, np.ndarray]:
    """Power iteration on a checked matrix from the unit vector v."""
    lam = 0.0
    for step in range(n_iter):
        w = a @ v
        new_lam = float(v @ w)  # Rayleigh quotient: v has length 1
        length = np.linalg.norm(w)
        if length == 0.0:  # v is in the null space: a v = 0 v
            return 0.0, v
        v = w / length
        # The eigenvalue, not v, decides when to stop: for a negative lam, v flips sign every step.
        if step > 0 and abs(new_lam - lam) <= tol * abs(new_lam):
            break
        lam = new_lam
    return float(v @ (a @ v)), v  # the Rayleigh quotient of the final v


def _closed_form_2x2(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """eig_2x2 on a checked square matrix."""
    if a.shape != (2, 2):
        raise ValueError(f"a must be a 2x2 matrix, got shape {a.shape}")
    (p, b), (c, d) = a
    if b != c:
        raise ValueError(f"a must be symmetric: a[0, 1] = {b!r} but a[1, 0] = {c!r}")
    mean = p / 2 + d / 2  # (a + d) / 2 would overflow for a = d = 1e308
    # ((a - d) / 2, b) as a vector: its length is the half-gap, its angle twice the eigenvector's angle.
    # hypot neither overflows nor cancels; (a - d) / 2 is computed as a / 2 - d / 2 so 1e308 fits too.
    half_diff = p / 2 - d / 2
    radius = math.hypot(half_diff, b)
    lams = np.array([mean + radius, mean - radius])
    theta = 0.5 * math.atan2(b, half_diff)  # tan(2 theta) = 2 b / (a - d)
    c, s = math.cos(theta), math.sin(theta)
    vecs = np.array([[c, -s], [s, c]])  # a rotation: exactly orthonormal columns, also when b = 0
    return lams, vecs
