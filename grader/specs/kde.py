"""Checks for gaussian_kde and nadaraya_watson (CATALOG B2, topic kde)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_finite, expect_unchanged,
                                   expect_value_error)

SPEC = Spec(
    "kde",
    functions=("gaussian_kde", "nadaraya_watson"),
    forbidden=("scipy.stats", "sklearn", "statsmodels", "torch.distributions", "jax.scipy"),
)
ref = SPEC.reference

POINT = st.floats(-5.0, 5.0, allow_nan=False)
POINTS = nps.arrays(np.float64, st.integers(1, 6), elements=POINT)
QUERY = nps.arrays(np.float64, st.integers(0, 6), elements=st.floats(-10.0, 10.0))
BANDWIDTH = st.floats(0.1, 5.0)
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def density_tolerance(h) -> float:
    """Densities reach 1 / (h sqrt(2 pi)); accurate to ~1e-12 of that."""
    return 1e-12 / h


def kde_case(data=POINTS, query=QUERY, h=BANDWIDTH):
    return st.fixed_dictionaries({"data": data, "query": query, "h": h})


@st.composite
def regression_case(draw, x=POINT, y=st.floats(-1e3, 1e3), h=BANDWIDTH, query=QUERY):
    n = draw(st.integers(1, 6))
    return {"x_train": draw(nps.arrays(np.float64, n, elements=x)),
            "y_train": draw(nps.arrays(np.float64, n, elements=y)),
            "x_query": draw(query), "h": draw(h)}


def y_tolerance(y_train) -> float:
    return 1e-12 * max(1.0, float(np.max(np.abs(y_train))))


# ---------------------------------------------------------------- contract

@SPEC.check("gaussian_kde", tier="contract", points=1,
            title="gaussian_kde returns a float64 array shaped like query and leaves its inputs unchanged",
            given=kde_case(), examples=[dict(data=np.array([0.0, 1.0]), query=np.array([0.0, 0.5]), h=1.0),
                                        dict(data=np.array([2.0]), query=np.zeros(0), h=0.5)])
def gaussian_kde_returns_float64_array(learner, data, query, h):
    value, after = learner.value_and_arguments_after("gaussian_kde", data=data, query=query, h=h)
    array_contract(value, shape=query.shape)
    expect_unchanged({"data": data, "query": query}, after, function="gaussian_kde")


@SPEC.check("gaussian_kde", tier="contract", points=1,
            title="gaussian_kde raises ValueError for h <= 0, empty data, or data that is not 1-D",
            examples=[dict(data=[0.0, 1.0], query=[0.5], h=0.0, why="h = 0"),
                      dict(data=[0.0, 1.0], query=[0.5], h=-1.0, why="h = -1"),
                      dict(data=np.zeros(0), query=[0.5], h=1.0, why="empty data"),
                      dict(data=[[0.0, 1.0], [2.0, 3.0]], query=[0.5], h=1.0, why="2-D data")])
def gaussian_kde_rejects_bad_input(learner, data, query, h, why):
    expect_value_error(learner.outcome("gaussian_kde", data=data, query=query, h=h), bad=why)


@SPEC.check("nadaraya_watson", tier="contract", points=1,
            title="nadaraya_watson returns a float64 array shaped like x_query and leaves its inputs unchanged",
            given=regression_case(),
            examples=[dict(x_train=np.array([0.0, 1.0]), y_train=np.array([0.0, 10.0]), x_query=np.array([0.5]),
                           h=1.0)])
def nadaraya_watson_returns_float64_array(learner, x_train, y_train, x_query, h):
    value, after = learner.value_and_arguments_after("nadaraya_watson", x_train=x_train, y_train=y_train,
                                                     x_query=x_query, h=h)
    array_contract(value, shape=x_query.shape)
    expect_unchanged({"x_train": x_train, "y_train": y_train, "x_query": x_query}, after,
                     function="nadaraya_watson")


@SPEC.check("nadaraya_watson", tier="contract", points=1,
            title="nadaraya_watson raises ValueError for h <= 0, no training points, or x and y that differ",
            examples=[dict(x_train=[0.0, 1.0], y_train=[1.0, 2.0], x_query=[0.5], h=0.0, why="h = 0"),
                      dict(x_train=[0.0, 1.0], y_train=[1.0, 2.0], x_query=[0.5], h=-2.0, why="h = -2"),
                      dict(x_train=np.zeros(0), y_train=np.zeros(0), x_query=[0.5], h=1.0,
                           why="no training points"),
                      dict(x_train=[0.0, 1.0, 2.0], y_train=[1.0, 2.0], x_query=[0.5], h=1.0,
                           why="3 x_train values and 2 y_train values"),
                      dict(x_train=[0.0, 1.0], y_train=[1.0, 2.0, 3.0], x_query=[0.5], h=1.0,
                           why="2 x_train values and 3 y_train values")])
def nadaraya_watson_rejects_bad_input(learner, x_train, y_train, x_query, h, why):
    outcome = learner.outcome("nadaraya_watson", x_train=x_train, y_train=y_train, x_query=x_query, h=h)
    expect_value_error(outcome, bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("gaussian_kde", tier="properties", points=2,
            title="the density is non-negative and integrates to 1 (trapezoid rule over data +- 10 h)",
            given=kde_case(query=st.none()),
            examples=[dict(data=np.array([0.0, 3.0]), query=None, h=0.5)])
def gaussian_kde_integrates_to_one(learner, data, query, h):
    grid = np.arange(data.min() - 10 * h, data.max() + 10 * h + h / 20, h / 20)  # 20 points per bandwidth
    f = as_array(learner.gaussian_kde(data=data, query=grid, h=h), shape=grid.shape,
                 what=f"gaussian_kde on a grid of {grid.size} points")
    expect_finite(f, what="the density")
    if (f < 0).any():
        raise Failure(f"the density is negative somewhere: {float(f.min())!r}", got=f)
    area = float(np.sum((f[1:] + f[:-1]) / 2) * (grid[1] - grid[0]))
    expect_close(area, 1.0, rtol=0, atol=1e-4, what=f"the area under the density (from {grid[0]:.3g} to "
                                                       f"{grid[-1]:.3g})")


@SPEC.check("gaussian_kde", tier="properties", points=2,
            title="scaling data, query and h by a divides the density by a",
            given=st.tuples(kde_case(), st.floats(0.01, 100.0)).map(lambda t: {**t[0], "a": t[1]}),
            examples=[dict(data=np.array([0.0, 1.0]), query=np.array([0.5, 2.0]), h=1.0, a=10.0)])
def gaussian_kde_follows_the_scaling_law(learner, data, query, h, a):
    f = as_array(learner.gaussian_kde(data=data, query=query, h=h), shape=query.shape)
    scaled = as_array(learner.gaussian_kde(data=a * data, query=a * query, h=a * h), shape=query.shape)
    expect_close(scaled, f / a, rtol=1e-9, atol=density_tolerance(a * h),
                 what=f"gaussian_kde({a!r} * data, {a!r} * query, {a!r} * h) (your gaussian_kde(data, query, h) / a)")


@SPEC.check("nadaraya_watson", tier="properties", points=2,
            title="every prediction lies between min(y_train) and max(y_train)",
            given=regression_case(),
            examples=[dict(x_train=np.array([0.0, 1.0, 2.0]), y_train=np.array([5.0, -3.0, 1.0]),
                           x_query=np.array([-1.0, 0.5, 4.0]), h=0.7)])
def nadaraya_watson_is_a_weighted_mean(learner, x_train, y_train, x_query, h):
    got = as_array(learner.nadaraya_watson(x_train=x_train, y_train=y_train, x_query=x_query, h=h),
                   shape=x_query.shape)
    expect_finite(got, what="the prediction")
    low, high = float(y_train.min()), float(y_train.max())
    slack = y_tolerance(y_train)
    outside = (got < low - slack) | (got > high + slack)
    if outside.any():
        i = int(np.argmax(outside))
        raise Failure(f"the prediction at x_query[{i}] = {float(x_query[i])!r} is {float(got[i])!r}, outside "
                      f"[min y, max y] = [{low!r}, {high!r}]: a weighted mean with weights >= 0 stays inside",
                      expected=render.describe(f"values in [{low!r}, {high!r}]"), got=got)


@SPEC.check("nadaraya_watson", tier="properties", points=1,
            title="transforming y to a y + b transforms every prediction the same way",
            given=st.tuples(regression_case(), st.floats(-10.0, 10.0), st.floats(-1e3, 1e3)).map(
                lambda t: {**t[0], "a": t[1], "b": t[2]}),
            examples=[dict(x_train=np.array([0.0, 1.0]), y_train=np.array([1.0, 2.0]), x_query=np.array([0.3]),
                           h=1.0, a=3.0, b=-1.0)])
def nadaraya_watson_is_affine_in_y(learner, x_train, y_train, x_query, h, a, b):
    got = as_array(learner.nadaraya_watson(x_train=x_train, y_train=y_train, x_query=x_query, h=h),
                   shape=x_query.shape)
    moved = as_array(learner.nadaraya_watson(x_train=x_train, y_train=a * y_train + b, x_query=x_query, h=h),
                     shape=x_query.shape)
    expect_close(moved, a * got + b, rtol=1e-9, atol=y_tolerance(a * y_train + b) + abs(a) * y_tolerance(y_train),
                 what=f"the prediction for {a!r} * y + {b!r} (a * your prediction + b)")


# ---------------------------------------------------------------- reference

@SPEC.check("gaussian_kde", tier="reference", points=2, title="gaussian_kde matches the reference",
            given=kde_case(), examples=[dict(data=np.array([0.0, 1.0]), query=np.array([0.0, 0.5]), h=1.0)])
def gaussian_kde_matches_reference(learner, data, query, h):
    expect_close(learner.gaussian_kde(data=data, query=query, h=h), ref.gaussian_kde(data, query, h), rtol=1e-9,
                 atol=density_tolerance(h))


@SPEC.check("nadaraya_watson", tier="reference", points=2, title="nadaraya_watson matches the reference",
            given=regression_case(),
            examples=[dict(x_train=np.array([0.0, 1.0]), y_train=np.array([0.0, 10.0]), x_query=np.array([0.0, 0.5]),
                           h=1.0)])
def nadaraya_watson_matches_reference(learner, x_train, y_train, x_query, h):
    expect_close(learner.nadaraya_watson(x_train=x_train, y_train=y_train, x_query=x_query, h=h),
                 ref.nadaraya_watson(x_train, y_train, x_query, h), rtol=1e-9, atol=y_tolerance(y_train))


# ---------------------------------------------------------------- stability

@st.composite
def extreme_bandwidth(draw):
    h = 10.0 ** draw(st.floats(-200, 200))
    z = draw(POINTS)
    return {"data": h * z, "query": h * draw(QUERY), "h": h}


@SPEC.check("gaussian_kde", tier="stability", points=2,
            title="gaussian_kde works for h from 1e-200 to 1e200 (h^2 and (q - x)^2 under- or overflow)",
            given=extreme_bandwidth(),
            examples=[dict(data=np.array([0.0, 1e200]), query=np.array([0.0, 5e199]), h=1e200),
                      dict(data=np.array([0.0, 1e-200]), query=np.array([0.0, 5e-201]), h=1e-200)])
def gaussian_kde_handles_extreme_bandwidths(learner, data, query, h):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.gaussian_kde(data=data, query=query, h=h)
    expect_close(got, ref.gaussian_kde(data, query, h), rtol=1e-9, atol=density_tolerance(h))


@SPEC.check("nadaraya_watson", tier="stability", points=2,
            title="nadaraya_watson answers far from the data (every weight underflows) with the nearest y",
            given=regression_case(h=st.floats(0.01, 0.1), query=nps.arrays(
                np.float64, st.integers(1, 4), elements=st.one_of(st.floats(-1e4, -100.0), st.floats(100.0, 1e4)))),
            examples=[dict(x_train=np.array([0.0, 1.0]), y_train=np.array([3.0, 7.0]), x_query=np.array([100.0]),
                           h=0.1),
                      dict(x_train=np.array([0.0, 0.5, 1.0]), y_train=np.array([1.0, 2.0, 4.0]),
                           x_query=np.array([-50.0, 0.4, 60.0]), h=0.01)])
def nadaraya_watson_handles_far_queries(learner, x_train, y_train, x_query, h):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.nadaraya_watson(x_train=x_train, y_train=y_train, x_query=x_query, h=h)
    expect_close(got, ref.nadaraya_watson(x_train, y_train, x_query, h), rtol=1e-9, atol=y_tolerance(y_train))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/kde.py (it may use that module's imports and _checked).

@SPEC.mistake_helper
def _kde_with(data, query, h, *, scale, width):
    """sum_i exp(-((q - x_i) / width)^2 / 2) / scale, from the reference's checks: the kde mistakes' shared body."""
    data, query, h = _checked(data, query, h, "data")
    return np.exp(-0.5 * ((query[:, None] - data[None, :]) / width) ** 2).sum(axis=1) / scale


@SPEC.mistake("gaussian_kde", "forgets the 1 / h: the density integrates to h, not 1",
              hint="Each bump phi((q - x_i) / h) must be divided by h to integrate to 1: "
                   "f(q) = sum_i phi((q - x_i) / h) / (n h).")
def gaussian_kde_without_1_over_h(data, query, h):
    n = np.asarray(data).size
    return _kde_with(data, query, h, scale=n * np.sqrt(2 * np.pi), width=h)


@SPEC.mistake("gaussian_kde", "forgets the 1 / sqrt(2 pi) of the normal density",
              hint="phi(u) = exp(-u^2 / 2) / sqrt(2 pi): without the constant the density integrates to sqrt(2 pi).")
def gaussian_kde_without_normal_constant(data, query, h):
    n = np.asarray(data).size
    return _kde_with(data, query, h, scale=n * h, width=h)


@SPEC.mistake("gaussian_kde", "sums the bumps instead of averaging them (no 1 / n)",
              hint="The estimate is the mean of n bumps: divide by n h sqrt(2 pi), so that it integrates to 1.")
def gaussian_kde_summed(data, query, h):
    return _kde_with(data, query, h, scale=h * np.sqrt(2 * np.pi), width=h)


@SPEC.mistake("gaussian_kde", "uses h as the variance of the bumps instead of their standard deviation",
              hint="h is the standard deviation of each bump: exp(-(q - x)^2 / (2 h^2)) / (h sqrt(2 pi)), "
                   "so doubling the data, the queries and h halves the density.")
def gaussian_kde_h_as_variance(data, query, h):
    n = np.asarray(data).size
    return _kde_with(data, query, h, scale=n * np.sqrt(2 * np.pi * h), width=np.sqrt(h))


@SPEC.mistake("gaussian_kde", "squares (q - x) and h separately: for extreme h they overflow or underflow",
              hint="Divide first, then square: ((q - x) / h)**2 stays moderate when q - x and h are both 1e200, "
                   "while (q - x)**2 and h**2 are inf (or 0 for 1e-200).")
def gaussian_kde_squares_separately(data, query, h):
    data, query, h = _checked(data, query, h, "data")
    d2 = (query[:, None] - data[None, :]) ** 2
    return np.exp(-d2 / (2 * h**2)).sum(axis=1) / (data.size * h * np.sqrt(2 * np.pi))


@SPEC.mistake_helper
def _nw_weights(x_train, y_train, x_query, h):
    """(raw weights exp(-(q - x)^2 / 2h^2) (m, n), y) after the reference's checks: no max-shift."""
    x_train, x_query, h = _checked(x_train, x_query, h, "x_train")
    y_train = np.asarray(y_train, dtype=np.float64)
    if y_train.shape != x_train.shape:
        raise ValueError("y_train must have the shape of x_train")
    return np.exp(-0.5 * ((x_query[:, None] - x_train[None, :]) / h) ** 2), y_train


