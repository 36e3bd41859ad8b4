"""Checks for splits, k-fold, standardisation, confusion matrices, polynomial degree vs error, and a
softmax-regression Iris classifier (CATALOG A5, topic splits)."""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.course.datasets import load_iris
from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_finite, expect_unchanged,
                                   expect_value_error, tuple_contract)

SPEC = Spec(
    "splits",
    functions=("train_val_test_split", "kfold_indices", "standardize", "confusion_matrix", "poly_train_val_mse",
               "softmax_regression_fit", "softmax_regression_predict"),
    forbidden=("sklearn", "torch", "scipy.special", "statsmodels", "jax"),
    forbidden_methods=("softmax", "log_softmax"),
)
ref = SPEC.reference

FRACTION = st.floats(0.0, 0.45)
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def _leaves_training(n_members, val_frac, test_frac) -> bool:
    return n_members - math.ceil(test_frac * n_members) - math.ceil(val_frac * n_members) >= 1


@st.composite
def split_case(draw, stratified=st.booleans()):
    n = draw(st.integers(1, 40))
    val_frac, test_frac = draw(FRACTION), draw(FRACTION)
    labels = draw(nps.arrays(np.int64, n, elements=st.integers(0, 2))) if draw(stratified) else None
    groups = [n] if labels is None else np.bincount(labels).tolist()
    if not all(_leaves_training(c, val_frac, test_frac) for c in groups if c):
        val_frac = test_frac = 0.0  # keep the draw valid: shrinking still reaches small fractions
    return {"n": n, "val_frac": val_frac, "test_frac": test_frac, "seed": draw(st.integers(0, 2**32 - 1)),
            "stratify": labels}


def index_parts(value, n=None):
    """(train, val, test) as integer arrays, whatever sequence they came in."""
    parts = tuple_contract(value, 3)
    out = []
    for name, part in zip(("train", "val", "test"), parts):
        array = np.asarray(part)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise Failure(f"the {name} part is not a 1-D array of integer indices", got=part)
        out.append(array.astype(np.int64))
    return out


def expect_partition(parts, n, what="the three parts"):
    joined = np.sort(np.concatenate(parts))
    if joined.shape != (n,) or not np.array_equal(joined, np.arange(n)):
        repeated = joined.size - np.unique(joined).size
        detail = (f"{repeated} index(es) appear twice" if repeated else
                  f"together they hold {joined.size} indices, not each of range({n}) once")
        raise Failure(f"{what} do not partition range({n}): {detail}",
                      expected=render.describe(f"every index 0 .. {n - 1} in exactly one part"), got=parts)


FOLDS = st.integers(2, 30).flatmap(lambda n: st.fixed_dictionaries({"n": st.just(n), "k": st.integers(2, n)}))


def _sizes(n, val_frac, test_frac):
    n_test, n_val = math.ceil(test_frac * n), math.ceil(val_frac * n)
    return n - n_test - n_val, n_val, n_test


# ---------------------------------------------------------------- contract

@SPEC.check("train_val_test_split", tier="contract", points=1,
            title="train_val_test_split returns three 1-D integer index arrays and leaves stratify unchanged",
            examples=[dict(n=10, val_frac=0.2, test_frac=0.3, seed=0, stratify=None),
                      dict(n=6, val_frac=0.0, test_frac=0.5, seed=3, stratify=np.array([0, 1, 0, 1, 0, 1]))])
def split_returns_index_arrays(learner, n, val_frac, test_frac, seed, stratify):
    value, after = learner.value_and_arguments_after("train_val_test_split", n=n, val_frac=val_frac,
                                                     test_frac=test_frac, seed=seed, stratify=stratify)
    for name, part in zip(("train", "val", "test"), tuple_contract(value, 3)):
        if not isinstance(part, np.ndarray) or part.ndim != 1 or part.dtype.kind not in "iu":
            raise Failure(f"the {name} part is {render.kind(part)}; expected a 1-D numpy array of integers",
                          expected=render.describe("three 1-D integer numpy arrays"), got=value)
    if stratify is not None:
        expect_unchanged({"stratify": stratify}, after, function="train_val_test_split")


@SPEC.check("train_val_test_split", tier="contract", points=2,
            title="train_val_test_split raises ValueError for fractions outside [0, 1), no training data left, "
                  "or stratify of the wrong length",
            examples=[dict(n=10, val_frac=1.0, test_frac=0.0, stratify=None, why="val_frac = 1"),
                      dict(n=10, val_frac=0.2, test_frac=-0.1, stratify=None, why="test_frac = -0.1"),
                      dict(n=3, val_frac=0.4, test_frac=0.4, stratify=None,
                           why="n = 3 with fractions 0.4 + 0.4 (ceil gives 2 + 2 held out)"),
                      dict(n=0, val_frac=0.2, test_frac=0.2, stratify=None, why="n = 0"),
                      dict(n=4, val_frac=0.0, test_frac=0.25, stratify=np.array([0, 1, 0]),
                           why="3 stratify labels for n = 4"),
                      dict(n=5, val_frac=0.2, test_frac=0.2, stratify=np.array([0, 0, 0, 0, 1]),
                           why="stratify with a class of 1 member and fractions 0.2 + 0.2")])
def split_rejects_bad_input(learner, n, val_frac, test_frac, stratify, why):
    outcome = learner.outcome("train_val_test_split", n=n, val_frac=val_frac, test_frac=test_frac, seed=0,
                              stratify=stratify)
    expect_value_error(outcome, bad=why)


@SPEC.check("kfold_indices", tier="contract", points=1,
            title="kfold_indices returns k (train, val) pairs of integer arrays; ValueError unless 2 <= k <= n",
            examples=[dict(n=5, k=2, why=None), dict(n=7, k=7, why=None), dict(n=5, k=1, why="k = 1"),
                      dict(n=3, k=4, why="k = 4 > n = 3"), dict(n=5, k=0, why="k = 0")])
def kfold_returns_pairs(learner, n, k, why):
    if why is not None:
        expect_value_error(learner.outcome("kfold_indices", n=n, k=k), bad=why)
        return
    value = learner.kfold_indices(n=n, k=k)
    if not isinstance(value, (list, tuple)) or len(value) != k:
        raise Failure(f"kfold_indices({n}, {k}) returned {render.kind(value)}; expected a list of {k} pairs",
                      expected=render.describe(f"a list of {k} (train, val) pairs"), got=value)
    for i, pair in enumerate(value):
        for name, part in zip(("train", "val"), tuple_contract(pair, 2, what=f"fold {i}")):
            if not isinstance(part, np.ndarray) or part.ndim != 1 or part.dtype.kind not in "iu":
                raise Failure(f"the {name} array of fold {i} is {render.kind(part)}; expected a 1-D integer "
                              f"numpy array", got=value)


