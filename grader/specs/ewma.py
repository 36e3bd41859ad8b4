"""Checks for ewma, the bias-corrected exponentially weighted average (DESIGN.md, topic ewma)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

SPEC = Spec(
    "ewma",
    functions=("ewma", "adam_step"),
    # Importing pandas is fine; its ewm(...).mean() is the exercise itself. So is torch's Adam for adam_step.
    forbidden=("pandas.Series.ewm", "pandas.DataFrame.ewm", "torch.optim", "optax", "tensorflow.keras.optimizers"),
    forbidden_methods=("ewm",),
)
ref = SPEC.reference

FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
BETA = st.one_of(st.just(0.0), st.sampled_from([0.5, 0.9, 0.99, 0.999]), st.floats(0.0, 0.999))
SERIES = nps.arrays(np.float64, st.integers(1, 6), elements=FINITE)
LONG = 10_000  # the length of the long series in the stability check
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def series_and_beta(correction=st.booleans(), series=SERIES):
    return st.fixed_dictionaries({"x": series, "beta": BETA, "bias_correction": correction})


def tolerance(*series) -> float:
    """Absolute tolerance: the recursion rounds at ~1e-16 of the data per step, and a beta near 1
    remembers those errors for ~1/(1 - beta) steps; different correct routes differ by ~1e-13."""
    scale = sum(float(np.max(np.abs(s), initial=0.0)) for s in series)
    return 1e-9 * scale + 1e-300


def finite_averages(value, length: int, what: str = "the result") -> np.ndarray:
    """The learner's averages as a float array of shape (length,), all finite (the series is)."""
    averages = as_array(value, shape=(length,), what=what)
    if not np.all(np.isfinite(averages)):
        raise Failure(f"{what} contains inf or nan, but every point of the series is finite", got=value)
    return averages


# ---------------------------------------------------------------- contract

@SPEC.check("ewma", tier="contract", points=1, title="ewma returns a float64 array of shape (T,)",
            given=series_and_beta(),
            examples=[dict(x=[1, 2, 3], beta=0.5, bias_correction=True),
                      dict(x=[4, 5], beta=0.9, bias_correction=False)])
def ewma_returns_float64_array(learner, x, beta, bias_correction):
    array_contract(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), shape=(len(x),))


@SPEC.check("ewma", tier="contract", points=1, title="an empty series gives an empty float64 array",
            examples=[dict(x=[], beta=0.9, bias_correction=True), dict(x=np.zeros(0), beta=0.5, bias_correction=False),
                      dict(x=np.zeros(0), beta=0.0, bias_correction=True)])
def ewma_of_empty_series_is_empty(learner, x, beta, bias_correction):
    array_contract(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), shape=(0,))


@SPEC.check("ewma", tier="contract", points=1, title="ewma leaves x unchanged", given=series_and_beta())
def ewma_leaves_input_unchanged(learner, x, beta, bias_correction):
    _, after = learner.value_and_arguments_after("ewma", x=x, beta=beta, bias_correction=bias_correction)
    expect_unchanged({"x": x}, after, function="ewma")


BAD_BETAS = st.one_of(st.floats(1.0, 10.0), st.floats(-10.0, 0.0, exclude_max=True))


@SPEC.check("ewma", tier="contract", points=2, title="ewma raises ValueError when beta is outside [0, 1)",
            given=st.fixed_dictionaries({"x": SERIES, "beta": BAD_BETAS, "bias_correction": st.booleans()}),
            examples=[dict(x=np.array([1.0, 2.0]), beta=1.0, bias_correction=True),
                      dict(x=np.array([1.0, 2.0]), beta=1.0, bias_correction=False),
                      dict(x=np.array([1.0, 2.0]), beta=-0.5, bias_correction=True),
                      dict(x=np.array([1.0]), beta=1.5, bias_correction=False)])
def ewma_rejects_beta_outside_unit_interval(learner, x, beta, bias_correction):
    outcome = learner.outcome("ewma", x=x, beta=beta, bias_correction=bias_correction)
    expect_value_error(outcome, bad=f"beta={beta!r}")


# ---------------------------------------------------------------- properties

