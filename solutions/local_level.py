"""The local level model: a random walk seen through noise, tracked by the Kalman filter.

The level mu_t drifts as a random walk and each observation adds noise:
y_t = mu_t + eps_t with eps_t ~ N(0, sigma2_eps), mu_{t+1} = mu_t + eta_t with eta_t ~ N(0, sigma2_eta),
and the prior for the first level is mu_1 ~ N(a1, p1). The filter alternates predict and update
to give the mean and variance of mu_t before and after seeing y_t, and the Gaussian
log-likelihood of y; the smoother then runs backwards so every estimate uses the whole series.
A NaN in y is a missing observation: no update, no log-likelihood term. Differenced, the model is
an ARIMA(0,1,1): Delta y_t = eta_{t-1} + eps_t - eps_{t-1} has the autocovariances of an MA(1),
Delta y_t = zeta_t + theta zeta_{t-1}, whose theta depends only on q = sigma2_eta / sigma2_eps.

Run `grade local_level` to check your work; stuck? `grade hint local_level`.
"""

import math

import numpy as np


def local_level_filter(y, sigma2_eps: float, sigma2_eta: float, a1: float = 0.0, p1: float = 1e7) -> dict:
    """Kalman filter: a dict of the predicted and filtered mean/variance of mu_t, each (T,), and loglik.

    Example: local_level_filter([1.0, 2.0], 1.0, 1.0, p1=1.0) -> filtered_state array([0.5, 1.4]),
    filtered_var array([0.5, 0.6]), predicted_state array([0. , 0.5]), predicted_var array([1. , 1.5]), loglik -3.3426
    """
    y, s2_eps, s2_eta, a, p = _checked(y, sigma2_eps, sigma2_eta, a1, p1)
    predicted_state, predicted_var, filtered_state, filtered_var = [], [], [], []
    loglik = 0.0
    # A loop, not vectorised: each step needs the one before (Python floats are the fastest here).
    for t, y_t in enumerate(y.tolist()):
        predicted_state.append(a)  # before seeing y_t: index 0 is the prior (a1, p1)
        predicted_var.append(p)
        if not math.isnan(y_t):  # a missing y_t: no update, the prediction stands
            f = p + s2_eps  # variance of the prediction error v = y_t - a
            if f == 0.0:
                raise ValueError(f"the prediction-error variance p + sigma2_eps is 0 at t = {t}: "
                                 f"sigma2_eps = 0 with a level known exactly makes y_t impossible to weigh")
            v = y_t - a
            loglik -= 0.5 * (math.log(2.0 * math.pi * f) + v * v / f)
            a += p / f * v  # gain K = p / f: trust y_t in proportion to how uncertain the level is
            p = p * s2_eps / f  # = p (1 - K), written without the cancellation in 1 - K
        filtered_state.append(a)
        filtered_var.append(p)
        p += s2_eta  # predict: the level carries over, its uncertainty grows by sigma2_eta
    return _as_result(predicted_state, predicted_var, filtered_state, filtered_var, loglik)


