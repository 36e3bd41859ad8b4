"""The gmm_em reference against scikit-learn's GaussianMixture and scipy (independent oracles)."""

import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from scipy import stats
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("gmm_em")


@st.composite
def mixtures(draw, offset=0.0):
    d, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    n = draw(st.integers(max(k, d + 2), 25))
    rng = np.random.RandomState(draw(st.integers(0, 2**32 - 1)))
    means = draw(nps.arrays(np.float64, (k, d), elements=st.floats(-5, 5)))
    x = means[rng.randint(k, size=n)] + 1.5 * rng.standard_normal((n, d)) + offset
    a = draw(nps.arrays(np.float64, (k, d, d), elements=st.floats(-2, 2)))
    covs = a @ a.transpose(0, 2, 1) + 0.5 * np.eye(d)
    covs = (covs + covs.transpose(0, 2, 1)) / 2
    raw = draw(nps.arrays(np.float64, k, elements=st.floats(0.1, 1.0)))
    return x, raw / raw.sum(), means + offset, covs


def sklearn_mixture(weights, means, covs):
    gm = GaussianMixture(len(weights), covariance_type="full")
    gm.weights_, gm.means_, gm.covariances_ = weights, means, covs
    gm.precisions_cholesky_ = _compute_precision_cholesky(covs, "full")
    return gm


@given(mixtures())
def test_log_likelihood_and_responsibilities_match_sklearn(case):
    x, weights, means, covs = case
    gm = sklearn_mixture(weights, means, covs)
    ll = gm.score_samples(x).sum()
    assert np.isclose(ref.gmm_log_likelihood(x, weights, means, covs), ll, rtol=1e-10, atol=1e-10 * len(x))
    np.testing.assert_allclose(ref.responsibilities(x, weights, means, covs), gm.predict_proba(x), rtol=1e-9,
                               atol=1e-12)


@given(mixtures())
def test_log_likelihood_matches_scipy_densities(case):
    x, weights, means, covs = case
    densities = sum(w * stats.multivariate_normal(m, c).pdf(x) for w, m, c in zip(weights, means, covs))
    assume(np.all(densities > 1e-250))
    assert np.isclose(ref.gmm_log_likelihood(x, weights, means, covs), np.log(densities).sum(), rtol=1e-9,
                      atol=1e-9 * len(x))


@given(mixtures())
def test_one_em_step_matches_sklearn_with_one_iteration_and_no_regularisation(case):
    x, weights, means, covs = case
    r = ref.responsibilities(x, weights, means, covs)
    assume(r.sum(axis=0).min() > 0.05)
    new = ref.gmm_em_step(x, weights, means, covs)
    assume(np.linalg.eigvalsh(new[2]).min() > 1e-6)
    gm = GaussianMixture(len(weights), covariance_type="full", max_iter=1, tol=0, reg_covar=0,
                         weights_init=weights, means_init=means, precisions_init=np.linalg.inv(covs))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge": one iteration is what we asked for
        gm.fit(x)
    np.testing.assert_allclose(new[0], gm.weights_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(new[1], gm.means_, rtol=1e-9, atol=1e-10 * np.abs(x).max())
    np.testing.assert_allclose(new[2], gm.covariances_, rtol=1e-7, atol=1e-10 * np.abs(x).max() ** 2)


@given(mixtures())
def test_log_likelihood_never_decreases_over_several_steps(case):
    x, weights, means, covs = case
    ll = ref.gmm_log_likelihood(x, weights, means, covs)
    for _ in range(5):
        r = ref.responsibilities(x, weights, means, covs)
        assume(r.sum(axis=0).min() > 0.05)
        weights, means, covs = ref.gmm_em_step(x, weights, means, covs)
        assume(np.linalg.eigvalsh(covs).min() > 1e-6)
        new_ll = ref.gmm_log_likelihood(x, weights, means, covs)
        assert new_ll >= ll - 1e-9 * (abs(ll) + len(x))
        ll = new_ll


def test_far_points_get_the_nearest_component_without_warnings():
    x = np.array([[1e3], [-1e3]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        r = ref.responsibilities(x, [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
        ll = ref.gmm_log_likelihood(x, [0.5, 0.5], [[0.0], [2.0]], [[[1.0]], [[1.0]]])
    np.testing.assert_array_equal(r, [[0.0, 1.0], [1.0, 0.0]])
    assert np.isfinite(ll)


def test_sklearn_is_forbidden(tmp_path):
    source = (SOLUTIONS / "gmm_em.py").read_text() + (
        "\n\ndef responsibilities(x, weights, means, covs):\n"
        "    from sklearn.mixture import GaussianMixture\n    raise ValueError('not reached')\n")
    result = grade("gmm_em", submit(tmp_path, "gmm_em", source))
    assert {c.status for c in result.checks if c.function == "responsibilities"} == {"forbidden"}


# ---------------------------------------------------------------- the quiz bank

def _quiz_expectations():
    def responsibility(p):
        (mu1, mu2), (v1, v2), w1 = p["mu"], p["var"], p["w1"]
        a = w1 * stats.norm.pdf(p["x"], mu1, np.sqrt(v1))
        b = (1 - w1) * stats.norm.pdf(p["x"], mu2, np.sqrt(v2))
        return float(a / (a + b))

    return {
        "responsibility": responsibility,
        "one_component_variance": lambda p: float(np.var(p["x"])),
        "responsibility_shape": lambda p: (p["n"], p["k"]),
    }


def test_the_quiz_bank_is_well_formed_and_its_answers_match_independent_formulas():
    from bank_checks import PARAMETERIZED, check_bank, check_variant, variants
    from grader.quizzes.gmm_em import QUESTIONS

    check_bank(QUESTIONS)
    expectations = _quiz_expectations()
    parameterized = [q for q in QUESTIONS if isinstance(q, PARAMETERIZED)]
    assert {q.id for q in parameterized} == set(expectations)
    for question in parameterized:
        for _, variant in variants(question, "gmm_em"):
            check_variant(question, variant, expectations[question.id](variant.parameters))