@SPEC.check("standardize", tier="contract", points=1,
            title="standardize returns two float64 arrays shaped like its inputs and leaves them unchanged",
            examples=[dict(X_train=np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 4.0]]), X_test=np.array([[0.0, 1.0]])),
                      dict(X_train=np.array([[1.0], [3.0]]), X_test=np.zeros((0, 1)))])
def standardize_returns_float64_arrays(learner, X_train, X_test):
    value, after = learner.value_and_arguments_after("standardize", X_train=X_train, X_test=X_test)
    z_train, z_test = tuple_contract(value, 2)
    array_contract(z_train, shape=X_train.shape, what="Z_train")
    array_contract(z_test, shape=X_test.shape, what="Z_test")
    expect_unchanged({"X_train": X_train, "X_test": X_test}, after, function="standardize")


@SPEC.check("standardize", tier="contract", points=1,
            title="standardize raises ValueError when X_test's columns do not match X_train's, or X_train is empty",
            examples=[dict(X_train=np.ones((3, 2)), X_test=np.ones((1, 3)),
                           why="2 training columns and 3 test columns"),
                      dict(X_train=np.zeros((0, 2)), X_test=np.ones((1, 2)), why="an empty X_train")])
def standardize_rejects_bad_input(learner, X_train, X_test, why):
    expect_value_error(learner.outcome("standardize", X_train=X_train, X_test=X_test), bad=why)


@SPEC.check("confusion_matrix", tier="contract", points=1,
            title="confusion_matrix returns an integer (n_classes, n_classes) array",
            examples=[dict(y_true=np.array([0, 1, 1]), y_pred=np.array([0, 0, 1]), n_classes=2),
                      dict(y_true=np.array([2, 2]), y_pred=np.array([0, 2]), n_classes=4)])
def confusion_matrix_returns_integer_array(learner, y_true, y_pred, n_classes):
    value = learner.confusion_matrix(y_true=y_true, y_pred=y_pred, n_classes=n_classes)
    if not isinstance(value, np.ndarray) or value.shape != (n_classes, n_classes) or value.dtype.kind not in "iu":
        raise Failure(f"the result is {render.kind(value)}; expected an integer numpy array of shape "
                      f"({n_classes}, {n_classes})", got=value)


@SPEC.check("confusion_matrix", tier="contract", points=1,
            title="confusion_matrix raises ValueError for labels outside [0, n_classes), float labels, "
                  "or lengths that differ",
            examples=[dict(y_true=[0, 2], y_pred=[0, 1], n_classes=2, why="a true label of 2 with n_classes = 2"),
                      dict(y_true=[0, 1], y_pred=[-1, 1], n_classes=2, why="a predicted label of -1"),
                      dict(y_true=np.array([0.5, 1.0]), y_pred=[0, 1], n_classes=2, why="a label of 0.5"),
                      dict(y_true=[0, 1, 1], y_pred=[0, 1], n_classes=2, why="3 true labels and 2 predictions")])
def confusion_matrix_rejects_bad_input(learner, y_true, y_pred, n_classes, why):
    expect_value_error(learner.outcome("confusion_matrix", y_true=y_true, y_pred=y_pred, n_classes=n_classes),
                       bad=why)


@SPEC.check("poly_train_val_mse", tier="contract", points=1,
            title="poly_train_val_mse returns two float64 arrays of len(degrees); ValueError for a degree that "
                  "needs more points than there are",
            examples=[dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([0.0, 1.0, 4.0]), x_val=np.array([3.0]),
                           y_val=np.array([9.0]), degrees=[0, 1], why=None),
                      dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([0.0, 1.0, 4.0]), x_val=np.array([3.0]),
                           y_val=np.array([9.0]), degrees=[1, 3], why="degree 3 from 3 training points"),
                      dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([0.0, 1.0, 4.0]), x_val=np.array([3.0]),
                           y_val=np.array([9.0]), degrees=[-1], why="degree -1")])
def poly_returns_two_arrays(learner, x_train, y_train, x_val, y_val, degrees, why):
    kwargs = dict(x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val, degrees=degrees)
    if why is not None:
        expect_value_error(learner.outcome("poly_train_val_mse", **kwargs), bad=why)
        return
    train_mse, val_mse = tuple_contract(learner.poly_train_val_mse(**kwargs), 2)
    array_contract(train_mse, shape=(len(degrees),), what="train_mse")
    array_contract(val_mse, shape=(len(degrees),), what="val_mse")


@SPEC.check("softmax_regression_fit", tier="contract", points=1,
            title="softmax_regression_fit returns W (d, C) and b (C,) as float64 arrays; ValueError for a bad label",
            examples=[dict(X=np.array([[1.0], [-1.0]]), y=np.array([0, 1]), n_classes=2, why=None),
                      dict(X=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), y=np.array([2, 0, 1]), n_classes=4,
                           why=None),
                      dict(X=np.array([[1.0], [-1.0]]), y=np.array([0, 2]), n_classes=2,
                           why="a label of 2 with 2 classes"),
                      dict(X=np.array([[1.0], [-1.0]]), y=np.array([0, 1, 1]), n_classes=2, why="3 labels for 2 rows")])
def fit_returns_weights(learner, X, y, n_classes, why):
    if why is not None:
        expect_value_error(learner.outcome("softmax_regression_fit", X=X, y=y, n_classes=n_classes, lr=0.1, epochs=5),
                           bad=why)
        return
    W, b = tuple_contract(learner.softmax_regression_fit(X=X, y=y, n_classes=n_classes, lr=0.1, epochs=5), 2)
    array_contract(W, shape=(X.shape[1], n_classes), what="W")
    array_contract(b, shape=(n_classes,), what="b")


@SPEC.check("softmax_regression_predict", tier="contract", points=1,
            title="softmax_regression_predict returns an integer array with one class per row",
            examples=[dict(X=np.array([[2.0], [-3.0]]), W=np.array([[1.0, -1.0]]), b=np.array([0.0, 0.0])),
                      dict(X=np.zeros((3, 2)), W=np.ones((2, 4)), b=np.array([0.0, 1.0, 0.5, 1.0]))])
def predict_returns_integer_array(learner, X, W, b):
    value = learner.softmax_regression_predict(X=X, W=W, b=b)
    if not isinstance(value, np.ndarray) or value.shape != (X.shape[0],) or value.dtype.kind not in "iu":
        raise Failure(f"the result is {render.kind(value)}; expected an integer numpy array of shape ({X.shape[0]},)",
                      got=value)


