"""Checks for activation, activation_grad, mse, mae, huber and loss_grad (CATALOG A2, topic activations)."""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_unchanged,
                                   expect_value_error, float_contract)

SPEC = Spec(
    "activations",
    functions=("activation", "activation_grad", "mse", "mae", "huber", "loss_grad"),
    forbidden=(
        "torch.nn", "torch.sigmoid", "torch.relu", "torch.special", "torch.autograd", "torch.func",
        "scipy.special.expit", "scipy.special.log_expit", "sklearn.metrics", "jax",
    ),
    forbidden_methods=("backward", "sigmoid", "relu", "gelu", "leaky_relu"),
)
ref = SPEC.reference

KINDS = ("relu", "leaky_relu", "sigmoid", "tanh", "gelu")
LOSSES = ("mse", "mae", "huber")
LEAKY_SLOPE = 0.01  # leaky_relu's slope for x <= 0, as in the stub
FINITE = st.floats(-20, 20, allow_nan=False, allow_infinity=False)
LARGE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
VALUES = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
SHAPES = nps.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6)
DELTA = st.floats(0.1, 10.0)
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def activation_case(elements=FINITE, kinds=st.sampled_from(KINDS)):
    return st.fixed_dictionaries({"x": nps.arrays(np.float64, SHAPES, elements=elements), "kind": kinds})


@st.composite
def loss_case(draw, with_delta=False):
    shape = draw(SHAPES)
    case = {"y_true": draw(nps.arrays(np.float64, shape, elements=VALUES)),
            "y_pred": draw(nps.arrays(np.float64, shape, elements=VALUES))}
    if with_delta:
        case["delta"] = draw(DELTA)
    return case


def activation_tolerance(x) -> float:
    """Absolute slack: erf-based gelu loses ~1e-16 of |x| to cancellation in 1 + erf(x / sqrt 2)."""
    return 1e-13 * max(1.0, float(np.max(np.abs(x), initial=0.0)))


def loss_tolerance(y_true, y_pred, squared: bool) -> float:
    r = float(np.max(np.abs(np.asarray(y_pred) - np.asarray(y_true)), initial=0.0))
    scale = max(1.0, float(np.max(np.abs(y_true), initial=0.0)), float(np.max(np.abs(y_pred), initial=0.0)))
    return 1e-12 * scale * (max(r, 1.0) if squared else 1.0)


def loss(learner, name, y_true, y_pred, delta=None) -> float:
    kwargs = {"y_true": y_true, "y_pred": y_pred} if delta is None else {"y_true": y_true, "y_pred": y_pred,
                                                                         "delta": delta}
    return as_float(getattr(learner, name)(**kwargs), what=f"{name}(...)")


# ---------------------------------------------------------------- contract

SHAPED_EXAMPLES = [dict(x=np.array([-1.0, 0.0, 2.0]), kind=k) for k in KINDS] + [
    dict(x=np.linspace(-3.0, 3.0, 6).reshape(2, 3), kind="gelu"), dict(x=[[0.5], [-0.5]], kind="sigmoid")]


@SPEC.check("activation", tier="contract", points=1,
            title="activation returns a float64 array shaped like x and leaves x unchanged", examples=SHAPED_EXAMPLES)
def activation_returns_float64_array(learner, x, kind):
    value, after = learner.value_and_arguments_after("activation", x=x, kind=kind)
    array_contract(value, shape=np.shape(x))
    expect_unchanged({"x": x}, after, function="activation")


@SPEC.check("activation_grad", tier="contract", points=1,
            title="activation_grad returns a float64 array shaped like x and leaves x unchanged",
            examples=SHAPED_EXAMPLES)
def activation_grad_returns_float64_array(learner, x, kind):
    value, after = learner.value_and_arguments_after("activation_grad", x=x, kind=kind)
    array_contract(value, shape=np.shape(x))
    expect_unchanged({"x": x}, after, function="activation_grad")


UNKNOWN_KINDS = [dict(kind=k) for k in ("softplus", "swish", "")]


@SPEC.check("activation", tier="contract", points=1, title="activation raises ValueError for an unknown kind",
            examples=UNKNOWN_KINDS)
