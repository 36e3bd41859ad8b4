"""The arma reference against statsmodels and scipy.signal (independent oracles), its forbidden
calls, and what the spec does with other routes."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.signal import lfilter
from statsmodels.tsa.arima_process import ArmaProcess, arma2ma

from grader.judging import forbidden
from grader.judging.checks import Failure, Reference
from grader.specs import arma as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("arma")


def lag_polynomials(phi, theta):
    """statsmodels' convention: AR lag polynomial [1, -phi_1, ...], MA [1, theta_1, ...]."""
    return np.r_[1.0, -np.asarray(phi)], np.r_[1.0, np.asarray(theta)]


@given(spec.model(eps=spec.shocks(1, 60)))
def test_simulation_equals_lfilter_from_rest(kwargs):
    ar, ma = lag_polynomials(kwargs["phi"], kwargs["theta"])
    expected = lfilter(ma, ar, kwargs["eps"])  # zero initial conditions, like the exercise
    got = ref.simulate_arma(**kwargs)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=spec.simulation_atol(**kwargs))


@given(spec.with_count("n", counts=st.integers(0, 60)))
def test_psi_weights_equal_arma2ma(kwargs):
    ar, ma = lag_polynomials(kwargs["phi"], kwargs["theta"])
    n = kwargs["n"]
    expected = arma2ma(ar, ma, lags=n) if n else np.zeros(0)
    np.testing.assert_allclose(ref.psi_weights(**kwargs), expected, rtol=1e-10,
                               atol=spec.psi_atol(kwargs["phi"], kwargs["theta"], n))


