"""Checks for svd and low_rank_approx (DESIGN.md, topic svd).

Only what is unique is compared: singular values, the reconstruction u @ diag(s) @ vt, the
orthonormality of u and vt, projectors u_i u_i^T where s_i is distinct, and for low_rank_approx
the Eckart-Young error and the rank (its entries only where s_k > s_(k+1)). Never signs.
The eigh(a^T a) route squares the condition number, so comparisons are to 1e-6 of s_max (T2),
on matrices whose numerical rank is clear: every s_i / s_max is >= 1e-4 or <= 1e-13.
"""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, expect_close, expect_unchanged, expect_value_error,
                                   tuple_contract)

_SVD_ROUTINES = ("svd", "svdvals", "pinv", "lstsq", "matrix_rank", "cond")
SPEC = Spec(
    "svd",
    functions=("svd", "low_rank_approx"),
    # Everything that computes an SVD or is built on one. eigh, eig, qr and norm stay allowed: norm's
    # ord=2/-2/"nuc" uses an SVD, but it gives one number, not the factors, and Frobenius norms are legit.
    forbidden=(
        *(f"numpy.linalg.{name}" for name in _SVD_ROUTINES),
        # numpy's private modules and LAPACK drivers behind np.linalg.svd
        "numpy.linalg._linalg", "numpy.linalg.linalg", "numpy.linalg.lapack_lite", "numpy.linalg._umath_linalg",
        *(f"scipy.linalg.{name}" for name in _SVD_ROUTINES),
        "scipy.linalg.orth", "scipy.linalg.null_space", "scipy.linalg.polar", "scipy.linalg.subspace_angles",
        "scipy.linalg.orthogonal_procrustes", "scipy.linalg._decomp_svd", "scipy.linalg.decomp_svd",
        "scipy.linalg.interpolative", "scipy.linalg.lapack", "scipy.linalg.get_lapack_funcs",
        "scipy.sparse.linalg.svds",
        *(f"torch.linalg.{name}" for name in _SVD_ROUTINES),
        "torch.svd", "torch.pinverse", "torch.lstsq", "torch.matrix_rank", "torch.nuclear_norm",
        "torch.svd_lowrank", "torch.pca_lowrank", "torch._linalg_svd", "torch._lowrank", "torch.ops", "torch._C",
        "sklearn.decomposition", "sklearn.utils.extmath",
        *(f"jax.numpy.linalg.{name}" for name in _SVD_ROUTINES), "jax.scipy.linalg.svd", "jax.lax.linalg.svd",
    ),
    forbidden_methods=("svd", "pinverse", "lstsq", "svd_lowrank", "pca_lowrank"),
)
ref = SPEC.reference

ROUTE_RTOL = 1e-6  # eigh(a^T a) squares the condition number: compare to 1e-6 of s_max (T2)
ORTHONORMAL_ATOL = 1e-6  # u^T u and vt vt^T against the identity (dimensionless)
GAP = 1e-3  # singular values closer than GAP * s_max count as tied: their vectors are not unique
TINY = 1e-300  # the tolerance floor for the zero matrix (never atol = 0)

SIDES = st.integers(1, 6)
# Bounded magnitudes: 0 or 1e-3 <= |x| <= 10 (tiny and huge scales have their own stability check).
ENTRIES = st.floats(-10, 10, allow_nan=False, allow_infinity=False).map(lambda x: x if abs(x) >= 1e-3 else 0.0)


# ---------------------------------------------------------------- judge-side measurements

def singular_values(a) -> np.ndarray:
    """The exact singular values of a (LAPACK's SVD, run by the grader, never by the learner)."""
    return np.linalg.svd(np.asarray(a, dtype=np.float64), compute_uv=False)


def s_max(a) -> float:
    return float(singular_values(a).max(initial=0.0))


def route_atol(a) -> float:
    return max(ROUTE_RTOL * s_max(a), TINY)


