"""A correct splits module written differently from the reference: shuffled label buckets, array_split folds,
a Python-loop confusion matrix, np.polyfit, and a softmax regression with an explicit logsumexp."""

import math

import numpy as np


def train_val_test_split(n, val_frac, test_frac, seed, stratify=None):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n <= 0:
        raise ValueError("n must be a positive integer")
    if not (0 <= val_frac < 1) or not (0 <= test_frac < 1):
        raise ValueError("fractions must be in [0, 1)")
    labels = np.zeros(n, dtype=int) if stratify is None else np.asarray(stratify)
    if len(labels) != n or labels.ndim != 1:
        raise ValueError("stratify needs one label per index")
    generator = np.random.default_rng(seed)
    train, val, test = [], [], []
    for label in sorted(set(labels.tolist())):
        bucket = [i for i in range(n) if labels[i] == label]
        generator.shuffle(bucket)
        c = len(bucket)
        k_test, k_val = math.ceil(test_frac * c), math.ceil(val_frac * c)
        if k_test + k_val >= c:
            raise ValueError("nothing left to train on")
        test += bucket[:k_test]
        val += bucket[k_test:k_test + k_val]
        train += bucket[k_test + k_val:]
    return tuple(np.array(sorted(part), dtype=int) for part in (train, val, test))


def kfold_indices(n, k):
    if type(k) is not int or k < 2 or k > n:
        raise ValueError("need 2 <= k <= n")
    blocks = np.array_split(np.arange(n), k)
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), block) for i, block in enumerate(blocks)]


def standardize(X_train, X_test):
    a, t = np.array(X_train, dtype=float), np.array(X_test, dtype=float)
    if a.ndim != 2 or len(a) == 0 or t.ndim != 2 or t.shape[1] != a.shape[1]:
        raise ValueError("X_train must be (n, d) with n > 0 and X_test (m, d)")
    centre = np.mean(a, axis=0)
    spread = np.sqrt(np.mean((a - centre) ** 2, axis=0))
    spread = np.where(spread > 0, spread, 1.0)
    return (a - centre) / spread, (t - centre) / spread


def confusion_matrix(y_true, y_pred, n_classes):
    truth, guess = list(np.asarray(y_true).ravel()), list(np.asarray(y_pred).ravel())
    if len(truth) != len(guess):
        raise ValueError("y_true and y_pred differ in length")
    table = np.zeros((n_classes, n_classes), dtype=np.int64)
    for t, g in zip(truth, guess):
        for label in (t, g):
            if not isinstance(label, (int, np.integer)) or not 0 <= label < n_classes:
                raise ValueError("labels must be integers in [0, n_classes)")
        table[t, g] += 1
    return table


def poly_train_val_mse(x_train, y_train, x_val, y_val, degrees):
    xt, yt, xv, yv = (np.array(a, dtype=float) for a in (x_train, y_train, x_val, y_val))
    if xt.shape != yt.shape or xv.shape != yv.shape:
        raise ValueError("x and y must match")
    train_errors, val_errors = [], []
    for degree in degrees:
        if degree < 0 or degree >= len(xt):
            raise ValueError("degree must be in [0, number of training points)")
        coefficients = np.polyfit(xt, yt, degree)
        train_errors.append(np.mean((np.polyval(coefficients, xt) - yt) ** 2))
        val_errors.append(np.mean((np.polyval(coefficients, xv) - yv) ** 2))
    return np.array(train_errors), np.array(val_errors)


def _log_softmax_rows(scores):
    top = scores.max(axis=1, keepdims=True)
    return scores - top - np.log(np.exp(scores - top).sum(axis=1, keepdims=True))


def softmax_regression_fit(X, y, n_classes, lr=0.5, epochs=1000):
    X = np.array(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or y.shape != (len(X),) or y.dtype.kind not in "iu" or ((y < 0) | (y >= n_classes)).any():
        raise ValueError("X must be (N, d) and y N labels in [0, n_classes)")
    theta = np.zeros((X.shape[1] + 1, n_classes))  # the bias as a last row, fed by a column of ones
    augmented = np.hstack([X, np.ones((len(X), 1))])
    targets = np.zeros((len(X), n_classes))
    targets[np.arange(len(X)), y] = 1.0
    for _ in range(epochs):
        probabilities = np.exp(_log_softmax_rows(augmented @ theta))
        theta -= lr * augmented.T @ (probabilities - targets) / len(X)
    return theta[:-1].copy(), theta[-1].copy()


def softmax_regression_predict(X, W, b):
    scores = np.array(X, dtype=float) @ np.array(W, dtype=float) + np.array(b, dtype=float)
    return np.array([int(np.argmax(row)) for row in scores], dtype=np.int64)
