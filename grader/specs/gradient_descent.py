"""Checks for iterations_per_epoch, minibatch_indices, gd_linear_regression, cubic_grad, fit_cubic and
divergence_threshold (CATALOG A4, topic gradient_descent).

Generated learning rates stay below the stability limit of every step (the well-posed domain):
there, rounding differences between correct implementations shrink instead of growing, and a
relative tolerance of 1e-9 on whole runs is safe.
"""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_unchanged,
                                   expect_value_error, float_contract, int_contract)

SPEC = Spec(
    "gradient_descent",
    functions=("iterations_per_epoch", "minibatch_indices", "gd_linear_regression", "cubic_grad", "fit_cubic",
               "divergence_threshold"),
    forbidden=("torch.optim", "torch.utils.data", "torch.autograd", "torch.func", "numpy.polyfit",
               "numpy.polynomial", "numpy.linalg.lstsq", "scipy.linalg.lstsq", "scipy.optimize", "sklearn", "jax"),
    forbidden_methods=("backward",),
)
ref = SPEC.reference

SEED = st.integers(0, 2**31 - 1)
COUNTS = st.integers(0, 40)
BATCH = st.integers(1, 12)


def powers(x) -> np.ndarray:
    return np.vander(np.asarray(x, dtype=np.float64), 4, increasing=True)  # (n, 4): 1, x, x^2, x^3


def cubic_loss(x, y, coef) -> float:
    r = powers(x) @ np.asarray(coef, dtype=np.float64) - np.asarray(y, dtype=np.float64)
    return float(r @ r)


def true_threshold(x) -> float:
    a = powers(x)
    return float(1.0 / np.linalg.eigvalsh(a.T @ a)[-1])  # 2 / lambda_max(2 A^T A)


def weights_tolerance(w_ref) -> float:
    return 1e-10 * (1.0 + float(np.max(np.abs(w_ref), initial=0.0)))


def batches(value, what="the result") -> list[np.ndarray]:
    """The learner's batches as integer arrays (values, not types: the contract check is strict)."""
    if isinstance(value, np.ndarray) and value.ndim == 2:
        value = list(value)
    if not isinstance(value, (list, tuple)):
        raise Failure(f"{what} is {render.kind(value)}; expected a list of index arrays", got=value)
    out = []
    for i, batch in enumerate(value):
        array = np.asarray(batch)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise Failure(f"batch {i} is not a 1-D array of integers", got=batch)
        out.append(array.astype(np.int64))
    return out


@st.composite
def regression_case(draw, epochs=st.integers(0, 6), batch_size=None):
    """X (m, d), y (m,), and lr below 1 / (2 max |x_i|^2): every step, even with one row, is stable."""
    m, d = draw(st.integers(1, 8)), draw(st.integers(1, 3))
    X = draw(nps.arrays(np.float64, (m, d), elements=st.floats(-3, 3)))
    y = draw(nps.arrays(np.float64, m, elements=st.floats(-10, 10)))
    largest = float(np.max(np.sum(X * X, axis=1)))
    lr = draw(st.floats(0.05, 0.9)) / (2.0 * max(largest, 1e-3))
    size = draw(st.one_of(st.none(), st.integers(1, m + 1))) if batch_size is None else batch_size
    return {"X": X, "y": y, "lr": lr, "epochs": draw(epochs), "batch_size": size, "seed": draw(SEED)}


@st.composite
def conditioned_regression(draw):
    """X = Q diag(s) V^T with s in [1, 2]: X^T X has condition number <= 4, so GD converges fast."""
    m, d = draw(st.integers(3, 10)), draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(SEED))
    q, _ = np.linalg.qr(rng.standard_normal((m, d)))
    v, _ = np.linalg.qr(rng.standard_normal((d, d)))
    s = draw(nps.arrays(np.float64, d, elements=st.floats(1.0, 2.0)))
    X = q @ np.diag(s) @ v.T
    y = draw(nps.arrays(np.float64, m, elements=st.floats(-10, 10)))
    largest = float(np.linalg.eigvalsh(2.0 * X.T @ X / m)[-1])
    return {"X": X, "y": y, "lr": draw(st.floats(0.5, 1.0)) / largest}


@st.composite
def cubic_case(draw, low=-2.0, high=2.0):
    n = draw(st.integers(1, 12))
    return {"x": draw(nps.arrays(np.float64, n, elements=st.floats(low, high))),
            "y": draw(nps.arrays(np.float64, n, elements=st.floats(-5, 5))),
            "coef": draw(nps.arrays(np.float64, 4, elements=st.floats(-2, 2)))}


