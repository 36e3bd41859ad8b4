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
    # TODO: raise ValueError if n < 1, a fraction is outside [0, 1), stratify does not hold n labels, or no
    # training index would be left (for the data, or for a class with stratify).
    raise NotImplementedError


def kfold_indices(n: int, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """k (train, val) pairs of integer index arrays, as scikit-learn's KFold without shuffling.

    Fold i validates on the i-th block of consecutive indices; the first n % k blocks have
    n // k + 1 indices, the others n // k. Its train array is every other index, ascending.
    Example: [val.tolist() for _, val in kfold_indices(5, 2)] -> [[0, 1, 2], [3, 4]]
    """
    # TODO: raise ValueError unless 2 <= k <= n.
    raise NotImplementedError


def standardize(X_train, X_test) -> tuple[np.ndarray, np.ndarray]:
    """(Z_train, Z_test): each column minus the TRAINING mean, divided by the TRAINING standard deviation.

    X_train (n, d) with n >= 1, X_test (m, d), possibly with m = 0 rows. The standard deviation
    divides by n (ddof=0). A column whose training values are all equal is only centred (divided by
    1, not by 0).
    Example: standardize([[1.0], [3.0]], [[5.0]]) -> (array([[-1.], [ 1.]]), array([[3.]]))
    """
    # TODO: raise ValueError if X_train is empty or not 2-D, or X_test is not 2-D with the same number of columns.
    raise NotImplementedError


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """An integer (n_classes, n_classes) array: entry [i, j] counts the examples of class i predicted as j.

    Empty label arrays give a matrix of zeros.
    Example: confusion_matrix([0, 1, 1], [0, 0, 1], 2) -> array([[1, 0], [1, 1]])
    """
    # TODO: raise ValueError if a label is not an integer in [0, n_classes) or the lengths differ.
    # Careful: counts[y_true, y_pred] += 1 counts a repeated (true, predicted) pair only once.
    raise NotImplementedError


def poly_train_val_mse(x_train, y_train, x_val, y_val, degrees) -> tuple[np.ndarray, np.ndarray]:
    """(train_mse, val_mse), each (len(degrees),): fit a least-squares polynomial of each degree to the
    training points, and report its mean squared error on the training and on the validation points.

    A degree needs at least degree + 1 training points. np.polyfit or np.linalg.lstsq are fine.
    Example: poly_train_val_mse([0.0, 1.0, 2.0], [0.0, 1.0, 4.0], [3.0], [9.0], [0, 1])
    -> (array([2.88888889, 0.22222222]), array([53.77777778, 11.11111111]))
    """
    # TODO: raise ValueError if a degree is negative or needs more training points than there are, or if
    # x and y lengths differ.
    raise NotImplementedError


def softmax_regression_fit(X, y, n_classes: int, lr: float = 0.5,
                           epochs: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """(W (d, n_classes), b (n_classes,)) after `epochs` full-batch gradient-descent steps on the mean
    cross-entropy of softmax(X W + b) against y.

    Start from W = 0, b = 0. Each step: P = softmax(X W + b) row-wise, G = (P - onehot(y)) / N,
    then W -= lr X^T G and b -= lr (sum of G's rows). X is (N, d), y (N,) integer labels.
    Example: softmax_regression_fit([[1.0], [-1.0]], [0, 1], 2, lr=0.5, epochs=1)
    -> (array([[ 0.25, -0.25]]), array([0., 0.]))
    """
    # TODO: raise ValueError if X is not 2-D, y does not hold one label per row, or a label is not an integer
    # in [0, n_classes). You need a softmax: write one here (yours from the softmax topic is exactly right).
    raise NotImplementedError


def softmax_regression_predict(X, W, b) -> np.ndarray:
    """The predicted class of each row of X (N, d): an integer array (N,), the argmax of X W + b (first on a tie).

    Example: softmax_regression_predict([[2.0], [-3.0]], [[1.0, -1.0]], [0.0, 0.0]) -> array([0, 1])
    """
    # TODO
    raise NotImplementedError
