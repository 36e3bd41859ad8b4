"""Splitting data honestly, over- and underfitting, and a softmax-regression classifier for Iris.

A model is judged on data it has not seen: shuffle the indices once, hold out a test part
(touched once, at the end) and a validation part (for choosing degrees, learning rates, ...),
and train on the rest. Everything learnt from data, even the mean and scale used to
standardise the features, comes from the training part only; otherwise the held-out score
leaks. A more flexible model (a higher polynomial degree) always fits its training data at
least as well, but can predict new data worse: that gap is overfitting. Last, softmax
regression: the softmax and cross-entropy of the softmax topic, trained by gradient descent;
the grader trains yours on Fisher's Iris flowers (150 flowers, 4 measurements, 3 species; the
CSV is grader/course/data/iris.csv) and expects >= 90% accuracy on held-out flowers.

Index arrays are integer numpy arrays; labels are integers 0 .. n_classes - 1.

Write it with numpy (np.polyfit and np.linalg.lstsq are fine): scikit-learn, torch, scipy.special and
statsmodels are not allowed, nor a library softmax.

Run `grade splits` to check your work; stuck? `grade hint splits`.
"""

import math

import numpy as np


def train_val_test_split(n: int, val_frac: float, test_frac: float, seed: int,
                         stratify=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(train, val, test): integer index arrays that partition range(n), after a seeded shuffle.

    Sizes follow scikit-learn: math.ceil(test_frac * n) test indices, math.ceil(val_frac * n)
    validation indices, the rest train. Shuffle with np.random.default_rng(seed) (use it any
    way you like): the same seed gives the same split, different seeds give different ones.
    With stratify (n labels), each class is split on its own by the same rule (a class of c
    members gives ceil(test_frac * c) test and ceil(val_frac * c) validation indices), so every
    part keeps the class proportions; the parts are the unions over classes. Order within a
    part is free.
    Example: [len(p) for p in train_val_test_split(10, 0.2, 0.3, seed=0)] -> [5, 2, 3]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    for name, frac in (("val_frac", val_frac), ("test_frac", test_frac)):
        if not 0.0 <= frac < 1.0:
            raise ValueError(f"{name} must be in [0, 1), got {frac!r}")
    rng = np.random.default_rng(seed)
    if stratify is None:
        groups = [np.arange(n)]
    else:
        labels = np.asarray(stratify)
        if labels.shape != (n,):
            raise ValueError(f"stratify must hold n = {n} labels, got shape {labels.shape}")
        groups = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    parts = ([], [], [])
    for members in groups:
        n_test, n_val = math.ceil(test_frac * len(members)), math.ceil(val_frac * len(members))
        if len(members) - n_test - n_val < 1:
            what = "the data" if stratify is None else f"a class of {len(members)}"
            raise ValueError(f"val_frac and test_frac leave no training example for {what}")
        shuffled = rng.permutation(members)
        parts[0].append(shuffled[n_test + n_val:])
        parts[1].append(shuffled[n_test:n_test + n_val])
        parts[2].append(shuffled[:n_test])
    train, val, test = (np.concatenate(p).astype(np.int64) for p in parts)
    return train, val, test


def kfold_indices(n: int, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """k (train, val) pairs of integer index arrays, as scikit-learn's KFold without shuffling.

    Fold i validates on the i-th block of consecutive indices; the first n % k blocks have
    n // k + 1 indices, the others n // k. Its train array is every other index, ascending.
    Example: [val.tolist() for _, val in kfold_indices(5, 2)] -> [[0, 1, 2], [3, 4]]
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 2 <= k <= n:
        raise ValueError(f"k must be an int with 2 <= k <= n = {n}, got {k!r}")
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    stops = np.cumsum(sizes)
    everything = np.arange(n)
    folds = []
    for start, stop in zip(stops - sizes, stops):
        held_out = (everything >= start) & (everything < stop)
        folds.append((everything[~held_out], everything[held_out]))
    return folds


def standardize(X_train, X_test) -> tuple[np.ndarray, np.ndarray]:
    """(Z_train, Z_test): each column minus the TRAINING mean, divided by the TRAINING standard deviation.

    X_train (n, d) with n >= 1, X_test (m, d), possibly with m = 0 rows. The standard deviation
    divides by n (ddof=0). A column whose training values are all equal is only centred (divided by
    1, not by 0).
    Example: standardize([[1.0], [3.0]], [[5.0]]) -> (array([[-1.], [ 1.]]), array([[3.]]))
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    X_test = np.asarray(X_test, dtype=np.float64)
    if X_train.ndim != 2 or X_train.shape[0] == 0:
        raise ValueError(f"X_train must be a non-empty (n, d) array, got shape {X_train.shape}")
    if X_test.ndim != 2 or X_test.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_test must be (m, {X_train.shape[1]}), got shape {X_test.shape}")
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    scale[scale == 0] = 1.0  # a constant column: centring is all there is to do
    return (X_train - mean) / scale, (X_test - mean) / scale


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """An integer (n_classes, n_classes) array: entry [i, j] counts the examples of class i predicted as j.

    Empty label arrays give a matrix of zeros.
    Example: confusion_matrix([0, 1, 1], [0, 0, 1], 2) -> array([[1, 0], [1, 1]])
    """
    y_true, y_pred = _labels(y_true, n_classes, "y_true"), _labels(y_pred, n_classes, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {y_true.shape} and {y_pred.shape}")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)  # counts[y_true, y_pred] += 1 would count a repeated pair once
    return counts


def poly_train_val_mse(x_train, y_train, x_val, y_val, degrees) -> tuple[np.ndarray, np.ndarray]:
    """(train_mse, val_mse), each (len(degrees),): fit a least-squares polynomial of each degree to the
    training points, and report its mean squared error on the training and on the validation points.

    A degree needs at least degree + 1 training points. np.polyfit or np.linalg.lstsq are fine.
    Example: poly_train_val_mse([0.0, 1.0, 2.0], [0.0, 1.0, 4.0], [3.0], [9.0], [0, 1])
    -> (array([2.88888889, 0.22222222]), array([53.77777778, 11.11111111]))
    """
    x_train, y_train = _pair(x_train, y_train, "x_train", "y_train")
    x_val, y_val = _pair(x_val, y_val, "x_val", "y_val")
    degrees = np.asarray(degrees)
    if degrees.ndim != 1 or degrees.dtype.kind not in "iu" or np.any(degrees < 0):
        raise ValueError("degrees must be a list of non-negative ints")
    if np.any(degrees + 1 > x_train.size):
        raise ValueError(f"a polynomial of degree d needs d + 1 training points; there are {x_train.size}")
    train_mse, val_mse = np.empty(degrees.size), np.empty(degrees.size)
    for i, degree in enumerate(degrees.tolist()):
        design = np.vander(x_train, degree + 1)  # columns x^degree ... x^0
        coef = np.linalg.lstsq(design, y_train, rcond=None)[0]
        train_mse[i] = np.mean((design @ coef - y_train) ** 2)
        val_mse[i] = np.mean((np.vander(x_val, degree + 1) @ coef - y_val) ** 2)
    return train_mse, val_mse


def softmax_regression_fit(X, y, n_classes: int, lr: float = 0.5,
                           epochs: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """(W (d, n_classes), b (n_classes,)) after `epochs` full-batch gradient-descent steps on the mean
    cross-entropy of softmax(X W + b) against y.

    Start from W = 0, b = 0. Each step: P = softmax(X W + b) row-wise, G = (P - onehot(y)) / N,
    then W -= lr X^T G and b -= lr (sum of G's rows). X is (N, d), y (N,) integer labels.
    Example: softmax_regression_fit([[1.0], [-1.0]], [0, 1], 2, lr=0.5, epochs=1)
    -> (array([[ 0.25, -0.25]]), array([0., 0.]))
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be an (N, d) array, got shape {X.shape}")
    y = _labels(y, n_classes, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per row of X ({X.shape[0]}), got shape {y.shape}")
    onehot = np.eye(n_classes)[y]  # (N, C)
    W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
    for _ in range(epochs):
        logits = X @ W + b
        e = np.exp(logits - logits.max(axis=1, keepdims=True))  # the softmax topic's max-shift
        G = (e / e.sum(axis=1, keepdims=True) - onehot) / X.shape[0]  # d(mean CE)/d(logits)
        W = W - lr * (X.T @ G)
        b = b - lr * G.sum(axis=0)
    return W, b


def softmax_regression_predict(X, W, b) -> np.ndarray:
    """The predicted class of each row of X (N, d): an integer array (N,), the argmax of X W + b (first on a tie).

    Example: softmax_regression_predict([[2.0], [-3.0]], [[1.0, -1.0]], [0.0, 0.0]) -> array([0, 1])
    """
    X = np.asarray(X, dtype=np.float64)
    return np.argmax(X @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64), axis=1).astype(np.int64)


def _labels(y, n_classes, name):
    """Integer labels in [0, n_classes), as an int64 array, or ValueError naming the argument."""
    y = np.asarray(y)
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, got {n_classes!r}")
    if y.ndim != 1 or (y.size and y.dtype.kind not in "iu"):
        raise ValueError(f"{name} must be a 1-D array of integer labels")
    if np.any(y < 0) or np.any(y >= n_classes):
        raise ValueError(f"{name} must hold labels in [0, {n_classes})")
    return y.astype(np.int64)


def _pair(x, y, x_name, y_name):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"{x_name} and {y_name} must be 1-D arrays of the same length")
    return x, y