@given(st.one_of(spec.with_count("nlags", counts=st.integers(0, 30)), spec.near_unit_root()))
def test_acf_equals_statsmodels(kwargs):
    ar, ma = lag_polynomials(kwargs["phi"], kwargs["theta"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ArmaProcess(ar, ma).acf(kwargs["nlags"] + 1)  # lags 0 .. nlags
    np.testing.assert_allclose(ref.theoretical_acf(**kwargs), expected, rtol=0, atol=1e-10)


@given(st.floats(-0.95, 0.95), st.floats(-2, 2), st.integers(1, 30))
def test_arma11_psi_weights_have_the_closed_form(phi, theta, n):
    """CATALOG F1: psi_j = phi^(j-1) (phi + theta) for j >= 1 (verified against arma2ma above)."""
    j = np.arange(1, n)
    expected = np.r_[1.0, phi ** (j - 1) * (phi + theta)]
    np.testing.assert_allclose(ref.psi_weights([phi], [theta], n), expected, rtol=1e-12, atol=1e-14)


@given(spec.stationary_phi())
def test_stationary_draws_really_are_stationary(phi):
    ar, _ = lag_polynomials(phi, [])
    assert ArmaProcess(ar, [1.0]).isstationary
    ref.theoretical_acf(phi, [], 3)  # does not raise


@given(spec.explosive_phi())
def test_explosive_draws_are_rejected_by_the_reference_and_statsmodels(kwargs):
    ar, _ = lag_polynomials(kwargs["phi"], [])
    assert not ArmaProcess(ar, [1.0]).isstationary
    with pytest.raises(ValueError):
        ref.theoretical_acf(kwargs["phi"], kwargs["theta"], kwargs["nlags"])


@pytest.mark.parametrize("bad", spec.NON_STATIONARY, ids=[b["why"] for b in spec.NON_STATIONARY])
def test_reference_rejects_every_listed_acf_input(bad):
    with pytest.raises(ValueError):
        ref.theoretical_acf(bad["phi"], bad["theta"], bad["nlags"])


@pytest.mark.parametrize("bad", spec.BAD_SERIES, ids=[b["why"] for b in spec.BAD_SERIES])
def test_reference_rejects_every_listed_series(bad):
    with pytest.raises(ValueError):
        ref.simulate_arma(bad["phi"], bad["theta"], bad["eps"])


def test_the_stub_examples_are_what_the_reference_returns():
    np.testing.assert_allclose(ref.simulate_arma([0.5], [0.4], [1.0, 0.0, 0.0]), [1.0, 0.9, 0.45])
    np.testing.assert_allclose(ref.psi_weights([0.5], [0.4], 4), [1.0, 0.9, 0.45, 0.225])
    # ARMA(1,1): rho_1 = (1 + phi theta)(phi + theta) / (1 + 2 phi theta + theta^2) = 9/13, rho_2 = phi rho_1
    np.testing.assert_allclose(ref.theoretical_acf([0.5], [0.4], 2), [1.0, 9 / 13, 9 / 26], rtol=1e-14)


LFILTER = '''
import numpy as np
from scipy.signal import lfilter

def simulate_arma(phi, theta, eps):
    return lfilter(np.r_[1.0, theta], np.r_[1.0, -np.asarray(phi)], np.asarray(eps, dtype=float))
'''


def test_scipy_signal_is_forbidden(tmp_path):
    source = (SOLUTIONS / "arma.py").read_text() + LFILTER
    result = grade("arma", submit(tmp_path, "arma", source))
    assert {c.status for c in result.checks} == {"forbidden"}  # imported at module level: every function
    assert "lfilter" in next(c.message for c in result.checks)


@pytest.mark.parametrize("line", ["from statsmodels.tsa.arima_process import arma2ma",
                                  "import statsmodels.api as sm", "from scipy import signal",
                                  "import scipy.signal as ss"])
def test_every_arma_library_is_found_by_the_static_analysis(line):
    source = f"{line}\n\ndef psi_weights(phi, theta, n):\n    return None\n"
    findings = forbidden.find(source, spec.SPEC.forbidden, spec.SPEC.forbidden_methods, spec.SPEC.functions)
    assert set(forbidden.affected(findings, spec.SPEC.functions)) == set(spec.SPEC.functions)


SHORT_PSI_SUM = '''

def theoretical_acf(phi, theta, nlags):
    _require_stationary(_coefficients(phi, "phi"))
    psi = psi_weights(phi, theta, 60 + nlags)  # a fixed, too short truncation of the infinite sums
    gamma = np.array([psi[:60] @ psi[k:k + 60] for k in range(nlags + 1)])
    return gamma / gamma[0]
'''


def test_a_truncated_psi_sum_fails_near_the_unit_circle(tmp_path):
    """The stub warns that roots may come close to the circle: 60 weights are not enough there."""
    result = grade("arma", submit(tmp_path, "arma", (SOLUTIONS / "arma.py").read_text() + SHORT_PSI_SUM))
    failed = {c.id.split(".", 1)[1] for c in failing(result)}
    assert "acf_handles_roots_near_the_unit_circle" in failed
    assert result.score < result.max_score


def test_returning_a_list_fails_only_the_contract(tmp_path):
    source = (SOLUTIONS / "arma.py").read_text() + (
        "\n_reference = simulate_arma\n\ndef simulate_arma(phi, theta, eps):\n"
        "    return _reference(phi, theta, eps).tolist()\n")
    result = grade("arma", submit(tmp_path, "arma", source))
    assert {c.tier for c in failing(result)} == {"contract"}
    assert any("list" in c.message for c in failing(result))


def test_the_tolerance_catches_a_small_slip():
    """A 1e-6 relative error in one coefficient is far outside the rounding tolerance."""
    phi, theta, eps = np.array([0.5, 0.3]), np.array([0.4]), np.array([1.0, -2.0, 0.5, 3.0])
    slipped = ref.simulate_arma(phi * (1 + 1e-6), theta, eps)
    with pytest.raises(Failure):
        spec.expect_close(slipped, ref.simulate_arma(phi, theta, eps), rtol=spec.ROUNDING,
                          atol=spec.simulation_atol(phi, theta, eps))


# ---------------------------------------------------------------- the quiz bank

import bank_checks  # noqa: E402

from grader.quizzes import arma as bank  # noqa: E402


def variants(question_id):
    question = next(q for q in bank.QUESTIONS if q.id == question_id)
    return [variant for _, variant in bank_checks.variants(question, "arma")]


def test_the_bank_is_complete_and_every_wrong_option_says_why():
    bank_checks.check_bank(bank.QUESTIONS)


def _check_misconceptions(variant, rtol):
    assert variant.misconceptions, variant.prompt
    for m in variant.misconceptions:
        assert m.name and m.explanation
        assert abs(m.value - variant.answer) > rtol * max(1.0, abs(variant.answer)), (m.name, variant.parameters)


def test_psi_weight_answers_match_arma2ma_and_the_closed_form():
    for v in variants("psi_weight"):
        phi, theta, j = v.parameters["phi"], v.parameters["theta"], v.parameters["j"]
        assert v.answer == pytest.approx(phi ** (j - 1) * (phi + theta), rel=1e-12)
        assert v.answer == pytest.approx(arma2ma([1.0, -phi], [1.0, theta], lags=j + 1)[j], rel=1e-12)
        _check_misconceptions(v, 1e-4)


def test_ma1_autocorrelation_answers_match_statsmodels():
    for v in variants("ma1_autocorrelation"):
        theta = v.parameters["theta"]
        assert v.answer == pytest.approx(theta / (1 + theta ** 2), rel=1e-12)
        assert v.answer == pytest.approx(ArmaProcess([1.0], [1.0, theta]).acf(2)[1], rel=1e-12)
        _check_misconceptions(v, 1e-4)


def test_simulated_value_answers_match_lfilter():
    for v in variants("simulated_value"):
        phi, theta, eps = v.parameters["phi"], v.parameters["theta"], v.parameters["eps"]
        assert v.answer == pytest.approx(lfilter([1.0, theta], [1.0, -phi], eps)[2], rel=1e-12, abs=1e-12)
        assert f"phi=[{phi}]" in v.code and str(eps) in v.code
        _check_misconceptions(v, 1e-6)