@st.composite
def fit_case(draw, steps=st.integers(0, 30)):
    """x spread over [-s, s] with s in [0.9, 1.6] (a well-conditioned cubic fit), lr below the threshold."""
    n = draw(st.integers(5, 20))
    x = np.linspace(-1.0, 1.0, n) * draw(st.floats(0.9, 1.6))
    y = draw(nps.arrays(np.float64, n, elements=st.floats(-3, 3)))
    return {"x": x, "y": y, "lr": draw(st.floats(0.1, 0.95)) * true_threshold(x), "steps": draw(steps)}


TUTORIAL_X = np.linspace(-math.pi, math.pi, 2000)

# ---------------------------------------------------------------- contract


@SPEC.check("iterations_per_epoch", tier="contract", points=1, title="iterations_per_epoch returns an int",
            examples=[dict(n=10, batch_size=3, drop_last=False), dict(n=10, batch_size=3, drop_last=True),
                      dict(n=0, batch_size=4, drop_last=False), dict(n=7, batch_size=7, drop_last=True)])
def iterations_per_epoch_returns_an_int(learner, n, batch_size, drop_last):
    int_contract(learner.iterations_per_epoch(n=n, batch_size=batch_size, drop_last=drop_last))


BAD_COUNTS = [dict(n=-1, batch_size=2, why="n = -1"), dict(n=10, batch_size=0, why="batch_size = 0"),
              dict(n=10, batch_size=-3, why="batch_size = -3"), dict(n=10, batch_size=True, why="batch_size = True"),
              dict(n=10, batch_size=2.0, why="batch_size = 2.0 (a float)"), dict(n=2.5, batch_size=2, why="n = 2.5")]


@SPEC.check("iterations_per_epoch", tier="contract", points=1,
            title="iterations_per_epoch raises ValueError for n < 0, batch_size < 1 or sizes that are not ints",
            examples=BAD_COUNTS)
def iterations_per_epoch_rejects_bad_sizes(learner, n, batch_size, why):
    expect_value_error(learner.outcome("iterations_per_epoch", n=n, batch_size=batch_size), bad=why)


@SPEC.check("minibatch_indices", tier="contract", points=1,
            title="minibatch_indices returns a list of 1-D integer arrays",
            examples=[dict(n=5, batch_size=2, seed=0, shuffle=False), dict(n=7, batch_size=3, seed=1, shuffle=True),
                      dict(n=4, batch_size=4, seed=2, shuffle=True)])
def minibatch_indices_returns_list_of_integer_arrays(learner, n, batch_size, seed, shuffle):
    value = learner.minibatch_indices(n=n, batch_size=batch_size, seed=seed, shuffle=shuffle)
    if not isinstance(value, list):
        raise Failure(f"the result is {render.kind(value)}; expected a list", expected=render.describe("a list"),
                      got=value)
    for i, batch in enumerate(value):
        if not isinstance(batch, np.ndarray) or batch.ndim != 1 or batch.dtype.kind not in "iu":
            raise Failure(f"batch {i} is {render.kind(batch)}; expected a 1-D numpy array of integers",
                          expected=render.describe("a 1-D integer numpy array"), got=batch)


@SPEC.check("minibatch_indices", tier="contract", points=1,
            title="minibatch_indices raises ValueError for n < 0, batch_size < 1 or sizes that are not ints",
            examples=BAD_COUNTS)
def minibatch_indices_rejects_bad_sizes(learner, n, batch_size, why):
    expect_value_error(learner.outcome("minibatch_indices", n=n, batch_size=batch_size), bad=why)


@SPEC.check("gd_linear_regression", tier="contract", points=1,
            title="gd_linear_regression returns a float64 array (d,) and leaves X and y unchanged",
            given=regression_case(), examples=[dict(X=[[1.0], [1.0]], y=[2.0, 4.0], lr=0.25, epochs=2,
                                                    batch_size=None, seed=0)])
def gd_linear_regression_returns_weights(learner, X, y, lr, epochs, batch_size, seed):
    value, after = learner.value_and_arguments_after("gd_linear_regression", X=X, y=y, lr=lr, epochs=epochs,
                                                     batch_size=batch_size, seed=seed)
    array_contract(value, shape=(np.shape(X)[1],))
    if isinstance(X, np.ndarray):
        expect_unchanged({"X": X, "y": y}, after, function="gd_linear_regression")