def frobenius(x) -> float:
    """||x||_F without overflow or underflow for entries near 1e150 or 1e-150."""
    x = np.asarray(x, dtype=np.float64)
    scale = float(np.max(np.abs(x), initial=0.0))
    if scale == 0.0 or not np.isfinite(scale):
        return scale
    return float(np.sqrt(np.sum((x / scale) ** 2)) * scale)


def has_clear_rank(a) -> bool:
    """Every singular value is clearly non-zero (>= 1e-4 s_max) or clearly zero (<= 1e-13 s_max)."""
    s = singular_values(a)
    if s[0] == 0.0:
        return True
    ratio = s / s[0]
    return bool(np.all((ratio >= 1e-4) | (ratio <= 1e-13)))


# ---------------------------------------------------------------- strategies

@st.composite
def matrices(draw):
    a = draw(nps.arrays(np.float64, (draw(SIDES), draw(SIDES)), elements=ENTRIES))
    assume(has_clear_rank(a))
    return a


MATRIX = matrices().map(lambda a: {"a": a})


@st.composite
def matrix_and_k(draw, only=None):
    """a and a k in [0, min(m, n)] (``only="ends"``: k is 0 or min(m, n); ``"gap"``: s_k > s_(k+1))."""
    a = draw(matrices())
    r = min(a.shape)
    k = draw(st.sampled_from([0, r]) if only == "ends" else st.integers(0, r))
    if only == "gap" and 0 < k < r:
        s = singular_values(a)
        assume(s[k - 1] - s[k] > GAP * s[0])
    return {"a": a, "k": k}


@st.composite
def matrix_and_bad_k(draw):
    a = draw(matrices())
    r = min(a.shape)
    k = draw(st.one_of(st.integers(-3, -1), st.integers(r + 1, r + 3)))
    return {"a": a, "k": k, "why": f"k = {k} with min(m, n) = {r}"}


def _orthonormal_columns(rng, rows: int, cols: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.standard_normal((rows, cols)))
    return q


@st.composite
def with_singular_values(draw, levels, *, zeros=False, condition=None, largest=None, scales=(1.0,)):
    """A random (m, n) matrix with singular values drawn from ``levels`` (random orthogonal factors).

    zeros: at least one singular value is exactly 0 (rank-deficient); condition: the largest is 1
    and the smallest 1 / condition; largest: the largest singular value; scales: the whole matrix
    is multiplied by one of these.
    """
    m, n = draw(SIDES), draw(SIDES)
    r = min(m, n)
    rank = draw(st.integers(0, r - 1)) if zeros else r
    s = draw(st.lists(levels, min_size=rank, max_size=rank)) + [0.0] * (r - rank)
    if condition is not None and r >= 2:
        s[0], s[-1] = 1.0, 1.0 / condition
    if largest is not None:
        s[0] = largest
    s = np.sort(np.asarray(s, dtype=np.float64))[::-1]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = (_orthonormal_columns(rng, m, r) * s) @ _orthonormal_columns(rng, n, r).T
    return {"a": a * draw(st.sampled_from(scales))}


LEVELS = st.sampled_from([1.0, 0.5, 0.1, 1e-2, 1e-3, 1e-4])
LOG_LEVELS = st.floats(-4, 0).map(lambda e: 10.0**e)
RANK_DEFICIENT = with_singular_values(LEVELS, zeros=True)
ILL_CONDITIONED = with_singular_values(st.one_of(LOG_LEVELS, LEVELS), condition=1e4)
EXTREME_SCALES = with_singular_values(st.sampled_from([1.0, 0.3, 1e-2, 0.0]), largest=1.0, scales=(1e-150, 1e150))
TIED = with_singular_values(st.sampled_from([1.0, 0.5, 0.0]), scales=(1.0, 1e-150, 1e150))


@st.composite
def tied_and_k(draw):
    a = draw(TIED)["a"]
    return {"a": a, "k": draw(st.integers(0, min(a.shape)))}


# ---------------------------------------------------------------- reading the learner's svd