# ---------------------------------------------------------------- properties

@SPEC.check("train_val_test_split", tier="properties", points=2,
            title="the three parts partition range(n), with ceil(test_frac n) test and ceil(val_frac n) "
                  "validation indices", given=split_case(stratified=st.just(False)),
            examples=[dict(n=10, val_frac=0.2, test_frac=0.3, seed=0, stratify=None),
                      dict(n=10, val_frac=0.5, test_frac=0.3, seed=1, stratify=None),
                      dict(n=7, val_frac=0.1, test_frac=0.25, seed=2, stratify=None)])
def split_partitions_with_ceil_sizes(learner, n, val_frac, test_frac, seed, stratify):
    parts = index_parts(learner.train_val_test_split(n=n, val_frac=val_frac, test_frac=test_frac, seed=seed))
    expect_partition(parts, n)
    got, want = tuple(p.size for p in parts), _sizes(n, val_frac, test_frac)
    if got != want:
        raise Failure(f"the parts have sizes (train, val, test) = {got}; with n = {n}, val_frac = {val_frac!r} "
                      f"and test_frac = {test_frac!r} they should be {want} (ceil for the held-out parts)",
                      expected=render.describe(f"sizes {want}"), got=render.describe(f"sizes {got}"))


SEEDS = tuple(range(8))


@SPEC.check("train_val_test_split", tier="properties", points=2,
            title="the split is shuffled by the seed: the same seed gives the same split, different seeds "
                  "different ones", examples=[dict(n=30, stratify=None), dict(n=12, stratify=np.arange(12) % 2)])
def split_is_shuffled_by_the_seed(learner, n, stratify):
    tests = []
    for seed in SEEDS:
        first = index_parts(learner.train_val_test_split(n=n, val_frac=0.2, test_frac=0.25, seed=seed,
                                                         stratify=stratify))
        again = index_parts(learner.train_val_test_split(n=n, val_frac=0.2, test_frac=0.25, seed=seed,
                                                         stratify=stratify))
        if not all(np.array_equal(np.sort(a), np.sort(b)) for a, b in zip(first, again)):
            raise Failure(f"two calls with seed = {seed} gave different splits", got=(first, again))
        tests.append(tuple(np.sort(first[2]).tolist()))
    if len(set(tests)) == 1:
        raise Failure(f"seeds {SEEDS[0]} to {SEEDS[-1]} all give the same test part {list(tests[0])}: shuffle with "
                      f"np.random.default_rng(seed)",
                      expected=render.describe("different test parts for different seeds"),
                      got=render.describe(f"test = {list(tests[0])} for every seed"))


@SPEC.check("train_val_test_split", tier="properties", points=2,
            title="with stratify, each class is split on its own by the same ceil rule",
            given=split_case(stratified=st.just(True)),
            examples=[dict(n=12, val_frac=0.25, test_frac=0.25, seed=0, stratify=np.array([0] * 8 + [1] * 4)),
                      dict(n=9, val_frac=0.0, test_frac=0.3, seed=5, stratify=np.array([2, 0, 2, 0, 2, 0, 2, 0, 2]))])
def split_keeps_class_proportions(learner, n, val_frac, test_frac, seed, stratify):
    parts = index_parts(learner.train_val_test_split(n=n, val_frac=val_frac, test_frac=test_frac, seed=seed,
                                                     stratify=stratify))
    expect_partition(parts, n)
    for label in np.unique(stratify):
        members = int(np.sum(stratify == label))
        got = tuple(int(np.sum(stratify[p] == label)) for p in parts)
        want = _sizes(members, val_frac, test_frac)
        if got != want:
            raise Failure(f"class {int(label)} ({members} members) has (train, val, test) = {got}; it should be "
                          f"{want}, its own ceil(val_frac * {members}) and ceil(test_frac * {members})",
                          expected=render.describe(f"class {int(label)} counts {want}"),
                          got=render.describe(f"class {int(label)} counts {got}"))


@SPEC.check("kfold_indices", tier="properties", points=2,
            title="the validation folds partition range(n), differ in size by at most 1, and each train is the rest",
            given=FOLDS,
            examples=[dict(n=10, k=3), dict(n=5, k=5)])
def kfold_partitions(learner, n, k):
    folds = learner.kfold_indices(n=n, k=k)
    if not isinstance(folds, (list, tuple)) or len(folds) != k:
        raise Failure(f"expected {k} folds", got=folds)
    vals = []
    for i, pair in enumerate(folds):
        train, val = (np.asarray(part).astype(np.int64) for part in tuple_contract(pair, 2, what=f"fold {i}"))
        if not np.array_equal(np.sort(np.concatenate([train, val])), np.arange(n)):
            raise Failure(f"fold {i}: train and val together are not range({n}), each index once", got=pair)
        vals.append(val)
    expect_partition(vals, n, what="the validation folds")
    sizes = [v.size for v in vals]
    if max(sizes) - min(sizes) > 1:
        raise Failure(f"the validation folds have sizes {sizes}; they may differ by at most 1",
                      expected=render.describe("sizes that differ by at most 1"), got=render.describe(f"sizes {sizes}"))


@st.composite
def feature_matrices(draw):
    d = draw(st.integers(1, 4))
    train = draw(nps.arrays(np.float64, (draw(st.integers(2, 8)), d), elements=st.floats(-100, 100)))
    test = draw(nps.arrays(np.float64, (draw(st.integers(0, 5)), d), elements=st.floats(-100, 100)))
    return {"X_train": train, "X_test": test}


def spread_out(case):
    """Every training column varies (by more than rounding): the equal-column rule is tested on its own."""
    X = case["X_train"]
    return bool(np.all(X.std(axis=0) > 1e-6 * (1.0 + np.abs(X).max(axis=0))))


@SPEC.check("standardize", tier="properties", points=2,
            title="each column of Z_train has mean 0 and standard deviation 1",
            given=feature_matrices().filter(spread_out),
            examples=[dict(X_train=np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 4.0]]), X_test=np.array([[0.0, 1.0]]))])
def standardize_centres_and_scales_training_columns(learner, X_train, X_test):
    z_train, _ = tuple_contract(learner.standardize(X_train=X_train, X_test=X_test), 2)
    z_train = as_array(z_train, shape=X_train.shape, what="Z_train")
    expect_close(z_train.mean(axis=0), np.zeros(X_train.shape[1]), rtol=0, atol=1e-9,
                 what="the column means of Z_train")
    expect_close(z_train.std(axis=0), np.ones(X_train.shape[1]), rtol=1e-9, atol=1e-9,
                 what="the column standard deviations of Z_train (dividing by n)")


