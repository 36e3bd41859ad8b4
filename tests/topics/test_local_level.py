"""The local level reference against statsmodels' Kalman filter and smoother; forbidden calls; tolerances."""

import importlib.util
import types
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import assume, given
from hypothesis import strategies as st

from grader.judging import forbidden
from grader.judging.checks import Reference
from grader.specs import local_level as spec
from helpers import ALT_SOLUTIONS, SOLUTIONS, failing, grade, submit

ref = Reference("local_level")
PRIOR_VARIANCE = st.one_of(st.just(0.0), st.floats(1e-2, 1e3))


def statsmodels_run(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    """statsmodels' exact filter: known prior, no burn-in, no steady-state shortcut (CATALOG F2 pitfalls)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = sm.tsa.UnobservedComponents(np.asarray(y, dtype=np.float64), "llevel")
        model.ssm.initialize_known(np.array([a1]), np.array([[p1]]))
        model.loglikelihood_burn = 0  # the default (1 with a diffuse prior) drops the first term
        model.ssm.tolerance = 0  # the default freezes P once it looks converged (~1e-7 off)
        result = model.smooth([sigma2_eps, sigma2_eta])  # order: sigma2.irregular, sigma2.level
    return {"filtered_state": result.filtered_state[0], "filtered_var": result.filtered_state_cov[0, 0],
            "predicted_state": result.predicted_state[0, :-1], "predicted_var": result.predicted_state_cov[0, 0, :-1],
            "smoothed_state": result.smoothed_state[0], "smoothed_var": result.smoothed_state_cov[0, 0],
            "loglik": float(result.llf)}


@st.composite
def oracle_inputs(draw, p1=PRIOR_VARIANCE):
    kwargs = {"y": draw(spec.series(min_size=1)), "sigma2_eps": draw(spec.VARIANCE),
              "sigma2_eta": draw(spec.VARIANCE), "a1": draw(spec.LEVEL), "p1": draw(p1)}
    assume(spec.well_posed(**kwargs, smoother=True))
    return kwargs


def assert_matches_statsmodels(kwargs, rtol):
    ours = dict(ref.local_level_filter(**kwargs))
    ours["smoothed_state"], ours["smoothed_var"] = ref.local_level_smoother(**kwargs)
    theirs = statsmodels_run(**kwargs)
    y = kwargs["y"]
    scale = max(1.0, abs(kwargs["a1"]), float(np.nanmax(np.abs(y), initial=0.0)))
    p_max = max(kwargs["p1"], float(np.max(theirs["predicted_var"])), 1e-300)
    for key in ("filtered_state", "predicted_state", "smoothed_state"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=rtol, atol=rtol * scale, err_msg=key)
    for key in ("filtered_var", "predicted_var", "smoothed_var"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=rtol, atol=rtol * 1e-2 * p_max, err_msg=key)
    n_observed = int(np.sum(~np.isnan(y)))
    np.testing.assert_allclose(ours["loglik"], theirs["loglik"], rtol=rtol, atol=rtol * (1 + n_observed))


@given(oracle_inputs())
def test_reference_matches_statsmodels(kwargs):
    assert_matches_statsmodels(kwargs, rtol=1e-9)


@given(oracle_inputs(p1=st.just(1e7)))
def test_reference_matches_statsmodels_with_a_diffuse_prior(kwargs):
    # With p1 = 1e7, correct routes differ by ~1e-9 absolute in the variances (DESIGN.md)
    assert_matches_statsmodels(kwargs, rtol=1e-6)


def test_empty_series_gives_empty_arrays_and_zero_loglik():
    kalman = ref.local_level_filter(np.array([]), 1.0, 1.0)
    assert set(kalman) == set(spec.KEYS)
    assert all(kalman[k].shape == (0,) and kalman[k].dtype == np.float64 for k in spec.ARRAY_KEYS)
    assert isinstance(kalman["loglik"], float) and kalman["loglik"] == 0.0
    state, var = ref.local_level_smoother(np.array([]), 1.0, 1.0)
    assert state.shape == var.shape == (0,)


@pytest.mark.parametrize("bad", spec.BAD_INPUTS, ids=[b["why"] for b in spec.BAD_INPUTS])
def test_reference_raises_value_error_on_every_bad_input(bad):
    kwargs = {k: v for k, v in bad.items() if k != "why"}
    with pytest.raises(ValueError):
        ref.local_level_filter(**kwargs)
    with pytest.raises(ValueError):
        ref.local_level_smoother(**kwargs)


@given(st.fixed_dictionaries({"y": spec.series(max_size=5), "sigma2_eps": spec.VARIANCE,
                              "sigma2_eta": spec.VARIANCE, "a1": spec.LEVEL, "p1": PRIOR_VARIANCE}))
def test_well_posed_is_exactly_when_the_reference_does_not_raise(kwargs):
    """The checks' inputs never include an F = 0 the contract calls an error."""
    try:
        ref.local_level_filter(**kwargs)
        raised = False
    except ValueError:
        raised = True
    assert spec.well_posed(**kwargs) is not raised


@given(st.floats(-1, 1), st.floats(-3, 3))
def test_steady_state_gain_is_one_plus_the_arima_theta(log_eps, log_ratio):
    """CATALOG F2: the filter becomes SES with alpha = K = 1 + theta of the implied ARIMA(0,1,1)."""
    s2e = 10.0 ** log_eps
    q = 10.0 ** log_ratio  # signal-to-noise ratio sigma2_eta / sigma2_eps
    kalman = ref.local_level_filter(np.zeros(3000), s2e, q * s2e)
    p = kalman["predicted_var"][-1]
    theta = (-(q + 2) + np.sqrt(q * q + 4 * q)) / 2
    np.testing.assert_allclose(p / (p + s2e), 1 + theta, rtol=1e-9)


def load_module(path, name):
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


HINT_ROUTE = '''
import numpy as np


def local_level_filter(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    if sigma2_eps < 0 or sigma2_eta < 0 or p1 < 0:
        raise ValueError("variances must be >= 0")
    y = np.asarray(y, dtype=np.float64)
    ap, pp, af, pf = (np.zeros(len(y)) for _ in range(4))
    a, p, ll = a1, p1, 0.0
    for t, yt in enumerate(y):
        ap[t], pp[t] = a, p
        if not np.isnan(yt):
            F = p + sigma2_eps
            if F == 0:
                raise ValueError("F = 0")
            K = p / F
            v = yt - a
            ll -= 0.5 * (np.log(2 * np.pi * F) + v * v / F)
            a += K * v
            p *= 1 - K
        af[t], pf[t] = a, p
        p += sigma2_eta
    return {"predicted_state": ap, "predicted_var": pp, "filtered_state": af, "filtered_var": pf, "loglik": ll}


def local_level_smoother(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    r = local_level_filter(y, sigma2_eps, sigma2_eta, a1, p1)
    a_s, p_s = r["filtered_state"].copy(), r["filtered_var"].copy()
    for t in range(len(a_s) - 2, -1, -1):
        J = r["filtered_var"][t] / r["predicted_var"][t + 1]
        a_s[t] = r["filtered_state"][t] + J * (a_s[t + 1] - r["predicted_state"][t + 1])
        p_s[t] = r["filtered_var"][t] + J * J * (p_s[t + 1] - r["predicted_var"][t + 1])
    return a_s, p_s


def llevel_to_arima011(sigma2_eps, sigma2_eta):
    if not (0 <= sigma2_eps < np.inf and 0 <= sigma2_eta < np.inf) or sigma2_eps == sigma2_eta == 0:
        raise ValueError("variances must be finite, >= 0 and not both 0")
    if sigma2_eps == 0:
        return 0.0
    q = sigma2_eta / sigma2_eps
    return -2 / (q + 2 + np.sqrt(q) * np.sqrt(q + 4))
'''


HINT_ROUTE_MODULE = types.ModuleType("hint_route")
exec(compile(HINT_ROUTE, "hint_route", "exec"), HINT_ROUTE_MODULE.__dict__)
ALT_ROUTE = load_module(ALT_SOLUTIONS / "local_level.py", "_alt_local_level")


def test_the_route_the_hints_describe_gets_full_marks(tmp_path):
    """P *= 1 - K loses ~eps * p1 to cancellation with p1 = 1e7; the tolerances must allow it."""
    result = grade("local_level", submit(tmp_path, "local_level", HINT_ROUTE))
    assert [(c.id, c.message, c.counterexample) for c in failing(result)] == []


@given(st.one_of(spec.extreme_ratios(), spec.model_inputs(smoother=True), spec.missing_runs()))
def test_other_correct_routes_stay_within_the_tolerance(kwargs):
    """The hint's P (1 - K) + RTS and the alt's Joseph form + Durbin-Koopman, on the checks' own inputs."""
    want_filter = ref.local_level_filter(**kwargs)
    want_smoother = ref.local_level_smoother(**kwargs)
    tol = spec.tolerance(**kwargs)
    for module in (ALT_ROUTE, HINT_ROUTE_MODULE):
        with np.errstate(all="ignore"):
            got_filter = module.local_level_filter(**kwargs)
            got_smoother = module.local_level_smoother(**kwargs)
        spec.expect_filter_close(spec.filter_values(got_filter, len(kwargs["y"])), want_filter, tol)
        spec.expect_smoother_close(got_smoother, want_smoother, tol)


def test_the_tolerance_is_not_so_loose_that_a_small_slip_passes():
    """A 1e-4 relative error in the variance (e.g. float32 arithmetic in P) is caught at p1 = 1e3."""
    kwargs = dict(y=np.array([1.0, 2.0, 0.5]), sigma2_eps=1.0, sigma2_eta=0.5, a1=0.0, p1=1e3)
    want = ref.local_level_filter(**kwargs)
    slipped = {**want, "filtered_var": want["filtered_var"] * (1 + 1e-4)}
    with pytest.raises(spec.Failure):
        spec.expect_filter_close(slipped, want, spec.tolerance(**kwargs))


def _statuses(result):
    return {c.id.split(".", 1)[1]: c.status for c in result.checks}


def test_statsmodels_in_the_filter_is_forbidden(tmp_path):
    reference = (SOLUTIONS / "local_level.py").read_text(encoding="utf-8")
    cheat = reference + '''

def local_level_filter(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    from statsmodels.tsa.statespace.structural import UnobservedComponents
    model = UnobservedComponents(np.asarray(y, dtype=float), "llevel")
    model.ssm.initialize_known(np.array([a1]), np.array([[p1]]))
    model.loglikelihood_burn = 0
    r = model.filter([sigma2_eps, sigma2_eta])
    return {"predicted_state": r.predicted_state[0, :-1], "predicted_var": r.predicted_state_cov[0, 0, :-1],
            "filtered_state": r.filtered_state[0], "filtered_var": r.filtered_state_cov[0, 0], "loglik": r.llf}
'''
    result = grade("local_level", submit(tmp_path, "local_level", cheat))
    statuses = {c.function: set() for c in result.checks}
    for check in result.checks:
        statuses[check.function].add(check.status)
    assert statuses["local_level_filter"] == {"forbidden"}
    assert "forbidden" not in statuses["local_level_smoother"]
    message = next(c.message for c in result.checks if c.status == "forbidden")
    assert "statsmodels" in message
    assert result.score < result.max_score


def test_statsmodels_imported_at_module_level_forbids_every_check(tmp_path):
    reference = (SOLUTIONS / "local_level.py").read_text(encoding="utf-8")
    source = reference.replace("import numpy as np\n", "import numpy as np\nimport statsmodels.api as sm\n", 1)
    assert source != reference
    result = grade("local_level", submit(tmp_path, "local_level", source))
    assert {c.status for c in result.checks} == {"forbidden"}
    assert result.score == 0


@pytest.mark.parametrize("line", ["import pykalman", "from pykalman import KalmanFilter as KF",
                                  "from filterpy.kalman import KalmanFilter", "import filterpy.kalman as fk",
                                  "from statsmodels.tsa.api import UnobservedComponents"])
def test_every_kalman_library_is_found_by_the_static_analysis(line):
    """pykalman and filterpy are not installed here, so the static analysis is tested on its own."""
    source = f"{line}\n\ndef local_level_filter(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):\n    return None\n"
    findings = forbidden.find(source, spec.SPEC.forbidden, spec.SPEC.forbidden_methods, spec.SPEC.functions)
    assert set(forbidden.affected(findings, spec.SPEC.functions)) == set(spec.SPEC.functions)


def test_a_wrong_default_prior_is_caught(tmp_path):
    """p1 = 1e6 instead of 1e7 changes the answers by only ~1e-7; the prediction check still sees it."""
    reference = (SOLUTIONS / "local_level.py").read_text(encoding="utf-8")
    signature = "a1: float = 0.0, p1: float = 1e7) -> dict:"
    source = reference.replace(signature, signature.replace("1e7", "1e6"))
    assert source != reference
    result = grade("local_level", submit(tmp_path, "local_level", source))
    assert _statuses(result)["predictions_carry_filtered_values_forward"] == "failed"


def test_a_smoother_without_the_backward_pass_fails(tmp_path):
    reference = (SOLUTIONS / "local_level.py").read_text(encoding="utf-8")
    source = reference + '''

def local_level_smoother(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    kalman = local_level_filter(y, sigma2_eps, sigma2_eta, a1, p1)
    return kalman["filtered_state"], kalman["filtered_var"]
'''
    statuses = _statuses(grade("local_level", submit(tmp_path, "local_level", source)))
    assert statuses["smoother_matches_reference"] == "failed"
    assert statuses["constant_level_smooths_to_the_posterior"] == "failed"
    assert statuses["filter_matches_reference"] == "passed"


def test_contract_failures_say_what_is_wrong(tmp_path):
    reference = (SOLUTIONS / "local_level.py").read_text(encoding="utf-8")
    source = reference + '''

_reference_filter = local_level_filter


def local_level_filter(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    out = _reference_filter(y, sigma2_eps, sigma2_eta, a1, p1)
    out["filtered_var"] = out["filtered_var"].astype(np.float32)
    return out


def local_level_smoother(y, sigma2_eps, sigma2_eta, a1=0.0, p1=1e7):
    kalman = _reference_filter(y, sigma2_eps, sigma2_eta, a1, p1)
    return {"state": kalman["filtered_state"]}
'''
    result = grade("local_level", submit(tmp_path, "local_level", source))
    by_id = {c.id.split(".", 1)[1]: c for c in result.checks}
    assert by_id["filter_returns_dict_of_arrays"].status == "failed"
    message = by_id["filter_returns_dict_of_arrays"].message
    assert "result['filtered_var'] has dtype float32; expected float64" in message
    assert by_id["smoother_returns_two_arrays"].status == "failed"
    assert "expected a tuple of 2 items" in by_id["smoother_returns_two_arrays"].message
    # the other tiers judge values, not types: the float32 variances are close enough there
    assert by_id["missing_observation_skips_the_update"].status == "passed"


# ---------------------------------------------------------------- the equivalent ARIMA(0,1,1)

def simulate_local_level(seed, n, sigma2_eps, sigma2_eta):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(size=n) * np.sqrt(sigma2_eta)) + rng.normal(size=n) * np.sqrt(sigma2_eps)