def svd_parts(value, a):
    """The learner's (u, s, vt) as float arrays of the contract's shapes."""
    m, n = np.shape(a)
    r = min(m, n)
    u, s, vt = tuple_contract(value, 3, what="svd's result (u, s, vt)")
    u = as_array(u, shape=(m, r), what="u (the first item)")
    s = as_array(s, shape=(r,), what="s (the second item)")
    vt = as_array(vt, shape=(r, n), what="vt (the third item)")
    return u, s, vt


def expect_orthonormal(u, vt, note=""):
    r = u.shape[1]
    with np.errstate(all="ignore"):
        expect_close(u.T @ u, np.eye(r), rtol=0, atol=ORTHONORMAL_ATOL,
                     what=f"u.T @ u (it should be the identity: u's columns must be orthonormal{note})")
        expect_close(vt @ vt.T, np.eye(r), rtol=0, atol=ORTHONORMAL_ATOL,
                     what=f"vt @ vt.T (it should be the identity: vt's rows must be orthonormal{note})")


def expect_reconstruction(a, u, s, vt):
    with np.errstate(all="ignore"):
        product = (u * s) @ vt
    expect_close(product, np.asarray(a, dtype=np.float64), rtol=0, atol=route_atol(a),
                 what="u @ diag(s) @ vt (it should give back a)")


def expect_singular_values(a, s):
    expect_close(s, ref.svd(a)[1], rtol=0, atol=route_atol(a), what="s (the singular values)")


# ---------------------------------------------------------------- contract

SHAPE_EXAMPLES = [dict(a=[[1.0, 2.0], [3.0, 4.0]]), dict(a=[[1.0, 2.0, 3.0]]), dict(a=[[1.0], [2.0], [3.0]]),
                  dict(a=[[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])]


@SPEC.check("svd", tier="contract", points=2,
            title="svd returns float64 arrays u (m, r), s (r,) and vt (r, n) with r = min(m, n)",
            given=MATRIX, examples=SHAPE_EXAMPLES)
def svd_returns_thin_factors(learner, a):
    m, n = np.shape(a)
    r = min(m, n)
    u, s, vt = tuple_contract(learner.svd(a=a), 3, what="svd's result (u, s, vt)")
    array_contract(u, shape=(m, r), what="u (the first item)")
    array_contract(s, shape=(r,), what="s (the second item)")
    array_contract(vt, shape=(r, n), what="vt (the third item)")


@SPEC.check("svd", tier="contract", points=1, title="svd leaves its input unchanged", given=MATRIX)
def svd_leaves_input_unchanged(learner, a):
    _, after = learner.value_and_arguments_after("svd", a=a)
    expect_unchanged({"a": a}, after, function="svd")


@SPEC.check("low_rank_approx", tier="contract", points=1,
            title="low_rank_approx returns a float64 array shaped like a",
            given=matrix_and_k(), examples=[dict(a=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], k=1)])
def low_rank_approx_returns_float64_array(learner, a, k):
    array_contract(learner.low_rank_approx(a=a, k=k), shape=np.shape(a))


@SPEC.check("low_rank_approx", tier="contract", points=1, title="low_rank_approx leaves its input unchanged",
            given=matrix_and_k())
def low_rank_approx_leaves_input_unchanged(learner, a, k):
    _, after = learner.value_and_arguments_after("low_rank_approx", a=a, k=k)
    expect_unchanged({"a": a}, after, function="low_rank_approx")


@SPEC.check("low_rank_approx", tier="contract", points=2,
            title="low_rank_approx raises ValueError for k outside [0, min(m, n)]",
            given=matrix_and_bad_k(),
            examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]], k=-1, why="k = -1"),
                      dict(a=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], k=3, why="k = 3 with min(m, n) = 2"),
                      dict(a=[[1.0], [2.0], [3.0]], k=2, why="k = 2 with min(m, n) = 1")])
