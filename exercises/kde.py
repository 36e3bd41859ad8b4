"""Kernel density estimation and Nadaraya-Watson kernel regression with a Gaussian kernel.

A kernel density estimate puts a small Gaussian bump of width h on every data point and
averages them: f(q) = (1 / (n h)) sum_i phi((q - x_i) / h), with phi(u) = exp(-u^2 / 2) / sqrt(2 pi).
Nadaraya-Watson regression predicts at q the weighted mean of the y_i, with weights
w_i = exp(-(q - x_i)^2 / (2 h^2)): nearby points count most. Those weights are a softmax of
-(q - x_i)^2 / (2 h^2), so the same max-shift keeps them finite when every w_i underflows.

Write it with numpy: scipy.stats, scikit-learn and statsmodels (which have both estimators) are not allowed.

Run `grade kde` to check your work; stuck? `grade hint kde`.
"""

import numpy as np


def gaussian_kde(data, query, h: float) -> np.ndarray:
    """The Gaussian kernel density estimate of the sample data (n,) with bandwidth h, at each query point (m,).

    f(q) = (1 / (n h)) * sum_i exp(-((q - data_i) / h)^2 / 2) / sqrt(2 pi). Works for any h > 0,
    from 1e-200 to 1e200 (divide by h before squaring). An empty query gives an empty array.
    Example: gaussian_kde([0.0, 1.0], [0.0, 0.5], 1.0) -> array([0.3204565 , 0.35206533])
    """
    # TODO: raise ValueError if h <= 0, data is empty, or data or query is not 1-D. Broadcasting
    # query[:, None] - data[None, :] gives every (query, data) difference at once.
    raise NotImplementedError


def nadaraya_watson(x_train, y_train, x_query, h: float) -> np.ndarray:
    """Kernel regression: at each query point (m,), the mean of y_train (n,) weighted by exp(-(q - x_i)^2 / (2 h^2)).

    A query so far from every x_i that all weights underflow still gets an answer: the limit,
    the y of the nearest x_i (the mean of the nearest ones' y on a tie). An empty query gives an empty array.
    Example: nadaraya_watson([0.0, 1.0], [0.0, 10.0], [0.0, 0.5], 1.0) -> array([3.77540669, 5.        ])
    """
    # TODO: raise ValueError if h <= 0, x_train is empty, x_train and y_train differ in shape, or x_train
    # or x_query is not 1-D. The naive sum(w y) / sum(w) is 0 / 0 = nan for a far query.
    raise NotImplementedError
