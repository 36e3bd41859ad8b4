"""The svd reference against numpy's and torch's SVD (independent oracles), its forbidden calls, and
what the checks must accept (free signs, any basis of a tied singular space, the plain eigh route)
or catch (an absolute threshold on s)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import forbidden
from grader.judging.checks import Reference
from grader.specs import svd as svd_spec
from helpers import SOLUTIONS, failing, grade, submit

ref = Reference("svd")
SPEC = svd_spec.SPEC
ENTRIES = st.floats(-10, 10, allow_nan=False).map(lambda x: x if abs(x) >= 1e-3 else 0.0)
SCALES = st.sampled_from([1.0, 1e-150, 1e150])
GAP = 1e-3  # relative spacing above which singular vectors are unique enough to compare


@st.composite
def matrices(draw, max_side=8):
    a = draw(nps.arrays(np.float64, (draw(st.integers(1, max_side)), draw(st.integers(1, max_side))),
                        elements=ENTRIES))
    return a * draw(SCALES)


def oracles(a):
    """(u, s, vt) from LAPACK through numpy, and from torch (float64)."""
    yield np.linalg.svd(a, full_matrices=False)
    u, s, vh = torch.linalg.svd(torch.from_numpy(a), full_matrices=False)
    yield u.numpy(), s.numpy(), vh.numpy()


def distinct(s):
    """Indices of singular values that are non-zero and apart from all others (unique vectors)."""
    top = s.max(initial=0.0)
    return [i for i in range(s.size)
            if s[i] > GAP * top and np.all(np.abs(np.delete(s, i) - s[i]) > GAP * top)]


# ---------------------------------------------------------------- the reference against the oracles

@given(matrices())
def test_singular_values_match_numpy_and_torch(a):
    _, s, _ = ref.svd(a)
    for _, s_oracle, _ in oracles(a):
        np.testing.assert_allclose(s, s_oracle, rtol=0, atol=1e-13 * max(s_oracle.max(), 1e-300))


@given(matrices())
def test_factors_are_orthonormal_and_reconstruct_a(a):
    u, s, vt = ref.svd(a)
    r = min(a.shape)
    assert u.shape == (a.shape[0], r) and s.shape == (r,) and vt.shape == (r, a.shape[1])
    assert u.dtype == s.dtype == vt.dtype == np.float64
    np.testing.assert_allclose(u.T @ u, np.eye(r), rtol=0, atol=1e-13)
    np.testing.assert_allclose(vt @ vt.T, np.eye(r), rtol=0, atol=1e-13)
    scale = max(np.abs(a).max(), 1e-300)
    np.testing.assert_allclose((u * s) @ vt / scale, a / scale, rtol=0, atol=1e-13)
    assert np.all(s >= 0) and np.all(np.diff(s) <= 0)


@given(matrices())
def test_singular_vectors_match_the_oracles_as_projectors(a):
    u, s, vt = ref.svd(a)
    for u_o, s_o, vt_o in oracles(a):
        for i in distinct(s_o):
            np.testing.assert_allclose(np.outer(u[:, i], u[:, i]), np.outer(u_o[:, i], u_o[:, i]), atol=1e-9)
            np.testing.assert_allclose(np.outer(vt[i], vt[i]), np.outer(vt_o[i], vt_o[i]), atol=1e-9)


@given(matrices(), st.data())
def test_low_rank_approx_is_the_truncated_oracle_svd(a, data):
    k = data.draw(st.integers(0, min(a.shape)))
    a_k = ref.low_rank_approx(a, k)
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    scale = max(s.max(), 1e-300)
    # Eckart-Young always; the entries where they are unique (s_k > s_(k+1)).
    error = np.linalg.norm((a - a_k) / scale)
    np.testing.assert_allclose(error, np.linalg.norm(s[k:] / scale), rtol=0, atol=1e-12)
    assert np.linalg.matrix_rank(a_k, tol=1e-12 * scale) <= k
    if k in (0, s.size) or s[k - 1] - s[k] > GAP * scale:
        np.testing.assert_allclose(a_k / scale, (u[:, :k] * s[:k]) @ vt[:k] / scale, rtol=0, atol=1e-10)


def test_wide_matrix_is_the_transpose_of_the_tall_one():
    a = np.arange(12.0).reshape(3, 4) ** 1.5
    u, s, vt = ref.svd(a)
    v_t, s_t, ut_t = ref.svd(a.T)
    np.testing.assert_allclose(s, s_t, rtol=1e-14)
    np.testing.assert_allclose(u @ u.T, ut_t.T @ ut_t, atol=1e-13)


def test_edge_cases_of_the_contract():
    u, s, vt = ref.svd(np.zeros((3, 2)))  # the zero matrix: s = 0, u still orthonormal
    np.testing.assert_array_equal(s, [0.0, 0.0])
    np.testing.assert_allclose(u.T @ u, np.eye(2), atol=1e-15)
    a = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    np.testing.assert_array_equal(ref.low_rank_approx(a, 0), np.zeros((3, 2)))
    np.testing.assert_allclose(ref.low_rank_approx(a, 2), a, atol=1e-13)
    for k in (-1, 3, 1.5, True):
        with pytest.raises(ValueError, match="k"):
            ref.low_rank_approx(a, k)
    with pytest.raises(ValueError, match="a"):
        ref.svd([1.0, 2.0])
    original = np.array(a)
    ref.svd(original)
    ref.low_rank_approx(original, 1)
    np.testing.assert_array_equal(original, a)


# ---------------------------------------------------------------- the spec's strategies stay well-posed

@given(svd_spec.matrices())
def test_drawn_matrices_have_a_clear_numerical_rank(a):
    s = np.linalg.svd(a, compute_uv=False)
    ratio = s / s[0] if s[0] else s
    assert np.all((ratio >= 1e-4) | (ratio <= 1e-13)) and np.abs(a).max(initial=0) <= 10


@given(svd_spec.RANK_DEFICIENT)
def test_rank_deficient_matrices_have_a_zero_singular_value(kwargs):
    s = np.linalg.svd(kwargs["a"], compute_uv=False)
    assert s[-1] <= 1e-13 * max(s[0], 1e-300)


@given(svd_spec.ILL_CONDITIONED)
def test_ill_conditioned_matrices_stay_within_a_condition_number_of_1e4(kwargs):
    s = np.linalg.svd(kwargs["a"], compute_uv=False)
    assert s[0] / s[-1] <= 1e4 * (1 + 1e-9)


@given(svd_spec.EXTREME_SCALES)
def test_extreme_scales_are_tiny_or_huge(kwargs):
    biggest = np.abs(kwargs["a"]).max()
    assert 1e-153 <= biggest <= 1e-149 or 1e147 <= biggest <= 1e151


# ---------------------------------------------------------------- forbidden calls

def test_a_library_svd_is_forbidden_and_scores_nothing_for_that_function(tmp_path):
    source = (SOLUTIONS / "svd.py").read_text() + (
        "\n\ndef svd(a):\n    return np.linalg.svd(np.asarray(a, dtype=float), full_matrices=False)\n")
    result = grade("svd", submit(tmp_path, "svd", source))
    svd_checks = [c for c in result.checks if c.function == "svd"]
    assert {c.status for c in svd_checks} == {"forbidden"}
    assert "numpy.linalg.svd" in svd_checks[0].message
    assert all(c.status == "passed" for c in result.checks if c.function != "svd")


@pytest.mark.parametrize("body", [
    "from numpy.linalg import svd as decompose\n    return decompose(a, full_matrices=False)",
    "import scipy.linalg as sl\n    return sl.svd(a, full_matrices=False)",
    "from scipy import linalg\n    return linalg.svdvals(a)",
    "import torch\n    return torch.linalg.svd(torch.as_tensor(a), full_matrices=False)",
    "import torch\n    return torch.as_tensor(a).svd()",
    "import torch\n    return torch.svd_lowrank(torch.as_tensor(a))",
    "return np.linalg.pinv(a)",
    "return np.linalg.matrix_rank(a)",
    "from sklearn.utils.extmath import randomized_svd\n    return randomized_svd(a, 2)",
    "from sklearn.decomposition import TruncatedSVD\n    return TruncatedSVD(1).fit(a)",
    "from scipy.linalg import lapack\n    return lapack.dgesdd(a)",
    "from numpy.linalg import _umath_linalg\n    return _umath_linalg.svd_f(a)",
    "from numpy.linalg._linalg import svd as private\n    return private(a)",
    "import scipy.linalg\n    return scipy.linalg.orthogonal_procrustes(a, a)",
    "import torch\n    return torch._linalg_svd(torch.as_tensor(a))",
])
def test_svd_routines_are_found_in_every_spelling(body):
    source = f"import numpy as np\n\n\ndef svd(a):\n    {body}\n"
    findings = forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions)
    assert [f.scope for f in findings] and {f.scope for f in findings} == {"svd"}, findings


def test_eigh_eig_qr_and_norms_are_allowed():
    # norm(a, 2) is SVD-based but left allowed (one number, not the factors; see the spec's comment).
    source = (SOLUTIONS / "svd.py").read_text() + (
        "\n\ndef helper(a):\n    import torch\n    w, v = np.linalg.eig(a)\n    q, r = np.linalg.qr(a)\n"
        "    t = torch.linalg.eigh(torch.as_tensor(a))\n"
        "    return np.linalg.norm(a), np.linalg.norm(a, 2), np.linalg.norm(a, axis=0), torch.linalg.qr(t[1]), w, q\n")
    assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


# ---------------------------------------------------------------- what the checks accept and catch

SIGNS_AND_TIED_BASES = '''

_reference_svd = svd


def svd(a):
    """The reference, with other signs and another basis inside every tied singular space."""
    u, s, vt = _reference_svd(a)
    u, vt = u.copy(), vt.copy()
    flip = np.where(np.arange(s.size) % 2 == 0, -1.0, 1.0)
    u, vt = u * flip, vt * flip[:, None]  # u_i -> -u_i together with v_i -> -v_i
    top = s.max(initial=0.0)
    i = 0
    while i < s.size:
        j = i
        while j + 1 < s.size and s[j + 1] >= s[i] - 1e-9 * top:
            j += 1
        if j > i:  # s_i == ... == s_j: rotate u and v by the same random orthogonal matrix
            q, _ = np.linalg.qr(np.random.default_rng(j).standard_normal((j - i + 1, j - i + 1)))
            u[:, i:j + 1] = u[:, i:j + 1] @ q
            vt[i:j + 1] = q.T @ vt[i:j + 1]
        i = j + 1
    return u, s, vt
'''


def test_other_signs_and_other_bases_of_tied_singular_spaces_get_full_marks(tmp_path):
    source = (SOLUTIONS / "svd.py").read_text() + SIGNS_AND_TIED_BASES
    result = grade("svd", submit(tmp_path, "svd", source))
    assert [(c.id, c.message) for c in failing(result)] == []


PLAIN_EIGH_ROUTE = '''import numpy as np


def svd(a):
    """The catalog's hint 3 done right: no rescaling, a relative threshold, QR where s_i is ~0."""
    a = np.asarray(a, dtype=np.float64)
    m, n = a.shape
    if m < n:
        u, s, vt = svd(a.T)
        return vt.T, s, u.T
    lam, v = np.linalg.eigh(a.T @ a)
    idx = lam.argsort()[::-1]
    s = np.sqrt(np.clip(lam[idx], 0, None))
    v = v[:, idx]
    keep = s > THRESHOLD * s.max() if s.max() > 0 else np.zeros(n, dtype=bool)
    u = np.zeros((m, n))
    u[:, keep] = a @ v[:, keep] / s[keep]
    if not keep.all():
        q, _ = np.linalg.qr(np.hstack([u[:, keep], np.eye(m)]))
        u[:, ~keep] = q[:, keep.sum():n]
    return u, s, v.T