@pytest.mark.parametrize(("seed", "q"), [(1, 0.1), (3, 1.0), (6, 5.0)])
def test_theta_agrees_with_an_arima_fit_on_a_long_simulated_series(seed, q):
    """statsmodels' ARIMA(0,1,1) MLE on 5000 points of the local level model estimates theta.

    The MLE of an MA(1) coefficient has asymptotic standard error sqrt((1 - theta^2) / n) (about 0.01
    here): the true-q theta must lie within 4 of those (fixed seeds, so the test is deterministic).
    Fitting the local level model itself and mapping its q-hat through theta must agree with the
    ARIMA fit far more closely (they maximise the same likelihood in two parameterisations): 1e-4
    (measured: <= 2.3e-5 over six seeds and q from 0.1 to 5).
    """
    from statsmodels.tsa.arima.model import ARIMA

    n = 5000
    y = simulate_local_level(seed, n, 1.0, q)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theta_hat = float(ARIMA(y, order=(0, 1, 1), trend="n").fit().params[0])
        sigma2_eps_hat, sigma2_eta_hat = sm.tsa.UnobservedComponents(y, "llevel").fit(disp=False).params
    theta = ref.llevel_to_arima011(1.0, q)
    assert abs(theta_hat - theta) <= 4 * np.sqrt((1 - theta**2) / n)
    assert abs(ref.llevel_to_arima011(sigma2_eps_hat, sigma2_eta_hat) - theta_hat) <= 1e-4


