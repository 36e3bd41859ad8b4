"""A correct arma module written differently from the reference.

The simulation pads the history with p (or q) zeros and takes dot products with the reversed
windows; the psi weights come from matching coefficients of phi(z) psi(z) = theta(z); the ACF
sums products of psi weights until they are negligible (no linear system), and stationarity is
tested with np.roots.
"""

import numpy as np


def _vector(values, name):
    array = np.array(values, dtype=float)
    if array.ndim != 1 or not np.isfinite(array).all():
        raise ValueError(f"{name} must be a finite 1-D array")
    return array


def _nonnegative_int(value, name):
    if type(value) is bool or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative int")
    return int(value)


def simulate_arma(phi, theta, eps):
    phi, theta, eps = _vector(phi, "phi"), _vector(theta, "theta"), _vector(eps, "eps")
    p, q, n = len(phi), len(theta), len(eps)
    x = np.zeros(p + n)  # x[p + t] is x_t; the first p entries are the zero past
    e = np.concatenate([np.zeros(q), eps])  # e[q + t] is eps_t
    for t in range(n):
        ar = np.dot(phi, x[t:p + t][::-1]) if p else 0.0  # (x_{t-1}, ..., x_{t-p})
        ma = np.dot(theta, e[t:q + t][::-1]) if q else 0.0  # (eps_{t-1}, ..., eps_{t-q})
        x[p + t] = ar + eps[t] + ma
    return x[p:].copy()


def psi_weights(phi, theta, n):
    phi, theta = _vector(phi, "phi"), _vector(theta, "theta")
    n = _nonnegative_int(n, "n")
    # (1 - phi_1 z - ...)(psi_0 + psi_1 z + ...) = 1 + theta_1 z + ...: compare the z^j coefficients.
    ma = np.zeros(n)
    ma[: min(n, len(theta) + 1)] = np.concatenate([[1.0], theta])[:n]
    psi = np.zeros(n)
    for j in range(n):
        k = min(j, len(phi))
        psi[j] = ma[j] + (np.dot(phi[:k], psi[j - k:j][::-1]) if k else 0.0)
    return psi


def theoretical_acf(phi, theta, nlags):
    phi, theta = _vector(phi, "phi"), _vector(theta, "theta")
    nlags = _nonnegative_int(nlags, "nlags")
    nonzero = np.flatnonzero(phi)
    if nonzero.size:
        trimmed = phi[: nonzero[-1] + 1]
        roots = np.roots(np.concatenate([-trimmed[::-1], [1.0]]))  # 1 - phi_1 z - ... - phi_p z^p
        if np.min(np.abs(roots)) <= 1.0:
            raise ValueError("phi is not stationary")
    length = 256
    while True:  # double the number of weights until the tail is negligible
        psi = psi_weights(phi, theta, length + nlags)
        if np.abs(psi[length // 2:]).max(initial=0.0) < 1e-18 * np.abs(psi).max():
            break
        length *= 2
    gamma = np.array([psi[:length] @ psi[k:k + length] for k in range(nlags + 1)])
    return gamma / gamma[0]