GOOD_X, GOOD_Y = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 2.0, 3.0])
BAD_REGRESSION = [
    dict(X=GOOD_X[:, 0], y=GOOD_Y, lr=0.1, epochs=1, batch_size=None, why="a 1-D X"),
    dict(X=np.zeros((0, 2)), y=np.zeros(0), lr=0.1, epochs=1, batch_size=None, why="an X with no rows"),
    dict(X=GOOD_X, y=GOOD_Y[:2], lr=0.1, epochs=1, batch_size=None, why="3 rows in X but 2 targets"),
    dict(X=GOOD_X, y=GOOD_Y, lr=0.0, epochs=1, batch_size=None, why="lr = 0"),
    dict(X=GOOD_X, y=GOOD_Y, lr=0.1, epochs=-1, batch_size=None, why="epochs = -1"),
    dict(X=GOOD_X, y=GOOD_Y, lr=0.1, epochs=1, batch_size=0, why="batch_size = 0"),
]


@SPEC.check("gd_linear_regression", tier="contract", points=1,
            title="gd_linear_regression raises ValueError for bad shapes, lr <= 0, epochs < 0 or batch_size < 1",
            examples=BAD_REGRESSION)
def gd_linear_regression_rejects_bad_input(learner, X, y, lr, epochs, batch_size, why):
    expect_value_error(learner.outcome("gd_linear_regression", X=X, y=y, lr=lr, epochs=epochs,
                                       batch_size=batch_size), bad=why)


@SPEC.check("cubic_grad", tier="contract", points=1,
            title="cubic_grad returns a float64 array (4,) and leaves its inputs unchanged",
            given=cubic_case(), examples=[dict(x=[0.0, 1.0], y=[1.0, 1.0], coef=[0.0, 0.0, 0.0, 0.0])])
def cubic_grad_returns_four_numbers(learner, x, y, coef):
    value, after = learner.value_and_arguments_after("cubic_grad", x=x, y=y, coef=coef)
    array_contract(value, shape=(4,))
    if isinstance(x, np.ndarray):
        expect_unchanged({"x": x, "y": y, "coef": coef}, after, function="cubic_grad")


@SPEC.check("cubic_grad", tier="contract", points=1,
            title="cubic_grad raises ValueError when x and y differ in length or coef has not 4 entries",
            examples=[dict(x=np.zeros(3), y=np.zeros(2), coef=np.zeros(4), why="3 x values but 2 y values"),
                      dict(x=np.zeros(3), y=np.zeros(3), coef=np.zeros(3), why="coef with 3 entries"),
                      dict(x=np.zeros(3), y=np.zeros(3), coef=np.zeros(5), why="coef with 5 entries"),
                      dict(x=np.zeros((3, 1)), y=np.zeros((3, 1)), coef=np.zeros(4), why="x of shape (3, 1)")])
def cubic_grad_rejects_bad_input(learner, x, y, coef, why):
    expect_value_error(learner.outcome("cubic_grad", x=x, y=y, coef=coef), bad=why)


@SPEC.check("fit_cubic", tier="contract", points=1,
            title="fit_cubic returns a float64 array (4,); it raises ValueError for lr <= 0 or steps < 0",
            examples=[dict(x=[0.0, 1.0], y=[1.0, 1.0], lr=0.1, steps=1, why=None),
                      dict(x=np.linspace(-1, 1, 5), y=np.ones(5), lr=0.01, steps=0, why=None),
                      dict(x=np.zeros(2), y=np.zeros(2), lr=0.0, steps=1, why="lr = 0"),
                      dict(x=np.zeros(2), y=np.zeros(2), lr=0.1, steps=-1, why="steps = -1"),
                      dict(x=np.zeros(2), y=np.zeros(3), lr=0.1, steps=1, why="2 x values but 3 y values")])
def fit_cubic_returns_four_numbers(learner, x, y, lr, steps, why):
    if why is not None:
        expect_value_error(learner.outcome("fit_cubic", x=x, y=y, lr=lr, steps=steps), bad=why)
    else:
        array_contract(learner.fit_cubic(x=x, y=y, lr=lr, steps=steps), shape=(4,))


@SPEC.check("divergence_threshold", tier="contract", points=1,
            title="divergence_threshold returns a float; it raises ValueError for an empty or 2-D x",
            examples=[dict(x=np.linspace(-1, 1, 5), why=None), dict(x=[0.5], why=None),
                      dict(x=np.zeros(0), why="an empty x"), dict(x=np.ones((2, 2)), why="a 2-D x")])
def divergence_threshold_returns_a_float(learner, x, why):
    if why is not None:
        expect_value_error(learner.outcome("divergence_threshold", x=x), bad=why)
    else:
        float_contract(learner.divergence_threshold(x=x))