def local_level_smoother(y, sigma2_eps: float, sigma2_eta: float, a1: float = 0.0,
                         p1: float = 1e7) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed mean and variance of each mu_t given all of y (RTS), each (T,).

    Example: local_level_smoother([1.0, 2.0], 1.0, 1.0, p1=1.0) -> (array([0.8, 1.4]), array([0.4, 0.6]))
    """
    kalman = local_level_filter(y, sigma2_eps, sigma2_eta, a1, p1)
    a_filt, p_filt = kalman["filtered_state"].tolist(), kalman["filtered_var"].tolist()
    a_pred, p_pred = kalman["predicted_state"].tolist(), kalman["predicted_var"].tolist()
    a_smooth, p_smooth = list(a_filt), list(p_filt)  # at the last t, all of y is already seen
    for t in range(len(a_filt) - 2, -1, -1):
        # J: how much of the correction at t+1 flows back to t. p_pred[t+1] = p_filt[t] + sigma2_eta
        # is 0 only when the level is known exactly; then there is nothing to correct.
        j = p_filt[t] / p_pred[t + 1] if p_pred[t + 1] > 0.0 else 0.0
        a_smooth[t] = a_filt[t] + j * (a_smooth[t + 1] - a_pred[t + 1])
        p_smooth[t] = p_filt[t] + j * j * (p_smooth[t + 1] - p_pred[t + 1])
    return np.array(a_smooth, dtype=np.float64), np.array(p_smooth, dtype=np.float64)


def llevel_to_arima011(sigma2_eps: float, sigma2_eta: float) -> float:
    """The MA coefficient theta of the ARIMA(0,1,1) that the local level model is, a float in [-1, 0].

    theta = (sqrt(q^2 + 4q) - 2 - q) / 2 with q = sigma2_eta / sigma2_eps: the invertible root of
    theta / (1 + theta^2) = -1 / (q + 2), the lag-1 autocorrelation of Delta y. The MA part is added,
    Delta y_t = zeta_t + theta zeta_{t-1}, as in statsmodels' ARIMA. sigma2_eta = 0 gives -1 and
    sigma2_eps = 0 gives 0. Accurate to 1e-9 relative for every q from 1e-12 to 1e12.
    Example: llevel_to_arima011(1.0, 1.0) -> -0.38196601125010515
    """
    s2_eps, s2_eta = _arima_variances(sigma2_eps, sigma2_eta)
    # (sqrt(q^2 + 4q) - 2 - q) / 2 subtracts two numbers close to q for large q and loses every digit
    # (q = 1e8 gives theta ~ -1e-8 from a difference of ~1e8). Times its conjugate it is
    # -2 / (q + 2 + sqrt(q^2 + 4q)), a sum of positive terms; multiplied through by sigma2_eps it needs
    # no division by a zero sigma2_eps and never squares a large q.
    root = math.sqrt(s2_eta) * math.sqrt(s2_eta + 4.0 * s2_eps)
    return -2.0 * s2_eps / (s2_eta + 2.0 * s2_eps + root)


def _checked(y, sigma2_eps, sigma2_eta, a1, p1):
    """(y as a float64 (T,) array, sigma2_eps, sigma2_eta, a1, p1 as floats), or ValueError naming the argument."""
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (T,), got shape {y.shape}")
    sigma2_eps, sigma2_eta, a1, p1 = float(sigma2_eps), float(sigma2_eta), float(a1), float(p1)
    if sigma2_eps < 0:
        raise ValueError(f"sigma2_eps must be >= 0 (a variance), got {sigma2_eps}")
    if sigma2_eta < 0:
        raise ValueError(f"sigma2_eta must be >= 0 (a variance), got {sigma2_eta}")
    if p1 < 0:
        raise ValueError(f"p1 must be >= 0 (a variance), got {p1}")
    return y, sigma2_eps, sigma2_eta, a1, p1


def _arima_variances(sigma2_eps, sigma2_eta) -> tuple[float, float]:
    """(sigma2_eps, sigma2_eta) as floats, or ValueError: each finite and >= 0, not both 0 (q undefined)."""
    sigma2_eps, sigma2_eta = float(sigma2_eps), float(sigma2_eta)
    for name, value in (("sigma2_eps", sigma2_eps), ("sigma2_eta", sigma2_eta)):
        if not (0.0 <= value < math.inf):  # "not" also rejects NaN
            raise ValueError(f"{name} must be a finite variance >= 0, got {value!r}")
    if sigma2_eps == 0.0 and sigma2_eta == 0.0:
        raise ValueError("sigma2_eps and sigma2_eta are both 0: the ratio q = sigma2_eta / sigma2_eps is undefined")
    return sigma2_eps, sigma2_eta


def _as_result(predicted_state, predicted_var, filtered_state, filtered_var, loglik) -> dict:
    """The filter's lists as the dict of float64 arrays (and a float loglik) the contract asks for."""
    return {"predicted_state": np.array(predicted_state, dtype=np.float64),
            "predicted_var": np.array(predicted_var, dtype=np.float64),
            "filtered_state": np.array(filtered_state, dtype=np.float64),
            "filtered_var": np.array(filtered_var, dtype=np.float64),
            "loglik": float(loglik)}