@SPEC.mistake("nadaraya_watson", "computes sum(w y) / sum(w) directly: far from the data that is 0 / 0 = nan",
              hint="The weights are a softmax of -(q - x_i)^2 / (2 h^2): subtract the largest of those exponents "
                   "(per query) before exp, so the nearest point gets weight 1 and the division is never 0 / 0.")
def nadaraya_watson_naive(x_train, y_train, x_query, h):
    w, y = _nw_weights(x_train, y_train, x_query, h)
    return (w @ y) / w.sum(axis=1)


@SPEC.mistake("nadaraya_watson", "divides by n instead of by the sum of the weights",
              hint="Nadaraya-Watson is a weighted mean: sum_i w_i y_i / sum_i w_i. Dividing by n shrinks the "
                   "predictions towards 0 wherever the weights are small.")
def nadaraya_watson_divides_by_n(x_train, y_train, x_query, h):
    w, y = _nw_weights(x_train, y_train, x_query, h)
    return (w @ y) / y.size


@SPEC.mistake("nadaraya_watson", "does not normalise the weights at all: sum(w y)",
              hint="Divide by the sum of the weights: the prediction is a weighted mean, so it stays between "
                   "min(y) and max(y).")
def nadaraya_watson_unnormalised(x_train, y_train, x_query, h):
    w, y = _nw_weights(x_train, y_train, x_query, h)
    return w @ y