@given(st.floats(-1, 1), st.floats(-3, 3))
def test_one_plus_theta_is_the_steady_state_gain_of_statsmodels_filter(log_eps, log_ratio):
    """CATALOG F2: the filter becomes SES with alpha = K = 1 + theta (K from statsmodels' own filter)."""
    s2e = 10.0 ** log_eps
    s2h = s2e * 10.0 ** log_ratio
    p = statsmodels_run(np.zeros(3000), s2e, s2h)["predicted_var"][-1]
    np.testing.assert_allclose(1.0 + ref.llevel_to_arima011(s2e, s2h), p / (p + s2e), rtol=1e-9, atol=1e-12)


@given(st.floats(-6, 6), st.floats(-6, 6))
def test_theta_solves_the_moment_equation_and_is_the_invertible_root(log_eps, log_eta):
    """theta / (1 + theta^2) = -1 / (q + 2) with |theta| <= 1; the other root is 1 / theta (numpy's roots)."""
    s2e, s2h = 10.0 ** log_eps, 10.0 ** log_eta
    theta = ref.llevel_to_arima011(s2e, s2h)
    q = s2h / s2e
    assert -1.0 <= theta <= 0.0
    np.testing.assert_allclose(theta / (1 + theta**2), -1 / (q + 2), rtol=1e-12)
    if 1e-3 <= q <= 1e3:  # where np.roots (eigenvalues, absolute precision) resolves both roots well
        roots = np.sort(np.roots([1.0, q + 2.0, 1.0]).real)
        np.testing.assert_allclose(theta, roots[1], rtol=1e-9)


