"""The eigen reference against numpy's and torch's eigh (independent oracles), the spec's strategies,
its forbidden calls, and what the checks accept (either sign, a stopping rule on v) or catch."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from bank_checks import check_bank, check_variant, variants
from grader.judging import forbidden
from grader.judging.checks import Reference
from grader.quizzes import eigen as bank
from grader.specs import eigen as spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("eigen")
SPEC = spec.SPEC


def oracles(a):
    """(eigenvalues, eigenvectors) ascending, from LAPACK through numpy and through torch (float64)."""
    yield np.linalg.eigh(a)
    lams, vecs = torch.linalg.eigh(torch.from_numpy(a))
    yield lams.numpy(), vecs.numpy()


@st.composite
def gapped(draw):
    """A symmetric matrix with |lam_2| <= 0.9 |lam_1|, built here independently of the spec."""
    n = draw(st.integers(1, 7))
    top = draw(st.floats(0.1, 100.0)) * draw(st.sampled_from([-1.0, 1.0]))
    lams = np.array([top, *draw(st.lists(st.floats(-0.9, 0.9), min_size=n - 1, max_size=n - 1))]) * np.array(
        [1.0] + [abs(top)] * (n - 1))
    q, _ = np.linalg.qr(draw(nps.arrays(np.float64, (n, n), elements=st.floats(-1, 1))) + 3 * np.eye(n))
    a = (q * lams) @ q.T
    return (a + a.T) / 2


@given(gapped())
def test_power_iteration_matches_numpy_and_torch_eigh(a):
    lam, v = ref.power_iteration(a)
    assert v.shape == (a.shape[0],) and v.dtype == np.float64 and isinstance(lam, float)
    for lams, vecs in oracles(a):
        i = int(np.argmax(np.abs(lams)))
        assert abs(lam - lams[i]) <= 1e-10 * abs(lams[i])
        assert min(np.linalg.norm(v - vecs[:, i]), np.linalg.norm(v + vecs[:, i])) <= 1e-5
    assert abs(np.linalg.norm(v) - 1) <= 1e-12


@given(gapped(), st.integers(0, 2**32 - 1))
def test_power_iteration_does_not_depend_on_the_seed(a, seed):
    lam_0, v_0 = ref.power_iteration(a)
    lam_s, v_s = ref.power_iteration(a, seed=seed)
    assert abs(lam_s - lam_0) <= 1e-10 * abs(lam_0)
    assert min(np.linalg.norm(v_s - v_0), np.linalg.norm(v_s + v_0)) <= 2e-5


ENTRY = st.floats(-10, 10, allow_nan=False)


@given(ENTRY, ENTRY, ENTRY, st.sampled_from([1.0, 1e-200, 1e200, 1e-300, 1e300]))
def test_eig_2x2_matches_numpy_and_torch_eigh(p, b, d, scale):
    a = np.array([[p, b], [b, d]]) * scale
    lams, vecs = ref.eig_2x2(a)
    big = max(np.abs(a).max(), 1e-300)
    assert lams[0] >= lams[1]
    np.testing.assert_allclose(vecs.T @ vecs, np.eye(2), atol=1e-15)
    np.testing.assert_allclose((a / big) @ vecs - vecs * (lams / big), 0, atol=1e-15)
    if scale <= 1e200:  # the oracles square a internally only in their scaling; 1e300 is ours alone
        for want, want_vecs in oracles(a):
            np.testing.assert_allclose(lams / big, want[::-1] / big, rtol=0, atol=1e-15)
            if want[1] - want[0] > 1e-3 * big:
                for i in range(2):
                    np.testing.assert_allclose(np.outer(vecs[:, i], vecs[:, i]),
                                               np.outer(want_vecs[:, 1 - i], want_vecs[:, 1 - i]), atol=1e-12)
    assert abs(lams.sum() - np.trace(a)) <= 4e-16 * 2 * big


def test_reference_edge_cases():
    np.testing.assert_array_equal(ref.eig_2x2(np.eye(2) * 3)[0], [3.0, 3.0])
    lams, vecs = ref.eig_2x2([[1.0, 1e-9], [1e-9, 1.0]])
    np.testing.assert_allclose(lams, [1 + 1e-9, 1 - 1e-9], rtol=1e-15)
    lam, v = ref.power_iteration([[1.0, -2.0], [-2.0, 1.0]])
    assert lam == pytest.approx(3.0, rel=1e-12) and abs(v @ [1, 1]) < 1e-5  # v to ~sqrt(tol)
    lam, v = ref.power_iteration([[-3.0, 0.0], [0.0, 1.0]])
    assert lam == pytest.approx(-3.0, rel=1e-12)
    for bad in ([[1.0, 2.0], [3.0, 4.0]], np.eye(3), [1.0, 2.0]):
        with pytest.raises(ValueError, match="a"):
            ref.eig_2x2(bad)
    for kwargs in (dict(a=[[1.0, 2.0]]), dict(a=np.eye(2), n_iter=0), dict(a=np.eye(2), tol=-1.0)):
        with pytest.raises(ValueError):
            ref.power_iteration(**kwargs)
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    ref.power_iteration(a)
    ref.eig_2x2(a)
    np.testing.assert_array_equal(a, [[2.0, 1.0], [1.0, 3.0]])


# ---------------------------------------------------------------- the spec's strategies keep their promises

def ratio(a):
    mags = np.sort(np.abs(np.linalg.eigvalsh(a)))[::-1]
    return mags[1] / mags[0] if mags.size > 1 else 0.0


@given(spec.GAPPED)
def test_generated_matrices_are_symmetric_with_a_spectral_gap(kwargs):
    a = kwargs["a"]
    np.testing.assert_array_equal(a, a.T)
    assert ratio(a) <= spec.GAP_RATIO + 1e-9


@given(spec.gapped_symmetric(orthogonal_to_ones=True))
def test_orthogonal_to_ones_matrices_are(kwargs):
    _, vecs = np.linalg.eigh(kwargs["a"])
    lams = np.linalg.eigvalsh(kwargs["a"])
    top = vecs[:, np.argmax(np.abs(lams))]
    assert abs(top.sum()) <= 1e-9 and ratio(kwargs["a"]) <= spec.GAP_RATIO + 1e-9


@given(spec.gapped_symmetric(negative=True))
def test_negative_matrices_have_a_negative_dominant_eigenvalue(kwargs):
    lams = np.linalg.eigvalsh(kwargs["a"])
    assert lams[np.argmax(np.abs(lams))] < 0


# ---------------------------------------------------------------- forbidden calls

@pytest.mark.parametrize("body", [
    "return np.linalg.eigh(a)",
    "from numpy.linalg import eig as e\n    return e(a)",
    "import scipy.linalg as sl\n    return sl.eigh(a)",
    "from scipy.sparse.linalg import eigsh\n    return eigsh(a, 1)",
    "import torch\n    return torch.linalg.eigvalsh(torch.as_tensor(a))",
    "import torch\n    return torch.as_tensor(a).eig()",
    "return np.roots([1.0, -a[0][0] - a[1][1], a[0][0] * a[1][1] - a[0][1] ** 2])",
    "return np.linalg.svd(a)",
    "import numpy.linalg as la\n    return la.eigvals(a)",
])
def test_eigen_routines_are_found_in_every_spelling(body):
    source = f"import numpy as np\n\n\ndef eig_2x2(a):\n    {body}\n"
    findings = forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions)
    assert findings and {f.scope for f in findings} == {"eig_2x2"}, findings


def test_the_reference_and_plain_numpy_are_allowed():
    source = (SOLUTIONS / "eigen.py").read_text() + (
        "\n\ndef helper(a):\n    q, r = np.linalg.qr(a)\n    return np.linalg.norm(a, 2), np.linalg.solve(a, a), q\n")
    assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


def test_a_library_eigh_is_forbidden_for_that_function_only(tmp_path):
    source = (SOLUTIONS / "eigen.py").read_text() + (
        "\n\ndef eig_2x2(a):\n    lams, vecs = np.linalg.eigh(np.asarray(a, dtype=float))\n"
        "    return lams[::-1], vecs[:, ::-1]\n")
    result = grade("eigen", submit(tmp_path, "eigen", source))
    assert {c.status for c in result.checks if c.function == "eig_2x2"} == {"forbidden"}
    assert all(c.status == "passed" for c in result.checks if c.function == "power_iteration")


# ---------------------------------------------------------------- what the checks accept and catch

OTHER_SIGNS = '''

_reference_power_iteration, _reference_eig_2x2 = power_iteration, eig_2x2


def power_iteration(a, n_iter=1000, tol=1e-12, seed=0):
    lam, v = _reference_power_iteration(a, n_iter, tol, seed)
    return lam, -v if seed % 2 == 0 else v


def eig_2x2(a):
    lams, vecs = _reference_eig_2x2(a)
    return lams, vecs * np.array([-1.0, 1.0])
'''


def test_other_signs_of_the_eigenvectors_get_full_marks(tmp_path):
    result = grade("eigen", submit(tmp_path, "eigen", (SOLUTIONS / "eigen.py").read_text() + OTHER_SIGNS))
    assert [(c.id, c.message) for c in failing(result)] == []


ABSOLUTE_TOL = '''

def power_iteration(a, n_iter=1000, tol=1e-12, seed=0):
    """An absolute stopping rule |lam_new - lam_old| <= tol, still precise enough for these matrices."""
    a = _square(a)
    if n_iter < 1 or tol < 0:
        raise ValueError("n_iter >= 1 and tol >= 0")
    v = np.random.default_rng(seed).standard_normal(a.shape[0])
    v /= np.linalg.norm(v)
    lam = np.inf
    for _ in range(n_iter):
        w = a @ v
        new = v @ w
        v = w / np.linalg.norm(w)
        if abs(new - lam) <= tol:
            break
        lam = new
    return float(v @ a @ v), v
'''


def test_other_reasonable_stopping_rules_get_full_marks(tmp_path):
    result = grade("eigen", submit(tmp_path, "eigen", (SOLUTIONS / "eigen.py").read_text() + ABSOLUTE_TOL))
    assert [(c.id, c.message) for c in failing(result)] == []


TEXTBOOK_2X2 = '''

def eig_2x2(a):
    """The (tr +- sqrt(tr^2 - 4 det)) / 2 route with the robust eigenvectors: right except near ties."""
    a = _square(a)
    if a.shape != (2, 2) or a[0, 1] != a[1, 0]:
        raise ValueError("a must be a symmetric 2x2")
    tr, det = a[0, 0] + a[1, 1], a[0, 0] * a[1, 1] - a[0, 1] ** 2
    root = np.sqrt(max(tr * tr - 4 * det, 0.0))
    return np.array([(tr + root) / 2, (tr - root) / 2]), _closed_form_2x2(a)[1]
'''


def test_the_textbook_discriminant_fails_only_the_stability_checks(tmp_path):
    result = grade("eigen", submit(tmp_path, "eigen", (SOLUTIONS / "eigen.py").read_text() + TEXTBOOK_2X2))
    failed = {c.id for c in failing(result)}
    assert failed == {"eigen.eig_2x2_handles_nearly_equal_eigenvalues", "eigen.eig_2x2_handles_extreme_scales"}


# ---------------------------------------------------------------- the quiz bank

QUESTIONS = {q.id: q for q in bank.QUESTIONS}


def test_the_bank_is_complete():
    check_bank(bank.QUESTIONS)
    assert sum(len(v.misconceptions) > 0 for _, v in variants(QUESTIONS["larger_eigenvalue"], "eigen")) == 50


def lams_of(p):
    return np.linalg.eigvalsh(np.array([[p["a"], p["b"]], [p["b"], p["d"]]], dtype=float))


@pytest.mark.parametrize("qid, expected", [
    ("larger_eigenvalue", lambda p: lams_of(p).max()),
    ("product_of_eigenvalues", lambda p: p["a"] * p["d"] - p["b"] ** 2),
    ("power_iteration_result", lambda p: round(float(max(lams_of(p), key=abs)), 3)),
])
def test_parameterized_answers_match_numpy(qid, expected):
    question = QUESTIONS[qid]
    for _, variant in variants(question, "eigen"):
        check_variant(question, variant, expected(variant.parameters))
