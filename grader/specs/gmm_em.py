"""Checks for gmm_log_likelihood, responsibilities and gmm_em_step (CATALOG B3, topic gmm_em)."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_finite, expect_unchanged,
                                   expect_value_error, float_contract, tuple_contract)

SPEC = Spec(
    "gmm_em",
    functions=("gmm_log_likelihood", "responsibilities", "gmm_em_step"),
    forbidden=("sklearn", "scipy.stats", "scipy.special.logsumexp", "torch.distributions", "torch.logsumexp",
               "jax.scipy"),
    forbidden_methods=("logsumexp",),
)
ref = SPEC.reference

COORDINATE = st.floats(-5.0, 5.0, allow_nan=False)
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def _covariances(draw, k, d, scale=1.0):
    """K symmetric positive definite (d, d) matrices: A A^T + I/2, condition number below ~60."""
    a = draw(nps.arrays(np.float64, (k, d, d), elements=st.floats(-2.0, 2.0)))
    covs = a @ a.transpose(0, 2, 1) + 0.5 * np.eye(d)
    return scale * (covs + covs.transpose(0, 2, 1)) / 2  # exactly symmetric


def _weights(draw, k):
    raw = draw(nps.arrays(np.float64, k, elements=st.floats(0.1, 1.0)))
    return raw / raw.sum()


@st.composite
def mixture(draw, max_n=6, max_k=3):
    """{"x": (n, d), "weights": (K,), "means": (K, d), "covs": (K, d, d)}, any points, well-posed parameters."""
    d, k, n = draw(st.integers(1, 3)), draw(st.integers(1, max_k)), draw(st.integers(1, max_n))
    return {"x": draw(nps.arrays(np.float64, (n, d), elements=COORDINATE)), "weights": _weights(draw, k),
            "means": draw(nps.arrays(np.float64, (k, d), elements=COORDINATE)), "covs": _covariances(draw, k, d)}


@st.composite
def em_case(draw, max_k=3, offset=0.0):
    """A mixture whose EM step is well-posed: points scattered around the components, every N_k > 0.05,
    every new covariance comfortably positive definite. `offset` moves everything far from 0."""
    d, k = draw(st.integers(1, 3)), draw(st.integers(1, max_k))
    n = draw(st.integers(d + 2, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    means = draw(nps.arrays(np.float64, (k, d), elements=COORDINATE))
    rng = np.random.RandomState(seed)
    x = means[rng.randint(k, size=n)] + rng.standard_normal((n, d)) * 1.5 + offset
    case = {"x": x, "weights": _weights(draw, k), "means": means + offset, "covs": _covariances(draw, k, d)}
    r = ref.responsibilities(**case)
    assume(r.sum(axis=0).min() > 0.05)
    _, _, new_covs = ref.gmm_em_step(**case)
    eigen = np.linalg.eigvalsh(new_covs)
    assume(eigen.min() > 1e-3 * eigen.max())
    return case


def loglik_tolerance(x, ll) -> float:
    return 1e-9 * (abs(ll) + np.asarray(x).shape[0])


def parameters(value, k, d):
    """(weights, means, covs) from a learner's gmm_em_step, as float arrays of the right shapes."""
    weights, means, covs = tuple_contract(value, 3)
    return (as_array(weights, shape=(k,), what="the new weights"), as_array(means, shape=(k, d), what="the new means"),
            as_array(covs, shape=(k, d, d), what="the new covs"))


def _shapes(case):
    return len(case["weights"]), np.shape(case["x"])[1]


# ---------------------------------------------------------------- contract

EXAMPLE = dict(x=np.array([[0.0], [2.0]]), weights=np.array([0.5, 0.5]), means=np.array([[0.0], [2.0]]),
               covs=np.array([[[1.0]], [[1.0]]]))


@SPEC.check("gmm_log_likelihood", tier="contract", points=1,
            title="gmm_log_likelihood returns a float and leaves its inputs unchanged", given=mixture(),
            examples=[EXAMPLE])
def gmm_log_likelihood_returns_float(learner, x, weights, means, covs):
    value, after = learner.value_and_arguments_after("gmm_log_likelihood", x=x, weights=weights, means=means,
                                                     covs=covs)
    float_contract(value)
    expect_unchanged(dict(x=x, weights=weights, means=means, covs=covs), after, function="gmm_log_likelihood")