CONSTANT_SERIES = st.builds(lambda c, n, beta: {"x": np.full(n, c), "beta": beta},
                            FINITE, st.integers(1, 6), BETA)


@SPEC.check("ewma", tier="properties", points=2,
            title="with bias correction, a constant series comes back unchanged",
            given=CONSTANT_SERIES, examples=[dict(x=np.array([1.0, 1.0, 1.0]), beta=0.9)])
def ewma_reproduces_constant_series(learner, x, beta):
    got = as_array(learner.ewma(x=x, beta=beta, bias_correction=True), shape=x.shape)
    expect_close(got, x, rtol=1e-9, atol=tolerance(x), what=f"the average of a constant series of {float(x[0])!r}")


@SPEC.check("ewma", tier="properties", points=1,
            title="without bias correction, the first value is (1 - beta) * x[0]",
            given=series_and_beta(correction=st.just(False)),
            examples=[dict(x=np.array([2.0, 4.0]), beta=0.9, bias_correction=False)])
def ewma_uncorrected_first_value(learner, x, beta, bias_correction):
    got = as_array(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), shape=x.shape)
    expect_close(got[0], (1.0 - beta) * x[0], rtol=1e-9, atol=tolerance(x), what="the first value")


@SPEC.check("ewma", tier="properties", points=1, title="beta = 0 returns x itself, corrected or not",
            given=st.fixed_dictionaries({"x": SERIES, "beta": st.just(0.0), "bias_correction": st.booleans()}),
            examples=[dict(x=np.array([3.0, -1.0, 2.0]), beta=0.0, bias_correction=True)])
def ewma_with_zero_beta_is_identity(learner, x, beta, bias_correction):
    got = as_array(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), shape=x.shape)
    expect_close(got, x, rtol=1e-9, atol=tolerance(x), what="ewma with beta = 0")


@st.composite
def two_series_and_coefficients(draw):
    n = draw(st.integers(1, 6))
    x, y = (draw(nps.arrays(np.float64, n, elements=FINITE)) for _ in range(2))
    a, b = draw(st.floats(-10, 10)), draw(st.floats(-10, 10))
    return {"x": x, "y": y, "a": a, "b": b, "beta": draw(BETA), "bias_correction": draw(st.booleans())}


@SPEC.check("ewma", tier="properties", points=1, title="ewma is linear: ewma(a x + b y) = a ewma(x) + b ewma(y)",
            given=two_series_and_coefficients())
def ewma_is_linear(learner, x, y, a, b, beta, bias_correction):
    combined = finite_averages(learner.ewma(x=a * x + b * y, beta=beta, bias_correction=bias_correction), len(x),
                               what="ewma(a x + b y)")
    of_x = finite_averages(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), len(x), what="ewma(x)")
    of_y = finite_averages(learner.ewma(x=y, beta=beta, bias_correction=bias_correction), len(x), what="ewma(y)")
    expect_close(combined, a * of_x + b * of_y, rtol=1e-9, atol=tolerance(a * x, b * y),
                 what=f"ewma({a!r} * x + {b!r} * y)")


@SPEC.check("ewma", tier="properties", points=2,
            title="with bias correction, every average lies between min(x) and max(x)",
            given=series_and_beta(correction=st.just(True)),
            examples=[dict(x=np.array([1.0, 1.0]), beta=0.5, bias_correction=True),
                      dict(x=np.array([2.0, 3.0, 2.5]), beta=0.9, bias_correction=True)])
def ewma_corrected_stays_within_range(learner, x, beta, bias_correction):
    got = finite_averages(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), len(x), what="the averages")
    low, high = float(x.min()), float(x.max())
    # "expected" is the nearest point of [min x, max x]: the report shows how far outside a value is.
    rule = f"each must equal {low!r}" if low == high else f"each must lie in [{low!r}, {high!r}]"
    expect_close(got, np.clip(got, low, high), rtol=0, atol=tolerance(x), what=f"the averages ({rule})")


# ---------------------------------------------------------------- reference

@SPEC.check("ewma", tier="reference", points=2, title="with bias correction, ewma matches the reference",
            given=series_and_beta(correction=st.just(True)),
            examples=[dict(x=np.array([1.0, 2.0, 3.0]), beta=0.5, bias_correction=True)])
