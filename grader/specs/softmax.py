"""Checks for softmax, log_softmax, sigmoid, cross_entropy and bce_with_logits (DESIGN.md, topic softmax)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_finite, expect_unchanged,
                                   expect_value_error, float_contract)

SPEC = Spec(
    "softmax",
    functions=("softmax", "log_softmax", "sigmoid", "cross_entropy", "bce_with_logits"),
    forbidden=(
        "scipy.special.softmax", "scipy.special.log_softmax", "scipy.special.logsumexp",
        "scipy.special.expit", "scipy.special.log_expit",
        "torch.softmax", "torch.log_softmax", "torch.sigmoid", "torch.logsumexp", "torch.special",
        "torch.nn.functional", "torch.nn.Softmax", "torch.nn.LogSoftmax", "torch.nn.Sigmoid",
        "torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss", "torch.nn.BCEWithLogitsLoss", "torch.nn.BCELoss",
        "jax.nn", "jax.scipy",
    ),
    forbidden_methods=("softmax", "log_softmax", "sigmoid", "logsumexp", "binary_cross_entropy_with_logits"),
)
ref = SPEC.reference

FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
HUGE = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
SHAPES = nps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)
INF = float("inf")
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def logits_and_axis(elements=FINITE):
    @st.composite
    def draw(draw):
        z = draw(nps.arrays(np.float64, SHAPES, elements=elements))
        return {"z": z, "axis": draw(st.integers(-z.ndim, z.ndim - 1))}

    return draw()


@st.composite
def classification(draw, elements=FINITE):
    n, c = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    logits = draw(nps.arrays(np.float64, (n, c), elements=elements))
    targets = draw(nps.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return {"logits": logits, "targets": targets}


@st.composite
def binary_targets(draw, elements=FINITE):
    """{"logits": float (shape), "targets": the same shape in [0, 1], hard labels or soft ones}."""
    shape = draw(SHAPES)
    logits = draw(nps.arrays(np.float64, shape, elements=elements))
    values = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0)) if draw(st.booleans()) else st.sampled_from(
        [0.0, 1.0])
    return {"logits": logits, "targets": draw(nps.arrays(np.float64, shape, elements=values))}


XS = nps.arrays(np.float64, SHAPES, elements=FINITE)


def log_tolerance(z) -> float:
    """log-probabilities reach -2|z|; rounding in z - max grows with |z|."""
    finite = np.abs(np.asarray(z, dtype=np.float64))
    return 1e-12 * max(1.0, float(np.max(finite[np.isfinite(finite)], initial=1.0)))


# ---------------------------------------------------------------- contract

# Type and shape checks need a few shapes, not a search: explicit examples only (fast).
SHAPED_EXAMPLES = [dict(z=[[1.0, 2.0], [3.0, 4.0]], axis=-1), dict(z=np.arange(6.0), axis=0),
                   dict(z=np.linspace(-3.0, 3.0, 24).reshape(2, 3, 4), axis=1), dict(z=np.zeros((3, 1)), axis=-2)]


@SPEC.check("softmax", tier="contract", points=1, title="softmax returns a float64 array shaped like z",
            examples=SHAPED_EXAMPLES)
def softmax_returns_float64_array(learner, z, axis):
    array_contract(learner.softmax(z=z, axis=axis), shape=np.shape(z))


@SPEC.check("softmax", tier="contract", points=1, title="softmax leaves its input unchanged",
            examples=[dict(z=np.array(e["z"], dtype=float), axis=e["axis"]) for e in SHAPED_EXAMPLES])
def softmax_leaves_input_unchanged(learner, z, axis):
    _, after = learner.value_and_arguments_after("softmax", z=z, axis=axis)
    expect_unchanged({"z": z}, after, function="softmax")


@SPEC.check("log_softmax", tier="contract", points=1, title="log_softmax returns a float64 array shaped like z",
            examples=SHAPED_EXAMPLES)
def log_softmax_returns_float64_array(learner, z, axis):
    array_contract(learner.log_softmax(z=z, axis=axis), shape=np.shape(z))


@SPEC.check("sigmoid", tier="contract", points=1, title="sigmoid returns a float64 array shaped like x",
            examples=[dict(x=[0.0, 1.0]), dict(x=np.linspace(-5.0, 5.0, 6).reshape(3, 2)), dict(x=np.array([7.0]))])
def sigmoid_returns_float64_array(learner, x):
    array_contract(learner.sigmoid(x=x), shape=np.shape(x))


@SPEC.check("cross_entropy", tier="contract", points=1, title="cross_entropy returns a float",
            given=classification())
def cross_entropy_returns_float(learner, logits, targets):
    float_contract(learner.cross_entropy(logits=logits, targets=targets))


BAD_CROSS_ENTROPY_INPUTS = [
    dict(logits=[[1.0, 2.0], [0.0, 0.0]], targets=[0, 2], why="a target equal to the number of classes"),
    dict(logits=[[1.0, 2.0], [0.0, 0.0]], targets=[-1, 0], why="a negative target"),
    dict(logits=[[1.0, 2.0]], targets=np.array([0.5]), why="a non-integer target (0.5)"),
    dict(logits=[1.0, 2.0], targets=[0], why="1-D logits"),
    dict(logits=np.zeros((1, 2, 2)), targets=[0], why="3-D logits"),
]


@SPEC.check("cross_entropy", tier="contract", points=2,
            title="cross_entropy raises ValueError for bad targets or logits that are not 2-D",
            examples=BAD_CROSS_ENTROPY_INPUTS)
def cross_entropy_rejects_bad_input(learner, logits, targets, why):
    outcome = learner.outcome("cross_entropy", logits=logits, targets=targets)
    expect_value_error(outcome, bad=why)


@SPEC.check("bce_with_logits", tier="contract", points=1,
            title="bce_with_logits returns a float and leaves its inputs unchanged", given=binary_targets(),
            examples=[dict(logits=np.array([0.0, 2.0]), targets=np.array([1.0, 0.0]))])
def bce_with_logits_returns_float(learner, logits, targets):
    value, after = learner.value_and_arguments_after("bce_with_logits", logits=logits, targets=targets)
    float_contract(value)
    expect_unchanged({"logits": logits, "targets": targets}, after, function="bce_with_logits")


@SPEC.check("bce_with_logits", tier="contract", points=1,
            title="bce_with_logits raises ValueError for a target outside [0, 1] or shapes that differ",
            examples=[dict(logits=[0.0, 1.0], targets=[1.0, 1.5], why="a target of 1.5"),
                      dict(logits=[0.0, 1.0], targets=[-0.5, 1.0], why="a target of -0.5"),
                      dict(logits=[0.0, 1.0], targets=[2, 0], why="an integer target of 2"),
                      dict(logits=[0.0, 1.0, 2.0], targets=[1.0, 0.0], why="3 logits and 2 targets"),
                      dict(logits=[[0.0, 1.0]], targets=[[1.0], [0.0]], why="shapes (1, 2) and (2, 1)")])
def bce_with_logits_rejects_bad_input(learner, logits, targets, why):
    expect_value_error(learner.outcome("bce_with_logits", logits=logits, targets=targets), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("softmax", tier="properties", points=2, title="softmax gives non-negative values that sum to 1",
            given=logits_and_axis(), examples=[dict(z=[[1000.0, 0.0]], axis=-1)])
def softmax_rows_sum_to_one(learner, z, axis):
    p = as_array(learner.softmax(z=z, axis=axis), shape=np.shape(z))
    expect_finite(p, what="softmax(z)")
    if (p < 0).any():
        raise Failure(f"softmax(z) has a negative value, {float(p.min())!r}", got=p)
    expect_close(p.sum(axis=axis), np.ones(np.delete(np.shape(z), axis)), rtol=0, atol=1e-12,
                 what=f"the sum along axis {axis}")


@SPEC.check("softmax", tier="properties", points=2, title="adding a constant to z does not change softmax",
            given=st.tuples(logits_and_axis(), FINITE).map(lambda t: {**t[0], "c": t[1]}))
def softmax_shift_does_not_change_output(learner, z, axis, c):
    p = as_array(learner.softmax(z=z, axis=axis), shape=np.shape(z))
    shifted = as_array(learner.softmax(z=z + c, axis=axis), shape=np.shape(z))
    expect_close(shifted, p, rtol=1e-9, atol=1e-15, what=f"softmax(z + {c!r})")


@SPEC.check("log_softmax", tier="properties", points=2,
            title="exp(log_softmax) gives non-negative values that sum to 1", given=logits_and_axis())
def log_softmax_exponentiates_to_distribution(learner, z, axis):
    log_p = as_array(learner.log_softmax(z=z, axis=axis), shape=np.shape(z))
    with np.errstate(all="ignore"):
        total = np.exp(log_p).sum(axis=axis)
    expect_close(total, np.ones(np.delete(np.shape(z), axis)), rtol=0, atol=1e-12,
                 what=f"the sum of exp(log_softmax) along axis {axis}")


@SPEC.check("sigmoid", tier="properties", points=1, title="sigmoid(-x) equals 1 - sigmoid(x)", given=dict(x=XS))
def sigmoid_is_symmetric(learner, x):
    s = as_array(learner.sigmoid(x=x), shape=np.shape(x))
    s_neg = as_array(learner.sigmoid(x=-x), shape=np.shape(x))
    expect_close(s_neg, 1.0 - s, rtol=0, atol=1e-15, what="sigmoid(-x)")


@SPEC.check("cross_entropy", tier="properties", points=1,
            title="equal logits for all C classes give a cross-entropy of log(C)",
            given=st.builds(lambda n, c, v: {"logits": np.full((n, c), v), "targets": np.arange(n) % c},
                            st.integers(1, 6), st.integers(1, 6), FINITE))
def cross_entropy_of_uniform_logits_is_log_c(learner, logits, targets):
    loss = as_float(learner.cross_entropy(logits=logits, targets=targets))
    expect_close(loss, np.log(logits.shape[1]), rtol=1e-12, atol=1e-15, what="the cross-entropy")


@SPEC.check("bce_with_logits", tier="properties", points=1,
            title="bce_with_logits(-x, 1 - t) equals bce_with_logits(x, t)", given=binary_targets())
def bce_with_logits_is_symmetric(learner, logits, targets):
    loss = as_float(learner.bce_with_logits(logits=logits, targets=targets))
    flipped = as_float(learner.bce_with_logits(logits=-logits, targets=1.0 - targets))
    expect_close(flipped, loss, rtol=1e-9, atol=log_tolerance(logits), what="bce_with_logits(-x, 1 - t)")


@SPEC.check("bce_with_logits", tier="properties", points=1,
            title="logits of 0 give a loss of log(2) whatever the targets",
            given=binary_targets().map(lambda d: {**d, "logits": np.zeros_like(d["logits"])}))
def bce_with_logits_of_zero_logits_is_log_2(learner, logits, targets):
    loss = as_float(learner.bce_with_logits(logits=logits, targets=targets))
    expect_close(loss, np.log(2.0), rtol=1e-12, atol=1e-15, what="bce_with_logits(0, t)")


# ---------------------------------------------------------------- reference

@SPEC.check("softmax", tier="reference", points=2, title="softmax matches the reference",
            given=logits_and_axis(), examples=[dict(z=[1.0, 2.0, 3.0], axis=-1), dict(z=[[1.0], [2.0]], axis=0)])
def softmax_matches_reference(learner, z, axis):
    expect_close(learner.softmax(z=z, axis=axis), ref.softmax(z, axis=axis), rtol=1e-9, atol=1e-15)


@SPEC.check("log_softmax", tier="reference", points=2, title="log_softmax matches the reference",
            given=logits_and_axis(), examples=[dict(z=[[0.0, 0.0]], axis=-1)])
def log_softmax_matches_reference(learner, z, axis):
    expect_close(learner.log_softmax(z=z, axis=axis), ref.log_softmax(z, axis=axis), rtol=1e-9,
                 atol=log_tolerance(z))


@SPEC.check("sigmoid", tier="reference", points=1, title="sigmoid matches the reference",
            given=dict(x=XS), examples=[dict(x=[0.0, 2.0, -2.0])])
def sigmoid_matches_reference(learner, x):
    expect_close(learner.sigmoid(x=x), ref.sigmoid(x), rtol=1e-9, atol=1e-15)


@SPEC.check("cross_entropy", tier="reference", points=2, title="cross_entropy matches the reference",
            given=classification(), examples=[dict(logits=[[2.0, 0.0]], targets=[0])])
def cross_entropy_matches_reference(learner, logits, targets):
    expect_close(as_float(learner.cross_entropy(logits=logits, targets=targets)),
                 ref.cross_entropy(logits, targets), rtol=1e-9, atol=log_tolerance(logits))


@SPEC.check("bce_with_logits", tier="reference", points=2, title="bce_with_logits matches the reference",
            given=binary_targets(), examples=[dict(logits=np.array([0.0, 2.0]), targets=np.array([1.0, 0.0])),
                                             dict(logits=np.array([[-3.0, 0.5]]), targets=np.array([[0.25, 0.9]]))])
def bce_with_logits_matches_reference(learner, logits, targets):
    expect_close(as_float(learner.bce_with_logits(logits=logits, targets=targets)),
                 ref.bce_with_logits(logits, targets), rtol=1e-9, atol=log_tolerance(logits))


# ---------------------------------------------------------------- stability

HUGE_EXAMPLES = [
    dict(z=np.array([[1e4, 0.0]]), axis=-1),
    dict(z=np.array([[-1e4, 1e4, 0.0]]), axis=-1),
    dict(z=np.array([[-INF, 0.0, 1.0]]), axis=-1),
    dict(z=np.array([[1000.0, 1000.0], [-1e4, -1e4]]), axis=0),
]


@SPEC.check("softmax", tier="stability", points=2,
            title="softmax handles logits up to 1e4 and -inf without overflow",
            given=logits_and_axis(HUGE), examples=HUGE_EXAMPLES)
def softmax_handles_huge_logits(learner, z, axis):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        p = learner.softmax(z=z, axis=axis)
    expect_close(p, ref.softmax(z, axis=axis), rtol=1e-9, atol=1e-15)


@SPEC.check("log_softmax", tier="stability", points=2,
            title="log_softmax handles logits up to 1e4 and -inf without overflow",
            given=logits_and_axis(HUGE), examples=HUGE_EXAMPLES)
def log_softmax_handles_huge_logits(learner, z, axis):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        log_p = learner.log_softmax(z=z, axis=axis)
    expect_close(log_p, ref.log_softmax(z, axis=axis), rtol=1e-9, atol=log_tolerance(z))


@SPEC.check("sigmoid", tier="stability", points=1, title="sigmoid handles |x| up to 1e4 without overflow",
            given=dict(x=nps.arrays(np.float64, SHAPES, elements=HUGE)),
            examples=[dict(x=np.array([-1e4, 1e4])), dict(x=np.array([-745.0, 710.0, -40.0]))])
def sigmoid_handles_huge_inputs(learner, x):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        s = learner.sigmoid(x=x)
    expect_close(s, ref.sigmoid(x), rtol=1e-9, atol=1e-15)


@SPEC.check("cross_entropy", tier="stability", points=1,
            title="cross_entropy handles logits up to 1e4 without overflow",
            given=classification(HUGE), examples=[dict(logits=np.array([[1e4, -1e4], [0.0, 1e4]]), targets=[1, 0])])
def cross_entropy_handles_huge_logits(learner, logits, targets):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        loss = as_float(learner.cross_entropy(logits=logits, targets=targets))
    expect_close(loss, ref.cross_entropy(logits, targets), rtol=1e-9, atol=log_tolerance(logits))


@SPEC.check("bce_with_logits", tier="stability", points=2,
            title="bce_with_logits handles logits up to 1e4 without overflow or log(0)",
            given=binary_targets(HUGE),
            examples=[dict(logits=np.array([800.0, 40.0]), targets=np.array([1.0, 0.0])),
                      dict(logits=np.array([1e4, -1e4]), targets=np.array([0.0, 1.0])),
                      dict(logits=np.array([-1e4, 50.0]), targets=np.array([0.5, 0.0]))])
def bce_with_logits_handles_huge_logits(learner, logits, targets):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        loss = as_float(learner.bce_with_logits(logits=logits, targets=targets))
    expect_close(loss, ref.bce_with_logits(logits, targets), rtol=1e-9, atol=log_tolerance(logits))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/softmax.py (it may call that module's helpers).

@SPEC.mistake("softmax", "no max-shift: exp(z) overflows for large logits",
              hint="Subtract the maximum along the axis before np.exp: softmax(z - max) equals softmax(z), "
                   "and exp of a number <= 0 never overflows.")
def softmax_without_max_shift(z, axis=-1):
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum(axis=axis, keepdims=True)


@SPEC.mistake("softmax", "ignores the axis argument (always normalizes the last axis)",
              hint="Pass axis=axis (and keepdims=True) to both the max and the sum.")
def softmax_ignoring_axis(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@SPEC.mistake("softmax", "normalizes along axis 0, not along the given axis",
              hint="softmax(z, axis) must sum to 1 along `axis`: pass axis=axis (with keepdims=True) to both "
                   "the max and the sum instead of a fixed axis.")
def softmax_along_first_axis(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@SPEC.mistake("softmax", "subtracts the maximum of the whole array, not the maximum along the axis",
              hint="z - z.max() shifts every slice by the same number: a slice far below the largest logit "
                   "underflows to all zeros, and 0 / 0 is nan. Take the max along the axis: "
                   "z.max(axis=axis, keepdims=True).")
def softmax_global_max(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum(axis=axis, keepdims=True)


@SPEC.mistake("softmax", "divides by the sum of the whole array, not the sum along the axis",
              hint="np.sum(e) adds every element; use np.sum(e, axis=axis, keepdims=True).")
def softmax_whole_array_sum(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


@SPEC.mistake("softmax", "sums without keepdims=True, so the division broadcasts the wrong way",
              hint="e.sum(axis=axis) drops the axis; with keepdims=True the sums line up with e.")
def softmax_sum_without_keepdims(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis)


@SPEC.mistake("log_softmax", "computes log(softmax(z)): the log of an underflowed 0 is -inf",
              hint="Work in log space: log_softmax = (z - m) - log(sum(exp(z - m))) with m the max; "
                   "never take the log of a probability.")
def log_softmax_as_log_of_softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return np.log(e / e.sum(axis=axis, keepdims=True))


@SPEC.mistake("log_softmax", "no max-shift: exp(z) overflows for large logits",
              hint="Subtract the max m first: log_softmax = (z - m) - log(sum(exp(z - m))).")
def log_softmax_without_max_shift(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


@SPEC.mistake("sigmoid", "1 / (1 + exp(-x)) overflows for large negative x",
              hint="For x < 0 use exp(x) / (1 + exp(x)); with exp(-|x|) the exponent is never positive.")
def sigmoid_naive(x):
    x = np.asarray(x, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-x))


@SPEC.mistake("cross_entropy", "sums over the batch instead of taking the mean",
              hint="The loss is the mean over the N examples: divide the sum by N (or use .mean()).")
def cross_entropy_summed(logits, targets):
    logits, targets = _checked(logits, targets)
    return float(-log_softmax(logits, axis=1)[np.arange(len(targets)), targets].sum())


@SPEC.mistake("cross_entropy", "forgets the minus sign: the loss comes out negative",
              hint="Cross-entropy is MINUS the mean log-probability of the right class; it is never negative.")
def cross_entropy_without_minus(logits, targets):
    logits, targets = _checked(logits, targets)
    return float(log_softmax(logits, axis=1)[np.arange(len(targets)), targets].mean())


@SPEC.mistake("cross_entropy", "does not check the targets before indexing with them",
              hint="Check that targets are integers with 0 <= t < C (and that logits is 2-D), and raise "
                   "ValueError otherwise: a negative index silently picks the last class.")
def cross_entropy_without_target_checks(logits, targets):
    log_p = log_softmax(np.asarray(logits, dtype=np.float64), axis=-1)
    return float(-log_p[np.arange(len(log_p)), np.asarray(targets)].mean())


# The overflowing rewrite comes before the probability form: at x = -1e4 both raise the same overflow, and
# only the probability form fails at x = 800 as well (log(1 - 1) = log 0), so an input tells them apart.

@SPEC.mistake_helper
def _checked_binary(logits, targets):
    """(x, t) checked as the reference does: same shape, targets in [0, 1]."""
    x, t = np.asarray(logits, dtype=np.float64), np.asarray(targets, dtype=np.float64)
    if x.shape != t.shape or np.any((t < 0) | (t > 1)):
        raise ValueError("logits and targets must match, targets in [0, 1]")
    return x, t


@SPEC.mistake("bce_with_logits", "uses x - x t + log(1 + exp(-x)), which overflows for large negative x",
              hint="log(1 + exp(-x)) overflows once -x > 709. Write it as max(-x, 0) + log1p(exp(-|x|)): "
                   "the loss becomes max(x, 0) - x t + log1p(exp(-|x|)).")
def bce_with_logits_unshifted(logits, targets):
    x, t = _checked_binary(logits, targets)
    return float(np.mean(x - x * t + np.log(1 + np.exp(-x))))


@SPEC.mistake("bce_with_logits", "takes the log of sigmoid(x): for large |x| that probability rounds to 0 or 1",
              hint="Never form sigmoid(x) first: -log sigmoid(x) = max(-x, 0) + log1p(exp(-|x|)), so the loss is "
                   "max(x, 0) - x t + log1p(exp(-|x|)), with exp only ever of a number <= 0.")
def bce_with_logits_from_probabilities(logits, targets):
    x, t = _checked_binary(logits, targets)
    p = 1.0 / (1.0 + np.exp(-x))
    return float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))


@SPEC.mistake("bce_with_logits", "sums over the elements instead of taking the mean",
              hint="The loss is the mean over all elements: divide the sum by the number of logits.")
def bce_with_logits_summed(logits, targets):
    x, t = _checked_binary(logits, targets)
    return float(np.sum(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))))


@SPEC.mistake("bce_with_logits", "swaps t and 1 - t: a large logit is rewarded for target 0",
              hint="sigmoid(x) is the probability of t = 1, so a large positive x with t = 1 must give a loss "
                   "near 0: max(x, 0) - x t + log1p(exp(-|x|)).")
def bce_with_logits_targets_swapped(logits, targets):
    x, t = _checked_binary(logits, targets)
    return float(np.mean(np.maximum(x, 0.0) - x * (1 - t) + np.log1p(np.exp(-np.abs(x)))))


@SPEC.mistake("bce_with_logits", "does not check the targets (or the shapes) before computing",
              hint="Raise ValueError when the shapes differ or a target is outside [0, 1]: a target of 1.5 is not "
                   "a probability, and broadcasting (3,) against (1, 3) silently computes something else.")
def bce_with_logits_without_checks(logits, targets):
    x, t = np.asarray(logits, dtype=np.float64), np.asarray(targets, dtype=np.float64)
    return float(np.mean(np.maximum(x, 0.0) - x * t + np.log1p(np.exp(-np.abs(x)))))
