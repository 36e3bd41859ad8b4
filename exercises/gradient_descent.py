"""Gradient descent: epochs and batches, mini-batch GD for linear regression, and the cubic fit to sin(x).

An epoch is one pass over the n training points, cut into batches of batch_size; each batch
gives one gradient step, so an epoch takes ceil(n / batch_size) steps (floor when the short
last batch is dropped). batch_size = n is batch GD, 1 is stochastic GD, anything between is
mini-batch GD. A step is w <- w - lr * gradient. On a quadratic loss whose Hessian has
largest eigenvalue L, gradient descent converges for lr < 2 / L and blows up above it: the
PyTorch tutorial's cubic fit to sin(x) on [-pi, pi] diverges for lr > ~3.56e-6.
Write it with numpy (np.linalg.eigvalsh is fine): torch.optim, torch's DataLoader and autograd,
np.polyfit, numpy.polynomial, lstsq (numpy or scipy), scipy.optimize and scikit-learn are not
allowed here.

Run `grade gradient_descent` to check your work; stuck? `grade hint gradient_descent`.
"""

import numpy as np


def iterations_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """The number of batches (gradient steps) in one epoch over n points: ceil(n / batch_size),
    or floor(n / batch_size) when drop_last drops a short last batch.

    Example: iterations_per_epoch(10, 3) -> 4;  iterations_per_epoch(10, 3, drop_last=True) -> 3
    Exact for any int n, however large (no float division). n = 0 gives 0.
    Raises ValueError unless n is an int >= 0 and batch_size an int >= 1 (a bool is not an int).
    """
    # TODO: integer arithmetic only; check the arguments first.
    raise NotImplementedError


def minibatch_indices(n: int, batch_size: int, seed: int = 0, shuffle: bool = True,
                      drop_last: bool = False) -> list[np.ndarray]:
    """The batches of one epoch: a list of 1-D integer arrays of row indices.

    The order is np.random.default_rng(seed).permutation(n) when shuffle, else 0, 1, ..., n - 1;
    it is cut into consecutive batches of batch_size; the last batch may be shorter, and it is
    left out when drop_last and shorter than batch_size. n = 0 gives [].
    Example: minibatch_indices(5, 2, shuffle=False) -> [array([0, 1]), array([2, 3]), array([4])]
    Raises ValueError unless n is an int >= 0 and batch_size an int >= 1 (a bool is not an int).
    """
    # TODO: use exactly np.random.default_rng(seed).permutation(n) so the batches match.
    raise NotImplementedError


def gd_linear_regression(X, y, lr: float, epochs: int, batch_size: int | None = None, seed: int = 0) -> np.ndarray:
    """Weights w, a float64 array (d,), of the linear model X @ w fitted to y by (mini-batch) GD on the MSE.

    X is (m, d) (a column of ones plays the intercept), y is (m,). Start from w = 0 and make one
    generator rng = np.random.default_rng(seed). Each epoch takes order = rng.permutation(m) and cuts
    it into consecutive batches of batch_size (the last one may be shorter; batch_size=None means
    one batch of all m rows). For each batch B, in order:
    w <- w - lr * 2 * X[B].T @ (X[B] @ w - y[B]) / len(B), the gradient of mean((X[B] @ w - y[B])**2).
    epochs = 0 gives zeros.
    Example: gd_linear_regression([[1.0], [1.0]], [2.0, 4.0], lr=0.25, epochs=2) -> array([2.25])
    Raises ValueError unless X is 2-D with at least one row, y has shape (m,), lr > 0, epochs is an
    int >= 0 and batch_size is None or an int >= 1.
    """
    # TODO: one generator for the whole run; update after every batch; do not mutate X or y.
    raise NotImplementedError


def cubic_grad(x, y, coef) -> np.ndarray:
    """The gradient, a float64 array (4,), of sum((a + b x + c x^2 + d x^3 - y)**2) with respect to coef = (a, b, c, d).

    x and y are (n,). With r = y_hat - y it is [sum 2r, sum 2r x, sum 2r x^2, sum 2r x^3] (a sum, not a mean).
    Example: cubic_grad([0.0, 1.0], [1.0, 1.0], [0.0, 0.0, 0.0, 0.0]) -> array([-4., -2., -2., -2.])
    Raises ValueError unless x and y are 1-D of the same length and coef has 4 entries.
    """
    # TODO: the loss is a sum over the n points, not a mean.
    raise NotImplementedError


def fit_cubic(x, y, lr: float = 1e-6, steps: int = 2000) -> np.ndarray:
    """(a, b, c, d), a float64 array (4,), after `steps` steps coef <- coef - lr * cubic_grad(x, y, coef) from 0.

    The PyTorch tutorial's setting, x = np.linspace(-np.pi, np.pi, 2000) and y = np.sin(x), gives
    about (0, 0.843, 0, -0.0914). steps = 0 gives zeros. Vectorise over the points with numpy: that
    setting (2000 points, 2000 steps) should take well under a second.
    Example: fit_cubic([0.0, 1.0], [1.0, 1.0], lr=0.1, steps=1) -> array([0.4, 0.2, 0.2, 0.2])
    Raises ValueError unless x and y are 1-D of the same length, lr > 0 and steps is an int >= 0.
    """
    # TODO: update all four coefficients at once from the same gradient.
    raise NotImplementedError


def divergence_threshold(x) -> float:
    """The learning rate 2 / L (a float) above which fit_cubic on these x diverges; L is the largest eigenvalue of the
    Hessian of the cubic fit's loss, 2 A^T A, with A the (n, 4) matrix of rows (1, x, x^2, x^3).

    Example: divergence_threshold(np.linspace(-np.pi, np.pi, 2000)) -> 3.557946898346...e-06
    Raises ValueError unless x is 1-D with at least one point.
    """
    # TODO: build A, then the Hessian 2 A^T A; its largest eigenvalue is L.
    raise NotImplementedError
