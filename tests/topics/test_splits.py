"""The splits reference against scikit-learn (an independent oracle), the Iris data, and forbidden calls."""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from sklearn.datasets import load_iris as sklearn_iris
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import StandardScaler

from helpers import SOLUTIONS, grade, submit
from grader.course.datasets import load_iris
from grader.judging.checks import Reference

ref = Reference("splits")


@given(st.integers(2, 200), st.floats(0.0, 0.45), st.floats(0.01, 0.45), st.integers(0, 2**32 - 1))
def test_split_sizes_follow_sklearn_train_test_split(n, val_frac, test_frac, seed):
    n_test, n_val = math.ceil(test_frac * n), math.ceil(val_frac * n)
    assume(n - n_test - n_val >= 1)
    train, val, test = ref.train_val_test_split(n, val_frac, test_frac, seed=seed)
    # sklearn's convention for one held-out part: ceil(frac * n), for the test and the validation fraction alike
    assert len(test) == len(train_test_split(np.arange(n), test_size=test_frac, random_state=0)[1])
    if val_frac > 0:
        assert len(val) == len(train_test_split(np.arange(n), test_size=val_frac, random_state=0)[1])
    assert np.array_equal(np.sort(np.concatenate([train, val, test])), np.arange(n))


@given(nps.arrays(np.int64, st.integers(2, 60), elements=st.integers(0, 3)), st.floats(0.0, 0.3), st.floats(0.0, 0.3),
       st.integers(0, 100))
def test_stratified_split_keeps_every_class_within_one_of_its_share(labels, val_frac, test_frac, seed):
    counts = np.bincount(labels)
    assume(all(c - math.ceil(test_frac * c) - math.ceil(val_frac * c) >= 1 for c in counts if c))
    parts = ref.train_val_test_split(len(labels), val_frac, test_frac, seed=seed, stratify=labels)
    for frac, part in ((val_frac, parts[1]), (test_frac, parts[2])):
        got = np.bincount(labels[part], minlength=len(counts))
        assert np.all(np.abs(got - frac * counts) <= 1)  # ceil: never a whole example off


@given(st.integers(2, 60), st.data())
def test_kfold_matches_sklearn_kfold(n, data):
    k = data.draw(st.integers(2, n))
    ours = ref.kfold_indices(n, k)
    theirs = list(KFold(n_splits=k).split(np.arange(n)))
    assert len(ours) == len(theirs)
    for (train, val), (sk_train, sk_val) in zip(ours, theirs):
        assert np.array_equal(train, sk_train) and np.array_equal(val, sk_val)


@given(nps.arrays(np.float64, st.tuples(st.integers(2, 10), st.integers(1, 4)), elements=st.floats(-1e3, 1e3)),
       st.data())
