"""The kde reference against scikit-learn, scipy and statsmodels (independent oracles), and its forbidden calls."""

import warnings

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from scipy import stats
from sklearn.neighbors import KernelDensity
from statsmodels.nonparametric.kernel_regression import KernelReg

from helpers import SOLUTIONS, grade, submit
from grader.judging.checks import Reference

ref = Reference("kde")
POINTS = nps.arrays(np.float64, st.integers(1, 20), elements=st.floats(-5, 5))
QUERY = nps.arrays(np.float64, st.integers(1, 10), elements=st.floats(-10, 10))
BANDWIDTH = st.floats(0.05, 5.0)


@given(POINTS, QUERY, BANDWIDTH)
def test_gaussian_kde_matches_sklearn_kernel_density(data, query, h):
    fitted = KernelDensity(bandwidth=h, kernel="gaussian").fit(data[:, None])
    expected = np.exp(fitted.score_samples(query[:, None]))
    np.testing.assert_allclose(ref.gaussian_kde(data, query, h), expected, rtol=1e-9, atol=1e-300)


@given(POINTS, QUERY, BANDWIDTH)
def test_gaussian_kde_matches_scipy_gaussian_kde(data, query, h):
    spread = data.std(ddof=1) if data.size > 1 else 0.0
    assume(spread > 1e-3)  # scipy's bandwidth is a multiple of the sample's standard deviation
    expected = stats.gaussian_kde(data, bw_method=h / spread)(query)
    np.testing.assert_allclose(ref.gaussian_kde(data, query, h), expected, rtol=1e-7, atol=1e-12 / h)


@given(nps.arrays(np.float64, st.integers(1, 20), elements=st.floats(-5, 5)), st.data(), st.floats(0.3, 5.0))
def test_nadaraya_watson_matches_statsmodels_kernel_reg(x, data, h):
    y = data.draw(nps.arrays(np.float64, x.shape, elements=st.floats(-1e3, 1e3)))
    query = data.draw(QUERY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = KernelReg(y, x, var_type="c", reg_type="lc", bw=[h]).fit(query)[0]
    np.testing.assert_allclose(ref.nadaraya_watson(x, y, query, h), expected, rtol=1e-9,
                               atol=1e-12 * max(1.0, float(np.abs(y).max())))


def test_a_far_query_is_nan_for_the_naive_formula_and_the_nearest_y_for_the_reference():
    x, y = np.array([0.0, 1.0]), np.array([3.0, 7.0])
    with np.errstate(all="ignore"):
        w = np.exp(-((100.0 - x) ** 2) / (2 * 0.1**2))
        assert np.isnan((w @ y) / w.sum())
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert ref.nadaraya_watson(x, y, [100.0, -100.0], 0.1).tolist() == [7.0, 3.0]


def test_nadaraya_watson_weights_are_a_softmax():
    softmax = Reference("softmax")
    x, y, q, h = np.array([0.0, 0.4, 2.0]), np.array([1.0, -2.0, 5.0]), 0.7, 0.3
    weights = softmax.softmax(-((q - x) ** 2) / (2 * h * h))
    assert np.isclose(ref.nadaraya_watson(x, y, [q], h)[0], weights @ y, rtol=1e-12)


def test_library_densities_are_forbidden(tmp_path):
    source = (SOLUTIONS / "kde.py").read_text() + (
        "\n\ndef gaussian_kde(data, query, h):\n    from scipy.stats import norm\n"
        "    return norm.pdf((np.asarray(query)[:, None] - np.asarray(data)) / h).mean(axis=1) / h\n")
    result = grade("kde", submit(tmp_path, "kde", source))
    assert {c.status for c in result.checks if c.function == "gaussian_kde"} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function != "gaussian_kde")


# ---------------------------------------------------------------- the quiz bank

def _kde_by_scipy(data, q, h):
    return float(np.mean(stats.norm.pdf((q - np.asarray(data, float)) / h)) / h)


def _quiz_expectations():
    def nw(p):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(KernelReg(np.array(p["y"], float), np.array(p["x"], float), var_type="c", reg_type="lc",
                                   bw=[p["h"]]).fit(np.array([p["q"]], float))[0][0])

    return {
        "density_at_point": lambda p: _kde_by_scipy(p["data"], p["q"], p["h"]),
        "scaled_density": lambda p: _kde_by_scipy(np.multiply(p["data"], p["scale"]), p["scale"] * p["q"],
                                                  p["scale"] * p["h"]),
        "nw_prediction": nw,
        "far_query": lambda p: float(p["y"][int(np.argmin(np.abs(np.array(p["x"]) - p["q"])))]),
    }


def test_the_quiz_bank_is_well_formed_and_its_answers_match_independent_formulas():
    from bank_checks import PARAMETERIZED, check_bank, check_variant, variants
    from grader.quizzes.kde import QUESTIONS

    check_bank(QUESTIONS)
    expectations = _quiz_expectations()
    parameterized = [q for q in QUESTIONS if isinstance(q, PARAMETERIZED)]
    assert {q.id for q in parameterized} == set(expectations)
    for question in parameterized:
        for _, variant in variants(question, "kde"):
            check_variant(question, variant, expectations[question.id](variant.parameters))