# ---------------------------------------------------------------- properties

@SPEC.check("iterations_per_epoch", tier="properties", points=1,
            title="b more points make one more batch; dropping the last batch removes at most one",
            given=st.fixed_dictionaries({"n": COUNTS, "batch_size": BATCH}))
def iterations_per_epoch_grows_by_one_batch(learner, n, batch_size):
    def count(points, drop_last):
        return int_contract(learner.iterations_per_epoch(n=points, batch_size=batch_size, drop_last=drop_last),
                            what=f"iterations_per_epoch({points}, {batch_size}, drop_last={drop_last})")

    for drop_last in (False, True):
        now, more = count(n, drop_last), count(n + batch_size, drop_last)
        if more != now + 1:
            raise Failure(f"{batch_size} more points gave {more} batches instead of {now} + 1 "
                          f"(drop_last={drop_last})", expected=now + 1, got=more)
    kept, dropped = count(n, False), count(n, True)
    if not dropped <= kept <= dropped + 1 or (n % batch_size == 0 and kept != dropped):
        raise Failure(f"{n} points in batches of {batch_size}: {kept} batches, {dropped} with drop_last; "
                      f"dropping can only remove a short last batch", got=(kept, dropped))


@SPEC.check("minibatch_indices", tier="properties", points=2,
            title="the batches cover every index once, each of batch_size except a shorter last one",
            given=st.fixed_dictionaries({"n": COUNTS, "batch_size": BATCH, "seed": SEED, "shuffle": st.booleans(),
                                         "drop_last": st.booleans()}),
            examples=[dict(n=5, batch_size=2, seed=0, shuffle=True, drop_last=False)])
def minibatch_indices_partition_the_indices(learner, n, batch_size, seed, shuffle, drop_last):
    got = batches(learner.minibatch_indices(n=n, batch_size=batch_size, seed=seed, shuffle=shuffle,
                                            drop_last=drop_last))
    sizes = [len(b) for b in got]
    kept = n - n % batch_size if drop_last else n
    everything = np.sort(np.concatenate(got)) if got else np.zeros(0, dtype=np.int64)
    if sum(sizes) != kept or len(set(everything.tolist())) != kept or (everything.size and (
            everything.min() < 0 or everything.max() >= n)):
        raise Failure(f"{n} points in batches of {batch_size} (drop_last={drop_last}) must use {kept} distinct "
                      f"indices in [0, {n}); got batches of sizes {sizes}", got=got)
    if any(s != batch_size for s in sizes[:-1]) or (sizes and not 1 <= sizes[-1] <= batch_size):
        raise Failure(f"the batches have sizes {sizes}; all but the last must have {batch_size}", got=got)
    if not shuffle and not np.array_equal(np.concatenate(got) if got else everything, np.arange(kept)):
        raise Failure("with shuffle=False the batches must be 0, 1, 2, ... in order", got=got)


@SPEC.check("gd_linear_regression", tier="properties", points=1,
            title="batch_size equal to the number of rows is full-batch gradient descent (batch_size=None)",
            given=regression_case())
def gd_linear_regression_full_batch_is_batch_gd(learner, X, y, lr, epochs, batch_size, seed):
    full = as_array(learner.gd_linear_regression(X=X, y=y, lr=lr, epochs=epochs, batch_size=None, seed=seed),
                    shape=(X.shape[1],), what="w with batch_size=None")
    same = as_array(learner.gd_linear_regression(X=X, y=y, lr=lr, epochs=epochs, batch_size=len(X), seed=seed),
                    shape=(X.shape[1],), what=f"w with batch_size={len(X)}")
    expect_close(same, full, rtol=1e-9, atol=weights_tolerance(full), what=f"w with batch_size={len(X)}")


@SPEC.check("gd_linear_regression", tier="properties", points=2,
            title="full-batch gradient descent never increases the training MSE and converges to least squares",
            given=conditioned_regression())
def gd_linear_regression_descends_to_least_squares(learner, X, y, lr):
    losses = []
    for epochs in (0, 1, 2, 5, 150):
        w = as_array(learner.gd_linear_regression(X=X, y=y, lr=lr, epochs=epochs), shape=(X.shape[1],),
                     what=f"w after {epochs} epochs")
        losses.append(float(np.mean((X @ w - y) ** 2)))
        if len(losses) > 1 and not losses[-1] <= losses[-2] * (1 + 1e-12) + 1e-15:
            raise Failure(f"with lr = {lr!r} below 1 / L the training MSE went up, to {losses[-1]!r} after "
                          f"{epochs} epochs (losses so far {losses})", got=losses)
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    expect_close(w, best, rtol=1e-6, atol=1e-6 * (1.0 + float(np.abs(best).max())),
                 what="w after 150 epochs (least squares)")