@SPEC.check("standardize", tier="properties", points=2,
            title="no leakage: Z_train does not depend on X_test, and test rows equal to training rows get "
                  "the same values",
            given=feature_matrices().filter(spread_out),
            examples=[dict(X_train=np.array([[1.0], [2.0], [3.0]]), X_test=np.array([[100.0], [-50.0]]))])
def standardize_does_not_leak(learner, X_train, X_test):
    other = np.concatenate([X_test, X_train]) * 3.0 + 7.0  # another test set, and X_train's rows inside it
    z_train, z_test = (as_array(z) for z in tuple_contract(learner.standardize(X_train=X_train, X_test=X_test), 2))
    z_train2, z_other = (as_array(z) for z in tuple_contract(learner.standardize(X_train=X_train, X_test=X_train), 2))
    expect_close(z_train2, z_train, rtol=1e-12, atol=1e-12,
                 what="Z_train when X_test is X_train itself (it must not change with X_test)")
    expect_close(z_other, z_train, rtol=1e-9, atol=1e-9, what="Z_test for X_test = X_train (it must equal Z_train)")
    z_train3, _ = (as_array(z) for z in tuple_contract(learner.standardize(X_train=X_train, X_test=other), 2))
    expect_close(z_train3, z_train, rtol=1e-12, atol=1e-12, what="Z_train with another X_test")


@st.composite
def label_pairs(draw):
    c, n = draw(st.integers(1, 4)), draw(st.integers(0, 12))
    labels = nps.arrays(np.int64, n, elements=st.integers(0, c - 1))
    return {"y_true": draw(labels), "y_pred": draw(labels), "n_classes": c}


@SPEC.check("confusion_matrix", tier="properties", points=2,
            title="row i adds up to the number of true labels i, column j to the number of predictions j",
            given=label_pairs(),
            examples=[dict(y_true=np.array([0, 0, 1, 1, 1]), y_pred=np.array([1, 1, 1, 0, 1]), n_classes=3)])
def confusion_matrix_margins_count_labels(learner, y_true, y_pred, n_classes):
    cm = as_array(learner.confusion_matrix(y_true=y_true, y_pred=y_pred, n_classes=n_classes),
                  shape=(n_classes, n_classes))
    expect_close(cm.sum(axis=1), np.bincount(y_true, minlength=n_classes), rtol=0, atol=0,
                 what="the row sums (true labels per class)")
    expect_close(cm.sum(axis=0), np.bincount(y_pred, minlength=n_classes), rtol=0, atol=0,
                 what="the column sums (predictions per class)")


@st.composite
def poly_case(draw, max_degree=4):
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(max_degree + 2, 15))
    x_train = np.sort(rng.uniform(-2.0, 2.0, n))
    x_train += np.arange(n) * 0.05  # keeps points apart: a well-conditioned fit
    coef = draw(nps.arrays(np.float64, 3, elements=st.floats(-5.0, 5.0)))
    noise = draw(st.floats(0.0, 2.0))
    y_train = np.polyval(coef, x_train) + noise * rng.standard_normal(n)
    x_val = rng.uniform(-2.0, 2.0, draw(st.integers(1, 6)))
    degrees = sorted(set(draw(st.lists(st.integers(0, max_degree), min_size=1, max_size=5))))
    return {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": np.polyval(coef, x_val),
            "degrees": degrees}


def mse_tolerance(y) -> float:
    return 1e-9 * (1.0 + float(np.mean(np.asarray(y) ** 2)))


@SPEC.check("poly_train_val_mse", tier="properties", points=2,
            title="the training error never goes up as the degree goes up", given=poly_case(),
            examples=[dict(x_train=np.array([0.0, 1.0, 2.0, 3.0]), y_train=np.array([1.0, 0.0, 2.0, 1.5]),
                           x_val=np.array([1.5]), y_val=np.array([1.0]), degrees=[0, 1, 2, 3])])
def poly_training_error_decreases_with_degree(learner, x_train, y_train, x_val, y_val, degrees):
    train_mse, _ = tuple_contract(learner.poly_train_val_mse(x_train=x_train, y_train=y_train, x_val=x_val,
                                                             y_val=y_val, degrees=degrees), 2)
    train_mse = as_array(train_mse, shape=(len(degrees),), what="train_mse")
    expect_finite(train_mse, what="train_mse")
    rises = np.flatnonzero(np.diff(train_mse) > mse_tolerance(y_train))
    if rises.size:
        i = int(rises[0])
        raise Failure(f"the training MSE goes up from degree {degrees[i]} ({train_mse[i]!r}) to degree "
                      f"{degrees[i + 1]} ({train_mse[i + 1]!r}); a higher degree can always fit at least as well",
                      expected=render.describe("a non-increasing training MSE"), got=train_mse)


@SPEC.check("poly_train_val_mse", tier="properties", points=1,
            title="adding a constant to every y (train and val) changes no error; scaling y by a scales them by a^2",
            given=st.tuples(poly_case(), st.floats(-100.0, 100.0), st.floats(0.1, 10.0)).map(
                lambda t: {**t[0], "shift": t[1], "scale": t[2]}),
            examples=[dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([0.0, 1.0, 4.0]), x_val=np.array([3.0]),
                           y_val=np.array([9.0]), degrees=[0, 1], shift=10.0, scale=2.0)])
def poly_errors_follow_y(learner, x_train, y_train, x_val, y_val, degrees, shift, scale):
    def errors(yt, yv):
        pair = tuple_contract(learner.poly_train_val_mse(x_train=x_train, y_train=yt, x_val=x_val, y_val=yv,
                                                         degrees=degrees), 2)
        return [as_array(p, shape=(len(degrees),)) for p in pair]

    train_mse, val_mse = errors(y_train, y_val)
    moved = errors(scale * y_train + shift, scale * y_val + shift)
    tol = mse_tolerance(scale * y_train + shift) + mse_tolerance(scale * y_val + shift)
    expect_close(moved[0], scale**2 * train_mse, rtol=1e-6, atol=tol,
                 what=f"train_mse for {scale!r} * y + {shift!r} (a^2 times your train_mse for y)")
    expect_close(moved[1], scale**2 * val_mse, rtol=1e-6, atol=tol,
                 what=f"val_mse for {scale!r} * y + {shift!r} (a^2 times your val_mse for y)")