def activation_rejects_unknown_kind(learner, kind):
    expect_value_error(learner.outcome("activation", x=np.array([1.0, -1.0]), kind=kind), bad=f"kind={kind!r}")


@SPEC.check("activation_grad", tier="contract", points=1, title="activation_grad raises ValueError for an unknown kind",
            examples=UNKNOWN_KINDS)
def activation_grad_rejects_unknown_kind(learner, kind):
    expect_value_error(learner.outcome("activation_grad", x=np.array([1.0, -1.0]), kind=kind), bad=f"kind={kind!r}")


LOSS_EXAMPLES = [dict(y_true=np.array([1.0, 2.0]), y_pred=np.array([1.0, 4.0])),
                 dict(y_true=np.arange(6.0).reshape(2, 3), y_pred=np.ones((2, 3))),
                 dict(y_true=[0.5], y_pred=[-2.0])]


def _loss_returns_float(learner, name, y_true, y_pred):
    value, after = learner.value_and_arguments_after(name, y_true=y_true, y_pred=y_pred)
    float_contract(value)
    expect_unchanged({"y_true": y_true, "y_pred": y_pred}, after, function=name)


@SPEC.check("mse", tier="contract", points=1, title="mse returns a float and leaves its inputs unchanged",
            examples=LOSS_EXAMPLES)
def mse_returns_float(learner, y_true, y_pred):
    _loss_returns_float(learner, "mse", y_true, y_pred)


@SPEC.check("mae", tier="contract", points=1, title="mae returns a float and leaves its inputs unchanged",
            examples=LOSS_EXAMPLES)
def mae_returns_float(learner, y_true, y_pred):
    _loss_returns_float(learner, "mae", y_true, y_pred)


@SPEC.check("huber", tier="contract", points=1, title="huber returns a float and leaves its inputs unchanged",
            examples=LOSS_EXAMPLES)
def huber_returns_float(learner, y_true, y_pred):
    _loss_returns_float(learner, "huber", y_true, y_pred)


@SPEC.check("loss_grad", tier="contract", points=1,
            title="loss_grad returns a float64 array shaped like y_pred and leaves its inputs unchanged",
            examples=[{**e, "kind": k} for e in LOSS_EXAMPLES[:2] for k in LOSSES])
def loss_grad_returns_float64_array(learner, y_true, y_pred, kind):
    value, after = learner.value_and_arguments_after("loss_grad", y_true=y_true, y_pred=y_pred, kind=kind)
    array_contract(value, shape=np.shape(y_pred))
    expect_unchanged({"y_true": y_true, "y_pred": y_pred}, after, function="loss_grad")


BAD_PAIRS = [dict(y_true=np.array([1.0, 2.0]), y_pred=np.array([1.0, 2.0, 3.0]),
                  why="y_true of shape (2,) and y_pred of shape (3,)"),
             dict(y_true=np.ones((2, 1)), y_pred=np.ones(2), why="y_true of shape (2, 1) and y_pred of shape (2,)"),
             dict(y_true=np.zeros(0), y_pred=np.zeros(0), why="no elements")]


@SPEC.check("mse", tier="contract", points=1,
            title="mse raises ValueError for mismatched shapes or no elements", examples=BAD_PAIRS)
def mse_rejects_bad_input(learner, y_true, y_pred, why):
    expect_value_error(learner.outcome("mse", y_true=y_true, y_pred=y_pred), bad=why)


@SPEC.check("mae", tier="contract", points=1,
            title="mae raises ValueError for mismatched shapes or no elements", examples=BAD_PAIRS)
def mae_rejects_bad_input(learner, y_true, y_pred, why):
    expect_value_error(learner.outcome("mae", y_true=y_true, y_pred=y_pred), bad=why)


@SPEC.check("huber", tier="contract", points=1,
            title="huber raises ValueError for mismatched shapes, no elements or delta <= 0",
            examples=[{**e, "delta": 1.0} for e in BAD_PAIRS]
            + [dict(y_true=np.ones(2), y_pred=np.zeros(2), delta=d, why=f"delta = {d}") for d in (0.0, -1.0)])
