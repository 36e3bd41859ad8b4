"""Checks for power_iteration and eig_2x2 (CATALOG E1, topic eigen).

The truth comes from LAPACK (np.linalg.eigh, run by the judge, never by the learner). Only what is
unique is compared: eigenvalues, eigenvectors up to sign (sign-free distances and projectors), and
for eig_2x2 eigenvectors only where the two eigenvalues are apart. Generated matrices for
power_iteration have the spectral gap the stub promises, |lam_2| <= 0.9 |lam_1|.
"""

import numpy as np
from hypothesis import strategies as st

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_finite, expect_unchanged,
                                   expect_value_error, float_contract, tuple_contract)

_EIGEN_ROUTINES = ("eig", "eigh", "eigvals", "eigvalsh", "svd", "svdvals")
SPEC = Spec(
    "eigen",
    functions=("power_iteration", "eig_2x2"),
    # Everything that computes eigenvalues (or singular values, the same thing for a symmetric matrix).
    # np.roots is an eigenvalue solver on the companion matrix. norm(a, 2) stays allowed: one number.
    forbidden=(
        *(f"numpy.linalg.{name}" for name in _EIGEN_ROUTINES),
        "numpy.linalg._linalg", "numpy.linalg.linalg", "numpy.linalg.lapack_lite", "numpy.linalg._umath_linalg",
        "numpy.roots", "numpy.polynomial",
        *(f"scipy.linalg.{name}" for name in _EIGEN_ROUTINES),
        "scipy.linalg.eig_banded", "scipy.linalg.eigvals_banded", "scipy.linalg.eigh_tridiagonal",
        "scipy.linalg.eigvalsh_tridiagonal", "scipy.linalg.schur", "scipy.linalg.lapack",
        "scipy.linalg.get_lapack_funcs", "scipy.linalg._decomp", "scipy.linalg.decomp",
        "scipy.sparse.linalg.eigs", "scipy.sparse.linalg.eigsh", "scipy.sparse.linalg.lobpcg",
        "scipy.sparse.linalg.svds",
        *(f"torch.linalg.{name}" for name in _EIGEN_ROUTINES),
        "torch.eig", "torch.symeig", "torch.lobpcg", "torch.svd", "torch.ops", "torch._C",
        *(f"jax.numpy.linalg.{name}" for name in _EIGEN_ROUTINES), "jax.scipy.linalg", "jax.lax.linalg",
        "sklearn.decomposition",
    ),
    forbidden_methods=("eig", "eigh", "symeig", "lobpcg", "svd"),
)
ref = SPEC.reference

GAP_RATIO = 0.9  # |lam_2| <= GAP_RATIO |lam_1| in every matrix power_iteration gets (the stub says so)
LAM_RTOL = 1e-9  # power_iteration's lam, relative to |lam_1| (the stub says so)
VEC_TOL = 1e-4  # power_iteration's v, as min(||v - v_true||, ||v + v_true||) (the stub says so)
UNIT_TOL = 1e-9  # | ||v|| - 1 |
CLOSED_FORM = 1e-12  # eig_2x2, relative to max|a| (the stub says ~1e-12)
GAP = 1e-3  # eig_2x2's eigenvectors are compared only when the eigenvalues differ by more than GAP max|a|

SIDES = st.integers(1, 6)


# ---------------------------------------------------------------- judge-side truth

def true_eigen(a):
    """(eigenvalues, eigenvectors) of a symmetric matrix, by LAPACK, ordered by decreasing |lam|."""
    lams, vecs = np.linalg.eigh(np.asarray(a, dtype=np.float64))
    order = np.argsort(-np.abs(lams), kind="stable")
    return lams[order], vecs[:, order]


def dominant(a):
    lams, vecs = true_eigen(a)
    return float(lams[0]), vecs[:, 0]


def sign_free_distance(v, w) -> float:
    with np.errstate(all="ignore"):
        return float(min(np.linalg.norm(v - w), np.linalg.norm(v + w)))


# ---------------------------------------------------------------- strategies

def _orthogonal(rng, n: int, first=None) -> np.ndarray:
    """A random orthogonal (n, n) matrix; its first column is along `first` when given."""
    m = rng.standard_normal((n, n))
    if first is not None:
        m[:, 0] = first
    q, r = np.linalg.qr(m)
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