@st.composite
def fit_case(draw):
    n, d, c = draw(st.integers(2, 12)), draw(st.integers(1, 3)), draw(st.integers(2, 4))
    return {"X": draw(nps.arrays(np.float64, (n, d), elements=st.floats(-2.0, 2.0))),
            "y": draw(nps.arrays(np.int64, n, elements=st.integers(0, c - 1))), "n_classes": c,
            "lr": draw(st.floats(0.01, 0.5)), "epochs": draw(st.integers(0, 30))}


@SPEC.check("softmax_regression_fit", tier="properties", points=2,
            title="renaming the classes (a permutation of labels) permutes the columns of W and b",
            given=fit_case().flatmap(lambda case: st.permutations(range(case["n_classes"])).map(
                lambda order: {**case, "order": np.array(order)})),
            examples=[dict(X=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), y=np.array([0, 1, 2]), n_classes=3, lr=0.3,
                           epochs=10, order=np.array([2, 0, 1]))])
def fit_is_equivariant_to_relabelling(learner, X, y, n_classes, lr, epochs, order):
    W, b = (as_array(v) for v in tuple_contract(learner.softmax_regression_fit(X=X, y=y, n_classes=n_classes, lr=lr,
                                                                               epochs=epochs), 2))
    # new label order[j] is old class j: column order[j] of the new W is column j of the old one
    W2, b2 = (as_array(v) for v in tuple_contract(learner.softmax_regression_fit(X=X, y=order[y], n_classes=n_classes,
                                                                                 lr=lr, epochs=epochs), 2))
    expect_close(W2[:, order], W, rtol=1e-9, atol=1e-12, what="W for the renamed classes (columns put back)")
    expect_close(b2[order], b, rtol=1e-9, atol=1e-12, what="b for the renamed classes (entries put back)")


IRIS_SEEDS = (0, 1, 2, 3, 4)  # five stratified 80/20 splits


@SPEC.check("softmax_regression_fit", tier="properties", points=3,
            title="trained on standardised Iris (lr=0.5, 300 epochs), it classifies held-out flowers with mean "
                  "accuracy >= 0.9 over five splits", examples=[dict(lr=0.5, epochs=300)])
def fit_classifies_iris(learner, lr, epochs):
    X, y = load_iris()
    accuracies = []
    for seed in IRIS_SEEDS:
        train, _, test = ref.train_val_test_split(len(y), 0.0, 0.2, seed=seed, stratify=y)
        z_train, z_test = ref.standardize(X[train], X[test])
        W, b = tuple_contract(learner.softmax_regression_fit(X=z_train, y=y[train], n_classes=3, lr=lr,
                                                             epochs=epochs), 2)
        W, b = as_array(W, shape=(4, 3), what="W"), as_array(b, shape=(3,), what="b")
        accuracies.append(float(np.mean(ref.softmax_regression_predict(z_test, W, b) == y[test])))
    if not np.mean(accuracies) >= 0.9:
        raise Failure(f"held-out accuracies {[round(a, 3) for a in accuracies]}: mean {np.mean(accuracies):.3f} < 0.9",
                      expected=render.describe("a mean accuracy >= 0.9 (the reference gets about 0.96)"),
                      got=render.describe(f"mean accuracy {np.mean(accuracies):.3f}"))


@SPEC.check("softmax_regression_predict", tier="properties", points=1,
            title="adding the same constant to every entry of b changes no prediction",
            given=st.builds(lambda X, W, b, c: {"X": X, "W": W, "b": b, "c": c},
                            nps.arrays(np.float64, (5, 2), elements=st.floats(-5, 5)),
                            nps.arrays(np.float64, (2, 3), elements=st.floats(-5, 5)),
                            nps.arrays(np.float64, 3, elements=st.floats(-5, 5)), st.integers(-100, 100)),
            examples=[dict(X=np.array([[2.0], [-3.0]]), W=np.array([[1.0, -1.0]]), b=np.array([0.0, 0.5]), c=50)])
def predict_ignores_a_shift_of_b(learner, X, W, b, c):
    first = as_array(learner.softmax_regression_predict(X=X, W=W, b=b), shape=(X.shape[0],))
    shifted = as_array(learner.softmax_regression_predict(X=X, W=W, b=b + c), shape=(X.shape[0],))
    logits = X @ W + b
    margin = np.sort(logits, axis=1)
    clear = margin[:, -1] - margin[:, -2] > 1e-9 * (1 + np.abs(logits).max())  # no near-ties
    if not np.array_equal(first[clear], shifted[clear]):
        raise Failure(f"adding {c} to b changed a prediction", expected=first, got=shifted)


# ---------------------------------------------------------------- reference

@SPEC.check("kfold_indices", tier="reference", points=2,
            title="kfold_indices matches scikit-learn's KFold: consecutive blocks, the first n % k one longer",
            given=FOLDS,
            examples=[dict(n=10, k=3), dict(n=5, k=2)])
def kfold_matches_reference(learner, n, k):
    got = learner.kfold_indices(n=n, k=k)
    want = ref.kfold_indices(n, k)
    if not isinstance(got, (list, tuple)) or len(got) != k:
        raise Failure(f"expected {k} folds", got=got)
    for i, (pair, (want_train, want_val)) in enumerate(zip(got, want)):
        train, val = (np.asarray(p) for p in tuple_contract(pair, 2, what=f"fold {i}"))
        if not (np.array_equal(val, want_val) and np.array_equal(train, want_train)):
            raise Failure(f"fold {i} differs: it should validate on {want_val.tolist()} and train on the rest in "
                          f"ascending order", expected=(want_train, want_val), got=pair)


@SPEC.check("standardize", tier="reference", points=2, title="standardize matches the reference",
            given=feature_matrices().filter(spread_out),
            examples=[dict(X_train=np.array([[1.0, 3.0], [3.0, 3.0]]), X_test=np.array([[5.0, 4.0]])),
                      dict(X_train=np.array([[0.5, -2.0], [0.5, 1.0], [0.5, 4.0]]), X_test=np.array([[1.0, 0.0]]))])
def standardize_matches_reference(learner, X_train, X_test):
    z_train, z_test = tuple_contract(learner.standardize(X_train=X_train, X_test=X_test), 2)
    want_train, want_test = ref.standardize(X_train, X_test)
    expect_close(z_train, want_train, rtol=1e-9, atol=1e-9, what="Z_train")
    expect_close(z_test, want_test, rtol=1e-9, atol=1e-9, what="Z_test")


@SPEC.check("confusion_matrix", tier="reference", points=2, title="confusion_matrix matches the reference",
            given=label_pairs(), examples=[dict(y_true=np.array([0, 1, 1, 1]), y_pred=np.array([0, 0, 1, 1]),
                                                n_classes=2)])
