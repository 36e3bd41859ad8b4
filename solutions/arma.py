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
    phi, theta, eps = _coefficients(phi, "phi"), _coefficients(theta, "theta"), _coefficients(eps, "eps")
    return _run(phi, theta, eps)


def psi_weights(phi, theta, n: int) -> np.ndarray:
    """The first n weights psi_0 .. psi_{n-1}, a (n,) float64 array, of x_t = sum_j psi_j eps_{t-j}; psi_0 = 1.

    Any phi is allowed (for a non-stationary one the weights grow).
    Example: psi_weights([0.5], [0.4], 4) -> array([1.   , 0.9  , 0.45 , 0.225])
    """
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    n = _count(n, "n")
    # psi is the response to one unit shock at t = 0: psi_j = theta_j + sum_i phi_i psi_{j-i}
    # (theta_0 = 1, theta_j = 0 beyond q).
    impulse = np.zeros(n)
    if n:
        impulse[0] = 1.0
    return _run(phi, theta, impulse)


def theoretical_acf(phi, theta, nlags: int) -> np.ndarray:
    """The autocorrelations rho_0 .. rho_nlags, a (nlags + 1,) float64 array, of a stationary ARMA process.

    rho_0 = 1. Stationary: every root z of 1 - phi_1 z - ... - phi_p z^p lies strictly outside the unit circle
    (|z| > 1; equivalently, the eigenvalues of the AR companion matrix lie strictly inside it); raise
    ValueError otherwise. Roots may come close to the circle (|z| = 1.01): the grader compares to
    about 1e-9, so a sum of psi weights must run until the weights are negligible.
    Example: theoretical_acf([0.5], [0.4], 2) -> array([1.        , 0.69230769, 0.34615385])
    """
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    nlags = _count(nlags, "nlags")
    _require_stationary(phi)
    gamma = _autocovariances(phi, theta, nlags)
    return gamma / gamma[0]  # gamma_0 >= 1 (psi_0 = 1), never 0


def _autocovariances(phi: np.ndarray, theta: np.ndarray, nlags: int) -> np.ndarray:
    """gamma_0 .. gamma_nlags of a stationary ARMA process with unit shock variance."""
    p, q = len(phi), len(theta)
    theta_full = np.concatenate([[1.0], theta])  # theta_0 = 1
    psi = _run(phi, theta, np.eye(1, q + 1)[0])  # psi_0 .. psi_q
    # c_k = E[x_t eps_{t-k}] summed against the MA part: sum_{j=k}^{q} theta_j psi_{j-k}
    c = [float(theta_full[k:] @ psi[: q + 1 - k]) for k in range(q + 1)]

    def c_at(k):
        return c[k] if k <= q else 0.0

    # gamma_k - sum_i phi_i gamma_{|k-i|} = c_k for k = 0..p: a (p+1)-square linear system, exact
    # (no truncated infinite sum), well conditioned while the roots stay off the unit circle.
    system = np.eye(p + 1)
    for k in range(p + 1):
        for i in range(1, p + 1):
            system[k, abs(k - i)] -= phi[i - 1]
    gamma = np.linalg.solve(system, [c_at(k) for k in range(p + 1)]).tolist()
    phi_list = phi.tolist()
    for k in range(p + 1, nlags + 1):  # beyond p the same difference equation runs forward
        gamma.append(sum(phi_list[i - 1] * gamma[k - i] for i in range(1, p + 1)) + c_at(k))
    return np.array(gamma[: nlags + 1], dtype=np.float64)


def _run(phi: np.ndarray, theta: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """The ARMA recursion from zero initial conditions (inputs already checked)."""
    # Python floats in a loop: each x_t needs the ones before it, and p, q are small.
    phi_list, theta_list, shocks = phi.tolist(), theta.tolist(), eps.tolist()
    x = []
    for t, shock in enumerate(shocks):
        value = shock
        for i, coefficient in enumerate(phi_list[:t], start=1):  # x_{t-i} exists only for i <= t
            value += coefficient * x[t - i]
        for j, coefficient in enumerate(theta_list[:t], start=1):  # so does eps_{t-j}
            value += coefficient * shocks[t - j]
        x.append(value)
    return np.array(x, dtype=np.float64)


def _coefficients(values, name: str) -> np.ndarray:
    """A finite 1-D float64 array, or ValueError naming the argument."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {array}")
    return array


def _count(value, name: str) -> int:
    """A non-negative int (a bool is not one), or ValueError naming the argument."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return int(value)


def _require_stationary(phi: np.ndarray) -> None:
    """ValueError unless every inverse root of the AR polynomial lies strictly inside the unit circle."""
    if len(phi) == 0:
        return
    companion = np.zeros((len(phi), len(phi)))
    companion[0] = phi  # x_t = phi . (x_{t-1}, ..., x_{t-p}); the rest shifts down
    companion[1:, :-1] = np.eye(len(phi) - 1)
    radius = float(np.max(np.abs(np.linalg.eigvals(companion))))
    if radius >= 1.0:
        raise ValueError(f"phi is not stationary: an AR root has modulus {1 / radius:.6g} <= 1 "
                         f"(every root of 1 - phi_1 z - ... - phi_p z^p must lie outside the unit circle)")