def huber_rejects_bad_input(learner, y_true, y_pred, delta, why):
    expect_value_error(learner.outcome("huber", y_true=y_true, y_pred=y_pred, delta=delta), bad=why)


@SPEC.check("loss_grad", tier="contract", points=1,
            title="loss_grad raises ValueError for mismatched shapes, no elements, an unknown kind or delta <= 0 "
                  "(huber)",
            examples=[{**e, "kind": k, "delta": 1.0} for e in BAD_PAIRS for k in LOSSES]
            + [dict(y_true=np.ones(2), y_pred=np.zeros(2), kind="huber", delta=0.0, why="delta = 0 for huber"),
               dict(y_true=np.ones(2), y_pred=np.zeros(2), kind="l1", delta=1.0, why="kind='l1'")])
def loss_grad_rejects_bad_input(learner, y_true, y_pred, kind, delta, why):
    expect_value_error(learner.outcome("loss_grad", y_true=y_true, y_pred=y_pred, kind=kind, delta=delta), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("activation", tier="properties", points=2,
            title="sigmoid(-x) = 1 - sigmoid(x), tanh(x) = 2 sigmoid(2x) - 1 and relu(x) - relu(-x) = x",
            given=st.fixed_dictionaries({"x": nps.arrays(np.float64, SHAPES, elements=FINITE)}))
def activation_identities_hold(learner, x):
    def act(values, kind):
        return as_array(learner.activation(x=values, kind=kind), shape=np.shape(x), what=f"activation(x, {kind!r})")

    s, s_neg = act(x, "sigmoid"), act(-x, "sigmoid")
    expect_close(s_neg, 1.0 - s, rtol=0, atol=1e-15, what="sigmoid(-x)")
    expect_close(act(x, "tanh"), 2.0 * act(2.0 * x, "sigmoid") - 1.0, rtol=0, atol=4e-15, what="tanh(x)")
    expect_close(act(x, "relu") - act(-x, "relu"), x, rtol=1e-15, atol=0, what="relu(x) - relu(-x)")


@SPEC.check("activation_grad", tier="properties", points=2,
            title="activation_grad is the slope of activation (central differences)",
            given=activation_case(elements=st.floats(-8, 8, allow_nan=False)),
            examples=[dict(x=np.array([-2.0, -0.5, 0.5, 3.0]), kind=k) for k in ("tanh", "sigmoid", "gelu")])
def activation_grad_is_the_slope(learner, x, kind):
    h = 1e-5
    if kind in ("relu", "leaky_relu"):  # a kink at 0: keep every point farther than 2h from it
        x = np.where(np.abs(x) > 2 * h, x, 0.5)
    # The slope of the true activation, so that this check grades activation_grad alone.
    slope = (ref.activation(x + h, kind) - ref.activation(x - h, kind)) / (2 * h)
    grad = as_array(learner.activation_grad(x=x, kind=kind), shape=np.shape(x))
    # Central differences: truncation ~h^2 |f'''| <= 1e-10 here, rounding ~1e-16 |f| / h <= 1e-10.
    expect_close(grad, slope, rtol=1e-6, atol=1e-7, what=f"activation_grad(x, {kind!r})")


@SPEC.check("mse", tier="properties", points=1, title="mse over constant predictions is smallest at the mean",
            given=st.fixed_dictionaries({"y": nps.arrays(np.float64, st.integers(1, 8), elements=VALUES),
                                         "c": VALUES}))
def mse_is_smallest_at_the_mean(learner, y, c):
    at_mean = loss(learner, "mse", y, np.full_like(y, np.mean(y)))
    elsewhere = loss(learner, "mse", y, np.full_like(y, c))
    if not at_mean <= elsewhere + loss_tolerance(y, np.full_like(y, c), squared=True):
        raise Failure(f"predicting the mean gives mse {at_mean!r}, more than predicting {c!r} everywhere "
                      f"({elsewhere!r})", expected=render.describe(f"at most {elsewhere!r}"), got=at_mean)


@SPEC.check("mae", tier="properties", points=1, title="mae over constant predictions is smallest at the median",
            given=st.fixed_dictionaries({"y": nps.arrays(np.float64, st.integers(1, 8), elements=VALUES),
                                         "c": VALUES}))
def mae_is_smallest_at_the_median(learner, y, c):
    at_median = loss(learner, "mae", y, np.full_like(y, np.median(y)))
    elsewhere = loss(learner, "mae", y, np.full_like(y, c))
    if not at_median <= elsewhere + loss_tolerance(y, np.full_like(y, c), squared=False):
        raise Failure(f"predicting the median gives mae {at_median!r}, more than predicting {c!r} everywhere "
                      f"({elsewhere!r})", expected=render.describe(f"at most {elsewhere!r}"), got=at_median)


@st.composite
def outlier_case(draw):
    y = draw(nps.arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10)))
    noise = draw(nps.arrays(np.float64, y.shape, elements=st.floats(-1, 1)))
    return {"y_true": y, "noise": noise, "size": draw(st.floats(10, 1e3)),
            "name": draw(st.sampled_from(["mse", "mae"]))}


