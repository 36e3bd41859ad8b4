"""The mle reference against scipy.stats and torch.distributions (independent oracles), its
forbidden calls, and what the spec does with differently written solutions."""

import math

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from scipy import stats
from scipy.optimize import minimize_scalar

from helpers import SOLUTIONS, failing, grade, submit
from grader.judging.checks import Reference

ref = Reference("mle")
FINITE = st.floats(-1e3, 1e3, allow_nan=False)
SAMPLE = nps.arrays(np.float64, st.integers(1, 30), elements=FINITE)
SIGMA2 = st.floats(1e-3, 1e6)


@st.composite
def binomial_data(draw, max_trials=60):
    size = draw(st.integers(1, 8))
    n = draw(st.one_of(st.integers(0, max_trials), nps.arrays(np.int64, size, elements=st.integers(0, max_trials))))
    each = np.broadcast_to(n, (size,))
    k = np.array([draw(st.integers(0, int(m))) for m in each], dtype=np.int64)
    return k, n


def ll_tolerance(values) -> float:
    return 1e-12 * (1.0 + float(np.sum(np.abs(values))))


@given(SAMPLE, FINITE, SIGMA2)
def test_normal_log_likelihood_matches_scipy_and_torch(x, mu, sigma2):
    terms = stats.norm.logpdf(x, loc=mu, scale=math.sqrt(sigma2))
    ours = ref.normal_log_likelihood(x, mu, sigma2)
    assert math.isclose(ours, terms.sum(), rel_tol=1e-10, abs_tol=ll_tolerance(terms))
    normal = torch.distributions.Normal(torch.tensor(mu, dtype=torch.float64),
                                        torch.tensor(math.sqrt(sigma2), dtype=torch.float64))
    assert math.isclose(ours, normal.log_prob(torch.from_numpy(x)).sum().item(), rel_tol=1e-10,
                        abs_tol=ll_tolerance(terms))


@given(SAMPLE)
def test_normal_mle_matches_scipy_fit(x):
    loc, scale = stats.norm.fit(x)  # the MLE: (mean, ddof-0 standard deviation)
    mu_hat, sigma2_hat = ref.normal_mle(x)
    size = max(1.0, float(np.abs(x).max()))
    assert math.isclose(mu_hat, loc, rel_tol=1e-10, abs_tol=1e-12 * size)
    assert math.isclose(sigma2_hat, scale**2, rel_tol=1e-9, abs_tol=1e-12 * size**2)


@given(binomial_data(), st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)))
def test_binomial_log_likelihood_matches_scipy_including_p_0_and_1(data, p):
    k, n = data
    terms = stats.binom.logpmf(k, n, p)
    ours = ref.binomial_log_likelihood(k, n, p)
    if np.isneginf(terms).any():
        assert ours == -math.inf
    else:
        assert math.isclose(ours, terms.sum(), rel_tol=1e-9, abs_tol=1e-9 * (1.0 + float(np.sum(np.abs(terms)))))


@given(binomial_data(), st.floats(0.01, 0.99))
def test_binomial_log_likelihood_matches_torch(data, p):
    k, n = data
    n_each = torch.from_numpy(np.broadcast_to(n, k.shape).astype(np.float64))
    binomial = torch.distributions.Binomial(total_count=n_each, probs=torch.tensor(p, dtype=torch.float64))
    expected = binomial.log_prob(torch.from_numpy(k.astype(np.float64))).sum().item()
    assert math.isclose(ref.binomial_log_likelihood(k, n, p), expected, rel_tol=1e-9,
                        abs_tol=1e-9 * (1 + abs(expected)))


@given(binomial_data())
def test_binomial_mle_is_the_numerical_maximiser(data):
    k, n = data
    n_each = np.broadcast_to(n, k.shape)
    if n_each.sum() == 0:
        return
    p_hat = ref.binomial_mle(k, n)
    assert 0.0 <= p_hat <= 1.0
    if 0 < k.sum() < n_each.sum():
        found = minimize_scalar(lambda p: -stats.binom.logpmf(k, n_each, p).sum(), bounds=(1e-9, 1 - 1e-9),
                                method="bounded", options={"xatol": 1e-10})
        assert abs(found.x - p_hat) < 1e-6
    else:  # all failures or all successes: the maximum sits on the boundary, with a finite value
        assert p_hat in (0.0, 1.0)
        assert math.isfinite(ref.binomial_log_likelihood(k, n, p_hat))


@given(st.integers(1_000, 1_000_000), st.floats(0.0, 1.0), st.floats(0.001, 0.999))
def test_binomial_log_likelihood_with_a_million_trials_matches_scipy(trials, fraction, p):
    k = np.array([int(fraction * trials)])
    expected = stats.binom.logpmf(k, trials, p).sum()
    assert math.isclose(ref.binomial_log_likelihood(k, trials, p), expected, rel_tol=1e-9, abs_tol=1e-6)