@SPEC.check("cubic_grad", tier="properties", points=2,
            title="cubic_grad is the slope of the sum-of-squares loss along any direction",
            given=st.builds(lambda case, v: {**case, "direction": v}, cubic_case(),
                            nps.arrays(np.float64, 4, elements=st.floats(-1, 1))))
def cubic_grad_is_the_slope(learner, x, y, coef, direction):
    h = 1e-3
    grad = as_array(learner.cubic_grad(x=x, y=y, coef=coef), shape=(4,))
    up, down = cubic_loss(x, y, coef + h * direction), cubic_loss(x, y, coef - h * direction)
    # The loss is quadratic in coef: the central difference is exact up to rounding.
    expect_close(float(grad @ direction), (up - down) / (2 * h), rtol=1e-7, atol=1e-12 * max(up, down, 1.0) / h,
                 what="the slope along a direction (cubic_grad . direction)")


@SPEC.check("fit_cubic", tier="properties", points=2,
            title="below the threshold, every step of fit_cubic lowers the loss, and it reaches the "
                  "least-squares cubic", given=fit_case(), max_examples=3)
def fit_cubic_descends_to_least_squares(learner, x, y, lr, steps):
    losses = []
    for k in (0, 1, steps + 2, 1500):
        coef = as_array(learner.fit_cubic(x=x, y=y, lr=lr, steps=k), shape=(4,), what=f"fit_cubic after {k} steps")
        losses.append(cubic_loss(x, y, coef))
        if len(losses) > 1 and not losses[-1] <= losses[-2] * (1 + 1e-12) + 1e-15:
            raise Failure(f"with lr = {lr!r} below the threshold the loss went up, to {losses[-1]!r} after {k} "
                          f"steps (losses so far {losses})", got=losses)
    best = np.linalg.lstsq(powers(x), y, rcond=None)[0]
    expect_close(coef, best, rtol=1e-4, atol=1e-4 * (1.0 + float(np.abs(best).max())),
                 what="the coefficients after 1500 steps (least squares)")


def _grows(x, lr) -> bool:
    """Does gradient descent on the cubic fit with this lr blow up? 300 steps on the error from the optimum."""
    hessian = 2.0 * powers(x).T @ powers(x)
    error = np.ones(4)
    with np.errstate(all="ignore"):
        for _ in range(300):
            error = error - lr * (hessian @ error)  # the gradient at optimum + error is hessian @ error
        size = float(np.linalg.norm(error))
    return not size <= 2.0 * 2.0  # non-expansive for lr < 2 / L: |error| stays <= |ones(4)| = 2


@SPEC.check("divergence_threshold", tier="properties", points=2,
            title="gradient descent on the cubic fit stays bounded at 0.9 x the threshold and blows up at 1.1 x",
            given=st.fixed_dictionaries({"x": nps.arrays(np.float64, st.integers(1, 20),
                                                         elements=st.floats(-3.5, 3.5))}),
            examples=[dict(x=TUTORIAL_X[::40])])
def divergence_threshold_separates_stable_from_divergent(learner, x):
    threshold = as_float(learner.divergence_threshold(x=x))
    if not threshold > 0:
        raise Failure(f"the threshold must be a positive learning rate, got {threshold!r}", got=threshold)
    if _grows(x, 0.9 * threshold):
        raise Failure(f"gradient descent with lr = 0.9 x {threshold!r} blew up: the threshold is too large",
                      got=threshold)
    if not _grows(x, 1.1 * threshold):
        raise Failure(f"gradient descent with lr = 1.1 x {threshold!r} stayed bounded: the threshold is too small",
                      got=threshold)


# ---------------------------------------------------------------- reference

@SPEC.check("iterations_per_epoch", tier="reference", points=1, title="iterations_per_epoch matches the reference",
            given=st.fixed_dictionaries({"n": COUNTS, "batch_size": BATCH, "drop_last": st.booleans()}),
            examples=[dict(n=10, batch_size=3, drop_last=False), dict(n=9, batch_size=3, drop_last=False),
                      dict(n=2, batch_size=5, drop_last=True), dict(n=0, batch_size=1, drop_last=False)])