@st.composite
def gapped_symmetric(draw, negative=None, orthogonal_to_ones=False, ratio=None, scales=(1.0,)):
    """A symmetric (n, n) matrix with |lam_2| <= 0.9 |lam_1| (random eigenvectors).

    negative: force the sign of lam_1; orthogonal_to_ones: the dominant eigenvector is orthogonal to
    (1, ..., 1) (n >= 2); ratio: |lam_2| is exactly this fraction of |lam_1|; scales: multiply by one.
    """
    n = draw(st.integers(2, 6) if orthogonal_to_ones or ratio is not None else SIDES)
    top = draw(st.floats(0.5, 10.0))
    sign = draw(st.sampled_from([-1.0, 1.0])) if negative is None else (-1.0 if negative else 1.0)
    rest = draw(st.lists(st.floats(-GAP_RATIO, GAP_RATIO), min_size=n - 1, max_size=n - 1))
    if ratio is not None:
        rest[0] = ratio * draw(st.sampled_from([-1.0, 1.0]))
    lams = top * np.array([sign, *rest])
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    first = None
    if orthogonal_to_ones:
        first = rng.standard_normal(n)
        first -= first.mean()  # orthogonal to (1, ..., 1)
    q = _orthogonal(rng, n, first)
    a = (q * lams) @ q.T
    return {"a": (a + a.T) / 2 * draw(st.sampled_from(scales))}


GAPPED = gapped_symmetric()


@st.composite
def symmetric_2x2(draw, entries=st.floats(-10, 10, allow_nan=False, allow_infinity=False)):
    a, b, d = draw(entries), draw(entries), draw(entries)
    return {"a": np.array([[a, b], [b, d]])}


@st.composite
def nearly_tied_2x2(draw):
    """a ~ d and a tiny b: eigenvalues within ~1e-6 of each other, or a diagonal matrix (b = 0)."""
    a = draw(st.floats(-10, 10))
    d = a + draw(st.sampled_from([0.0, 1e-9, -1e-7, 3e-12]))
    b = draw(st.sampled_from([0.0, 1e-9, -1e-10, 2e-7, 0.0]))
    if draw(st.booleans()):  # or a well-separated diagonal matrix, in either order
        d = draw(st.floats(-10, 10))
        b = 0.0
    return {"a": np.array([[a, b], [b, d]])}


@st.composite
def extreme_2x2(draw):
    scale = draw(st.sampled_from([1e200, 1e-200]))
    return {"a": draw(symmetric_2x2(st.floats(-1, 1)))["a"] * scale}


# ---------------------------------------------------------------- reading the learner's results

def eigenpair(value, n):
    lam, v = tuple_contract(value, 2, what="power_iteration's result (lam, v)")
    return as_float(lam, what="lam (the first item)"), as_array(v, shape=(n,), what="v (the second item)")


def eig_parts(value):
    lams, vecs = tuple_contract(value, 2, what="eig_2x2's result (lams, vecs)")
    return as_array(lams, shape=(2,), what="lams (the first item)"), as_array(vecs, shape=(2, 2),
                                                                                what="vecs (the second item)")


def scale_of(a) -> float:
    return max(float(np.max(np.abs(a))), 1e-300)


def expect_dominant_lam(lam, a):
    want, _ = dominant(a)
    expect_close(lam, want, rtol=0, atol=LAM_RTOL * abs(want), what="lam (the eigenvalue of largest magnitude)")


def expect_dominant_vector(v, a):
    _, want = dominant(a)
    distance = sign_free_distance(v, want)
    if not distance <= VEC_TOL:
        raise Failure(f"v is not the dominant eigenvector: it is {distance:.3g} away from it (and from its "
                      f"negative); allowed {VEC_TOL:g}", expected=want, got=v)


# ---------------------------------------------------------------- contract: power_iteration

POWER_EXAMPLES = [dict(a=[[2.0, 0.0], [0.0, 1.0]]), dict(a=[[5.0]]), dict(a=[[2.0, 1.0], [1.0, 3.0]])]


@SPEC.check("power_iteration", tier="contract", points=1,
            title="power_iteration returns lam as a float and v as a float64 array of shape (n,)",
            given=GAPPED, examples=POWER_EXAMPLES)