def confusion_matrix_matches_reference(learner, y_true, y_pred, n_classes):
    expect_close(learner.confusion_matrix(y_true=y_true, y_pred=y_pred, n_classes=n_classes),
                 ref.confusion_matrix(y_true, y_pred, n_classes), rtol=0, atol=0)


@SPEC.check("poly_train_val_mse", tier="reference", points=2, title="poly_train_val_mse matches the reference",
            given=poly_case(),
            examples=[dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([0.0, 1.0, 4.0]), x_val=np.array([3.0]),
                           y_val=np.array([9.0]), degrees=[0, 1])])
def poly_matches_reference(learner, x_train, y_train, x_val, y_val, degrees):
    got = tuple_contract(learner.poly_train_val_mse(x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val,
                                                    degrees=degrees), 2)
    want = ref.poly_train_val_mse(x_train, y_train, x_val, y_val, degrees)
    expect_close(got[0], want[0], rtol=1e-7, atol=mse_tolerance(y_train), what="train_mse")
    expect_close(got[1], want[1], rtol=1e-7, atol=mse_tolerance(y_val), what="val_mse")


@SPEC.check("softmax_regression_fit", tier="reference", points=2, title="softmax_regression_fit matches the reference",
            given=fit_case(), examples=[dict(X=np.array([[1.0], [-1.0]]), y=np.array([0, 1]), n_classes=2, lr=0.5,
                                             epochs=1)])
def fit_matches_reference(learner, X, y, n_classes, lr, epochs):
    W, b = tuple_contract(learner.softmax_regression_fit(X=X, y=y, n_classes=n_classes, lr=lr, epochs=epochs), 2)
    want_W, want_b = ref.softmax_regression_fit(X, y, n_classes, lr=lr, epochs=epochs)
    expect_close(W, want_W, rtol=1e-7, atol=1e-10, what="W")
    expect_close(b, want_b, rtol=1e-7, atol=1e-10, what="b")


@SPEC.check("softmax_regression_predict", tier="reference", points=1,
            title="softmax_regression_predict matches the reference",
            given=st.builds(lambda X, W, b: {"X": X, "W": W, "b": b},
                            nps.arrays(np.float64, (6, 3), elements=st.floats(-5, 5)),
                            nps.arrays(np.float64, (3, 4), elements=st.floats(-5, 5)),
                            nps.arrays(np.float64, 4, elements=st.floats(-5, 5))),
            examples=[dict(X=np.array([[2.0], [-3.0]]), W=np.array([[1.0, -1.0]]), b=np.array([0.0, 0.0]))])
def predict_matches_reference(learner, X, W, b):
    got = as_array(learner.softmax_regression_predict(X=X, W=W, b=b), shape=(X.shape[0],))
    want = ref.softmax_regression_predict(X, W, b)
    logits = X @ W + b
    top = logits.max(axis=1)
    # a prediction is right if its logit is the largest (rounding may break a near-tie either way)
    index = np.clip(got.astype(np.int64), 0, W.shape[1] - 1)
    picked = logits[np.arange(X.shape[0]), index]
    wrong = (got != index) | (picked < top - 1e-9 * (1 + np.abs(logits).max()))
    if wrong.any():
        raise Failure(f"row {int(np.argmax(wrong))} is predicted as class {got[np.argmax(wrong)]!r}, but class "
                      f"{int(want[np.argmax(wrong)])} has the largest logit", expected=want, got=got)


# ---------------------------------------------------------------- stability

@SPEC.check("standardize", tier="stability", points=2,
            title="standardize is accurate for columns far from 0 (up to 1e8 + values of spread > 1)",
            given=st.tuples(feature_matrices().filter(lambda c: bool(np.all(c["X_train"].std(axis=0) > 1.0))),
                            st.floats(1e6, 1e8)).map(
                lambda t: {"X_train": t[0]["X_train"] + t[1], "X_test": t[0]["X_test"] + t[1]}),
            examples=[dict(X_train=1e8 + np.array([[1.0], [2.0], [3.0], [4.0]]), X_test=1e8 + np.array([[2.5]]))])
def standardize_handles_large_offsets(learner, X_train, X_test):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        z_train, z_test = tuple_contract(learner.standardize(X_train=X_train, X_test=X_test), 2)
    want_train, want_test = ref.standardize(X_train, X_test)
    expect_close(z_train, want_train, rtol=1e-6, atol=1e-6, what="Z_train")
    expect_close(z_test, want_test, rtol=1e-6, atol=1e-6, what="Z_test")


@st.composite
def wide_poly_case(draw):
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1)))
    x_train = np.sort(rng.uniform(0.0, 10.0, 40))
    x_val = rng.uniform(0.0, 10.0, 10)
    return {"x_train": x_train, "y_train": np.sin(x_train) + 0.1 * rng.standard_normal(40), "x_val": x_val,
            "y_val": np.sin(x_val), "degrees": list(range(10))}


@SPEC.check("poly_train_val_mse", tier="stability", points=2,
            title="poly_train_val_mse is accurate up to degree 9 on x in [0, 10] (x^9 reaches 1e9)",
            given=wide_poly_case(), max_examples=3)
def poly_handles_high_degrees(learner, x_train, y_train, x_val, y_val, degrees):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = tuple_contract(learner.poly_train_val_mse(x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val,
                                                        degrees=degrees), 2)
    want = ref.poly_train_val_mse(x_train, y_train, x_val, y_val, degrees)
    expect_close(got[0], want[0], rtol=1e-6, atol=1e-12, what="train_mse")
    expect_close(got[1], want[1], rtol=1e-6, atol=1e-12, what="val_mse")


@st.composite
def large_features(draw):
    """Features of size 100-1000 in general position: logits reach 1e5 after a step, and no row ties with another
    (a tie would make the saturated softmax sensitive to rounding, in any correct code)."""
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1)))
    n, d, c = draw(st.integers(2, 12)), draw(st.integers(1, 3)), draw(st.integers(2, 4))
    return {"X": rng.standard_normal((n, d)) * draw(st.floats(100.0, 1e3)), "y": rng.randint(c, size=n),
            "n_classes": c, "lr": draw(st.floats(0.01, 0.5)), "epochs": draw(st.integers(2, 6))}


@SPEC.check("softmax_regression_fit", tier="stability", points=2,
            title="softmax_regression_fit handles features in the hundreds (logits far beyond 709) without overflow",
            given=large_features(),
            examples=[dict(X=np.array([[1000.0], [-1000.0]]), y=np.array([0, 1]), n_classes=2, lr=0.5, epochs=3)])