def low_rank_approx_rejects_bad_k(learner, a, k, why):
    expect_value_error(learner.outcome("low_rank_approx", a=a, k=k), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("svd", tier="properties", points=2, title="svd gives singular values s >= 0 in descending order",
            given=MATRIX, examples=[dict(a=[[1.0, 0.0], [0.0, 2.0]]), dict(a=[[0.0, 0.0, 1.0], [0.0, 3.0, 0.0]])])
def svd_singular_values_are_sorted_and_non_negative(learner, a):
    _, s, _ = svd_parts(learner.svd(a=a), a)
    atol = route_atol(a)
    if not np.all(np.isfinite(s)):
        raise Failure("s contains nan or inf", expected=render.describe("finite singular values"), got=s)
    if np.any(s < -atol):
        i = int(np.argmin(s))
        raise Failure(f"s[{i}] = {float(s[i])!r} is negative; singular values are lengths, never negative",
                      expected=render.describe("s >= 0"), got=s)
    rises = np.flatnonzero(s[1:] > s[:-1] + atol)
    if rises.size:
        i = int(rises[0])
        later, earlier = float(s[i + 1]), float(s[i])
        raise Failure(f"s is not in descending order: s[{i + 1}] = {later!r} > s[{i}] = {earlier!r}",
                      expected=np.sort(s)[::-1], got=s)


@SPEC.check("svd", tier="properties", points=2,
            title="svd gives u with orthonormal columns and vt with orthonormal rows", given=MATRIX,
            examples=[dict(a=[[3.0, 0.0], [4.0, 5.0]]), dict(a=[[1.0, 1.0], [1.0, 1.0]])])
def svd_factors_are_orthonormal(learner, a):
    u, _, vt = svd_parts(learner.svd(a=a), a)
    expect_orthonormal(u, vt)


@SPEC.check("svd", tier="properties", points=2, title="svd's u @ diag(s) @ vt gives back a",
            given=MATRIX, examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]]), dict(a=[[2.0, 0.0, 1.0]]),
                                    dict(a=[[1.0, 2.0], [0.0, 1.0], [1.0, 0.0]])])
def svd_reconstructs_a(learner, a):
    u, s, vt = svd_parts(learner.svd(a=a), a)
    expect_reconstruction(a, u, s, vt)


@SPEC.check("svd", tier="properties", points=1, title="svd's s**2 are the largest eigenvalues of a.T @ a",
            given=MATRIX, examples=[dict(a=[[2.0, 0.0], [0.0, 3.0]])])
def svd_squares_are_gram_eigenvalues(learner, a):
    _, s, _ = svd_parts(learner.svd(a=a), a)
    a = np.asarray(a, dtype=np.float64)
    eigenvalues = np.linalg.eigvalsh(a.T @ a)[::-1][: s.size]  # descending; the n - r others are 0
    with np.errstate(all="ignore"):
        squares = s**2
    expect_close(squares, eigenvalues, rtol=0, atol=max(2 * ROUTE_RTOL * s_max(a) ** 2, TINY),
                 what="s**2 (they should be the eigenvalues of a.T @ a)")


@SPEC.check("low_rank_approx", tier="properties", points=2,
            title="low_rank_approx's error ||a - a_k||_F is sqrt(s_(k+1)^2 + ... + s_r^2) (Eckart-Young)",
            given=matrix_and_k(), examples=[dict(a=[[3.0, 0.0], [0.0, 1.0]], k=1),
                                            dict(a=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], k=1)])
def low_rank_approx_error_is_eckart_young(learner, a, k):
    a_k = as_array(learner.low_rank_approx(a=a, k=k), shape=np.shape(a))
    s = singular_values(a)
    best = frobenius(s[k:])
    with np.errstate(all="ignore"):
        error = frobenius(np.asarray(a, dtype=np.float64) - a_k) if np.all(np.isfinite(a_k)) else np.nan
    expect_close(error, best, rtol=0, atol=route_atol(a),
                 what=f"||a - low_rank_approx(a, {k})||_F (the best possible is sqrt of the sum of the "
                      f"squared singular values after the first {k})")