def test_standardize_matches_sklearn_standard_scaler(X_train, data):
    X_test = data.draw(nps.arrays(np.float64, (3, X_train.shape[1]), elements=st.floats(-1e3, 1e3)))
    assume(np.all((X_train.std(axis=0) == 0) | (X_train.std(axis=0) > 1e-6 * (1 + np.abs(X_train).max(axis=0)))))
    scaler = StandardScaler().fit(X_train)
    z_train, z_test = ref.standardize(X_train, X_test)
    np.testing.assert_allclose(z_train, scaler.transform(X_train), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(z_test, scaler.transform(X_test), rtol=1e-9, atol=1e-9)


@given(st.integers(1, 5).flatmap(lambda c: st.tuples(
    st.just(c), st.lists(st.tuples(st.integers(0, c - 1), st.integers(0, c - 1)), max_size=30))))
def test_confusion_matrix_matches_sklearn(case):
    c, pairs = case
    y_true = np.array([t for t, _ in pairs], dtype=np.int64)
    y_pred = np.array([p for _, p in pairs], dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "a single label was found": labels= is given, so the shape is right
        expected = sk_confusion_matrix(y_true, y_pred, labels=list(range(c))) if pairs else np.zeros((c, c))
    np.testing.assert_array_equal(ref.confusion_matrix(y_true, y_pred, c), expected)


@given(st.integers(0, 2**32 - 1), st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
def test_poly_errors_match_numpy_polyfit(seed, degrees):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, 12)) + np.arange(12) * 0.05
    y = np.sin(x) + 0.1 * rng.standard_normal(12)
    xv = rng.uniform(-3, 3, 5)
    yv = np.sin(xv)
    train_mse, val_mse = ref.poly_train_val_mse(x, y, xv, yv, degrees)
    for i, d in enumerate(degrees):
        coef = np.polyfit(x, y, d)
        assert np.isclose(train_mse[i], np.mean((np.polyval(coef, x) - y) ** 2), rtol=1e-8, atol=1e-14)
        assert np.isclose(val_mse[i], np.mean((np.polyval(coef, xv) - yv) ** 2), rtol=1e-8, atol=1e-14)


@settings(max_examples=30)  # each example runs torch autograd for up to 20 steps
@given(st.integers(0, 2**32 - 1), st.integers(1, 20))
def test_softmax_regression_steps_match_torch_sgd_on_cross_entropy(seed, epochs):
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((15, 3)), rng.integers(0, 4, 15)
    W_ref, b_ref = ref.softmax_regression_fit(X, y, 4, lr=0.3, epochs=epochs)
    W = torch.zeros((3, 4), dtype=torch.float64, requires_grad=True)
    b = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=0.3)
    for _ in range(epochs):
        optimizer.zero_grad()
        F.cross_entropy(torch.from_numpy(X) @ W + b, torch.from_numpy(y)).backward()
        optimizer.step()
    np.testing.assert_allclose(W_ref, W.detach().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b_ref, b.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_the_shipped_iris_is_sklearns_iris():
    X, y = load_iris()
    theirs = sklearn_iris()
    assert np.array_equal(X, theirs.data) and np.array_equal(y, theirs.target)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_the_iris_csv_is_package_data():
    import tomllib

    from helpers import ROOT

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["grader.course"]
    assert "data/*.csv" in data


@pytest.mark.parametrize("seed", range(10))
def test_the_reference_classifies_held_out_iris_with_accuracy_at_least_0_9(seed):
    X, y = load_iris()
    train, _, test = ref.train_val_test_split(150, 0.0, 0.2, seed=seed, stratify=y)
    z_train, z_test = ref.standardize(X[train], X[test])
    W, b = ref.softmax_regression_fit(z_train, y[train], 3)
    assert np.mean(ref.softmax_regression_predict(z_test, W, b) == y[test]) >= 0.9


def test_sklearn_is_forbidden(tmp_path):
    source = (SOLUTIONS / "splits.py").read_text() + (
        "\n\ndef kfold_indices(n, k):\n    from sklearn.model_selection import KFold\n"
        "    return list(KFold(k).split(np.arange(n)))\n")
    result = grade("splits", submit(tmp_path, "splits", source))
    assert {c.status for c in result.checks if c.function == "kfold_indices"} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function != "kfold_indices")


# ---------------------------------------------------------------- the quiz bank

def _quiz_expectations():
    return {
        "test_part_size": lambda p: len(train_test_split(np.arange(p["n"]), test_size=p["test_frac"])[1]),
        "first_fold_size": lambda p: len(next(iter(KFold(n_splits=p["k"]).split(np.arange(p["n"]))))[1]),
        "standardized_test_value": lambda p: float(StandardScaler().fit(np.array(p["column"], float)[:, None])
                                                   .transform([[p["x"]]])[0, 0]),
        "confusion_entry": lambda p: int(sk_confusion_matrix(p["y_true"], p["y_pred"],
                                                             labels=[0, 1, 2])[p["i"], p["j"]]),
        "weight_shape": lambda p: (p["d"], p["c"]),
    }


def test_the_quiz_bank_is_well_formed_and_its_answers_match_independent_formulas():
    from bank_checks import PARAMETERIZED, check_bank, check_variant, variants
    from grader.quizzes.splits import QUESTIONS

    check_bank(QUESTIONS)
    expectations = _quiz_expectations()
    parameterized = [q for q in QUESTIONS if isinstance(q, PARAMETERIZED)]
    assert {q.id for q in parameterized} == set(expectations)
    for question in parameterized:
        for _, variant in variants(question, "splits"):
            check_variant(question, variant, expectations[question.id](variant.parameters))