@SPEC.check("mae", tier="properties", points=2,
            title="an outlier of size M adds a multiple of M^2 to mse but only of M to mae",
            given=outlier_case())
def outlier_grows_mse_quadratically_and_mae_linearly(learner, y_true, noise, size, name):
    def with_outlier(m):
        y_pred = y_true + noise
        y_pred[0] = y_true[0] + m  # the first residual is the outlier, the rest stays as it was
        return loss(learner, name, y_true, y_pred)

    base, once, twice = with_outlier(0.0), with_outlier(size), with_outlier(2 * size)
    power = 2 if name == "mse" else 1
    expected = base + 2**power * (once - base)  # f(2M) - f(0) = 2^p (f(M) - f(0)) for |r| growing as M^p
    expect_close(twice, expected, rtol=1e-9, atol=1e-12 * (size**power + 1),
                 what=f"{name} with the outlier doubled to {2 * size!r}")


@SPEC.check("huber", tier="properties", points=2,
            title="huber is mse / 2 when every |residual| <= delta and delta * mae - delta^2 / 2 when every one is "
                  "larger",
            given=st.builds(lambda y, r, delta, far: {"y_true": y, "residual": r, "delta": delta, "far": far},
                            nps.arrays(np.float64, 4, elements=st.floats(-10, 10)),
                            nps.arrays(np.float64, 4, elements=st.floats(-1, 1)), DELTA, st.booleans()))
def huber_interpolates_mse_and_mae(learner, y_true, residual, delta, far):
    if far:  # |r| in (delta, 2 delta]: the linear piece
        r = np.sign(residual + 1e-300) * delta * (1.0 + np.maximum(np.abs(residual), 1e-3))
    else:  # |r| <= delta: the quadratic piece
        r = residual * delta
    y_pred = y_true + r
    r = y_pred - y_true
    got = loss(learner, "huber", y_true, y_pred, delta)
    expected = delta * np.mean(np.abs(r)) - delta**2 / 2 if far else np.mean(r * r) / 2
    which = "delta * mae - delta^2 / 2" if far else "mse / 2"
    expect_close(got, expected, rtol=1e-9, atol=1e-12 * delta**2, what=f"huber (it should equal {which})")


@SPEC.check("loss_grad", tier="properties", points=2,
            title="loss_grad is the slope of the loss along any direction (central differences)",
            given=st.builds(lambda case, v, kind: {**case, "direction": v[: case["y_pred"].size]
                                                   .reshape(case["y_pred"].shape), "kind": kind},
                            loss_case(with_delta=True), nps.arrays(np.float64, 36, elements=st.floats(-1, 1)),
                            st.sampled_from(LOSSES)))