def power_iteration_returns_float_and_vector(learner, a):
    lam, v = tuple_contract(learner.power_iteration(a=a), 2, what="power_iteration's result (lam, v)")
    float_contract(lam, what="lam (the first item)")
    array_contract(v, shape=(np.shape(a)[0],), what="v (the second item)")


@SPEC.check("power_iteration", tier="contract", points=1, title="power_iteration leaves a unchanged", given=GAPPED)
def power_iteration_leaves_input_unchanged(learner, a):
    _, after = learner.value_and_arguments_after("power_iteration", a=a)
    expect_unchanged({"a": a}, after, function="power_iteration")


@SPEC.check("power_iteration", tier="contract", points=2,
            title="power_iteration raises ValueError for a non-square a, n_iter < 1 or tol < 0",
            examples=[dict(a=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], n_iter=1000, tol=1e-12, why="a of shape (2, 3)"),
                      dict(a=[1.0, 2.0], n_iter=1000, tol=1e-12, why="a 1-D a"),
                      dict(a=[[2.0, 0.0], [0.0, 1.0]], n_iter=0, tol=1e-12, why="n_iter = 0"),
                      dict(a=[[2.0, 0.0], [0.0, 1.0]], n_iter=-5, tol=1e-12, why="n_iter = -5"),
                      dict(a=[[2.0, 0.0], [0.0, 1.0]], n_iter=1000, tol=-1e-3, why="tol = -0.001")])
def power_iteration_rejects_bad_input(learner, a, n_iter, tol, why):
    expect_value_error(learner.outcome("power_iteration", a=a, n_iter=n_iter, tol=tol), bad=why)


# ---------------------------------------------------------------- contract: eig_2x2

@SPEC.check("eig_2x2", tier="contract", points=1,
            title="eig_2x2 returns float64 arrays lams (2,) and vecs (2, 2)",
            given=symmetric_2x2(), examples=[dict(a=[[2.0, 1.0], [1.0, 2.0]]), dict(a=[[1, 0], [0, 1]])])
def eig_2x2_returns_two_arrays(learner, a):
    lams, vecs = tuple_contract(learner.eig_2x2(a=a), 2, what="eig_2x2's result (lams, vecs)")
    array_contract(lams, shape=(2,), what="lams (the first item)")
    array_contract(vecs, shape=(2, 2), what="vecs (the second item)")


@SPEC.check("eig_2x2", tier="contract", points=2,
            title="eig_2x2 raises ValueError for a matrix that is not 2x2 or not symmetric",
            examples=[dict(a=[[1.0, 2.0], [3.0, 4.0]], why="a non-symmetric a"),
                      dict(a=[[1.0, 0.0], [1e-3, 1.0]], why="a non-symmetric a"),
                      dict(a=np.eye(3), why="a 3x3 a"), dict(a=[[1.0]], why="a 1x1 a"),
                      dict(a=[[1.0, 2.0, 3.0], [2.0, 1.0, 0.0]], why="a of shape (2, 3)"),
                      dict(a=[1.0, 2.0, 2.0, 1.0], why="a flat a")])
def eig_2x2_rejects_bad_input(learner, a, why):
    expect_value_error(learner.outcome("eig_2x2", a=a), bad=why)


@SPEC.check("eig_2x2", tier="contract", points=1, title="eig_2x2 leaves a unchanged", given=symmetric_2x2())
def eig_2x2_leaves_input_unchanged(learner, a):
    _, after = learner.value_and_arguments_after("eig_2x2", a=a)
    expect_unchanged({"a": a}, after, function="eig_2x2")


# ---------------------------------------------------------------- properties: power_iteration

@SPEC.check("power_iteration", tier="properties", points=2, title="power_iteration's v has length 1",
            given=GAPPED, examples=[dict(a=[[3.0, 1.0], [1.0, 3.0]]), dict(a=[[-4.0, 1.0], [1.0, 2.0]])])
def power_iteration_vector_has_unit_length(learner, a):
    _, v = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    expect_finite(v, what="v")
    expect_close(np.linalg.norm(v), 1.0, rtol=0, atol=UNIT_TOL, what="||v|| (v must have length 1)")


@SPEC.check("power_iteration", tier="properties", points=2, title="power_iteration's pair satisfies a @ v = lam * v",
            given=GAPPED, examples=[dict(a=[[2.0, 1.0], [1.0, 3.0]]), dict(a=[[0.0, 2.0], [2.0, 3.0]])])