def iterations_per_epoch_matches_reference(learner, n, batch_size, drop_last):
    got = as_float(learner.iterations_per_epoch(n=n, batch_size=batch_size, drop_last=drop_last))
    expected = ref.iterations_per_epoch(n, batch_size, drop_last=drop_last)
    if got != expected:
        raise Failure(f"{n} points in batches of {batch_size} (drop_last={drop_last}): got {got:g}, expected "
                      f"{expected}", expected=expected, got=got)


def _expect_same_batches(got, expected) -> None:
    if len(got) != len(expected) or any(not np.array_equal(g, e) for g, e in zip(got, expected)):
        raise Failure(f"the batches differ from those of np.random.default_rng(seed).permutation(n); "
                      f"expected {len(expected)} batches", expected=expected, got=got)


@SPEC.check("minibatch_indices", tier="reference", points=2,
            title="minibatch_indices matches the reference (the same seed gives the same batches)",
            given=st.fixed_dictionaries({"n": COUNTS, "batch_size": BATCH, "seed": SEED, "shuffle": st.booleans(),
                                         "drop_last": st.booleans()}),
            examples=[dict(n=5, batch_size=2, seed=0, shuffle=True, drop_last=False),
                      dict(n=5, batch_size=2, seed=0, shuffle=False, drop_last=True)])
def minibatch_indices_matches_reference(learner, n, batch_size, seed, shuffle, drop_last):
    got = batches(learner.minibatch_indices(n=n, batch_size=batch_size, seed=seed, shuffle=shuffle,
                                            drop_last=drop_last))
    _expect_same_batches(got, ref.minibatch_indices(n, batch_size, seed=seed, shuffle=shuffle, drop_last=drop_last))


def _expect_reference_weights(learner, X, y, lr, epochs, batch_size, seed) -> None:
    w = learner.gd_linear_regression(X=X, y=y, lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)
    w_ref = ref.gd_linear_regression(X, y, lr, epochs, batch_size=batch_size, seed=seed)
    expect_close(w, w_ref, rtol=1e-9, atol=weights_tolerance(w_ref), what="w")


@SPEC.check("gd_linear_regression", tier="reference", points=2,
            title="gd_linear_regression matches the reference for batch, mini-batch and stochastic GD",
            given=regression_case(),
            examples=[dict(X=[[1.0], [1.0]], y=[2.0, 4.0], lr=0.25, epochs=2, batch_size=None, seed=0),
                      dict(X=GOOD_X, y=GOOD_Y, lr=0.05, epochs=3, batch_size=2, seed=7),
                      dict(X=GOOD_X, y=GOOD_Y, lr=0.05, epochs=2, batch_size=1, seed=3)])
def gd_linear_regression_matches_reference(learner, X, y, lr, epochs, batch_size, seed):
    _expect_reference_weights(learner, X, y, lr, epochs, batch_size, seed)


@SPEC.check("cubic_grad", tier="reference", points=1, title="cubic_grad matches the reference", given=cubic_case(),
            examples=[dict(x=[0.0, 1.0, 2.0], y=[1.0, 1.0, 1.0], coef=[0.0, 0.0, 0.0, 0.0]),
                      dict(x=[0.0, 1.0], y=[1.0, 1.0], coef=[0.0, 0.0, 0.0, 0.0])])
def cubic_grad_matches_reference(learner, x, y, coef):
    expected = ref.cubic_grad(x, y, coef)
    scale = 1e-12 * (1.0 + cubic_loss(x, y, coef)) * (1.0 + float(np.max(np.abs(x), initial=0.0)) ** 3)
    expect_close(learner.cubic_grad(x=x, y=y, coef=coef), expected, rtol=1e-9, atol=scale)


@SPEC.check("fit_cubic", tier="reference", points=2, title="fit_cubic matches the reference",
            given=fit_case(), examples=[dict(x=[0.0, 1.0], y=[1.0, 1.0], lr=0.1, steps=1)])
def fit_cubic_matches_reference(learner, x, y, lr, steps):
    expected = ref.fit_cubic(x, y, lr=lr, steps=steps)
    expect_close(learner.fit_cubic(x=x, y=y, lr=lr, steps=steps), expected, rtol=1e-9,
                 atol=1e-12 * (1.0 + float(np.abs(expected).max())))


@SPEC.check("divergence_threshold", tier="reference", points=1, title="divergence_threshold matches the reference",
            given=st.fixed_dictionaries({"x": nps.arrays(np.float64, st.integers(1, 20), elements=st.floats(-3, 3))}),
            examples=[dict(x=TUTORIAL_X)])
