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
    # TODO: raise ValueError for a non-square a, n_iter < 1 or tol < 0; start from the seeded random unit
    # vector; stop on the relative change of lam (v itself flips sign every step when lam < 0).
    raise NotImplementedError


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
    # TODO: raise ValueError unless a is 2x2 and symmetric. lams: (a + d) / 2 +- the half-gap
    # sqrt(((a - d) / 2)**2 + b**2) (math.hypot keeps it from overflowing); vecs: unit columns, orthogonal.
    raise NotImplementedError