def power_iteration_pair_is_an_eigenpair(learner, a):
    lam, v = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    a = np.asarray(a, dtype=np.float64)
    top = abs(dominant(a)[0])
    with np.errstate(all="ignore"):
        residual = a @ v - lam * v
    # v may be 1e-4 off the eigenvector, and |lam_1 - lam_i| <= 1.9 |lam_1|.
    expect_close(residual, np.zeros_like(residual), rtol=0, atol=2 * VEC_TOL * top,
                 what="a @ v - lam * v (it should be 0)")


@SPEC.check("power_iteration", tier="properties", points=2,
            title="power_iteration's |lam| is the largest eigenvalue magnitude (the spectral radius)",
            given=GAPPED, examples=[dict(a=[[1.0, 0.0], [0.0, -3.0]]), dict(a=[[1.0, 0.0, 0.0], [0.0, 2.0, 0.0],
                                                                                [0.0, 0.0, 1.5]])])
def power_iteration_finds_the_largest_magnitude(learner, a):
    lam, _ = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    radius = abs(dominant(a)[0])
    expect_close(abs(lam), radius, rtol=0, atol=LAM_RTOL * radius,
                 what="|lam| (it should be the largest |eigenvalue| of a)")


@st.composite
def gapped_and_seed(draw):
    return {**draw(GAPPED), "seed": draw(st.integers(1, 2**31 - 1))}


@SPEC.check("power_iteration", tier="properties", points=1,
            title="power_iteration finds the same pair from any seed (up to the sign of v)",
            given=gapped_and_seed(), examples=[dict(a=[[2.0, 1.0], [1.0, 3.0]], seed=7)])
def power_iteration_does_not_depend_on_the_seed(learner, a, seed):
    n = np.shape(a)[0]
    lam_0, v_0 = eigenpair(learner.power_iteration(a=a, seed=0), n)
    lam_s, v_s = eigenpair(learner.power_iteration(a=a, seed=seed), n)
    top = abs(dominant(a)[0])
    expect_close(lam_s, lam_0, rtol=0, atol=2 * LAM_RTOL * top, what=f"lam with seed={seed} (against seed=0)")
    distance = sign_free_distance(v_s, v_0)
    if not distance <= 2 * VEC_TOL:
        raise Failure(f"v with seed={seed} is {distance:.3g} away from v with seed=0 (and from its negative)",
                      expected=v_0, got=v_s)


# ---------------------------------------------------------------- properties: eig_2x2

@SPEC.check("eig_2x2", tier="properties", points=2,
            title="eig_2x2's eigenvalues add up to the trace and multiply to the determinant",
            given=symmetric_2x2(), examples=[dict(a=[[2.0, 1.0], [1.0, 2.0]]), dict(a=[[4.0, -2.0], [-2.0, 1.0]])])
def eig_2x2_matches_trace_and_determinant(learner, a):
    lams, _ = eig_parts(learner.eig_2x2(a=a))
    a = np.asarray(a, dtype=np.float64)
    s = scale_of(a)
    expect_close(lams.sum(), np.trace(a), rtol=0, atol=2 * CLOSED_FORM * s, what="lams[0] + lams[1] (the trace)")
    det = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
    with np.errstate(all="ignore"):
        product = lams[0] * lams[1]
    expect_close(product, det, rtol=0, atol=4 * CLOSED_FORM * s * s, what="lams[0] * lams[1] (the determinant)")


@SPEC.check("eig_2x2", tier="properties", points=1, title="eig_2x2's eigenvalues are in descending order",
            given=symmetric_2x2(), examples=[dict(a=[[1.0, 0.0], [0.0, 5.0]]), dict(a=[[0.0, 1.0], [1.0, 0.0]])])
def eig_2x2_eigenvalues_descend(learner, a):
    lams, _ = eig_parts(learner.eig_2x2(a=a))
    if not lams[0] >= lams[1]:
        raise Failure(f"lams[0] = {lams[0]!r} < lams[1] = {lams[1]!r}: the larger eigenvalue comes first",
                      expected=np.sort(lams)[::-1], got=lams)