def test_theta_rejects_bad_variances_and_handles_the_limits():
    for bad in [(-1.0, 1.0), (1.0, -1.0), (0.0, 0.0), (float("nan"), 1.0), (1.0, float("inf"))]:
        with pytest.raises(ValueError):
            ref.llevel_to_arima011(*bad)
    assert ref.llevel_to_arima011(2.0, 0.0) == -1.0
    assert ref.llevel_to_arima011(0.0, 2.0) == 0.0
    assert ref.llevel_to_arima011(1.0, 1.0) == pytest.approx((np.sqrt(5) - 3) / 2, rel=1e-15)


NAIVE_THETA = HINT_ROUTE.replace('''    q = sigma2_eta / sigma2_eps
    return -2 / (q + 2 + np.sqrt(q) * np.sqrt(q + 4))''', '''    q = sigma2_eta / sigma2_eps
    return (np.sqrt(q * q + 4 * q) - 2 - q) / 2''')


def test_the_formula_as_written_fails_only_the_cancellation_check(tmp_path):
    """(sqrt(q^2 + 4q) - 2 - q) / 2 is right where q is moderate and loses its digits for large q."""
    assert NAIVE_THETA != HINT_ROUTE
    result = grade("local_level", submit(tmp_path, "local_level", NAIVE_THETA))
    assert [c.id for c in failing(result)] == ["local_level.arima_theta_handles_extreme_ratios"]