@SPEC.check("responsibilities", tier="contract", points=1,
            title="responsibilities returns a float64 (n, K) array and leaves its inputs unchanged",
            given=mixture(), examples=[EXAMPLE])
def responsibilities_returns_float64_array(learner, x, weights, means, covs):
    value, after = learner.value_and_arguments_after("responsibilities", x=x, weights=weights, means=means,
                                                     covs=covs)
    array_contract(value, shape=(x.shape[0], len(weights)))
    expect_unchanged(dict(x=x, weights=weights, means=means, covs=covs), after, function="responsibilities")


@SPEC.check("gmm_em_step", tier="contract", points=1,
            title="gmm_em_step returns (weights (K,), means (K, d), covs (K, d, d)) as float64 arrays and leaves "
                  "its inputs unchanged",
            given=em_case(), examples=[EXAMPLE])
def gmm_em_step_returns_three_arrays(learner, x, weights, means, covs):
    value, after = learner.value_and_arguments_after("gmm_em_step", x=x, weights=weights, means=means, covs=covs)
    k, d = len(weights), x.shape[1]
    new_weights, new_means, new_covs = tuple_contract(value, 3)
    array_contract(new_weights, shape=(k,), what="the new weights")
    array_contract(new_means, shape=(k, d), what="the new means")
    array_contract(new_covs, shape=(k, d, d), what="the new covs")
    expect_unchanged(dict(x=x, weights=weights, means=means, covs=covs), after, function="gmm_em_step")


_GOOD = dict(x=np.array([[0.0, 1.0], [2.0, 0.5], [1.0, 1.0]]), weights=np.array([0.25, 0.75]),
             means=np.array([[0.0, 0.0], [1.0, 1.0]]), covs=np.array([np.eye(2), [[2.0, 0.5], [0.5, 1.0]]]))
BAD_MIXTURES = [
    dict(_GOOD, covs=np.array([np.eye(2), [[1.0, 1.0], [1.0, 1.0]]]), why="a singular covariance [[1, 1], [1, 1]]"),
    dict(_GOOD, covs=np.array([np.eye(2), np.zeros((2, 2))]), why="a covariance of zeros"),
    dict(_GOOD, covs=np.array([np.eye(2), [[1.0, 0.0], [0.0, -1.0]]]), why="a covariance with a negative eigenvalue"),
    dict(_GOOD, weights=np.array([0.5, 0.6]), why="weights that sum to 1.1"),
    dict(_GOOD, weights=np.array([-0.5, 1.5]), why="a negative weight"),
    dict(_GOOD, means=np.array([[0.0, 0.0]]), why="2 weights but 1 mean"),
    dict(_GOOD, means=np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]), why="3-D means for 2-D points"),
    dict(_GOOD, covs=np.array([np.eye(3), np.eye(3)]), why="(3, 3) covariances for 2-D points"),
]


@SPEC.check("responsibilities", tier="contract", points=2,
            title="responsibilities raises ValueError for a covariance that is not positive definite, bad weights "
                  "or shapes that do not match", examples=BAD_MIXTURES)
def responsibilities_rejects_bad_input(learner, x, weights, means, covs, why):
    expect_value_error(learner.outcome("responsibilities", x=x, weights=weights, means=means, covs=covs), bad=why)


@SPEC.check("gmm_em_step", tier="contract", points=1,
            title="gmm_em_step raises ValueError for a covariance that is not positive definite, bad weights "
                  "or shapes that do not match", examples=BAD_MIXTURES)