@SPEC.mistake("nadaraya_watson", "uses h as the variance: weights exp(-(q - x)^2 / (2 h))",
              hint="h is the kernel's standard deviation: w_i = exp(-(q - x_i)^2 / (2 h^2)).")
def nadaraya_watson_h_as_variance(x_train, y_train, x_query, h):
    x_train, x_query, h = _checked(x_train, x_query, h, "x_train")
    y = np.asarray(y_train, dtype=np.float64)
    if y.shape != x_train.shape:
        raise ValueError("y_train must have the shape of x_train")
    logits = -0.5 * (x_query[:, None] - x_train[None, :]) ** 2 / h
    w = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (w @ y) / w.sum(axis=1)


@SPEC.mistake("nadaraya_watson", "does not check that x_train and y_train have the same length",
              hint="Raise ValueError when x_train and y_train differ in shape: zip and broadcasting would silently "
                   "drop or reuse values.")
def nadaraya_watson_without_length_check(x_train, y_train, x_query, h):
    x_train, x_query, h = _checked(x_train, x_query, h, "x_train")
    out = []
    for q in x_query:
        pairs = list(zip(x_train, np.asarray(y_train, dtype=np.float64)))  # zip stops at the shorter one
        logits = [-0.5 * ((q - x) / h) ** 2 for x, _ in pairs]
        top = max(logits)
        weights = [np.exp(s - top) for s in logits]
        out.append(sum(w * y for w, (_, y) in zip(weights, pairs)) / sum(weights))
    return np.array(out, dtype=np.float64)
