"""The ewma reference against pandas and scipy (independent oracles), its forbidden calls,
and what the spec does with differently written solutions."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from scipy.signal import lfilter

from helpers import SOLUTIONS, failing, grade, submit
from grader.judging.checks import Reference

ref = Reference("ewma")
FINITE = st.floats(-1e3, 1e3, allow_nan=False)
SERIES = nps.arrays(np.float64, st.integers(1, 60), elements=FINITE)
BETA = st.one_of(st.sampled_from([0.0, 0.5, 0.9, 0.99, 0.999]), st.floats(0.0, 0.999))


def scale(x) -> float:
    return 1e-12 * max(1.0, float(np.abs(x).max()))


@given(SERIES, BETA)
def test_corrected_ewma_equals_pandas_adjusted_mean(x, beta):
    # adjust=True is the weighted average sum beta**(t-i) x_i / sum beta**(t-i): the corrected EWMA.
    expected = pd.Series(x).ewm(alpha=1.0 - beta, adjust=True).mean().to_numpy()
    np.testing.assert_allclose(ref.ewma(x, beta, bias_correction=True), expected, rtol=1e-10, atol=scale(x))


@given(SERIES, BETA)
def test_uncorrected_ewma_equals_the_zero_started_filter(x, beta):
    expected = lfilter([1.0 - beta], [1.0, -beta], x)
    np.testing.assert_allclose(ref.ewma(x, beta, bias_correction=False), expected, rtol=1e-12, atol=scale(x))


@given(st.integers(0, 2**32 - 1), st.sampled_from([0.3, 0.5, 0.9, 0.999]))
def test_long_series_match_pandas_without_floating_point_errors(seed, beta):
    x = np.random.RandomState(seed).uniform(-1e3, 1e3, 10_000)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        corrected = ref.ewma(x, beta)
        uncorrected = ref.ewma(x, beta, bias_correction=False)
    np.testing.assert_allclose(corrected, pd.Series(x).ewm(alpha=1 - beta, adjust=True).mean(), rtol=1e-9,
                               atol=1e-9 * 1e3)
    np.testing.assert_allclose(uncorrected, lfilter([1 - beta], [1, -beta], x), rtol=1e-9, atol=1e-9 * 1e3)


def test_pandas_adjust_false_is_the_seeded_recursion_not_ours():
    # The seeded recursion (v_0 = x_0) is a known mistake; pandas' adjust=False computes exactly it.
    x, beta = np.array([2.0, 4.0, 8.0]), 0.5
    seeded = pd.Series(x).ewm(alpha=1 - beta, adjust=False).mean().to_numpy()
    assert not np.allclose(ref.ewma(x, beta, bias_correction=False), seeded)
    assert not np.allclose(ref.ewma(x, beta), seeded)


def test_reference_validates_beta_and_accepts_an_empty_series():
    for beta in (1.0, -0.1, 2.0, float("nan")):
        try:
            ref.ewma([1.0], beta)
        except ValueError as err:
            assert "beta" in str(err)
        else:
            raise AssertionError(f"beta={beta} was accepted")
    out = ref.ewma([], 0.9)
    assert out.shape == (0,) and out.dtype == np.float64


EWM_SOLUTION = '''
import pandas as pd

def ewma(x, beta, bias_correction=True):
    return pd.Series(x, dtype=float).ewm(alpha=1 - beta, adjust=bias_correction).mean().to_numpy()
'''


def test_pandas_ewm_is_forbidden(tmp_path):
    result = grade("ewma", submit(tmp_path, "ewma", EWM_SOLUTION))
    assert {c.status for c in result.checks if c.function == "ewma"} == {"forbidden"}
    assert "ewm" in result.checks[0].message
    assert result.score == 0


def test_importing_pandas_for_something_else_is_allowed(tmp_path):
    source = (SOLUTIONS / "ewma.py").read_text() + "\nimport pandas as pd\nNOT_EWM = pd.Series([1.0]).mean()\n"
    result = grade("ewma", submit(tmp_path, "ewma", source))
    assert result.score == result.max_score


CLOSED_FORM = '''
import numpy as np

def ewma(x, beta, bias_correction=True):
    x = np.asarray(x, dtype=np.float64)
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    t = np.arange(1, len(x) + 1)
    with np.errstate(divide="ignore"):
        v = (1 - beta) * beta**t * np.cumsum(x * beta ** -t.astype(float))
    return v / (1 - beta**t) if bias_correction else v
'''


def test_the_overflowing_closed_form_fails_the_long_series_check(tmp_path):
    # beta**-t is exact enough for short series, but overflows to inf for 10000 points.
    result = grade("ewma", submit(tmp_path, "ewma", CLOSED_FORM))
    assert "ewma.ewma_handles_long_series" in {c.id for c in failing(result)}
    assert result.score < result.max_score


EXPM1_CORRECTION = '''
import numpy as np

def ewma(x, beta, bias_correction=True):
    x = np.asarray(x, dtype=np.float64)
    if not 0 <= beta < 1:
        raise ValueError("beta must be in [0, 1)")
    out = np.zeros(len(x))
    v = 0.0
    for i in range(len(x)):
        v += (1 - beta) * (x[i] - v)          # the same recursion, rearranged
        out[i] = v
    if not bias_correction or beta == 0:
        return out
    t = np.arange(1, len(x) + 1)
    return out / -np.expm1(t * np.log(beta))  # 1 - beta**t without cancellation
'''


def test_another_rounding_route_gets_full_marks_in_both_profiles(tmp_path):
    folder = submit(tmp_path, "ewma", EXPM1_CORRECTION)
    for profile in ("quick", "thorough"):
        result = grade("ewma", folder, profile=profile)
        assert [(c.id, c.message) for c in failing(result) if c.function == "ewma"] == []


def test_returning_a_list_fails_only_the_contract(tmp_path):
    source = (SOLUTIONS / "ewma.py").read_text() + (
        "\n_reference = ewma\n\ndef ewma(x, beta, bias_correction=True):\n"
        "    return _reference(x, beta, bias_correction).tolist()\n")
    result = grade("ewma", submit(tmp_path, "ewma", source))
    assert {c.tier for c in failing(result)} == {"contract"}
    assert any("list" in c.message for c in failing(result))


# ---------------------------------------------------------------- adam_step against torch.optim.Adam

def torch_adam(param, grad, m, v, t, lr, beta1, beta2, eps):
    """One torch.optim.Adam step from the state (m, v) after step t - 1."""
    import torch

    weight = torch.nn.Parameter(torch.tensor(param, dtype=torch.float64))
    optimizer = torch.optim.Adam([weight], lr=lr, betas=(beta1, beta2), eps=eps)
    weight.grad = torch.tensor(grad, dtype=torch.float64)
    if t > 1:  # torch keeps its state per parameter: hand it ours
        optimizer.state[weight] = {"step": torch.tensor(float(t - 1)),
                                   "exp_avg": torch.tensor(m, dtype=torch.float64),
                                   "exp_avg_sq": torch.tensor(v, dtype=torch.float64)}
    optimizer.step()
    state = optimizer.state[weight]
    return weight.detach().numpy(), state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()


@st.composite
def adam_case(draw):
    n = draw(st.integers(1, 5))
    values = nps.arrays(np.float64, n, elements=st.floats(-10, 10, allow_nan=False))
    t = draw(st.integers(1, 200))
    zero_state = t == 1  # torch starts from zeros; from t = 2 on we pass any state
    return dict(param=draw(values), grad=draw(values),
                m=np.zeros(n) if zero_state else draw(values),
                v=np.zeros(n) if zero_state else draw(nps.arrays(np.float64, n, elements=st.floats(0, 100))),
                t=t, lr=draw(st.sampled_from([1e-3, 0.01, 0.5])), beta1=draw(st.sampled_from([0.0, 0.5, 0.9])),
                beta2=draw(st.sampled_from([0.0, 0.9, 0.999])), eps=draw(st.sampled_from([1e-8, 1e-3])))


@given(adam_case())
def test_adam_step_matches_torch_optim_adam(case):
    got = ref.adam_step(**case)
    want = torch_adam(**case)
    for g, w, name in zip(got, want, ("param", "m", "v")):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12, err_msg=name)


def test_adam_step_leaves_its_inputs_alone_and_rejects_step_zero():
    m, v = np.array([0.5]), np.array([0.25])
    ref.adam_step(np.array([1.0]), np.array([2.0]), m, v, t=3)
    assert m[0] == 0.5 and v[0] == 0.25
    for bad in (dict(t=0), dict(t=True), dict(beta1=1.0), dict(beta2=-0.5)):
        try:
            ref.adam_step([1.0], [1.0], [0.0], [0.0], **{"t": 1, **bad})
        except ValueError:
            continue
        raise AssertionError(bad)


TORCH_ADAM = '''

import torch


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    weight = torch.nn.Parameter(torch.as_tensor(param))
    torch.optim.Adam([weight], lr=lr).step()
    return weight.detach().numpy(), m, v
'''


def test_torch_optim_is_forbidden_for_adam_step_only(tmp_path):
    result = grade("ewma", submit(tmp_path, "ewma", (SOLUTIONS / "ewma.py").read_text() + TORCH_ADAM))
    assert {c.status for c in result.checks if c.function == "adam_step"} == {"forbidden"}
    assert {c.status for c in result.checks if c.function == "ewma"} == {"passed"}