def expect_eigenvectors(a, lams, vecs):
    a = np.asarray(a, dtype=np.float64)
    s = scale_of(a)
    expect_finite(vecs, what="vecs")
    with np.errstate(all="ignore"):
        expect_close(vecs.T @ vecs, np.eye(2), rtol=0, atol=1e-12,
                     what="vecs.T @ vecs (it should be the identity: unit, orthogonal columns)")
        residual = (a / s) @ vecs - vecs * (lams / s)
    expect_close(residual, np.zeros((2, 2)), rtol=0, atol=4 * CLOSED_FORM,
                 what="(a @ vecs - vecs * lams) / max|a| (column i should be a @ v_i - lams[i] v_i = 0)")


@SPEC.check("eig_2x2", tier="properties", points=2,
            title="eig_2x2's columns are orthonormal eigenvectors: a @ vecs[:, i] = lams[i] * vecs[:, i]",
            given=symmetric_2x2(), examples=[dict(a=[[2.0, 1.0], [1.0, 2.0]]), dict(a=[[3.0, 1.0], [1.0, -1.0]])])
def eig_2x2_columns_are_orthonormal_eigenvectors(learner, a):
    lams, vecs = eig_parts(learner.eig_2x2(a=a))
    expect_eigenvectors(a, lams, vecs)


# ---------------------------------------------------------------- reference

@SPEC.check("power_iteration", tier="reference", points=2, title="power_iteration's lam matches the reference",
            given=GAPPED, examples=[dict(a=[[2.0, 1.0], [1.0, 3.0]])])
def power_iteration_eigenvalue_matches_reference(learner, a):
    lam, _ = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    want, _ = ref.power_iteration(a)
    expect_close(lam, want, rtol=0, atol=LAM_RTOL * abs(want), what="lam")


@SPEC.check("power_iteration", tier="reference", points=2,
            title="power_iteration's v matches the reference up to its sign",
            given=GAPPED, examples=[dict(a=[[2.0, 1.0], [1.0, 3.0]]), dict(a=[[-3.0, 1.0], [1.0, 0.5]])])
def power_iteration_vector_matches_reference(learner, a):
    _, v = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    _, want = ref.power_iteration(a)
    distance = sign_free_distance(v, want)
    if not distance <= VEC_TOL:
        raise Failure(f"v is {distance:.3g} away from the reference's v (and from its negative); allowed {VEC_TOL:g}",
                      expected=want, got=v)


@SPEC.check("eig_2x2", tier="reference", points=2, title="eig_2x2's eigenvalues match the reference",
            given=symmetric_2x2(), examples=[dict(a=[[1.0, 2.0], [2.0, 1.0]])])
def eig_2x2_eigenvalues_match_reference(learner, a):
    lams, _ = eig_parts(learner.eig_2x2(a=a))
    expect_close(lams, ref.eig_2x2(a)[0], rtol=0, atol=2 * CLOSED_FORM * scale_of(a), what="lams")


@SPEC.check("eig_2x2", tier="reference", points=1,
            title="eig_2x2's eigenvectors match the reference where the eigenvalues differ (as projectors: "
                  "signs are free)",
            given=symmetric_2x2(), examples=[dict(a=[[1.0, 2.0], [2.0, 1.0]]), dict(a=[[1.0, 0.0], [0.0, 2.0]])])
def eig_2x2_eigenvectors_match_reference(learner, a):
    _, vecs = eig_parts(learner.eig_2x2(a=a))
    want_lams, want = ref.eig_2x2(a)
    if want_lams[0] - want_lams[1] <= GAP * scale_of(a):
        return  # (nearly) tied: any orthonormal pair is right, the eigenvector check covers it
    for i in range(2):
        with np.errstate(all="ignore"):
            expect_close(np.outer(vecs[:, i], vecs[:, i]), np.outer(want[:, i], want[:, i]), rtol=0, atol=1e-9,
                         what=f"the projector vecs[:, {i}] vecs[:, {i}]^T")


# ---------------------------------------------------------------- stability

@SPEC.check("power_iteration", tier="stability", points=2,
            title="power_iteration handles a negative dominant eigenvalue (v flips sign every step)",
            given=gapped_symmetric(negative=True),
            examples=[dict(a=[[-3.0, 0.0], [0.0, 1.0]]), dict(a=[[-2.0, 1.0], [1.0, 0.5]])])
def power_iteration_handles_negative_dominant_eigenvalue(learner, a):
    lam, v = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    expect_dominant_lam(lam, a)
    expect_dominant_vector(v, a)