def ewma_corrected_matches_reference(learner, x, beta, bias_correction):
    expect_close(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), ref.ewma(x, beta, True),
                 rtol=1e-9, atol=tolerance(x))


@SPEC.check("ewma", tier="reference", points=2, title="without bias correction, ewma matches the reference",
            given=series_and_beta(correction=st.just(False)),
            examples=[dict(x=np.array([1.0, 2.0, 3.0]), beta=0.5, bias_correction=False)])
def ewma_uncorrected_matches_reference(learner, x, beta, bias_correction):
    expect_close(learner.ewma(x=x, beta=beta, bias_correction=bias_correction), ref.ewma(x, beta, False),
                 rtol=1e-9, atol=tolerance(x))


# ---------------------------------------------------------------- stability

@st.composite
def long_series(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    x = np.random.RandomState(seed).uniform(-1e3, 1e3, LONG)
    # beta = 0 is left to the properties: there log(beta) = -inf is right, but numpy flags "divide".
    beta = draw(st.one_of(st.sampled_from([0.5, 0.9, 0.99, 0.999]), st.floats(0.0, 0.999, exclude_min=True)))
    return {"x": x, "beta": beta, "bias_correction": draw(st.booleans())}


@SPEC.check("ewma", tier="stability", points=2,
            title="ewma handles a series of 10000 points (beta**t underflows) without overflow or NaN",
            given=long_series(), max_examples=10,
            examples=[dict(x=np.linspace(-1.0, 1.0, LONG), beta=0.5, bias_correction=True),
                      dict(x=np.linspace(-1.0, 1.0, LONG), beta=0.999, bias_correction=True),
                      dict(x=np.linspace(-1.0, 1.0, LONG), beta=0.999, bias_correction=False)])
def ewma_handles_long_series(learner, x, beta, bias_correction):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.ewma(x=x, beta=beta, bias_correction=bias_correction)
    expect_close(got, ref.ewma(x, beta, bias_correction), rtol=1e-9, atol=tolerance(x))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/ewma.py (it may use that module's imports and
# helpers, and the mistake helper below): the shared recursion with one switch turned.

@SPEC.mistake_helper
def _ewma_with(x, beta, bias_correction, *, seed_with_first=False, swap_weights=False, first_t=1,
               last_t_for_all=False, correct=None):
    """ewma with a switch per known mistake (the defaults give the right ewma, less the ndim check).

    correct: None follows bias_correction; True or False ignores it.
    """
    x = np.asarray(x, dtype=np.float64)
    beta = float(beta)
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    keep, take = (1.0 - beta, beta) if swap_weights else (beta, 1.0 - beta)
    v = np.empty(x.shape)
    previous = x[0] if seed_with_first and len(x) else 0.0
    for t, value in enumerate(x.tolist()):
        previous = keep * previous + take * value
        v[t] = previous
    if not (bias_correction if correct is None else correct):
        return v
    if last_t_for_all:
        return v / (1.0 - beta ** len(x))
    return v / (1.0 - beta ** np.arange(first_t, len(x) + first_t, dtype=np.float64))


@SPEC.mistake("ewma", "bias correction counts t from 0: the first step divides by 1 - beta**0 = 0",
              hint="After the first point the weights sum to 1 - beta**1, so t starts at 1: "
                   "divide the t-th average (t = 1, 2, ...) by 1 - beta**t.")
def ewma_correction_counted_from_zero(x, beta, bias_correction=True):
    """Divides the t-th average by 1 - beta**(t - 1)."""
    return _ewma_with(x, beta, bias_correction, first_t=0)


@SPEC.mistake("ewma", "bias correction with beta**(t + 1): the exponent is one too large",
              hint="The t-th average (t = 1, 2, ...) has seen t points whose weights sum to 1 - beta**t; "
                   "divide by exactly that.")
def ewma_correction_exponent_too_large(x, beta, bias_correction=True):
    """Divides the t-th average by 1 - beta**(t + 1)."""
    return _ewma_with(x, beta, bias_correction, first_t=2)


@SPEC.mistake("ewma", "starts the recursion at v_0 = x[0] instead of v_0 = 0",
              hint="Start from v = 0: the bias correction 1 / (1 - beta**t) exists precisely to undo that zero "
                   "start. Seeding with x[0] is pandas' adjust=False, a different average.")
def ewma_seeded_with_first_value(x, beta, bias_correction=True):
    """Starts the recursion from v_0 = x[0]."""
    return _ewma_with(x, beta, bias_correction, seed_with_first=True)


@SPEC.mistake("ewma", "beta and 1 - beta swapped: the new point gets weight beta",
              hint="beta is the memory: v_t = beta * v_{t-1} + (1 - beta) * x_t keeps beta of the OLD average "
                   "and takes only (1 - beta) of the new point.")
def ewma_with_weights_swapped(x, beta, bias_correction=True):
    """Computes v_t = (1 - beta) v_{t-1} + beta x_t."""
    return _ewma_with(x, beta, bias_correction, swap_weights=True)


@SPEC.mistake("ewma", "divides every average by 1 - beta**T (the last t) instead of its own 1 - beta**t",
              hint="Each average has its own correction: the t-th one has seen t points, so divide it by "
                   "1 - beta**t with its own t, not the length of the series.")
def ewma_corrected_with_last_t(x, beta, bias_correction=True):
    """Divides every average by 1 - beta**T."""
    return _ewma_with(x, beta, bias_correction, last_t_for_all=True)


@SPEC.mistake("ewma", "ignores bias_correction=True: never applies the correction",
              hint="When bias_correction is True, divide the t-th average by 1 - beta**t (t = 1, 2, ...).")
def ewma_never_corrects(x, beta, bias_correction=True):
    """Returns the raw averages whatever bias_correction says."""
    return _ewma_with(x, beta, bias_correction, correct=False)


@SPEC.mistake("ewma", "ignores bias_correction=False: always applies the correction",
              hint="With bias_correction=False return the raw averages v_t; only divide by 1 - beta**t "
                   "when bias_correction is True.")
def ewma_always_corrects(x, beta, bias_correction=True):
    """Divides by 1 - beta**t whatever bias_correction says."""
    return _ewma_with(x, beta, bias_correction, correct=True)


# ================================================================ adam_step (Adam: two bias-corrected EWMAs)

ADAM = "adam_step"
ADAM_VALUES = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def adam_inputs(draw, grads=ADAM_VALUES, steps=st.integers(1, 1000)):
    shape = draw(st.sampled_from([(1,), (3,), (2, 2), (4,)]))
    args = {"param": draw(nps.arrays(np.float64, shape, elements=ADAM_VALUES)),
            "grad": draw(nps.arrays(np.float64, shape, elements=grads)),
            "m": draw(nps.arrays(np.float64, shape, elements=ADAM_VALUES)),
            "v": draw(nps.arrays(np.float64, shape, elements=st.floats(0.0, 100.0))), "t": draw(steps)}
    if draw(st.booleans()):  # the defaults (torch's), or other settings by name
        args.update(lr=draw(st.sampled_from([1e-3, 0.01, 0.1, 1.0])), beta1=draw(st.sampled_from([0.0, 0.5, 0.9])),
                    beta2=draw(st.sampled_from([0.0, 0.9, 0.99, 0.999])), eps=draw(st.sampled_from([1e-8, 1e-3, 0.1])))
    return args


ADAM_INPUTS = adam_inputs()
ADAM_EXAMPLES = [  # eps = 1e-3 in the first: with 1e-8, eps inside the square root is within 1e-7 of right
    dict(param=np.array([1.0]), grad=np.array([2.0]), m=np.array([0.0]), v=np.array([0.0]), t=1, lr=0.1, eps=1e-3),
    dict(param=np.array([1.0, -2.0, 0.5]), grad=np.array([0.5, 3.0, -1.0]), m=np.array([0.1, -0.2, 0.3]),
         v=np.array([0.2, 1.0, 0.05]), t=2, lr=0.01, beta1=0.5, beta2=0.9, eps=1e-3),
    dict(param=np.array([[0.5, 1.0], [2.0, -1.0]]), grad=np.array([[1.0, -2.0], [0.25, 4.0]]),
         m=np.array([[0.5, 0.0], [-1.0, 2.0]]), v=np.array([[1.0, 4.0], [0.5, 9.0]]), t=3),
]


def adam_result(learner, args):
    shape = np.shape(args["param"])
    items = tuple_contract(learner.adam_step(**args), 3)
    return tuple(as_array(item, shape=shape, what=f"{name} ({position} item)")
                 for item, name, position in zip(items, ("the new param", "the new m", "the new v"),
                                                 ("first", "second", "third")))


def expect_adam_reference(learner, args):
    param, m, v = adam_result(learner, args)
    want_param, want_m, want_v = ref.adam_step(**args)
    step = np.abs(want_param - args["param"]).max()
    expect_close(m, want_m, rtol=1e-12, atol=1e-13 * (1 + np.abs(args["m"]).max() + np.abs(args["grad"]).max()),
                 what="the new m (second item)")
    expect_close(v, want_v, rtol=1e-12, atol=1e-13 * (1 + args["v"].max() + (args["grad"] ** 2).max()),
                 what="the new v (third item)")
    expect_close(param, want_param, rtol=1e-12, atol=1e-10 * step + 1e-13 * (1 + np.abs(args["param"]).max()),
                 what="the new param (first item)")


@SPEC.check(ADAM, tier="contract", points=1,
            title="adam_step returns three float64 arrays shaped like param and changes none of its inputs",
            given=ADAM_INPUTS, examples=ADAM_EXAMPLES)
def adam_returns_new_arrays(learner, **args):
    value, after = learner.value_and_arguments_after(ADAM, **args)
    for item, name in zip(tuple_contract(value, 3), ("the new param", "the new m", "the new v")):
        array_contract(item, shape=np.shape(args["param"]), what=name)
    expect_unchanged({k: args[k] for k in ("param", "grad", "m", "v")}, after, function=ADAM)


@SPEC.check(ADAM, tier="contract", points=1,
            title="adam_step raises ValueError for t < 1, a bool t, a beta outside [0, 1) or mismatched shapes",
            examples=[{**ADAM_EXAMPLES[1], "t": 0, "why": "t = 0 (steps count from 1)"},
                      {**ADAM_EXAMPLES[1], "t": True, "why": "t = True (a bool is not an int)"},
                      {**ADAM_EXAMPLES[1], "beta1": 1.0, "why": "beta1 = 1.0"},
                      {**ADAM_EXAMPLES[1], "beta2": -0.1, "why": "beta2 = -0.1"},
                      {**ADAM_EXAMPLES[1], "v": np.ones(2), "why": "v of shape (2,) for param (3,)"}])
def adam_rejects_bad_input(learner, why, **args):
    expect_value_error(learner.outcome(ADAM, **args), bad=why)


@SPEC.check(ADAM, tier="properties", points=2,
            title="the first step (m = v = 0) moves each parameter by lr * |g| / (|g| + eps) against its gradient",
            given=adam_inputs(steps=st.just(1)).map(lambda a: {**a, "m": np.zeros_like(a["m"]),
                                                              "v": np.zeros_like(a["v"])}),
            examples=[ADAM_EXAMPLES[0], {**ADAM_EXAMPLES[1], "m": np.zeros(3), "v": np.zeros(3), "t": 1}])
def adam_first_step_is_about_lr(learner, **args):
    param, _, _ = adam_result(learner, args)
    lr, eps, g = args.get("lr", 1e-3), args.get("eps", 1e-8), args["grad"]
    expect_close(args["param"] - param, lr * g / (np.abs(g) + eps), rtol=1e-9,
                 atol=1e-12 * (1 + np.abs(args["param"]).max()), what="the first step (param - new param)")


@SPEC.check(ADAM, tier="properties", points=2,
            title="with eps = 0, scaling grad and m by c and v by c**2 leaves the new param unchanged",
            given=st.tuples(adam_inputs(grads=st.floats(0.5, 10)), st.sampled_from([1e-3, 0.5, 4.0, 1e3])).map(
                lambda t: {**t[0], "eps": 0.0, "v": t[0]["v"] + 0.5, "c": t[1]}),
            examples=[{**ADAM_EXAMPLES[2], "eps": 0.0, "c": 100.0}])
def adam_is_scale_invariant(learner, c, **args):
    param, _, _ = adam_result(learner, args)
    scaled = {**args, "grad": c * args["grad"], "m": c * args["m"], "v": c * c * args["v"]}
    param_c, _, _ = adam_result(learner, scaled)
    expect_close(param_c, param, rtol=1e-9, atol=1e-12 * (1 + np.abs(args["param"]).max() + args.get("lr", 1e-3) * 10),
                 what=f"the new param with grad and m times {c!r} and v times {c * c!r}")


@SPEC.check(ADAM, tier="reference", points=3, title="adam_step matches the reference", given=ADAM_INPUTS,
            examples=ADAM_EXAMPLES)
def adam_matches_reference(learner, **args):
    expect_adam_reference(learner, args)


@SPEC.check(ADAM, tier="stability", points=1,
            title="adam_step stays exact at step 10**6 (beta**t underflows) and for gradients from 1e-150 to 1e100",
            given=adam_inputs(grads=st.sampled_from([1e-150, -1e-150, 1e100, -1e100, 1.0]),
                              steps=st.sampled_from([10**6, 10**4, 1])).map(
                lambda a: {**a, "m": np.zeros_like(a["m"]), "v": np.zeros_like(a["v"])}),
            examples=[dict(param=np.array([1.0, 2.0]), grad=np.array([1e-150, 1e100]), m=np.zeros(2), v=np.zeros(2),
                           t=10**6)])
def adam_handles_extreme_steps(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        expect_adam_reference(learner, args)


@SPEC.mistake_helper
def _adam_with(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, correct=True, eps_inside=False,
               plain_grad=False, first_t=1, old_m=False, in_place=False):
    """adam_step with one switch per known mistake (defaults: the right step, less the validation)."""
    arrays = [np.asarray(a, dtype=np.float64) for a in (param, grad, m, v)]
    if in_place:  # numpy arrays are updated where they are, as an optimizer's state often is
        arrays = [a if isinstance(a, np.ndarray) and a.dtype == np.float64 else np.asarray(a, dtype=np.float64)
                  for a in (param, grad, m, v)]
    param, grad, m, v = arrays
    if not param.shape == grad.shape == m.shape == v.shape or isinstance(t, bool) or t < 1 \
            or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
        raise ValueError("bad input")
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * (np.abs(grad) if plain_grad else grad**2)
    used_m = m if old_m else new_m
    step_t = t - 1 + first_t
    m_hat = used_m / (1 - beta1**step_t) if correct else used_m
    v_hat = new_v / (1 - beta2**step_t) if correct else new_v
    denominator = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    new_param = param - lr * m_hat / denominator
    if in_place:
        m[...], v[...], param[...] = new_m, new_v, new_param
        return param, m, v
    return new_param, new_m, new_v


@SPEC.mistake(ADAM, "no bias correction: m and v used as they are",
              hint="Divide m by 1 - beta1**t and v by 1 - beta2**t before the step: starting from 0 makes them "
                   "too small early on (the same correction as ewma's).")
def adam_without_correction(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, correct=False)


@SPEC.mistake(ADAM, "eps inside the square root: sqrt(v_hat + eps)",
              hint="torch.optim.Adam adds eps AFTER the square root: m_hat / (sqrt(v_hat) + eps).")
def adam_eps_inside_sqrt(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, eps_inside=True)


@SPEC.mistake(ADAM, "the second moment averages |grad| instead of grad**2",
              hint="v is the average of the SQUARED gradient: v = beta2 * v + (1 - beta2) * grad**2.")
def adam_without_square(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, plain_grad=True)


@SPEC.mistake(ADAM, "bias correction with t - 1: the first step divides by 1 - beta**0 = 0",
              hint="t counts from 1: after the first step the weights sum to 1 - beta**1.")
def adam_correction_from_zero(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, first_t=0)


@SPEC.mistake(ADAM, "steps with the old m, before adding this gradient",
              hint="Update m and v with this step's gradient first, then correct them and step.")
def adam_with_old_m(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, old_m=True)


@SPEC.mistake(ADAM, "updates param, m and v in place",
              hint="Return new arrays: m = beta1 * m + ... makes a new array, m *= beta1 changes the caller's.")
def adam_in_place(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam_with(param, grad, m, v, t, lr, beta1, beta2, eps, in_place=True)