def fit_handles_large_logits(learner, X, y, n_classes, lr, epochs):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        W, b = tuple_contract(learner.softmax_regression_fit(X=X, y=y, n_classes=n_classes, lr=lr, epochs=epochs), 2)
    want_W, want_b = ref.softmax_regression_fit(X, y, n_classes, lr=lr, epochs=epochs)
    expect_close(W, want_W, rtol=1e-7, atol=1e-9 * float(np.abs(want_W).max(initial=1.0)), what="W")
    expect_close(b, want_b, rtol=1e-7, atol=1e-9 * float(np.abs(want_b).max(initial=1.0)), what="b")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/splits.py (it may use that module's imports and helpers).

@SPEC.mistake_helper
def _split_with(n, val_frac, test_frac, seed, stratify, *, size=math.ceil, shuffle=True, val_of_rest=False,
                rng_seed=None, use_stratify=True):
    """The reference's split (per class with stratify), with one slip switched on per mistake."""
    if not (0.0 <= val_frac < 1.0 and 0.0 <= test_frac < 1.0) or n < 1:
        raise ValueError("bad fractions or n")
    rng = np.random.default_rng(seed if rng_seed is None else rng_seed)
    if stratify is None or not use_stratify:
        groups = [np.arange(n)]
    else:
        labels = np.asarray(stratify)
        if labels.shape != (n,):
            raise ValueError("stratify must hold n labels")
        groups = [np.flatnonzero(labels == label) for label in np.unique(labels)]
    parts = ([], [], [])
    for members in groups:
        n_test = size(test_frac * len(members))
        n_val = size(val_frac * (len(members) - n_test)) if val_of_rest else size(val_frac * len(members))
        if len(members) - n_test - n_val < 1:
            raise ValueError("no training data left")
        order = rng.permutation(members) if shuffle else members
        parts[0].append(order[n_test + n_val:])
        parts[1].append(order[n_test:n_test + n_val])
        parts[2].append(order[:n_test])
    return tuple(np.concatenate(p).astype(np.int64) for p in parts)


@SPEC.mistake("train_val_test_split", "rounds the held-out sizes down (int(frac * n)) instead of up",
              hint="scikit-learn's convention is n_test = ceil(test_frac * n): 0.25 of 10 is 3 test examples, "
                   "not 2. Use math.ceil for the test and the validation sizes.")
def split_with_floor_sizes(n, val_frac, test_frac, seed, stratify=None):
    return _split_with(n, val_frac, test_frac, seed, stratify, size=math.floor)


@SPEC.mistake("train_val_test_split", "takes the validation fraction of what is left after the test part",
              hint="Both fractions are of the whole data: n_val = ceil(val_frac * n), not ceil(val_frac * "
                   "(n - n_test)) as two chained train_test_split calls would give.")
def split_val_of_the_rest(n, val_frac, test_frac, seed, stratify=None):
    return _split_with(n, val_frac, test_frac, seed, stratify, val_of_rest=True)


@SPEC.mistake("train_val_test_split", "does not shuffle: the parts are consecutive blocks of indices",
              hint="Data often arrive sorted (by class, by date): shuffle the indices first, with "
                   "np.random.default_rng(seed).permutation(n), then cut.")
def split_without_shuffle(n, val_frac, test_frac, seed, stratify=None):
    return _split_with(n, val_frac, test_frac, seed, stratify, shuffle=False)


@SPEC.mistake("train_val_test_split", "ignores the seed argument (a fixed seed inside the function)",
              hint="Build the generator from the argument: np.random.default_rng(seed). With a fixed seed inside, "
                   "every seed gives the same split.")
def split_with_fixed_seed(n, val_frac, test_frac, seed, stratify=None):
    return _split_with(n, val_frac, test_frac, seed, stratify, rng_seed=42)


@SPEC.mistake("train_val_test_split", "ignores stratify: the classes are not split one by one",
              hint="With stratify, split each class's indices on their own (ceil(test_frac * c) of a class of c "
                   "into test, ...), then join the parts, so every part keeps the class proportions.")
def split_ignoring_stratify(n, val_frac, test_frac, seed, stratify=None):
    return _split_with(n, val_frac, test_frac, seed, stratify, use_stratify=False)


@SPEC.mistake("kfold_indices", "gives the leftover n % k indices all to the last fold",
              hint="scikit-learn spreads the remainder: the FIRST n % k folds get one extra index each "
                   "(np.array_split(np.arange(n), k) does exactly that).")
def kfold_remainder_in_last_fold(n, k):
    if not 2 <= k <= n:
        raise ValueError("k must be in [2, n]")
    size = n // k
    everything = np.arange(n)
    folds = []
    for i in range(k):
        stop = n if i == k - 1 else (i + 1) * size
        val = everything[i * size:stop]
        folds.append((np.setdiff1d(everything, val), val))
    return folds


@SPEC.mistake_helper
def _standardize_with(X_train, X_test, *, pooled=False, ddof=0, own_test_stats=False, one_pass=False):
    """Standardisation after the reference's checks, with one slip switched on per mistake."""
    X_train, X_test = np.asarray(X_train, dtype=np.float64), np.asarray(X_test, dtype=np.float64)
    if X_train.ndim != 2 or X_train.shape[0] == 0 or X_test.ndim != 2 or X_test.shape[1] != X_train.shape[1]:
        raise ValueError("bad shapes")

    def stats(X):
        mean = X.mean(axis=0)
        if one_pass:
            scale = np.sqrt(np.maximum(np.mean(X**2, axis=0) - mean**2, 0.0))
        else:
            scale = X.std(axis=0, ddof=ddof) if X.shape[0] > ddof else np.ones(X.shape[1])
        return mean, np.where(scale == 0, 1.0, scale)

    mean, scale = stats(np.concatenate([X_train, X_test]) if pooled else X_train)
    test_mean, test_scale = stats(X_test) if own_test_stats and X_test.shape[0] else (mean, scale)
    return (X_train - mean) / scale, (X_test - test_mean) / test_scale


@SPEC.mistake("standardize", "computes the mean and scale on training and test data together (leakage)",
              hint="Everything learnt from data comes from the training part only: the test set stands for "
                   "data you do not have yet. mean = X_train.mean(axis=0), scale = X_train.std(axis=0).")
def standardize_pooled(X_train, X_test):
    return _standardize_with(X_train, X_test, pooled=True)


@SPEC.mistake("standardize", "standardises the test set with its own mean and scale",
              hint="Apply the TRAINING mean and scale to the test set too: a test point equal to a training point "
                   "must get the same standardised value.")
def standardize_test_with_own_stats(X_train, X_test):
    return _standardize_with(X_train, X_test, own_test_stats=True)


@SPEC.mistake("standardize", "uses the n - 1 standard deviation (ddof=1)",
              hint="The contract divides by n (ddof=0, np.std's default, as scikit-learn's StandardScaler): "
                   "then the training columns have standard deviation exactly 1.")
def standardize_with_ddof_1(X_train, X_test):
    return _standardize_with(X_train, X_test, ddof=1)


@SPEC.mistake("standardize", "computes the variance as mean(x**2) - mean(x)**2, which cancels far from 0",
              hint="Centre first, then square: np.std does mean((x - mean)**2). For x around 1e8, x**2 is around "
                   "1e16 and the subtraction keeps almost nothing of the spread.")
def standardize_one_pass(X_train, X_test):
    return _standardize_with(X_train, X_test, one_pass=True)


@SPEC.mistake_helper
def _checked_label_pair(y_true, y_pred, n_classes):
    y_true, y_pred = _labels(y_true, n_classes, "y_true"), _labels(y_pred, n_classes, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError("lengths differ")
    return y_true, y_pred


@SPEC.mistake("confusion_matrix", "puts predictions in rows and true labels in columns (the transpose)",
              hint="Rows are the true classes, columns the predictions (scikit-learn's convention): entry [i, j] "
                   "counts examples of class i predicted as j.")
def confusion_matrix_transposed(y_true, y_pred, n_classes):
    y_true, y_pred = _checked_label_pair(y_true, y_pred, n_classes)
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_pred, y_true), 1)
    return counts