@SPEC.check("power_iteration", tier="stability", points=2,
            title="power_iteration converges from its random start even when the dominant eigenvector is "
                  "orthogonal to (1, ..., 1), and with |lam_2| = 0.9 |lam_1|",
            given=st.one_of(gapped_symmetric(orthogonal_to_ones=True), gapped_symmetric(ratio=GAP_RATIO)),
            examples=[dict(a=[[1.0, -2.0], [-2.0, 1.0]]),
                      dict(a=[[1.0, -2.0, 0.0], [-2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
                      dict(a=[[1.0, 0.0], [0.0, 0.9]]), dict(a=[[-1.0, 0.0, 0.0], [0.0, 0.9, 0.0], [0.0, 0.0, 0.2]])])
def power_iteration_converges_from_its_random_start(learner, a):
    lam, v = eigenpair(learner.power_iteration(a=a), np.shape(a)[0])
    expect_dominant_lam(lam, a)
    expect_dominant_vector(v, a)


@SPEC.check("eig_2x2", tier="stability", points=2,
            title="eig_2x2 is accurate for (nearly) equal eigenvalues, a tiny b and diagonal matrices",
            given=nearly_tied_2x2(),
            examples=[dict(a=[[1.0, 1e-9], [1e-9, 1.0]]), dict(a=[[1.0, 0.0], [0.0, 1.0]]),
                      dict(a=[[3.0, 0.0], [0.0, -1.0]]), dict(a=[[-1.0, 0.0], [0.0, 2.0]]),
                      dict(a=[[1.0, 1e-9], [1e-9, 0.0]]), dict(a=[[2.0, 1e-7], [1e-7, 2.0 + 1e-7]])])
def eig_2x2_handles_nearly_equal_eigenvalues(learner, a):
    lams, vecs = eig_parts(learner.eig_2x2(a=a))
    expect_close(lams, ref.eig_2x2(a)[0], rtol=0, atol=2 * CLOSED_FORM * scale_of(a), what="lams")
    expect_eigenvectors(a, lams, vecs)


@SPEC.check("eig_2x2", tier="stability", points=2,
            title="eig_2x2 works for entries near 1e200 and 1e-200 (their squares overflow or vanish)",
            given=extreme_2x2(),
            examples=[dict(a=[[3e200, 4e200], [4e200, -3e200]]), dict(a=[[1e-200, 2e-200], [2e-200, 1e-200]]),
                      dict(a=[[0.0, 1e200], [1e200, 0.0]])])
def eig_2x2_handles_extreme_scales(learner, a):
    lams, vecs = eig_parts(learner.eig_2x2(a=a))
    expect_finite(lams, what="lams")
    expect_close(lams, ref.eig_2x2(a)[0], rtol=0, atol=2 * CLOSED_FORM * scale_of(a), what="lams")
    expect_eigenvectors(a, lams, vecs)


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/eigen.py (np, math and its helpers come from there). They call
# _power_iteration and _closed_form_2x2, never power_iteration or eig_2x2, which the tests replace by the
# mistake itself.

@SPEC.mistake_helper
def _power_iteration(a, n_iter, tol, seed):
    a = _square(a)
    v = np.random.default_rng(seed).standard_normal(a.shape[0])
    return _iterate(a, v / np.linalg.norm(v), n_iter, tol)


@SPEC.mistake("power_iteration", "starts from the vector of ones instead of a random vector",
              hint="A fixed start such as np.ones(n) can be exactly orthogonal to the dominant eigenvector (for "
                   "[[1, -2], [-2, 1]] it is), and then a @ v never grows that component. Start from "
                   "np.random.default_rng(seed).standard_normal(n) / its norm, as the docstring says.")
def power_iteration_from_ones(a, n_iter=1000, tol=1e-12, seed=0):
    a = _square(a)
    return _iterate(a, np.ones(a.shape[0]) / math.sqrt(a.shape[0]), n_iter, tol)


@SPEC.mistake("power_iteration", "takes ||a @ v|| as the eigenvalue: its sign is lost when lam_1 < 0",
              hint="||a v|| = |lam|, never negative. The Rayleigh quotient lam = v @ (a @ v) (v of length 1) keeps "
                   "the sign.")
def power_iteration_with_norm_as_eigenvalue(a, n_iter=1000, tol=1e-12, seed=0):
    _, v = _power_iteration(a, n_iter, tol, seed)
    return float(np.linalg.norm(_square(a) @ v)), v


@SPEC.mistake("power_iteration", "scales v by its largest entry (the textbook variant), so v is not of length 1",
              hint="Dividing by the largest entry keeps the numbers bounded too, but the contract asks for a "
                   "unit vector: divide by np.linalg.norm(w).")
def power_iteration_scaled_by_largest_entry(a, n_iter=1000, tol=1e-12, seed=0):
    lam, v = _power_iteration(a, n_iter, tol, seed)
    return lam, v / v[np.argmax(np.abs(v))]


@SPEC.mistake("power_iteration", "returns v as an (n, 1) column instead of a flat (n,) array",
              hint="Draw the start as standard_normal(n), not (n, 1): then a @ v and v stay of shape (n,).")
def power_iteration_as_column(a, n_iter=1000, tol=1e-12, seed=0):
    lam, v = _power_iteration(a, n_iter, tol, seed)
    return lam, v.reshape(-1, 1)


@SPEC.mistake("eig_2x2", "returns the eigenvalues in ascending order (the np.linalg.eigh habit)",
              hint="The contract wants the larger eigenvalue first: (a + d) / 2 + half-gap, then - half-gap, "
                   "with the eigenvector columns in the same order.")
def eig_2x2_ascending(a):
    lams, vecs = _closed_form_2x2(_square(a))
    return lams[::-1], vecs[:, ::-1]


@SPEC.mistake("eig_2x2", "uses (tr +- sqrt(tr**2 - 4 det)) / 2: cancellation when the eigenvalues nearly coincide",
              hint="tr**2 - 4 det subtracts two nearly equal numbers when the eigenvalues are close, and loses "
                   "about half the digits (it can even come out negative). The same quantity is "
                   "(a - d)**2 + 4 b**2, a sum of squares: lams = (a + d) / 2 +- math.hypot((a - d) / 2, b).")
def eig_2x2_textbook_formula(a):
    a = _square(a)
    _, vecs = _closed_form_2x2(a)
    trace = a[0, 0] + a[1, 1]
    det = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
    root = math.sqrt(trace**2 - 4 * det)
    return np.array([(trace + root) / 2, (trace - root) / 2]), vecs


@SPEC.mistake("eig_2x2", "returns the eigenvectors as rows instead of columns",
              hint="vecs[:, i] (column i) is the eigenvector of lams[i]; build the matrix with the vectors as "
                   "columns, e.g. np.column_stack([v1, v2]).")
def eig_2x2_rows_as_vectors(a):
    lams, vecs = _closed_form_2x2(_square(a))
    return lams, vecs.T.copy()


@SPEC.mistake("eig_2x2", "eigenvector (b, lam - a) normalised: zero (nan) when b = 0, inaccurate for tiny b",
              hint="(b, lam - a) solves (a - lam) x + b y = 0 but vanishes when b = 0 and lam = a (a diagonal "
                   "matrix), and loses digits when b is tiny. Take the angle theta = atan2(2 b, a - d) / 2, "
                   "v1 = (cos theta, sin theta), v2 = (-sin theta, cos theta): exact unit vectors, always.")
def eig_2x2_from_b_and_lam_minus_a(a):
    a = _square(a)
    lams, _ = _closed_form_2x2(a)
    columns = []
    for lam in lams:
        v = np.array([a[0, 1], lam - a[0, 0]])
        columns.append(v / np.linalg.norm(v))
    return lams, np.column_stack(columns)


@SPEC.mistake("eig_2x2", "forgets to halve a - d under the root: (a + d) / 2 +- sqrt((a - d)**2 + b**2)",
              hint="The half-gap is sqrt(((a - d) / 2)**2 + b**2): the characteristic polynomial "
                   "lam**2 - (a + d) lam + (a d - b**2) has discriminant (a - d)**2 + 4 b**2, and the root is "
                   "divided by 2 with everything else.")
def eig_2x2_without_halving(a):
    a = _square(a)
    _, vecs = _closed_form_2x2(a)
    mean = (a[0, 0] + a[1, 1]) / 2
    radius = math.hypot(a[0, 0] - a[1, 1], a[0, 1])
    return np.array([mean + radius, mean - radius]), vecs