def divergence_threshold_matches_reference(learner, x):
    expect_close(as_float(learner.divergence_threshold(x=x)), ref.divergence_threshold(x), rtol=1e-8, atol=0)


# ---------------------------------------------------------------- stability

@SPEC.check("iterations_per_epoch", tier="stability", points=1,
            title="iterations_per_epoch is exact for n up to 10**18 (no float division)",
            given=st.fixed_dictionaries({"n": st.integers(2**53, 10**18), "batch_size": st.integers(2, 10**6),
                                         "drop_last": st.booleans()}),
            examples=[dict(n=2**53 + 1, batch_size=2, drop_last=False), dict(n=10**18 + 1, batch_size=3,
                                                                             drop_last=False)])
def iterations_per_epoch_is_exact_for_huge_n(learner, n, batch_size, drop_last):
    got = int_contract(learner.iterations_per_epoch(n=n, batch_size=batch_size, drop_last=drop_last))
    expected = ref.iterations_per_epoch(n, batch_size, drop_last=drop_last)
    if got != expected:
        raise Failure(f"{n} points in batches of {batch_size} (drop_last={drop_last}): got {got}, expected "
                      f"{expected}", expected=expected, got=got)


@SPEC.check("gd_linear_regression", tier="stability", points=1,
            title="gd_linear_regression matches the reference over 100 epochs of stochastic GD",
            given=regression_case(epochs=st.just(100), batch_size=1), max_examples=2,
            examples=[dict(X=GOOD_X, y=GOOD_Y, lr=0.05, epochs=100, batch_size=1, seed=11)])
def gd_linear_regression_handles_long_runs(learner, X, y, lr, epochs, batch_size, seed):
    _expect_reference_weights(learner, X, y, lr, epochs, batch_size, seed)


@SPEC.check("fit_cubic", tier="stability", points=1,
            title="fit_cubic reproduces the tutorial's fit of sin(x) (2000 points, 2000 steps)",
            examples=[dict(x=TUTORIAL_X, y=np.sin(TUTORIAL_X), lr=1e-6, steps=2000)])
def fit_cubic_reproduces_the_tutorial(learner, x, y, lr, steps):
    expected = ref.fit_cubic(x, y, lr=lr, steps=steps)
    expect_close(learner.fit_cubic(x=x, y=y, lr=lr, steps=steps), expected, rtol=1e-9,
                 atol=1e-12 * (1.0 + float(np.abs(expected).max())))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/gradient_descent.py (it may call that module's helpers).

@SPEC.mistake("iterations_per_epoch", "always rounds down: the short last batch is lost even without drop_last",
              hint="Without drop_last the short last batch is still a step: ceil(n / b) = -(-n // b).")
def iterations_per_epoch_floor(n, batch_size, drop_last=False):
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    return n // batch_size


@SPEC.mistake("iterations_per_epoch", "n // b + 1: one batch too many when b divides n",
              hint="n // b + 1 counts an empty batch when n is a multiple of b; use -(-n // b).")
def iterations_per_epoch_plus_one(n, batch_size, drop_last=False):
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    return n // batch_size if drop_last else n // batch_size + 1


@SPEC.mistake("iterations_per_epoch", "math.ceil(n / b): the float division is wrong for n beyond 2**53",
              hint="n / b is a float with 53 bits; for huge n it rounds. Stay in integers: -(-n // b).")
def iterations_per_epoch_float_division(n, batch_size, drop_last=False):
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    return n // batch_size if drop_last else math.ceil(n / batch_size)


@SPEC.mistake("minibatch_indices", "always drops the short last batch",
              hint="Keep the short last batch unless drop_last is True: range(0, n, batch_size).")
def minibatch_indices_losing_the_last_batch(n, batch_size, seed=0, shuffle=True, drop_last=False):
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


@SPEC.mistake("minibatch_indices", "draws indices with replacement (rng.choice), so some repeat and some are missed",
              hint="An epoch visits every point once: shuffle with rng.permutation(n), not rng.choice(n, n).")
def minibatch_indices_with_replacement(n, batch_size, seed=0, shuffle=True, drop_last=False):
    _check_int("n", n, 0)
    _check_int("batch_size", batch_size, 1)
    order = np.random.default_rng(seed).choice(n, size=n) if shuffle and n else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[start:start + batch_size] for start in range(0, stop, batch_size)]


