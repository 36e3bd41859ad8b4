"""The holt reference against statsmodels' exponential smoothing (an independent oracle), its
forbidden calls, and what the spec does with other routes."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from statsmodels.tsa.holtwinters import Holt, SimpleExpSmoothing

from grader.judging import forbidden
from grader.judging.checks import Failure, Reference
from grader.specs import holt as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("holt")
# statsmodels needs at least two points; the weights stay strictly inside (0, 1) where its checks
# of the smoothing parameters are happy, the edges 0 and 1 are covered by the spec's properties.
OBSERVED = nps.arrays(np.float64, st.integers(2, 40), elements=spec.VALUE)
INNER_WEIGHT = st.floats(1e-3, 1 - 1e-3)


def statsmodels_holt(y, alpha, beta, l0, b0, h):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = Holt(y, initialization_method="known", initial_level=l0, initial_trend=b0).fit(
            smoothing_level=alpha, smoothing_trend=beta, optimized=False)
        return fit.fittedvalues, fit.forecast(h)


def statsmodels_ses(y, alpha, l0, h):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SimpleExpSmoothing(y, initialization_method="known", initial_level=l0).fit(
            smoothing_level=alpha, optimized=False)
        return fit.fittedvalues, fit.forecast(h)


@given(spec.holt_inputs(y=OBSERVED, alpha=INNER_WEIGHT, beta=INNER_WEIGHT, h=st.integers(1, 8)))
def test_holt_equals_statsmodels_with_known_initial_state(kwargs):
    fitted, forecast = ref.holt(**kwargs)
    want_fitted, want_forecast = statsmodels_holt(**kwargs)
    atol = spec.tolerance(kwargs["y"], kwargs["l0"], kwargs["b0"], kwargs["h"]) * 1e-3  # 1e-12 of the scale
    np.testing.assert_allclose(fitted, want_fitted, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(forecast, want_forecast, rtol=1e-12, atol=atol)


@given(spec.ses_inputs(y=OBSERVED, alpha=INNER_WEIGHT, h=st.integers(1, 8)))
def test_ses_equals_statsmodels_with_known_initial_level(kwargs):
    fitted, forecast = ref.ses(**kwargs)
    want_fitted, want_forecast = statsmodels_ses(**kwargs)
    atol = spec.tolerance(kwargs["y"], kwargs["l0"]) * 1e-3
    np.testing.assert_allclose(fitted, want_fitted, rtol=1e-12, atol=atol)
    np.testing.assert_allclose(forecast, want_forecast, rtol=1e-12, atol=atol)


@given(spec.ses_inputs())
def test_holt_without_a_trend_is_ses(kwargs):
    fitted, forecast = ref.holt(kwargs["y"], kwargs["alpha"], 0.0, kwargs["l0"], 0.0, kwargs["h"])
    want_fitted, want_forecast = ref.ses(**kwargs)
    np.testing.assert_allclose(fitted, want_fitted, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(forecast, want_forecast, rtol=1e-12, atol=1e-9)


def test_the_stub_examples_are_what_the_reference_returns():
    fitted, forecast = ref.ses([1.0, 3.0], 0.5, 0.0, 2)
    np.testing.assert_array_equal(fitted, [0.0, 0.5])
    np.testing.assert_array_equal(forecast, [1.75, 1.75])
    fitted, forecast = ref.holt([1.0, 3.0], 0.5, 0.5, 0.0, 1.0, 2)
    np.testing.assert_array_equal(fitted, [1.0, 2.0])
    np.testing.assert_array_equal(forecast, [3.75, 5.0])


def test_an_empty_series_forecasts_from_the_initial_state():
    fitted, forecast = ref.holt([], 0.5, 0.5, 2.0, -1.0, 3)
    assert fitted.shape == (0,) and fitted.dtype == np.float64
    np.testing.assert_array_equal(forecast, [1.0, 0.0, -1.0])
    fitted, forecast = ref.ses(np.zeros(0), 0.3, 4.0, 2)
    np.testing.assert_array_equal(forecast, [4.0, 4.0])


@pytest.mark.parametrize("bad", spec.HOLT_BAD, ids=[b["why"] for b in spec.HOLT_BAD])
def test_reference_rejects_every_listed_input(bad):
    kwargs = {k: v for k, v in bad.items() if k != "why"}
    with pytest.raises(ValueError):
        ref.holt(**kwargs)
    del kwargs["beta"], kwargs["b0"]
    if "beta" not in bad["why"] and "b0" not in bad["why"]:
        with pytest.raises(ValueError):
            ref.ses(**kwargs)


STATSMODELS = '''

def holt(y, alpha, beta, l0, b0, h):
    from statsmodels.tsa.holtwinters import Holt
    fit = Holt(np.asarray(y, dtype=float), initialization_method="known", initial_level=l0,
               initial_trend=b0).fit(smoothing_level=alpha, smoothing_trend=beta, optimized=False)
    return fit.fittedvalues, fit.forecast(h)
'''


def test_statsmodels_in_holt_is_forbidden(tmp_path):
    result = grade("holt", submit(tmp_path, "holt", (SOLUTIONS / "holt.py").read_text() + STATSMODELS))
    by_function = {}
    for check in result.checks:
        by_function.setdefault(check.function, set()).add(check.status)
    assert by_function["holt"] == {"forbidden"}
    assert "forbidden" not in by_function["ses"]


@pytest.mark.parametrize("line", ["import pandas as pd\nX = pd.Series([1.0]).ewm(alpha=0.5)",
                                  "from statsmodels.tsa.api import SimpleExpSmoothing",
                                  "from scipy.signal import lfilter"])
def test_every_smoothing_library_is_found_by_the_static_analysis(line):
    source = f"{line}\n\ndef ses(y, alpha, l0, h):\n    return None\n"
    findings = forbidden.find(source, spec.SPEC.forbidden, spec.SPEC.forbidden_methods, spec.SPEC.functions)
    assert findings, line


def test_importing_pandas_for_something_else_is_allowed(tmp_path):
    source = (SOLUTIONS / "holt.py").read_text() + "\nimport pandas as pd\nNOT_EWM = pd.Series([1.0]).mean()\n"
    result = grade("holt", submit(tmp_path, "holt", source))
    assert result.score == result.max_score


def test_returning_lists_fails_only_the_contract(tmp_path):
    source = (SOLUTIONS / "holt.py").read_text() + (
        "\n_reference = holt\n\ndef holt(y, alpha, beta, l0, b0, h):\n"
        "    fitted, forecast = _reference(y, alpha, beta, l0, b0, h)\n"
        "    return fitted.tolist(), forecast.tolist()\n")
    result = grade("holt", submit(tmp_path, "holt", source))
    assert {c.tier for c in failing(result)} == {"contract"}
    assert any("list" in c.message for c in failing(result))


def test_the_tolerance_catches_a_small_slip():
    """alpha off by 1e-6 moves the fitted values far more than any rounding route."""
    y = np.array([1.0, 3.0, 2.0, 5.0, 4.0])
    want = ref.holt(y, 0.3, 0.2, 0.5, 1.0, 3)
    slipped = ref.holt(y, 0.3 + 1e-6, 0.2, 0.5, 1.0, 3)
    with pytest.raises(Failure):
        spec.expect_pair_close(slipped, want, spec.tolerance(y, 0.5, 1.0, 3, *want))


# ---------------------------------------------------------------- the quiz bank

import bank_checks  # noqa: E402

from grader.quizzes import holt as bank  # noqa: E402


def variants(question_id):
    question = next(q for q in bank.QUESTIONS if q.id == question_id)
    return [variant for _, variant in bank_checks.variants(question, "holt")]


def test_the_bank_is_complete_and_every_wrong_option_says_why():
    bank_checks.check_bank(bank.QUESTIONS)


def _check_misconceptions(variant, rtol):
    assert variant.misconceptions, variant.prompt
    for m in variant.misconceptions:
        assert m.name and m.explanation
        assert abs(m.value - variant.answer) > rtol * max(1.0, abs(variant.answer)), (m.name, variant.parameters)


def test_ses_forecast_answers_match_statsmodels():
    for v in variants("ses_forecast"):
        p = v.parameters
        _, forecast = statsmodels_ses(np.array(p["y"], dtype=float), p["alpha"], p["l0"], 1)
        assert v.answer == pytest.approx(forecast[0], rel=1e-12)
        _check_misconceptions(v, 1e-4)


def test_holt_forecast_from_state_is_the_line_from_the_last_state():
    for v in variants("holt_forecast_from_state"):
        p = v.parameters
        assert v.answer == pytest.approx(p["level"] + p["h"] * p["trend"], rel=1e-12)
        _check_misconceptions(v, 1e-6)


def test_holt_next_answers_match_statsmodels():
    for v in variants("holt_next"):
        p = v.parameters
        _, forecast = statsmodels_holt(np.array(p["y"], dtype=float), p["alpha"], p["beta"], p["l0"], p["b0"], 1)
        assert v.answer == pytest.approx(forecast[0], rel=1e-12)
        _check_misconceptions(v, 1e-4)


def test_noiseless_line_answers_continue_the_line():
    for v in variants("noiseless_line"):
        p = v.parameters
        assert v.answer == pytest.approx(p["l0"] + 5 * p["b0"], rel=1e-12, abs=1e-12)
        assert "print(forecast[1])" in v.code
        _check_misconceptions(v, 1e-9)
