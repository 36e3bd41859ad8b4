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
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    # Integer ceiling: -(-n // b). n / b goes through a float and is wrong for n beyond 2**53.
    return n // batch_size if drop_last else -(-n // batch_size)


def minibatch_indices(n: int, batch_size: int, seed: int = 0, shuffle: bool = True,
                      drop_last: bool = False) -> list[np.ndarray]:
    """The batches of one epoch: a list of 1-D integer arrays of row indices.

    The order is np.random.default_rng(seed).permutation(n) when shuffle, else 0, 1, ..., n - 1;
    it is cut into consecutive batches of batch_size; the last batch may be shorter, and it is
    left out when drop_last and shorter than batch_size. n = 0 gives [].
    Example: minibatch_indices(5, 2, shuffle=False) -> [array([0, 1]), array([2, 3]), array([4])]
    Raises ValueError unless n is an int >= 0 and batch_size an int >= 1 (a bool is not an int).
    """
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


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
    X, y = _checked_regression(X, y, lr)
    _check_int("epochs", epochs, 0)
    m = X.shape[0]
    if batch_size is None:
        batch_size = m
    _check_int("batch_size", batch_size, 1)
    rng = np.random.default_rng(seed)  # one generator for the whole run: a new order every epoch
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            residual = X[batch] @ w - y[batch]
            w = w - lr * 2.0 * (X[batch].T @ residual) / len(batch)
    return w


def cubic_grad(x, y, coef) -> np.ndarray:
    """The gradient, a float64 array (4,), of sum((a + b x + c x^2 + d x^3 - y)**2) with respect to coef = (a, b, c, d).

    x and y are (n,). With r = y_hat - y it is [sum 2r, sum 2r x, sum 2r x^2, sum 2r x^3] (a sum, not a mean).
    Example: cubic_grad([0.0, 1.0], [1.0, 1.0], [0.0, 0.0, 0.0, 0.0]) -> array([-4., -2., -2., -2.])
    Raises ValueError unless x and y are 1-D of the same length and coef has 4 entries.
    """
    x, y, coef = _checked_cubic(x, y, coef)
    powers = np.vander(x, 4, increasing=True)  # (n, 4): 1, x, x^2, x^3
    residual = powers @ coef - y
    return 2.0 * (powers.T @ residual)


def fit_cubic(x, y, lr: float = 1e-6, steps: int = 2000) -> np.ndarray:
    """(a, b, c, d), a float64 array (4,), after `steps` steps coef <- coef - lr * cubic_grad(x, y, coef) from 0.

    The PyTorch tutorial's setting, x = np.linspace(-np.pi, np.pi, 2000) and y = np.sin(x), gives
    about (0, 0.843, 0, -0.0914). steps = 0 gives zeros. Vectorise over the points with numpy: that
    setting (2000 points, 2000 steps) should take well under a second.
    Example: fit_cubic([0.0, 1.0], [1.0, 1.0], lr=0.1, steps=1) -> array([0.4, 0.2, 0.2, 0.2])
    Raises ValueError unless x and y are 1-D of the same length, lr > 0 and steps is an int >= 0.
    """
    x, y, coef = _checked_cubic(x, y, np.zeros(4))
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    _check_int("steps", steps, 0)
    powers = np.vander(x, 4, increasing=True)
    for _ in range(steps):
        coef = coef - lr * 2.0 * (powers.T @ (powers @ coef - y))
    return coef


def divergence_threshold(x) -> float:
    """The learning rate 2 / L (a float) above which fit_cubic on these x diverges; L is the largest eigenvalue of the
    Hessian of the cubic fit's loss, 2 A^T A, with A the (n, 4) matrix of rows (1, x, x^2, x^3).

    Example: divergence_threshold(np.linspace(-np.pi, np.pi, 2000)) -> 3.557946898346...e-06
    Raises ValueError unless x is 1-D with at least one point.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    powers = np.vander(x, 4, increasing=True)
    hessian = 2.0 * powers.T @ powers  # constant: the loss is quadratic in the coefficients
    return float(2.0 / np.linalg.eigvalsh(hessian)[-1])


def _check_int(name, value, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


def _checked_regression(X, y, lr):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be 2-D (m, d) with m >= 1, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},) to match X, got {y.shape}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    return X, y


def _checked_cubic(x, y, coef):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    coef = np.asarray(coef, dtype=np.float64)
    if x.ndim != 1 or y.shape != x.shape:
        raise ValueError(f"x and y must be 1-D of the same length, got shapes {x.shape} and {y.shape}")
    if coef.shape != (4,):
        raise ValueError(f"coef must have 4 entries (a, b, c, d), got shape {coef.shape}")
    return x, y, coef
