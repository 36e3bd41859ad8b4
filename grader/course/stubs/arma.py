"""ARMA processes: simulate them, unroll them into psi weights, and find their autocorrelations.

An ARMA(p, q) process feeds back its own past and averages its recent shocks:
x_t = phi_1 x_{t-1} + ... + phi_p x_{t-p} + eps_t + theta_1 eps_{t-1} + ... + theta_q eps_{t-q}.
Signs: every coefficient is ADDED, as written here. (statsmodels' ArmaProcess takes the lag
polynomials [1, -phi_1, ..., -phi_p] and [1, theta_1, ...], so its AR signs are negated; some
books write the MA part with minus signs.) Unrolling the feedback writes x_t as a weighted sum
of the shocks, x_t = psi_0 eps_t + psi_1 eps_{t-1} + psi_2 eps_{t-2} + ..., with psi_0 = 1.
For a stationary process the autocorrelation at lag k is
rho_k = sum_j psi_j psi_{j+k} / sum_j psi_j^2.

Forbidden (they do the exercise): statsmodels and scipy.signal (lfilter, dimpulse, ...).
Run `grade arma` to check your work; stuck? `grade hint arma`.
"""

import numpy as np


def simulate_arma(phi, theta, eps) -> np.ndarray:
    """The (T,) float64 series x driven by the shocks eps (T,), from zero initial conditions.

    phi (p,) and theta (q,) may be empty. Before t = 0 every x and every shock is 0; any phi is
    allowed (no stationarity needed).
    Example: simulate_arma([0.5], [0.4], [1.0, 0.0, 0.0]) -> array([1.  , 0.9 , 0.45])
    """
    # TODO: x_t = sum_i phi_i x_{t-i} + eps_t + sum_j theta_j eps_{t-j}, with x and eps taken as 0 before t = 0.
    # Raise ValueError when phi, theta or eps is not 1-D or holds a NaN or inf; an empty eps gives an empty array.
    raise NotImplementedError


def psi_weights(phi, theta, n: int) -> np.ndarray:
    """The first n weights psi_0 .. psi_{n-1}, a (n,) float64 array, of x_t = sum_j psi_j eps_{t-j}; psi_0 = 1.

    Any phi is allowed (for a non-stationary one the weights grow).
    Example: psi_weights([0.5], [0.4], 4) -> array([1.   , 0.9  , 0.45 , 0.225])
    """
    # TODO: psi_0 = 1, psi_j = theta_j + sum_{i=1..min(j, p)} phi_i psi_{j-i} (theta_j = 0 beyond q).
    # Raise ValueError when n is not an int (a bool is not one) or is negative, and for phi, theta as in
    # simulate_arma; n = 0 gives an empty array.
    raise NotImplementedError


def theoretical_acf(phi, theta, nlags: int) -> np.ndarray:
    """The autocorrelations rho_0 .. rho_nlags, a (nlags + 1,) float64 array, of a stationary ARMA process.

    rho_0 = 1. Stationary: every root z of 1 - phi_1 z - ... - phi_p z^p lies strictly outside the unit circle
    (|z| > 1; equivalently, the eigenvalues of the AR companion matrix lie strictly inside it); raise
    ValueError otherwise. Roots may come close to the circle (|z| = 1.01): the grader compares to
    about 1e-9, so a sum of psi weights must run until the weights are negligible.
    Example: theoretical_acf([0.5], [0.4], 2) -> array([1.        , 0.69230769, 0.34615385])
    """
    # TODO: raise ValueError for a non-stationary phi, an nlags that is not an int >= 0 (a bool is not one),
    # and for phi, theta as in simulate_arma. Then compute the autocovariances (for example from the psi
    # weights, or by solving gamma_k - sum_i phi_i gamma_{|k-i|} = sum_{j>=k} theta_j psi_{j-k}) and divide by gamma_0.
    raise NotImplementedError