def loss_grad_is_the_slope(learner, y_true, y_pred, delta, direction, kind):
    h = 1e-4
    # mae and huber bend where r = 0 or |r| = delta: move every residual at least 4h away from the bends.
    r = y_pred - y_true
    r = np.where(np.abs(r) > 4 * h, r, 0.5)
    r = np.where(np.abs(np.abs(r) - delta) > 4 * h, r, r + 0.5 * np.sign(r))
    y_pred = y_true + r
    # The slope of the true loss, so that this check grades loss_grad alone.
    extra = {"delta": delta} if kind == "huber" else {}
    up = getattr(ref, kind)(y_true, y_pred + h * direction, **extra)
    down = getattr(ref, kind)(y_true, y_pred - h * direction, **extra)
    grad = as_array(learner.loss_grad(y_true=y_true, y_pred=y_pred, kind=kind, delta=delta),
                    shape=np.shape(y_pred))
    slope = (up - down) / (2 * h)
    # mse is quadratic and mae/huber linear between the bends: central differences are exact up to rounding.
    rounding = 1e-15 * max(abs(up), abs(down), 1.0) / h
    expect_close(float(np.sum(grad * direction)), slope, rtol=1e-6, atol=4 * rounding,
                 what=f"the slope of {kind} along a direction (sum of loss_grad * direction)")


# ---------------------------------------------------------------- reference

@SPEC.check("activation", tier="reference", points=2, title="activation matches the reference for every kind",
            given=activation_case(), examples=SHAPED_EXAMPLES[:5])
def activation_matches_reference(learner, x, kind):
    expect_close(learner.activation(x=x, kind=kind), ref.activation(x, kind), rtol=1e-9,
                 atol=activation_tolerance(x), what=f"activation(x, {kind!r})")


@SPEC.check("activation_grad", tier="reference", points=2,
            title="activation_grad matches the reference for every kind, also at x = 0",
            given=activation_case(elements=st.one_of(st.just(0.0), FINITE)), examples=SHAPED_EXAMPLES[:5])
def activation_grad_matches_reference(learner, x, kind):
    expect_close(learner.activation_grad(x=x, kind=kind), ref.activation_grad(x, kind), rtol=1e-9,
                 atol=activation_tolerance(x), what=f"activation_grad(x, {kind!r})")


@SPEC.check("mse", tier="reference", points=1, title="mse matches the reference", given=loss_case(),
            examples=LOSS_EXAMPLES)
def mse_matches_reference(learner, y_true, y_pred):
    expect_close(loss(learner, "mse", y_true, y_pred), ref.mse(y_true, y_pred), rtol=1e-9,
                 atol=loss_tolerance(y_true, y_pred, squared=True))


@SPEC.check("mae", tier="reference", points=1, title="mae matches the reference", given=loss_case(),
            examples=LOSS_EXAMPLES)
def mae_matches_reference(learner, y_true, y_pred):
    expect_close(loss(learner, "mae", y_true, y_pred), ref.mae(y_true, y_pred), rtol=1e-9,
                 atol=loss_tolerance(y_true, y_pred, squared=False))


HUBER_EXAMPLES = [dict(y_true=np.zeros(2), y_pred=np.array([0.5, 3.0]), delta=1.0),
                  dict(y_true=np.zeros(3), y_pred=np.array([-2.0, 2.0, 0.0]), delta=2.0),
                  dict(y_true=np.array([1.0, 1.0]), y_pred=np.array([1.25, -9.0]), delta=0.5)]


@SPEC.check("huber", tier="reference", points=1, title="huber matches the reference, also at |residual| = delta",
            given=loss_case(with_delta=True), examples=HUBER_EXAMPLES)
def huber_matches_reference(learner, y_true, y_pred, delta):
    expect_close(loss(learner, "huber", y_true, y_pred, delta), ref.huber(y_true, y_pred, delta), rtol=1e-9,
                 atol=loss_tolerance(y_true, y_pred, squared=True) * max(delta, 1.0))


@SPEC.check("loss_grad", tier="reference", points=2,
            title="loss_grad matches the reference for every kind, also where a residual is 0 or +-delta",
            given=st.builds(lambda case, kind: {**case, "kind": kind}, loss_case(with_delta=True),
                            st.sampled_from(LOSSES)),
            examples=[{**e, "kind": k} for e in HUBER_EXAMPLES for k in LOSSES])
def loss_grad_matches_reference(learner, y_true, y_pred, delta, kind):
    expect_close(learner.loss_grad(y_true=y_true, y_pred=y_pred, kind=kind, delta=delta),
                 ref.loss_grad(y_true, y_pred, kind, delta), rtol=1e-9,
                 atol=1e-15 * max(1.0, float(np.max(np.abs(y_pred - y_true), initial=0.0))),
                 what=f"loss_grad(..., {kind!r})")