def expect_rank_at_most(a_k, k, atol):
    if not np.all(np.isfinite(a_k)):
        raise Failure("the result contains nan or inf", got=a_k)
    s = singular_values(a_k)
    if s.size > k and s[k] > atol:
        rank = int(np.sum(s > atol))
        raise Failure(f"the result has rank {rank}, more than k = {k} (its singular value number {k + 1} "
                      f"is {s[k]:.3g}); keep only the k largest terms",
                      expected=render.describe(f"a matrix of rank <= {k}"), got=a_k)


@SPEC.check("low_rank_approx", tier="properties", points=2, title="low_rank_approx(a, k) has rank at most k",
            given=matrix_and_k(), examples=[dict(a=[[3.0, 0.0], [0.0, 1.0]], k=1),
                                            dict(a=[[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], k=0)])
def low_rank_approx_has_rank_at_most_k(learner, a, k):
    a_k = as_array(learner.low_rank_approx(a=a, k=k), shape=np.shape(a))
    expect_rank_at_most(a_k, k, route_atol(a))


@SPEC.check("low_rank_approx", tier="properties", points=1,
            title="low_rank_approx gives back a for k = min(m, n) and zeros for k = 0",
            given=matrix_and_k(only="ends"), examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]], k=2),
                                                       dict(a=[[1.0, 2.0], [3.0, 4.0]], k=0)])
def low_rank_approx_keeps_all_or_nothing(learner, a, k):
    a = np.asarray(a, dtype=np.float64)
    expected = a if k == min(a.shape) else np.zeros_like(a)
    expect_close(learner.low_rank_approx(a=a, k=k), expected, rtol=0, atol=route_atol(a),
                 what=f"low_rank_approx(a, {k})")


# ---------------------------------------------------------------- reference

@SPEC.check("svd", tier="reference", points=2, title="svd's singular values match the reference",
            given=MATRIX, examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]]), dict(a=[[4.0, 0.0, 3.0]])])
def svd_singular_values_match_reference(learner, a):
    _, s, _ = svd_parts(learner.svd(a=a), a)
    expect_singular_values(a, s)


@SPEC.check("svd", tier="reference", points=2,
            title="svd's singular vectors match the reference where s_i is distinct (as projectors u_i u_i^T, "
                  "v_i v_i^T: signs are free)",
            given=MATRIX, examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]]), dict(a=[[2.0, 1.0, 0.0], [0.0, 1.0, 1.0]])])
def svd_singular_vectors_match_reference(learner, a):
    u, _, vt = svd_parts(learner.svd(a=a), a)
    u_ref, s_ref, vt_ref = ref.svd(a)
    top = s_ref.max(initial=0.0)
    for i in range(s_ref.size):
        others = np.delete(s_ref, i)
        if s_ref[i] <= GAP * top or np.any(np.abs(others - s_ref[i]) <= GAP * top):
            continue  # a zero or tied singular value: its vectors are not unique
        with np.errstate(all="ignore"):
            expect_close(np.outer(u[:, i], u[:, i]), np.outer(u_ref[:, i], u_ref[:, i]), rtol=0,
                         atol=ORTHONORMAL_ATOL, what=f"the projector u[:, {i}] u[:, {i}]^T")
            expect_close(np.outer(vt[i], vt[i]), np.outer(vt_ref[i], vt_ref[i]), rtol=0,
                         atol=ORTHONORMAL_ATOL, what=f"the projector vt[{i}]^T vt[{i}]")


@SPEC.check("low_rank_approx", tier="reference", points=2,
            title="low_rank_approx matches the reference where s_k > s_(k+1) (where it is unique)",
            given=matrix_and_k(only="gap"), examples=[dict(a=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], k=1)])
def low_rank_approx_matches_reference(learner, a, k):
    expect_close(learner.low_rank_approx(a=a, k=k), ref.low_rank_approx(a, k), rtol=0, atol=route_atol(a))


# ---------------------------------------------------------------- stability

def expect_a_correct_svd(learner, a, note=""):
    u, s, vt = svd_parts(learner.svd(a=a), a)
    expect_orthonormal(u, vt, note)
    expect_reconstruction(a, u, s, vt)
    expect_singular_values(a, s)