def gmm_em_step_rejects_bad_input(learner, x, weights, means, covs, why):
    expect_value_error(learner.outcome("gmm_em_step", x=x, weights=weights, means=means, covs=covs), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("responsibilities", tier="properties", points=2,
            title="responsibilities are non-negative and each row sums to 1", given=mixture(),
            examples=[dict(_GOOD)])
def responsibilities_rows_sum_to_one(learner, x, weights, means, covs):
    r = as_array(learner.responsibilities(x=x, weights=weights, means=means, covs=covs),
                 shape=(x.shape[0], len(weights)))
    expect_finite(r, what="the responsibilities")
    if (r < 0).any():
        raise Failure(f"a responsibility is negative: {float(r.min())!r}", got=r)
    expect_close(r.sum(axis=1), np.ones(x.shape[0]), rtol=0, atol=1e-12, what="the sum of each row")


@SPEC.check("responsibilities", tier="properties", points=2,
            title="listing the components in another order permutes the columns the same way",
            given=mixture().flatmap(lambda case: st.permutations(range(len(case["weights"]))).map(
                lambda order: {**case, "order": np.array(order)})),
            examples=[dict(_GOOD, order=np.array([1, 0]))])
def responsibilities_are_permutation_equivariant(learner, x, weights, means, covs, order):
    shape = (x.shape[0], len(weights))
    r = as_array(learner.responsibilities(x=x, weights=weights, means=means, covs=covs), shape=shape)
    permuted = as_array(learner.responsibilities(x=x, weights=weights[order], means=means[order], covs=covs[order]),
                        shape=shape)
    expect_close(permuted, r[:, order], rtol=1e-9, atol=1e-12,
                 what=f"the responsibilities with the components in the order {order.tolist()}")


@SPEC.check("gmm_log_likelihood", tier="properties", points=2,
            title="splitting a component into two identical halves (weights w/2 + w/2) keeps the log-likelihood",
            given=st.tuples(mixture(), st.integers(0, 2)).map(lambda t: {**t[0], "split": t[1] % len(t[0]["weights"])}),
            examples=[dict(EXAMPLE, split=1)])
def gmm_log_likelihood_ignores_a_split_component(learner, x, weights, means, covs, split):
    ll = as_float(learner.gmm_log_likelihood(x=x, weights=weights, means=means, covs=covs))
    halves = np.concatenate([weights, weights[split:split + 1] / 2])
    halves[split] /= 2
    ll_split = as_float(learner.gmm_log_likelihood(x=x, weights=halves, means=np.concatenate([means, means[[split]]]),
                                                   covs=np.concatenate([covs, covs[[split]]])))
    expect_close(ll_split, ll, rtol=1e-9, atol=loglik_tolerance(x, ll),
                 what=f"the log-likelihood with component {split} split in two halves")


@SPEC.check("gmm_em_step", tier="properties", points=3, title="one EM step never lowers the log-likelihood",
            given=em_case(),
            examples=[dict(x=np.array([[0.0], [0.5], [4.0], [5.0]]), weights=np.array([0.5, 0.5]),
                           means=np.array([[1.0], [3.0]]), covs=np.array([[[1.0]], [[2.0]]]))])
def gmm_em_step_never_lowers_the_log_likelihood(learner, x, weights, means, covs):
    k, d = _shapes(dict(x=x, weights=weights))
    new = parameters(learner.gmm_em_step(x=x, weights=weights, means=means, covs=covs), k, d)
    before = ref.gmm_log_likelihood(x, weights, means, covs)
    try:
        after = ref.gmm_log_likelihood(x, *new)
    except ValueError as err:
        raise Failure(f"the new parameters are not a valid mixture ({err})", got=new) from None
    if not after >= before - loglik_tolerance(x, before):
        raise Failure(f"the log-likelihood went down from {before!r} to {after!r} in one EM step",
                      expected=render.describe(f"a log-likelihood >= {before!r}"),
                      got=render.describe(f"{after!r} at your new parameters"))


@SPEC.check("gmm_em_step", tier="properties", points=1,
            title="listing the components in another order gives the same new components in that order",
            given=em_case().flatmap(lambda case: st.permutations(range(len(case["weights"]))).map(
                lambda order: {**case, "order": np.array(order)})),
            examples=[dict(_GOOD, order=np.array([1, 0]))])
def gmm_em_step_is_permutation_equivariant(learner, x, weights, means, covs, order):
    k, d = len(weights), x.shape[1]
    new = parameters(learner.gmm_em_step(x=x, weights=weights, means=means, covs=covs), k, d)
    permuted = parameters(learner.gmm_em_step(x=x, weights=weights[order], means=means[order], covs=covs[order]), k, d)
    size = float(np.abs(x).max())
    tolerances = (1e-12, 1e-10 * size, 1e-10 * size**2)
    for name, got, want, atol in zip(("weights", "means", "covs"), permuted, new, tolerances):
        expect_close(got, want[order], rtol=1e-9, atol=atol,
                     what=f"the new {name} with the components in the order {order.tolist()}")


@SPEC.check("gmm_em_step", tier="properties", points=2,
            title="with one component, a step gives weight 1, the sample mean and the 1/n sample covariance",
            given=em_case(max_k=1),
            examples=[dict(x=np.array([[0.0], [1.0], [3.0]]), weights=np.array([1.0]), means=np.array([[0.0]]),
                           covs=np.array([[[1.0]]]))])
def gmm_em_step_with_one_component_is_the_sample_moments(learner, x, weights, means, covs):
    new_weights, new_means, new_covs = parameters(learner.gmm_em_step(x=x, weights=weights, means=means, covs=covs),
                                                  1, x.shape[1])
    size = float(np.abs(x).max())
    expect_close(new_weights, [1.0], rtol=1e-12, atol=1e-12, what="the new weight")
    expect_close(new_means, x.mean(axis=0)[None, :], rtol=1e-9, atol=1e-12 * size, what="the new mean")
    centred = x - x.mean(axis=0)
    expect_close(new_covs, (centred.T @ centred / x.shape[0])[None], rtol=1e-9, atol=1e-12 * size**2,
                 what="the new covariance (the sample covariance, dividing by n)")


# ---------------------------------------------------------------- reference

@SPEC.check("gmm_log_likelihood", tier="reference", points=2, title="gmm_log_likelihood matches the reference",
            given=mixture(), examples=[EXAMPLE])
def gmm_log_likelihood_matches_reference(learner, x, weights, means, covs):
    want = ref.gmm_log_likelihood(x, weights, means, covs)
    expect_close(as_float(learner.gmm_log_likelihood(x=x, weights=weights, means=means, covs=covs)), want,
                 rtol=1e-9, atol=loglik_tolerance(x, want))


@SPEC.check("responsibilities", tier="reference", points=2, title="responsibilities matches the reference",
            given=mixture(), examples=[dict(EXAMPLE, x=np.array([[0.0]]))])
def responsibilities_matches_reference(learner, x, weights, means, covs):
    expect_close(learner.responsibilities(x=x, weights=weights, means=means, covs=covs),
                 ref.responsibilities(x, weights, means, covs), rtol=1e-9, atol=1e-12)


@SPEC.check("gmm_em_step", tier="reference", points=3, title="gmm_em_step matches the reference",
            given=em_case(), examples=[dict(_GOOD)])
def gmm_em_step_matches_reference(learner, x, weights, means, covs):
    k, d = len(weights), x.shape[1]
    got = parameters(learner.gmm_em_step(x=x, weights=weights, means=means, covs=covs), k, d)
    want = ref.gmm_em_step(x, weights, means, covs)
    size = float(np.abs(x).max())
    expect_close(got[0], want[0], rtol=1e-9, atol=1e-12, what="the new weights")
    expect_close(got[1], want[1], rtol=1e-9, atol=1e-10 * size, what="the new means")
    expect_close(got[2], want[2], rtol=1e-7, atol=1e-10 * size**2, what="the new covs")


# ---------------------------------------------------------------- stability

@st.composite
def far_points(draw):
    case = draw(mixture())
    direction = draw(st.sampled_from([-1.0, 1.0]))
    case["x"] = case["x"] + direction * draw(st.floats(100.0, 1e3))  # every density underflows to 0
    return case


FAR = dict(x=np.array([[1e3], [0.5]]), weights=np.array([0.5, 0.5]), means=np.array([[0.0], [2.0]]),
           covs=np.array([[[1.0]], [[1.0]]]))


@SPEC.check("responsibilities", tier="stability", points=2,
            title="responsibilities of points far from every component (all densities underflow) are finite",
            given=far_points(), examples=[FAR])
def responsibilities_handle_far_points(learner, x, weights, means, covs):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.responsibilities(x=x, weights=weights, means=means, covs=covs)
    expect_close(got, ref.responsibilities(x, weights, means, covs), rtol=1e-9, atol=1e-12)


@SPEC.check("gmm_log_likelihood", tier="stability", points=2,
            title="gmm_log_likelihood of points far from every component is finite (no log(0))",
            given=far_points(), examples=[FAR])
def gmm_log_likelihood_handles_far_points(learner, x, weights, means, covs):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = as_float(learner.gmm_log_likelihood(x=x, weights=weights, means=means, covs=covs))
    want = ref.gmm_log_likelihood(x, weights, means, covs)
    expect_close(got, want, rtol=1e-9, atol=loglik_tolerance(x, want))


@SPEC.check("gmm_em_step", tier="stability", points=2,
            title="gmm_em_step is accurate for data far from 0 (1e6 + spread 1.5)",
            given=em_case(offset=1e6),
            examples=[dict(x=1e6 + np.array([[0.0], [1.0], [3.0]]), weights=np.array([1.0]),
                           means=np.array([[1e6]]), covs=np.array([[[1.0]]]))])
def gmm_em_step_handles_large_offsets(learner, x, weights, means, covs):
    k, d = len(weights), x.shape[1]
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = parameters(learner.gmm_em_step(x=x, weights=weights, means=means, covs=covs), k, d)
    want = ref.gmm_em_step(x, weights, means, covs)
    expect_close(got[1], want[1], rtol=1e-12, atol=0, what="the new means")
    # Two passes are accurate to ~1e-10 here; E[x x^T] - mu mu^T loses everything below ~1e-4.
    expect_close(got[2], want[2], rtol=1e-7, atol=1e-9, what="the new covs")


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/gmm_em.py (it may use that module's imports and helpers).

@SPEC.mistake_helper
def _log_joint_with(x, weights, means, covs, *, use_weights=True, use_log_det=True, invert=True):
    """log w_k + log N(x_i; mu_k, S_k) after the reference's checks, with one term switched off per mistake."""
    x, weights, means, covs = _checked(x, weights, means, covs)
    n, d = x.shape
    out = np.empty((n, len(weights)))
    for k in range(len(weights)):
        diff = x - means[k]
        matrix = np.linalg.inv(covs[k]) if invert else covs[k]
        maha = np.einsum("ni,ij,nj->n", diff, matrix, diff)
        log_det = np.linalg.slogdet(covs[k])[1] if use_log_det else 0.0
        with np.errstate(divide="ignore"):
            log_w = np.log(weights[k]) if use_weights else 0.0
        out[:, k] = log_w - 0.5 * (d * np.log(2 * np.pi) + log_det + maha)
    return out


@SPEC.mistake_helper
def _normalised_rows(joint):
    return np.exp(joint - _logsumexp_rows(joint)[:, None])


@SPEC.mistake("responsibilities", "normalises w N(x) directly: far from every component that is 0 / 0 = nan",
              hint="Stay in log space: a_ik = log w_k + log N(x_i; mu_k, S_k), subtract the row's max, then exp and "
                   "normalise. exp(-500000) is 0 in floating point, so the direct ratio is 0 / 0.")
def responsibilities_without_log_sum_exp(x, weights, means, covs):
    p = np.exp(_log_joint_with(x, weights, means, covs))
    return p / p.sum(axis=1, keepdims=True)


@SPEC.mistake("responsibilities", "leaves out the mixture weights w_k",
              hint="A component's prior share matters: r_ik is proportional to w_k N(x_i; mu_k, S_k), not to "
                   "N(x_i; mu_k, S_k) alone.")
def responsibilities_without_weights(x, weights, means, covs):
    return _normalised_rows(_log_joint_with(x, weights, means, covs, use_weights=False))


@SPEC.mistake("responsibilities", "leaves out the log det S_k term of the normal density",
              hint="N(x; mu, S) has the factor det(2 pi S)^(-1/2): with covariances of different sizes, the wide "
                   "one must not win just because its exponent is smaller. Add -0.5 log det S_k.")
def responsibilities_without_log_det(x, weights, means, covs):
    return _normalised_rows(_log_joint_with(x, weights, means, covs, use_log_det=False))


@SPEC.mistake("responsibilities", "uses S_k instead of its inverse in (x - mu)^T S^-1 (x - mu)",
              hint="The Mahalanobis distance divides by the covariance: (x - mu)^T S^-1 (x - mu). Solve with S "
                   "(or its Cholesky factor) rather than multiplying by it.")
def responsibilities_covariance_not_inverted(x, weights, means, covs):
    return _normalised_rows(_log_joint_with(x, weights, means, covs, invert=False))


@SPEC.mistake("responsibilities", "normalises over the points (each column sums to 1) instead of over components",
              hint="Each point shares itself out among the K components: every ROW of r sums to 1 "
                   "(the log-sum-exp runs over axis 1).")
def responsibilities_normalised_over_points(x, weights, means, covs):
    joint = _log_joint_with(x, weights, means, covs)
    top = joint.max(axis=0, keepdims=True)
    return np.exp(joint - top - np.log(np.exp(joint - top).sum(axis=0, keepdims=True)))


@SPEC.mistake("gmm_log_likelihood", "returns the mean log-likelihood per point instead of the sum",
              hint="The log-likelihood of the sample is the SUM over points of log p(x_i) (scikit-learn's score() "
                   "is the mean, which is a different number).")
def gmm_log_likelihood_mean(x, weights, means, covs):
    return float(np.mean(_logsumexp_rows(_log_joint_with(x, weights, means, covs))))


@SPEC.mistake("gmm_log_likelihood", "takes log(sum of w N(x)): far from every component that is log(0) = -inf",
              hint="Use log-sum-exp: log sum_k exp(a_k) = m + log sum_k exp(a_k - m) with m = max_k a_k, where "
                   "a_k = log w_k + log N(x; mu_k, S_k).")
def gmm_log_likelihood_log_of_sum(x, weights, means, covs):
    return float(np.sum(np.log(np.exp(_log_joint_with(x, weights, means, covs)).sum(axis=1))))


@SPEC.mistake_helper
def _m_step(x, r, *, centre_on_old=None, by_n=False, one_pass=False):
    """The M-step from responsibilities r, with one slip switched on per mistake."""
    x = np.asarray(x, dtype=np.float64)
    counts = r.sum(axis=0)
    means = (r.T @ x) / counts[:, None]
    centres = means if centre_on_old is None else centre_on_old
    if one_pass:
        second = np.einsum("nk,ni,nj->kij", r, x, x) / counts[:, None, None]
        covs = second - np.einsum("ki,kj->kij", means, means)
    else:
        centred = x[None, :, :] - centres[:, None, :]
        covs = np.einsum("nk,kni,knj->kij", r, centred, centred) / counts[:, None, None]
    if by_n:
        covs = covs * counts[:, None, None] / x.shape[0]
    return counts / x.shape[0], means, covs


@SPEC.mistake("gmm_em_step", "centres the new covariances on the OLD means",
              hint="Update the means first, then centre on the new ones: S_k = sum_i r_ik (x_i - mu_k_new)"
                   "(x_i - mu_k_new)^T / N_k. The old means make the covariance too large.")
def gmm_em_step_old_means_in_covariance(x, weights, means, covs):
    r = responsibilities(x, weights, means, covs)
    return _m_step(x, r, centre_on_old=np.asarray(means, dtype=np.float64))


@SPEC.mistake("gmm_em_step", "divides each covariance by n instead of by N_k = sum_i r_ik",
              hint="Each component's covariance is a weighted average over the points it owns: divide by "
                   "N_k = sum_i r_ik, the same as for its mean.")
def gmm_em_step_covariance_over_n(x, weights, means, covs):
    return _m_step(x, responsibilities(x, weights, means, covs), by_n=True)


@SPEC.mistake("gmm_em_step", "returns N_k as the new weights, without dividing by n",
              hint="The new weights are shares: w_k = N_k / n, so that they sum to 1.")
def gmm_em_step_weights_not_divided(x, weights, means, covs):
    r = responsibilities(x, weights, means, covs)
    _, new_means, new_covs = _m_step(x, r)
    return r.sum(axis=0), new_means, new_covs


@SPEC.mistake("gmm_em_step", "computes the covariance as E[x x^T] - mu mu^T, which cancels for data far from 0",
              hint="Centre first, then square: sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k. With x around 1e6, "
                   "x x^T is around 1e12 and the subtraction keeps only a few digits of the spread.")
def gmm_em_step_one_pass_covariance(x, weights, means, covs):
    return _m_step(x, responsibilities(x, weights, means, covs), one_pass=True)