# ---------------------------------------------------------------- stability

HUGE_EXAMPLES = [dict(x=np.array([-1e3, -745.0, -40.0, 0.0, 40.0, 710.0, 1e3]), kind=k) for k in KINDS]


@SPEC.check("activation", tier="stability", points=2,
            title="activation handles |x| up to 1e3 without overflow", given=activation_case(elements=LARGE),
            examples=HUGE_EXAMPLES)
def activation_handles_large_inputs(learner, x, kind):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        value = learner.activation(x=x, kind=kind)
    expect_close(value, ref.activation(x, kind), rtol=1e-9, atol=activation_tolerance(x),
                 what=f"activation(x, {kind!r})")


@SPEC.check("activation_grad", tier="stability", points=2,
            title="activation_grad handles |x| up to 1e3 without overflow", given=activation_case(elements=LARGE),
            examples=HUGE_EXAMPLES)
def activation_grad_handles_large_inputs(learner, x, kind):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        value = learner.activation_grad(x=x, kind=kind)
    expect_close(value, ref.activation_grad(x, kind), rtol=1e-9, atol=activation_tolerance(x),
                 what=f"activation_grad(x, {kind!r})")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/activations.py (it may call that module's helpers).

@SPEC.mistake_helper
def _activation_variant(x, kind, *, naive_sigmoid=False, tanh_gelu=False):
    x = np.asarray(x, dtype=np.float64)
    _checked_kind(kind)
    if kind == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x)) if naive_sigmoid else _sigmoid(x)
    if kind == "gelu" and tanh_gelu:
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    if kind == "gelu":
        return x * _normal_cdf(x)
    if kind == "tanh":
        return np.tanh(x)
    return np.where(x > 0, x, 0.0 if kind == "relu" else LEAKY_SLOPE * x)


@SPEC.mistake("activation", "sigmoid as 1 / (1 + exp(-x)): exp overflows for large negative x",
              hint="Use exp(-|x|), which is never larger than 1: sigmoid = 1 / (1 + e) for x >= 0 and e / (1 + e) "
                   "for x < 0, with e = exp(-|x|).")
def activation_naive_sigmoid(x, kind):
    return _activation_variant(x, kind, naive_sigmoid=True)


@SPEC.mistake("activation", "gelu with the tanh approximation instead of the exact x * Phi(x)",
              hint="The exact GELU is x * Phi(x) with Phi(x) = (1 + erf(x / sqrt(2))) / 2 (math.erf or "
                   "scipy.special.erf); 0.5 x (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))) is only close to it.")
def activation_tanh_gelu(x, kind):
    return _activation_variant(x, kind, tanh_gelu=True)


@SPEC.mistake_helper
def _grad_variant(x, kind, *, relu_at_zero=0.0, leaky_negative=LEAKY_SLOPE, from_output=False, gelu_pdf=True):
    x = np.asarray(x, dtype=np.float64)
    _checked_kind(kind)
    if kind == "relu":
        return np.where(x > 0, 1.0, np.where(x == 0, relu_at_zero, 0.0))
    if kind == "leaky_relu":
        return np.where(x > 0, 1.0, leaky_negative)
    if kind in ("sigmoid", "tanh") and from_output:
        return x * (1.0 - x) if kind == "sigmoid" else 1.0 - x**2
    if kind == "sigmoid":
        return _sigmoid(x) * (1.0 - _sigmoid(x))
    if kind == "tanh":
        return 1.0 - np.tanh(x) ** 2
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return _normal_cdf(x) + (x * pdf if gelu_pdf else 0.0)


@SPEC.mistake("activation_grad", "relu's derivative is 1 at x = 0 (x >= 0 instead of x > 0)",
              hint="Here, as in torch, the derivative of relu at 0 is 0: use np.where(x > 0, 1.0, 0.0).")
def activation_grad_relu_one_at_zero(x, kind):
    return _grad_variant(x, kind, relu_at_zero=1.0)


