"""A correct local level module written differently from the reference.

The filter runs in "prediction form" on numpy arrays (a_{t+1} = a_t + K_t v_t) with the Joseph
form of the variance update, and collects v_t and F_t to sum the log-likelihood at the end. The
smoother is Durbin & Koopman's backward recursion (r_t, N_t), not Rauch-Tung-Striebel.
"""

import numpy as np


def _filter_parts(y, sigma2_eps, sigma2_eta, a1, p1):
    y = np.array(y, dtype=float)
    if y.ndim != 1:
        raise ValueError("y must be a 1-D array")
    if sigma2_eps < 0 or sigma2_eta < 0:
        raise ValueError("sigma2_eps and sigma2_eta must be non-negative variances")
    if p1 < 0:
        raise ValueError("p1 must be a non-negative variance")
    n = y.shape[0]
    a = np.zeros(n + 1)
    p = np.zeros(n + 1)
    af = np.zeros(n)
    pf = np.zeros(n)
    v = np.zeros(n)
    f = np.full(n, np.inf)  # an infinite F: a missing y_t carries no information
    observed = ~np.isnan(y)
    a[0], p[0] = a1, p1
    for t in range(n):
        if observed[t]:
            f[t] = p[t] + sigma2_eps
            if f[t] <= 0:
                raise ValueError("zero prediction-error variance: sigma2_eps = 0 and the level is known exactly")
            v[t] = y[t] - a[t]
            k = p[t] / f[t]
            af[t] = a[t] + k * v[t]
            # Joseph form: (1 - K)^2 P + K^2 sigma2_eps, a sum of non-negative terms
            pf[t] = (1 - k) ** 2 * p[t] + k ** 2 * sigma2_eps
        else:
            af[t], pf[t] = a[t], p[t]
        a[t + 1] = af[t]
        p[t + 1] = pf[t] + sigma2_eta
    return y, observed, a, p, af, pf, v, f


def local_level_filter(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    y, observed, a, p, af, pf, v, f = _filter_parts(y, sigma2_eps, sigma2_eta, a1, p1)
    vo, fo = v[observed], f[observed]
    loglik = -0.5 * (np.sum(np.log(fo)) + np.sum(vo ** 2 / fo) + vo.size * np.log(2 * np.pi))
    return dict(filtered_state=af, filtered_var=pf, predicted_state=a[:-1].copy(), predicted_var=p[:-1].copy(),
                loglik=float(loglik))


def local_level_smoother(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    y, observed, a, p, af, pf, v, f = _filter_parts(y, sigma2_eps, sigma2_eta, a1, p1)
    n = y.shape[0]
    smoothed_state = np.zeros(n)
    smoothed_var = np.zeros(n)
    r, big_n = 0.0, 0.0  # r_T = N_T = 0: nothing after the last observation
    for t in range(n - 1, -1, -1):
        if observed[t]:
            ell = sigma2_eps / f[t]  # L_t = 1 - K_t
            r = v[t] / f[t] + ell * r
            big_n = 1.0 / f[t] + ell ** 2 * big_n
        smoothed_state[t] = a[t] + p[t] * r
        smoothed_var[t] = p[t] - p[t] ** 2 * big_n
    return smoothed_state, smoothed_var


def llevel_to_arima011(sigma2_eps, sigma2_eta):
    # Vieta: the two roots of theta^2 + (q + 2) theta + 1 = 0 multiply to 1, so the invertible one is
    # the reciprocal of the large one, which needs no subtraction: (-(q + 2) - sqrt(q^2 + 4q)) / 2.
    if not (np.isfinite(sigma2_eps) and np.isfinite(sigma2_eta)) or min(sigma2_eps, sigma2_eta) < 0:
        raise ValueError("variances must be finite and non-negative")
    if sigma2_eps == 0:
        if sigma2_eta == 0:
            raise ValueError("q = 0 / 0 is undefined")
        return 0.0  # a pure random walk: Delta y is white noise
    q = sigma2_eta / sigma2_eps
    large = (-(q + 2) - np.sqrt(q) * np.sqrt(q + 4)) / 2
    return float(1.0 / large)