def test_reference_rejects_bad_input_naming_the_argument():
    cases = [(ref.normal_log_likelihood, ([1.0], 0.0, 0.0), "sigma2"), (ref.normal_mle, ([],), "x"),
             (ref.binomial_log_likelihood, ([1], 2, 1.5), "p"), (ref.binomial_log_likelihood, ([3], 2, 0.5), "k"),
             (ref.binomial_mle, ([], 3), "k"), (ref.binomial_mle, ([1], [0, 1]), "n")]
    for function, args, name in cases:
        try:
            function(*args)
        except ValueError as err:
            assert name in str(err), (function.__name__, args, str(err))
        else:
            raise AssertionError(f"{function.__name__}{args} did not raise")


FORBIDDEN = {
    # Imported inside the function: a module-level import would forbid every function of the topic.
    "scipy.stats": ("normal_log_likelihood",
                    "def normal_log_likelihood(x, mu, sigma2):\n    from scipy import stats\n"
                    "    return float(stats.norm.logpdf(x, mu, sigma2 ** 0.5).sum())\n"),
    "torch.distributions": ("binomial_log_likelihood",
                            "def binomial_log_likelihood(k, n, p):\n    import torch\n"
                            "    d = torch.distributions.Binomial(torch.as_tensor(n, dtype=torch.float64), "
                            "probs=torch.tensor(p, dtype=torch.float64))\n"
                            "    return float(d.log_prob(torch.as_tensor(k, dtype=torch.float64)).sum())\n"),
    "statsmodels": ("normal_mle", "def normal_mle(x):\n    import statsmodels.api as sm\n"
                                  "    return sm.OLS(x, [[1.0]] * len(x)).fit().params[0], 0.0\n"),
}


def test_library_likelihoods_are_forbidden_for_the_function_that_uses_them(tmp_path):
    for module, (function, code) in FORBIDDEN.items():
        source = (SOLUTIONS / "mle.py").read_text() + "\n\n" + code
        result = grade("mle", submit(tmp_path / module, "mle", source))
        assert {c.status for c in result.checks if c.function == function} == {"forbidden"}, module
        assert all(module.split(".")[0] in c.message for c in result.checks if c.function == function)
        assert all(c.status == "passed" for c in result.checks if c.function != function), module


HINT_STYLE = '''
import math
import numpy as np

def normal_log_likelihood(x, mu, sigma2):
    x = np.asarray(x, dtype=float)
    if sigma2 <= 0 or x.size == 0:
        raise ValueError("sigma2 must be > 0 and x non-empty")
    n = x.size
    return float(-n / 2 * np.log(2 * np.pi * sigma2) - np.sum((x - mu) ** 2) / (2 * sigma2))

def normal_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
    mu = x.mean()
    return float(mu), float(((x - mu) ** 2).mean())

def _check(k, n):
    k = np.asarray(k)
    n = np.broadcast_to(np.asarray(n), k.shape)
    if k.size == 0 or np.any(k < 0) or np.any(k > n):
        raise ValueError("k must be in [0, n]")
    return k, n

lgamma = np.vectorize(math.lgamma)

def binomial_log_likelihood(k, n, p):
    k, n = _check(k, n)
    if not 0 <= p <= 1:
        raise ValueError("p must be in [0, 1]")
    log_choose = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        successes = np.where(k > 0, k * np.log(p), 0.0)
        failures = np.where(n - k > 0, (n - k) * np.log(1 - p), 0.0)
    return float(np.sum(log_choose + successes + failures))

def binomial_mle(k, n):
    k, n = _check(k, n)
    return float(k.sum() / n.sum())
'''


def test_the_solution_the_hints_describe_gets_full_marks_in_both_profiles(tmp_path):
    # log(2 pi sigma2) in one log, np.log(1 - p) instead of log1p, np.where guards: all correct.
    folder = submit(tmp_path, "mle", HINT_STYLE)
    for profile in ("quick", "thorough"):
        result = grade("mle", folder, profile=profile)
        assert [(c.id, c.message, c.counterexample) for c in failing(result)] == []


def test_the_one_pass_variance_fails_only_on_data_far_from_zero(tmp_path):
    source = HINT_STYLE.replace("float(((x - mu) ** 2).mean())", "float(np.mean(x ** 2) - mu ** 2)")
    assert source != HINT_STYLE
    result = grade("mle", submit(tmp_path, "mle", source))
    assert [c.id for c in failing(result)] == ["mle.normal_mle_handles_large_offsets"]