@SPEC.mistake("activation_grad", "leaky_relu's derivative is 0 for x <= 0 (the slope 0.01 is missing)",
              hint="leaky_relu(x) = 0.01 x for x <= 0, so its derivative there is 0.01, not 0.")
def activation_grad_leaky_without_slope(x, kind):
    return _grad_variant(x, kind, leaky_negative=0.0)


@SPEC.mistake("activation_grad", "uses the output formula on the input: 1 - x^2 for tanh, x (1 - x) for sigmoid",
              hint="tanh' = 1 - tanh(x)^2 and sigmoid' = s (1 - s) with s = sigmoid(x): those formulas take the "
                   "activation's output, and here you are given x.")
def activation_grad_from_output_formula(x, kind):
    return _grad_variant(x, kind, from_output=True)


@SPEC.mistake("activation_grad", "gelu's derivative is Phi(x) only (the x * phi(x) term of the product rule is "
                                 "missing)",
              hint="gelu(x) = x * Phi(x), so by the product rule gelu'(x) = Phi(x) + x * phi(x), with "
                   "phi(x) = exp(-x^2 / 2) / sqrt(2 pi).")
def activation_grad_gelu_without_product_rule(x, kind):
    return _grad_variant(x, kind, gelu_pdf=False)


@SPEC.mistake("mse", "adds up the squared errors instead of averaging them",
              hint="The mean squared error divides the sum of squares by the number of elements.")
def mse_summed(y_true, y_pred):
    r = _residuals(y_true, y_pred)
    return float(np.sum(r * r))


@SPEC.mistake("mae", "the absolute value of the mean error instead of the mean of the absolute errors",
              hint="Take |r| elementwise first, then the mean: errors of opposite signs must not cancel.")
def mae_of_mean_error(y_true, y_pred):
    return float(np.abs(np.mean(_residuals(y_true, y_pred))))


@SPEC.mistake("huber", "the quadratic piece is r^2 (not r^2 / 2), so the pieces do not meet at delta",
              hint="Huber is r^2 / 2 for |r| <= delta and delta (|r| - delta / 2) beyond: at |r| = delta both "
                   "give delta^2 / 2.")
def huber_without_half(y_true, y_pred, delta=1.0):
    r = np.abs(_residuals(y_true, y_pred))
    delta = _checked_delta(delta)
    return float(np.mean(np.where(r <= delta, r * r, delta * (r - 0.5 * delta))))


@SPEC.mistake_helper
def _loss_grad_variant(y_true, y_pred, kind, delta, *, factor=2.0, sign=1.0, mean=True):
    if kind not in LOSSES:
        raise ValueError(f"kind must be one of {LOSSES}")
    r = _residuals(y_true, y_pred)
    n = r.size if mean else 1
    if kind == "mse":
        return factor * r / n
    if kind == "mae":
        return sign * np.sign(r) / n
    return np.clip(r, -_checked_delta(delta), _checked_delta(delta)) / n


@SPEC.mistake("loss_grad", "the mse gradient without the factor 2 (r / N instead of 2 r / N)",
              hint="d/dr of r^2 is 2 r: the gradient of mean(r^2) is 2 r / N.")
def loss_grad_mse_without_two(y_true, y_pred, kind, delta=1.0):
    return _loss_grad_variant(y_true, y_pred, kind, delta, factor=1.0)


@SPEC.mistake("loss_grad", "the mae gradient with the sign flipped (sign(y_true - y_pred))",
              hint="The gradient is with respect to y_pred: d|y_pred - y_true| / d y_pred = sign(y_pred - y_true).")
def loss_grad_mae_sign_flipped(y_true, y_pred, kind, delta=1.0):
    return _loss_grad_variant(y_true, y_pred, kind, delta, sign=-1.0)


@SPEC.mistake("loss_grad", "does not divide by N: the gradient of the sum, not of the mean",
              hint="The losses are means over the N elements, so every gradient entry carries a 1 / N.")
def loss_grad_of_the_sum(y_true, y_pred, kind, delta=1.0):
    return _loss_grad_variant(y_true, y_pred, kind, delta, mean=False)