@SPEC.mistake_helper
def _gd_variant(X, y, lr, epochs, batch_size, seed, *, reseed=False, factor=2.0, divide_by="batch"):
    X, y = _checked_regression(X, y, lr)
    _check_int("epochs", epochs, 0)
    m = X.shape[0]
    batch_size = m if batch_size is None else batch_size
    _check_int("batch_size", batch_size, 1)
    rng = np.random.default_rng(seed)
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        if reseed:
            rng = np.random.default_rng(seed)
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            scale = {"batch": len(batch), "all": m, "none": 1}[divide_by]
            w = w - lr * factor * (X[batch].T @ (X[batch] @ w - y[batch])) / scale
    return w


@SPEC.mistake("gd_linear_regression", "makes a new generator every epoch, so every epoch has the same order",
              hint="Create rng = np.random.default_rng(seed) once, before the epochs; each epoch then draws a new "
                   "permutation from it.")
def gd_linear_regression_same_order_every_epoch(X, y, lr, epochs, batch_size=None, seed=0):
    return _gd_variant(X, y, lr, epochs, batch_size, seed, reseed=True)


@SPEC.mistake("gd_linear_regression", "the gradient without the factor 2",
              hint="d/dw of mean((Xw - y)^2) is 2 X^T (Xw - y) / len(B): keep the 2.")
def gd_linear_regression_without_two(X, y, lr, epochs, batch_size=None, seed=0):
    return _gd_variant(X, y, lr, epochs, batch_size, seed, factor=1.0)


@SPEC.mistake("gd_linear_regression", "divides a batch's gradient by the number of rows m, not by the batch size",
              hint="Each step minimises the mean over its batch: divide by len(B), the batch's own size.")
def gd_linear_regression_divides_by_m(X, y, lr, epochs, batch_size=None, seed=0):
    return _gd_variant(X, y, lr, epochs, batch_size, seed, divide_by="all")


@SPEC.mistake("gd_linear_regression", "the gradient of the sum of squares, not of the mean",
              hint="The loss is a mean over the batch: divide X[B].T @ (X[B] @ w - y[B]) by len(B).")
def gd_linear_regression_summed_gradient(X, y, lr, epochs, batch_size=None, seed=0):
    return _gd_variant(X, y, lr, epochs, batch_size, seed, divide_by="none")


@SPEC.mistake("cubic_grad", "the gradient without the factor 2",
              hint="d/dr of r^2 is 2 r: every entry is a sum of 2 r x^k.")
def cubic_grad_without_two(x, y, coef):
    x, y, coef = _checked_cubic(x, y, coef)
    a = np.vander(x, 4, increasing=True)
    return a.T @ (a @ coef - y)


@SPEC.mistake("cubic_grad", "averages over the points instead of summing (the loss here is a sum)",
              hint="The tutorial's loss is the sum of squared errors, not the mean: do not divide by n.")
def cubic_grad_of_the_mean(x, y, coef):
    x, y, coef = _checked_cubic(x, y, coef)
    a = np.vander(x, 4, increasing=True)
    return 2.0 * a.T @ (a @ coef - y) / len(x)


@SPEC.mistake("fit_cubic", "updates the coefficients one at a time, each with a fresh residual",
              hint="A gradient step computes the whole gradient at the current point, then moves all four "
                   "coefficients at once.")
def fit_cubic_one_at_a_time(x, y, lr=1e-6, steps=2000):
    x, y, coef = _checked_cubic(x, y, np.zeros(4))
    if not lr > 0:
        raise ValueError("lr must be > 0")
    _check_int("steps", steps, 0)
    a = np.vander(x, 4, increasing=True)
    for _ in range(steps):
        for k in range(4):
            coef[k] -= lr * 2.0 * a[:, k] @ (a @ coef - y)
    return coef


@SPEC.mistake("divergence_threshold", "2 / lambda_max(A^T A): the Hessian's factor 2 is missing (twice too large)",
              hint="The loss sum (A c - y)^2 has Hessian 2 A^T A, so L = 2 lambda_max(A^T A) and 2 / L = "
                   "1 / lambda_max(A^T A).")
def divergence_threshold_without_hessian_two(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError("x must be a non-empty 1-D array")
    a = np.vander(x, 4, increasing=True)
    return float(2.0 / np.linalg.eigvalsh(a.T @ a)[-1])


@SPEC.mistake("divergence_threshold", "1 / L, the safe step size, instead of the limit 2 / L",
              hint="1 / L is a good step size; gradient descent still converges up to 2 / L and diverges beyond.")
def divergence_threshold_one_over_l(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError("x must be a non-empty 1-D array")
    a = np.vander(x, 4, increasing=True)
    return float(1.0 / np.linalg.eigvalsh(2.0 * a.T @ a)[-1])
