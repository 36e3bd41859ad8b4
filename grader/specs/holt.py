"""Checks for ses and holt, exponential smoothing with a known initial state (CATALOG F3, topic holt)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

SPEC = Spec(
    "holt",
    functions=("ses", "holt"),
    # statsmodels' ExponentialSmoothing/Holt, scipy.signal.lfilter and pandas' ewm(adjust=False) do it for you.
    forbidden=("statsmodels", "scipy.signal", "pandas.Series.ewm", "pandas.DataFrame.ewm"),
    forbidden_methods=("ewm",),
)
ref = SPEC.reference

NAN, INF = float("nan"), float("inf")
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")
ROUNDING = 1e-9  # relative to the size of the data (float64 rounds at 1.1e-16 per step: ample headroom)
LONG = 10_000  # the length of the long series

VALUE = st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)
SLOPE = st.floats(-100, 100, allow_nan=False, allow_subnormal=False)
WEIGHT = st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))
HORIZON = st.integers(0, 6)
SERIES = nps.arrays(np.float64, st.integers(0, 8), elements=VALUE)


def ses_inputs(y=SERIES, alpha=WEIGHT, h=HORIZON):
    return st.fixed_dictionaries({"y": y, "alpha": alpha, "l0": VALUE, "h": h})


def holt_inputs(y=SERIES, alpha=WEIGHT, beta=WEIGHT, b0=SLOPE, h=HORIZON):
    return st.fixed_dictionaries({"y": y, "alpha": alpha, "beta": beta, "l0": VALUE, "b0": b0, "h": h})


def tolerance(y, l0, b0=0.0, h=0, *outputs) -> float:
    """Absolute tolerance: every route rounds at ~1e-16 of the largest value it handles per step (a
    level, a trend times the horizon); with weights in [0, 1] nothing amplifies it beyond ~T steps."""
    y = np.asarray(y, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(y), initial=0.0)), abs(l0), abs(b0) * (len(y) + h + 1),
                *(float(np.max(np.abs(o), initial=0.0)) for o in outputs))
    return ROUNDING * scale


def pair(value, n: int, h: int, function: str):
    """Lenient: (fitted, forecast) as float arrays of shapes (n,) and (h,)."""
    fitted, forecast = tuple_contract(value, 2, what=f"the result of {function}")
    return (as_array(fitted, shape=(n,), what="the fitted values"),
            as_array(forecast, shape=(h,), what="the forecasts"))


def run_ses(learner, y, alpha, l0, h):
    return pair(learner.ses(y=y, alpha=alpha, l0=l0, h=h), len(y), h, "ses")


def run_holt(learner, y, alpha, beta, l0, b0, h):
    return pair(learner.holt(y=y, alpha=alpha, beta=beta, l0=l0, b0=b0, h=h), len(y), h, "holt")


def expect_pair_close(got, want, atol):
    expect_close(got[0], want[0], rtol=ROUNDING, atol=atol, what="the fitted values")
    expect_close(got[1], want[1], rtol=ROUNDING, atol=atol, what="the forecasts")


# ---------------------------------------------------------------- contract

def pair_contract(value, n: int, h: int, function: str):
    fitted, forecast = tuple_contract(value, 2, what=f"the result of {function}")
    array_contract(fitted, shape=(n,), what="the fitted values")
    array_contract(forecast, shape=(h,), what="the forecasts")


@SPEC.check("ses", tier="contract", points=1,
            title="ses returns (fitted, forecast): float64 arrays of shapes (T,) and (h,) (empty y or h = 0 included)",
            given=ses_inputs(),
            examples=[dict(y=[], alpha=0.5, l0=2.0, h=3), dict(y=[1.0, 2.0], alpha=0.3, l0=0.0, h=0)])
def ses_returns_two_float64_arrays(learner, y, alpha, l0, h):
    pair_contract(learner.ses(y=y, alpha=alpha, l0=l0, h=h), len(y), h, "ses")


@SPEC.check("holt", tier="contract", points=1,
            title="holt returns (fitted, forecast): float64 arrays of shapes (T,) and (h,) (empty y or h = 0 included)",
            given=holt_inputs(), examples=[dict(y=[], alpha=0.5, beta=0.5, l0=2.0, b0=1.0, h=3),
                                           dict(y=[1, 2, 3], alpha=0.3, beta=0.1, l0=0, b0=1, h=0)])
def holt_returns_two_float64_arrays(learner, y, alpha, beta, l0, b0, h):
    pair_contract(learner.holt(y=y, alpha=alpha, beta=beta, l0=l0, b0=b0, h=h), len(y), h, "holt")


@SPEC.check("holt", tier="contract", points=1, title="holt leaves y unchanged",
            given=holt_inputs(y=nps.arrays(np.float64, st.integers(1, 8), elements=VALUE)))
def holt_leaves_input_unchanged(learner, y, alpha, beta, l0, b0, h):
    _, after = learner.value_and_arguments_after("holt", y=y, alpha=alpha, beta=beta, l0=l0, b0=b0, h=h)
    expect_unchanged({"y": y}, after, function="holt")


SES_BAD = [
    dict(y=[1.0, 2.0], alpha=-0.1, l0=0.0, h=1, why="alpha = -0.1"),
    dict(y=[1.0, 2.0], alpha=1.5, l0=0.0, h=1, why="alpha = 1.5"),
    dict(y=[1.0, 2.0], alpha=NAN, l0=0.0, h=1, why="alpha = nan"),
    dict(y=[1.0, 2.0], alpha=0.5, l0=0.0, h=-1, why="h = -1"),
    dict(y=[1.0, 2.0], alpha=0.5, l0=0.0, h=2.0, why="h = 2.0 (not an int)"),
    dict(y=[1.0, 2.0], alpha=0.5, l0=0.0, h=True, why="h = True (a bool is not an int)"),
    dict(y=[[1.0, 2.0]], alpha=0.5, l0=0.0, h=1, why="a 2-D y"),
    dict(y=[1.0, NAN], alpha=0.5, l0=0.0, h=1, why="a NaN in y"),
    dict(y=[1.0, 2.0], alpha=0.5, l0=INF, h=1, why="l0 = inf"),
]


@SPEC.check("ses", tier="contract", points=1,
            title="ses raises ValueError for alpha outside [0, 1], a bad h, a y that is not 1-D and finite, "
                  "or an infinite l0", examples=SES_BAD)
def ses_rejects_bad_input(learner, y, alpha, l0, h, why):
    expect_value_error(learner.outcome("ses", y=y, alpha=alpha, l0=l0, h=h), bad=why)


HOLT_BAD = [dict(e, beta=0.5, b0=1.0) for e in SES_BAD] + [
    dict(y=[1.0, 2.0], alpha=0.5, beta=-0.5, l0=0.0, b0=1.0, h=1, why="beta = -0.5"),
    dict(y=[1.0, 2.0], alpha=0.5, beta=1.01, l0=0.0, b0=1.0, h=1, why="beta = 1.01"),
    dict(y=[1.0, 2.0], alpha=0.5, beta=0.5, l0=0.0, b0=NAN, h=1, why="b0 = nan"),
]


@SPEC.check("holt", tier="contract", points=1,
            title="holt raises ValueError for alpha or beta outside [0, 1], a bad h, a y that is not 1-D and "
                  "finite, or a non-finite l0 or b0", examples=HOLT_BAD)
def holt_rejects_bad_input(learner, y, alpha, beta, l0, b0, h, why):
    expect_value_error(learner.outcome("holt", y=y, alpha=alpha, beta=beta, l0=l0, b0=b0, h=h), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("ses", tier="properties", points=1,
            title="every fitted value and forecast lies between the smallest and largest of l0 and y",
            given=ses_inputs(), examples=[dict(y=np.array([4.0, 6.0]), alpha=0.5, l0=5.0, h=2)])
def ses_stays_within_range(learner, y, alpha, l0, h):
    fitted, forecast = run_ses(learner, y, alpha, l0, h)
    values = np.concatenate([fitted, forecast])
    low, high = min(float(np.min(y, initial=l0)), l0), max(float(np.max(y, initial=l0)), l0)
    # "expected" is the nearest point of [low, high]: the report shows how far outside a value is.
    expect_close(values, np.clip(values, low, high), rtol=0.0, atol=tolerance(y, l0),
                 what=f"the fitted values and forecasts (each must lie in [{low!r}, {high!r}])")


@SPEC.check("ses", tier="properties", points=1,
            title="with alpha = 1 each fitted value is the previous point (l0 first) and every forecast is the last",
            given=ses_inputs(alpha=st.just(1.0)),
            examples=[dict(y=np.array([3.0, -1.0, 2.0]), alpha=1.0, l0=7.0, h=2)])
def ses_with_alpha_one_repeats_the_last_point(learner, y, alpha, l0, h):
    fitted, forecast = run_ses(learner, y, alpha, l0, h)
    atol = tolerance(y, l0)
    expect_close(fitted, np.concatenate([[l0], y])[: len(y)], rtol=ROUNDING, atol=atol,
                 what="the fitted values with alpha = 1 (should be l0, y[0], ..., y[T-2])")
    last = float(y[-1]) if len(y) else l0
    expect_close(forecast, np.full(h, last), rtol=ROUNDING, atol=atol,
                 what="the forecasts with alpha = 1 (should all be the last point)")


@st.composite
def noiseless_line(draw):
    n, h = draw(st.integers(1, 8)), draw(HORIZON)
    l0, b0 = draw(VALUE), draw(SLOPE)
    y = l0 + b0 * np.arange(1, n + 1, dtype=np.float64)
    return {"y": y, "alpha": draw(WEIGHT), "beta": draw(WEIGHT), "l0": l0, "b0": b0, "h": h}


@SPEC.check("holt", tier="properties", points=2,
            title="on a noiseless line y_t = l0 + b0 t started on it, every fitted value is exact and "
                  "the forecasts continue the line, whatever alpha and beta",
            given=noiseless_line(),
            examples=[dict(y=np.array([3.0, 5.0, 7.0]), alpha=0.3, beta=0.6, l0=1.0, b0=2.0, h=2)])
def holt_tracks_a_noiseless_line(learner, y, alpha, beta, l0, b0, h):
    fitted, forecast = run_holt(learner, y, alpha, beta, l0, b0, h)
    atol = tolerance(y, l0, b0, h)
    expect_close(fitted, y, rtol=ROUNDING, atol=atol, what="the fitted values (the one-step errors must be 0)")
    n = len(y)
    expect_close(forecast, l0 + b0 * np.arange(n + 1, n + h + 1), rtol=ROUNDING, atol=atol,
                 what="the forecasts (the line l0 + b0 t continued)")


@SPEC.check("holt", tier="properties", points=1,
            title="with beta = 0 the trend stays b0: consecutive forecasts differ by exactly b0",
            given=holt_inputs(beta=st.just(0.0), h=st.integers(2, 6)),
            examples=[dict(y=np.array([1.0, 5.0, 2.0]), alpha=0.5, beta=0.0, l0=0.0, b0=1.5, h=3)])
def holt_with_zero_beta_keeps_the_trend(learner, y, alpha, beta, l0, b0, h):
    _, forecast = run_holt(learner, y, alpha, beta, l0, b0, h)
    expect_close(np.diff(forecast), np.full(h - 1, b0), rtol=ROUNDING, atol=tolerance(y, l0, b0, h, forecast),
                 what="the steps between consecutive forecasts (should all be b0)")


@st.composite
def series_and_a_line(draw):
    kwargs = draw(holt_inputs(y=nps.arrays(np.float64, st.integers(1, 8), elements=VALUE)))
    return {**kwargs, "c": draw(VALUE), "d": draw(SLOPE)}


@SPEC.check("holt", tier="properties", points=1,
            title="adding a line c + d t to y, c to l0 and d to b0 adds the same line to the fitted values "
                  "and forecasts", given=series_and_a_line())
def holt_is_equivariant_to_adding_a_line(learner, y, alpha, beta, l0, b0, h, c, d):
    n = len(y)
    line = c + d * np.arange(1, n + h + 1, dtype=np.float64)
    fitted, forecast = run_holt(learner, y, alpha, beta, l0, b0, h)
    shifted_fitted, shifted_forecast = run_holt(learner, y + line[:n], alpha, beta, l0 + c, b0 + d, h)
    atol = tolerance(y, l0, b0, h, fitted, forecast) + tolerance(line, c, d, h)
    expect_close(shifted_fitted, fitted + line[:n], rtol=ROUNDING, atol=atol,
                 what=f"the fitted values after adding {c!r} + {d!r} t (compared with the first run plus the line)")
    expect_close(shifted_forecast, forecast + line[n:], rtol=ROUNDING, atol=atol,
                 what=f"the forecasts after adding {c!r} + {d!r} t (compared with the first run plus the line)")


# ---------------------------------------------------------------- reference

SES_EXAMPLES = [dict(y=np.array([1.0, 3.0, 2.0, 5.0]), alpha=0.3, l0=0.5, h=3),
                dict(y=np.array([10.0, 12.0]), alpha=0.0, l0=11.0, h=2)]
HOLT_EXAMPLES = [dict(y=np.array([1.0, 3.0, 2.0, 5.0, 4.0]), alpha=0.3, beta=0.2, l0=0.5, b0=1.0, h=3),
                 dict(y=np.array([2.0, 1.0, 4.0]), alpha=0.8, beta=0.9, l0=0.0, b0=-1.0, h=2)]


@SPEC.check("ses", tier="reference", points=2, title="ses matches the reference",
            given=ses_inputs(), examples=SES_EXAMPLES)
def ses_matches_reference(learner, y, alpha, l0, h):
    want = ref.ses(y, alpha, l0, h)
    expect_pair_close(run_ses(learner, y, alpha, l0, h), want, tolerance(y, l0, 0.0, h, *want))


@SPEC.check("holt", tier="reference", points=2, title="holt matches the reference",
            given=holt_inputs(), examples=HOLT_EXAMPLES)
def holt_matches_reference(learner, y, alpha, beta, l0, b0, h):
    want = ref.holt(y, alpha, beta, l0, b0, h)
    expect_pair_close(run_holt(learner, y, alpha, beta, l0, b0, h), want, tolerance(y, l0, b0, h, *want))


# ---------------------------------------------------------------- stability

def long_series(with_trend: bool):
    def build(seed, alpha, beta, l0, b0, h):
        rng = np.random.default_rng(seed)
        y = l0 + b0 * np.arange(1, LONG + 1) + np.cumsum(rng.normal(0.0, 10.0, LONG))  # a trend plus a random walk
        kwargs = {"y": y, "alpha": alpha, "l0": l0, "h": h}
        return {**kwargs, "beta": beta, "b0": b0} if with_trend else kwargs

    small = st.one_of(st.just(0.0), st.floats(0.0, 0.05))  # long memory: rounding errors are remembered longest
    return st.builds(build, st.integers(0, 2**32 - 1), small, small, VALUE, SLOPE, st.integers(1, 50))


@SPEC.check("ses", tier="stability", points=1, title="ses handles a series of 10000 points without errors",
            given=long_series(with_trend=False), max_examples=2)
def ses_handles_long_series(learner, y, alpha, l0, h):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = run_ses(learner, y, alpha, l0, h)
    want = ref.ses(y, alpha, l0, h)
    expect_pair_close(got, want, tolerance(y, l0, 0.0, h, *want))


@SPEC.check("holt", tier="stability", points=1, title="holt handles a trending series of 10000 points without errors",
            given=long_series(with_trend=True), max_examples=2)
def holt_handles_long_series(learner, y, alpha, beta, l0, b0, h):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = run_holt(learner, y, alpha, beta, l0, b0, h)
    want = ref.holt(y, alpha, beta, l0, b0, h)
    expect_pair_close(got, want, tolerance(y, l0, b0, h, *want))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/holt.py (it may use np, _series, _weight, _number,
# _horizon and the helpers below, never the function it replaces by name).

@SPEC.mistake_helper
def _ses_with(y, alpha, l0, h, *, fit_after_update=False, swap_weights=False, start_at_first=False):
    """SES with a switch per known mistake (the defaults give the right one)."""
    y = _series(y)
    alpha, l0, h = _weight(alpha, "alpha"), _number(l0, "l0"), _horizon(h)
    keep, take = (alpha, 1.0 - alpha) if swap_weights else (1.0 - alpha, alpha)
    level = float(y[0]) if start_at_first and len(y) else l0
    fitted = []
    for value in y.tolist():
        if not fit_after_update:
            fitted.append(level)
        level = take * value + keep * level
        if fit_after_update:
            fitted.append(level)
    return np.array(fitted, dtype=np.float64), np.full(h, level, dtype=np.float64)


@SPEC.mistake_helper
def _holt_with(y, alpha, beta, l0, b0, h, *, fit_after_update=False, first_step=1, trend_times_step=True,
               level_without_trend=False, overwritten_level=False, swap_alpha=False, swap_beta=False):
    """Holt with a switch per known mistake (the defaults give the right one)."""
    y = _series(y)
    alpha, beta = _weight(alpha, "alpha"), _weight(beta, "beta")
    l0, b0, h = _number(l0, "l0"), _number(b0, "b0"), _horizon(h)
    a_take, a_keep = (1.0 - alpha, alpha) if swap_alpha else (alpha, 1.0 - alpha)
    b_take, b_keep = (1.0 - beta, beta) if swap_beta else (beta, 1.0 - beta)
    level, trend = l0, b0
    fitted = []
    for value in y.tolist():
        previous = level
        if not fit_after_update:
            fitted.append(level + trend)
        level = a_take * value + a_keep * (previous + (0.0 if level_without_trend else trend))
        trend = b_take * (level - (level if overwritten_level else previous)) + b_keep * trend
        if fit_after_update:
            fitted.append(level + trend)
    steps = np.arange(first_step, first_step + h, dtype=np.float64) if trend_times_step else np.ones(h)
    return np.array(fitted, dtype=np.float64), level + steps * trend


@SPEC.mistake("ses", "the fitted value of y_t is the level AFTER seeing y_t",
              hint="A fitted value is a forecast: fitted[t] is the level before y[t] is seen (l0 for the "
                   "first point). Store it, then update.")
def ses_fitted_after_update(y, alpha, l0, h):
    """Stores l_t instead of l_{t-1} as fitted[t]."""
    return _ses_with(y, alpha, l0, h, fit_after_update=True)


@SPEC.mistake("ses", "alpha and 1 - alpha swapped: the new point gets weight 1 - alpha",
              hint="alpha is the weight of the NEW point: l_t = alpha y_t + (1 - alpha) l_{t-1}; alpha = 1 "
                   "follows the data exactly, alpha = 0 never moves.")
def ses_with_weights_swapped(y, alpha, l0, h):
    """Uses l_t = (1 - alpha) y_t + alpha l_{t-1}."""
    return _ses_with(y, alpha, l0, h, swap_weights=True)


@SPEC.mistake("ses", "l0 ignored: the level starts at the first point y[0]",
              hint="The initial level is given: start from l = l0, so fitted[0] is l0. Starting at y[0] is what "
                   "pandas' ewm(adjust=False) does; here the state before y[0] is l0.")
def ses_started_at_first_point(y, alpha, l0, h):
    """Starts the level at y[0]."""
    return _ses_with(y, alpha, l0, h, start_at_first=True)


@SPEC.mistake("holt", "the fitted value of y_t is l_t + b_t, made AFTER seeing y_t",
              hint="fitted[t] is the one-step forecast made before seeing y[t]: l_{t-1} + b_{t-1} "
                   "(l0 + b0 for the first point). Store it, then update.")
def holt_fitted_after_update(y, alpha, beta, l0, b0, h):
    """Stores l_t + b_t as fitted[t]."""
    return _holt_with(y, alpha, beta, l0, b0, h, fit_after_update=True)


@SPEC.mistake("holt", "the forecast horizon counts from 0: forecast[k-1] = l_T + (k - 1) b_T",
              hint="The first forecast is one step ahead: forecast[0] = l_T + 1 * b_T, forecast[k-1] = l_T + k b_T.")
def holt_horizon_from_zero(y, alpha, beta, l0, b0, h):
    """Uses steps 0 .. h-1."""
    return _holt_with(y, alpha, beta, l0, b0, h, first_step=0)


@SPEC.mistake("holt", "every forecast is l_T + b_T: the trend is not multiplied by the horizon",
              hint="k steps ahead the trend has acted k times: forecast[k-1] = l_T + k b_T.")
def holt_flat_forecast(y, alpha, beta, l0, b0, h):
    """Uses l_T + b_T for every horizon."""
    return _holt_with(y, alpha, beta, l0, b0, h, trend_times_step=False)


@SPEC.mistake("holt", "the level update leaves out the trend: l_t = alpha y_t + (1 - alpha) l_{t-1}",
              hint="Before seeing y_t the level is expected at l_{t-1} + b_{t-1}: blend y_t with that, "
                   "l_t = alpha y_t + (1 - alpha) (l_{t-1} + b_{t-1}).")
def holt_level_without_trend(y, alpha, beta, l0, b0, h):
    """Blends y_t with l_{t-1} instead of l_{t-1} + b_{t-1}."""
    return _holt_with(y, alpha, beta, l0, b0, h, level_without_trend=True)


@SPEC.mistake("holt", "the old level is overwritten before the trend update, so l_t - l_{t-1} is always 0",
              hint="The trend update needs the level from BEFORE this step: keep it (previous = level) "
                   "before updating, then b_t = beta (l_t - previous) + (1 - beta) b_{t-1}.")
def holt_with_overwritten_level(y, alpha, beta, l0, b0, h):
    """Computes b_t = beta (l_t - l_t) + (1 - beta) b_{t-1}."""
    return _holt_with(y, alpha, beta, l0, b0, h, overwritten_level=True)


@SPEC.mistake("holt", "alpha and 1 - alpha swapped in the level update",
              hint="alpha is the weight of the new point: l_t = alpha y_t + (1 - alpha) (l_{t-1} + b_{t-1}).")
def holt_with_alpha_swapped(y, alpha, beta, l0, b0, h):
    """Uses l_t = (1 - alpha) y_t + alpha (l_{t-1} + b_{t-1})."""
    return _holt_with(y, alpha, beta, l0, b0, h, swap_alpha=True)


@SPEC.mistake("holt", "beta and 1 - beta swapped in the trend update",
              hint="beta is the weight of the new slope: b_t = beta (l_t - l_{t-1}) + (1 - beta) b_{t-1}; "
                   "beta = 0 keeps the trend b0 for ever.")
def holt_with_beta_swapped(y, alpha, beta, l0, b0, h):
    """Uses b_t = (1 - beta) (l_t - l_{t-1}) + beta b_{t-1}."""
    return _holt_with(y, alpha, beta, l0, b0, h, swap_beta=True)
