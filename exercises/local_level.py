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
    # TODO: return {"predicted_state": ..., "predicted_var": ..., "filtered_state": ..., "filtered_var": ...,
    # "loglik": ...}: float64 arrays of shape (T,) (index 0 of the predictions is a1, p1) and a float summed
    # over every observed t. Raise ValueError for a negative variance or p1, and when F = P + sigma2_eps
    # is 0 at an observed t. An empty y gives empty arrays and loglik 0.0.
    raise NotImplementedError


def local_level_smoother(y, sigma2_eps: float, sigma2_eta: float, a1: float = 0.0,
                         p1: float = 1e7) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed mean and variance of each mu_t given all of y (RTS), each (T,).

    Example: local_level_smoother([1.0, 2.0], 1.0, 1.0, p1=1.0) -> (array([0.8, 1.4]), array([0.4, 0.6]))
    """
    # TODO: run your filter, then go backwards from the last t (where smoothed = filtered).
    # Same ValueErrors as the filter.
    raise NotImplementedError


def llevel_to_arima011(sigma2_eps: float, sigma2_eta: float) -> float:
    """The MA coefficient theta of the ARIMA(0,1,1) that the local level model is, a float in [-1, 0].

    theta = (sqrt(q^2 + 4q) - 2 - q) / 2 with q = sigma2_eta / sigma2_eps: the invertible root of
    theta / (1 + theta^2) = -1 / (q + 2), the lag-1 autocorrelation of Delta y. The MA part is added,
    Delta y_t = zeta_t + theta zeta_{t-1}, as in statsmodels' ARIMA. sigma2_eta = 0 gives -1 and
    sigma2_eps = 0 gives 0. Accurate to 1e-9 relative for every q from 1e-12 to 1e12.
    Example: llevel_to_arima011(1.0, 1.0) -> -0.38196601125010515
    """
    # TODO: raise ValueError for a negative or non-finite variance, or both variances 0. Then return the root
    # of theta^2 + (q + 2) theta + 1 = 0 that lies in [-1, 0], written so that it keeps its relative
    # precision when q is huge (no subtraction of two nearly equal numbers) and when sigma2_eps = 0.
    raise NotImplementedError