@SPEC.mistake("confusion_matrix", "counts with counts[y_true, y_pred] += 1, which counts a repeated pair once",
              hint="Fancy-index assignment does not accumulate: with two examples at (0, 1), counts[[0, 0], [1, 1]] "
                   "+= 1 adds 1, not 2. Use np.add.at(counts, (y_true, y_pred), 1) or a loop.")
def confusion_matrix_fancy_increment(y_true, y_pred, n_classes):
    y_true, y_pred = _checked_label_pair(y_true, y_pred, n_classes)
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    counts[y_true, y_pred] += 1
    return counts


@SPEC.mistake_helper
def _poly_with(x_train, y_train, x_val, y_val, degrees, *, columns_for, normal_equations=False):
    x_train, y_train = _pair(x_train, y_train, "x_train", "y_train")
    x_val, y_val = _pair(x_val, y_val, "x_val", "y_val")
    degrees = np.asarray(degrees)
    if np.any(degrees < 0) or np.any(degrees + 1 > x_train.size):
        raise ValueError("bad degree")
    train_mse, val_mse = np.empty(degrees.size), np.empty(degrees.size)
    for i, degree in enumerate(degrees.tolist()):
        design = np.vander(x_train, columns_for(degree))
        if normal_equations:
            coef = np.linalg.solve(design.T @ design, design.T @ y_train)
        else:
            coef = np.linalg.lstsq(design, y_train, rcond=None)[0]
        train_mse[i] = np.mean((design @ coef - y_train) ** 2)
        val_mse[i] = np.mean((np.vander(x_val, columns_for(degree)) @ coef - y_val) ** 2)
    return train_mse, val_mse


@SPEC.mistake("poly_train_val_mse", "fits one degree too few: np.vander(x, degree) has only degree columns",
              hint="A polynomial of degree d has d + 1 coefficients (x^d ... x^0): np.vander(x, d + 1), or "
                   "np.polyfit(x, y, d).")
def poly_one_degree_short(x_train, y_train, x_val, y_val, degrees):
    return _poly_with(x_train, y_train, x_val, y_val, degrees, columns_for=lambda d: d)


@SPEC.mistake("poly_train_val_mse", "solves the normal equations (V^T V) c = V^T y, which squares the conditioning",
              hint="V^T V squares V's condition number: at degree 9 on [0, 10] that is ~1e24 and the solution loses "
                   "every digit. Use np.linalg.lstsq(V, y, rcond=None) or np.polyfit, which never form V^T V.")
def poly_normal_equations(x_train, y_train, x_val, y_val, degrees):
    return _poly_with(x_train, y_train, x_val, y_val, degrees, columns_for=lambda d: d + 1, normal_equations=True)


@SPEC.mistake_helper
def _fit_with(X, y, n_classes, lr, epochs, *, mean=True, shift=True, update_b=True):
    """Softmax-regression gradient descent after the reference's checks, one slip switched on per mistake."""
    X = np.asarray(X, dtype=np.float64)
    y = _labels(y, n_classes, "y")
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError("bad shapes")
    onehot = np.eye(n_classes)[y]
    W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)
    for _ in range(epochs):
        logits = X @ W + b
        e = np.exp(logits - logits.max(axis=1, keepdims=True) if shift else logits)
        G = e / e.sum(axis=1, keepdims=True) - onehot
        if mean:
            G = G / X.shape[0]
        W = W - lr * (X.T @ G)
        if update_b:
            b = b - lr * G.sum(axis=0)
    return W, b


@SPEC.mistake("softmax_regression_fit", "sums the gradient over the examples instead of averaging it",
              hint="The loss is the MEAN cross-entropy, so its gradient is X^T (P - onehot) / N: without the 1 / N "
                   "the step is N times too large.")
def fit_with_summed_gradient(X, y, n_classes, lr=0.5, epochs=1000):
    return _fit_with(X, y, n_classes, lr, epochs, mean=False)


@SPEC.mistake("softmax_regression_fit", "computes softmax without the max-shift: exp overflows for large logits",
              hint="Reuse the stable softmax of the softmax topic: subtract each row's max before np.exp.")
def fit_without_max_shift(X, y, n_classes, lr=0.5, epochs=1000):
    return _fit_with(X, y, n_classes, lr, epochs, shift=False)


@SPEC.mistake("softmax_regression_fit", "never updates the bias b",
              hint="b is a parameter too: its gradient is the sum over examples of (P - onehot) / N; "
                   "b -= lr * G.sum(axis=0).")
def fit_without_bias_update(X, y, n_classes, lr=0.5, epochs=1000):
    return _fit_with(X, y, n_classes, lr, epochs, update_b=False)


@SPEC.mistake("softmax_regression_predict", "takes the argmax over the examples (axis 0) instead of the classes",
              hint="Each row of X W + b holds one example's class scores: its prediction is np.argmax(..., axis=1).")
def predict_argmax_over_examples(X, W, b):
    X = np.asarray(X, dtype=np.float64)
    return np.argmax(X @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64), axis=0).astype(np.int64)