@SPEC.check("svd", tier="stability", points=3,
            title="svd handles rank-deficient matrices: u and vt stay orthonormal where s_i = 0",
            given=RANK_DEFICIENT,
            examples=[dict(a=np.zeros((3, 2))), dict(a=[[1.0, 2.0], [2.0, 4.0]]), dict(a=np.ones((2, 3))),
                      dict(a=[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]),
                      dict(a=[[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])])
def svd_handles_rank_deficient_matrices(learner, a):
    expect_a_correct_svd(learner, a, note=", also where s_i is 0: complete them there, e.g. with np.linalg.qr")


@SPEC.check("svd", tier="stability", points=2,
            title="svd is accurate for ill-conditioned matrices (condition number up to 1e4)",
            given=ILL_CONDITIONED, examples=[dict(a=[[1.0, 0.0], [0.0, 1e-4]]), dict(a=[[1.0, 1.0], [1.0, 1.001]])])
def svd_handles_ill_conditioned_matrices(learner, a):
    expect_a_correct_svd(learner, a)


@SPEC.check("svd", tier="stability", points=2,
            title="svd works for tiny and huge matrices (entries near 1e-150 or 1e150)",
            given=EXTREME_SCALES,
            examples=[dict(a=[[3e150, 0.0, 4e150]]), dict(a=[[1e150, 2e150], [3e150, 4e150], [5e150, 6e150]]),
                      dict(a=[[1e-150, 2e-150], [3e-150, 4e-150]]), dict(a=[[1e-150, 2e-150], [2e-150, 4e-150]])])
def svd_handles_extreme_scales(learner, a):
    expect_a_correct_svd(learner, a)


@SPEC.check("low_rank_approx", tier="stability", points=2,
            title="low_rank_approx is optimal with tied or zero singular values and at scales 1e-150 and 1e150",
            given=tied_and_k(),
            examples=[dict(a=np.eye(3), k=1), dict(a=np.diag([2.0, 1.0, 1.0]), k=2), dict(a=np.ones((2, 2)), k=1),
                      dict(a=[[1e-150, 0.0], [0.0, 1e-150]], k=1), dict(a=[[2e150, 1e150], [1e150, 2e150]], k=1)])
def low_rank_approx_handles_ties_and_scales(learner, a, k):
    a_k = as_array(learner.low_rank_approx(a=a, k=k), shape=np.shape(a))
    expect_rank_at_most(a_k, k, route_atol(a))
    with np.errstate(all="ignore"):
        error = frobenius(np.asarray(a, dtype=np.float64) - a_k)
    expect_close(error, frobenius(singular_values(a)[k:]), rtol=0, atol=route_atol(a),
                 what=f"||a - low_rank_approx(a, {k})||_F (Eckart-Young: the best possible error)")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/svd.py: it may use that module's helpers (_as_matrix,
# _svd), and calls _svd rather than svd, which the tests replace by the mistake itself.

@SPEC.mistake("svd", "keeps eigh's ascending order: s is sorted smallest first",
              hint="np.linalg.eigh returns eigenvalues in ascending order. Reverse them (and the columns of "
                   "the eigenvector matrix with them): idx = np.argsort(lam)[::-1].")
def svd_in_ascending_order(a):
    u, s, vt = _svd(_as_matrix(a))
    return u[:, ::-1], s[::-1], vt[::-1]


@SPEC.mistake("svd", "returns V where Vt is expected",
              hint="eigh gives the right singular vectors as the COLUMNS of V; the third result is vt = V.T, "
                   "whose rows are those vectors.")
def svd_returning_v(a):
    u, s, vt = _svd(_as_matrix(a))
    return u, s, vt.T


@SPEC.mistake("svd", "returns the eigenvalues of a.T @ a as singular values (the square root is missing)",
              hint="The eigenvalues of a.T @ a are s**2; the singular values are their square roots "
                   "(clip tiny negative eigenvalues to 0 first).")
def svd_without_sqrt(a):
    u, s, vt = _svd(_as_matrix(a))
    return u, s**2, vt


@SPEC.mistake("svd", "divides a @ v by s_i where s_i is (numerically) zero, e.g. by s + 1e-12: "
                     "some columns of u get a length near 0",
              hint="Where s_i is zero relative to s_max, a v_i / s_i is rounding noise. With eigh(a.T @ a) a zero "
                   "s_i comes out near 1e-8 * s_max (the square root of rounding errors), so treat s_i below "
                   "~1e-7 * s_max as zero and complete u there with orthonormal columns (np.linalg.qr); or take "
                   "q, _ = np.linalg.qr(a @ v), which divides by s_i and completes u at once. Never compare s "
                   "with an absolute number such as 1e-12: a matrix can be tiny.")
def svd_dividing_by_s_plus_epsilon(a):
    a = _as_matrix(a)
    wide = a.shape[0] < a.shape[1]
    tall = a.T if wide else a
    lam, v = np.linalg.eigh(tall.T @ tall)
    order = np.argsort(lam)[::-1]
    s = np.sqrt(np.clip(lam[order], 0.0, None))
    v = v[:, order]
    u = tall @ v / (s + 1e-12)
    return (v, s, u.T) if wide else (u, s, v.T)


@SPEC.mistake("svd", "u = a @ v is not normalised (forgot to divide by s)",
              hint="a v_i = s_i u_i, so u_i = a v_i / s_i: divide each column of a @ v by its singular value "
                   "(and where s_i is 0, pick an orthonormal completion, e.g. with np.linalg.qr).")
def svd_without_dividing_by_s(a):
    a = _as_matrix(a)
    _, s, vt = _svd(a)
    return a @ vt.T, s, vt


@SPEC.mistake("svd", "uses a.T @ a even for wide matrices (m < n): returns n singular values instead of m",
              hint="When m < n, a.T @ a is n x n and has n - m zero eigenvalues. Decompose a.T instead "
                   "(a.T = v diag(s) u^T) and swap the roles of u and v, or use a @ a.T.")
def svd_with_wrong_gram_for_wide(a):
    a = _as_matrix(a)
    if a.shape[0] >= a.shape[1]:
        return _svd(a)
    lam, v = np.linalg.eigh(a.T @ a)  # (n, n): n - m of these eigenvalues are 0
    order = np.argsort(lam)[::-1]
    s = np.sqrt(np.clip(lam[order], 0.0, None))
    v = v[:, order]
    u = a @ v / s  # nan or huge columns where s_i is 0
    return u, s, v.T


@SPEC.mistake("low_rank_approx", "keeps the k smallest singular values instead of the k largest",
              hint="s is in descending order, so the k largest terms are the first k: u[:, :k], s[:k], vt[:k].")
def low_rank_approx_smallest(a, k):
    u, s, vt = svd(a)
    r = s.size
    if not 0 <= k <= r:
        raise ValueError(f"k must be in [0, min(m, n)] = [0, {r}], got {k}")
    return (u[:, r - k:] * s[r - k:]) @ vt[r - k:]


@SPEC.mistake("low_rank_approx", "keeps k + 1 terms (off by one)",
              hint="Python slices stop before the end: u[:, :k] has exactly k columns; keep i = 0 .. k-1.")
def low_rank_approx_one_too_many(a, k):
    u, s, vt = svd(a)
    r = s.size
    if not 0 <= k <= r:
        raise ValueError(f"k must be in [0, min(m, n)] = [0, {r}], got {k}")
    return (u[:, :k + 1] * s[:k + 1]) @ vt[:k + 1]


@SPEC.mistake("low_rank_approx", "does not check k: a negative k or k > min(m, n) returns a value",
              hint="Slicing never complains (u[:, :-1] drops the last column, u[:, :10] takes them all), so "
                   "check 0 <= k <= min(m, n) yourself and raise ValueError otherwise.")
def low_rank_approx_without_k_check(a, k):
    u, s, vt = svd(a)
    return (u[:, :k] * s[:k]) @ vt[:k]
