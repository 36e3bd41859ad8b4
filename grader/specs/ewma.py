"""Checks for ewma, the bias-corrected exponentially weighted average (DESIGN.md, topic ewma)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import array_contract, as_array, expect_close, expect_unchanged, expect_value_error

SPEC = Spec(
    "ewma",
    functions=("ewma",),
    # Importing pandas is fine; its ewm(...).mean() is the exercise itself.
    forbidden=("pandas.Series.ewm", "pandas.DataFrame.ewm"),
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