def low_rank_approx(a, k):
    a = np.asarray(a, dtype=np.float64)
    if not 0 <= k <= min(a.shape):
        raise ValueError("k must be in [0, min(m, n)]")
    u, s, vt = svd(a)
    return u[:, :k] @ np.diag(s[:k]) @ vt[:k]
'''


def test_the_plain_eigh_route_with_a_relative_threshold_gets_full_marks(tmp_path):
    # No division by max|a|: the 1e-150 / 1e150 checks do not demand the reference's rescaling.
    source = PLAIN_EIGH_ROUTE.replace("THRESHOLD * s.max()", "1e-7 * s.max()")
    result = grade("svd", submit(tmp_path, "svd", source))
    assert [(c.id, c.message, c.counterexample) for c in failing(result)] == []


def test_an_absolute_threshold_on_s_fails_for_tiny_matrices(tmp_path):
    source = PLAIN_EIGH_ROUTE.replace("THRESHOLD * s.max()", "1e-6")
    result = grade("svd", submit(tmp_path, "svd", source))
    failed = {c.id: c for c in failing(result)}
    assert set(failed) == {"svd.svd_handles_extreme_scales", "svd.low_rank_approx_handles_ties_and_scales"}
    assert "1e-150" in failed["svd.svd_handles_extreme_scales"].counterexample
