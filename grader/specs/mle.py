"""Checks for the normal and binomial log-likelihoods and their MLEs (DESIGN.md, topic mle)."""

import math

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging import render
from grader.judging.checks import Failure, Spec
from grader.judging.expect import (as_float, expect_close, expect_unchanged, expect_value_error, float_contract,
                                   tuple_contract)

SPEC = Spec(
    "mle",
    functions=("normal_log_likelihood", "normal_mle", "binomial_log_likelihood", "binomial_mle"),
    forbidden=("scipy.stats", "torch.distributions", "statsmodels"),
)
ref = SPEC.reference

FINITE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
SAMPLE = nps.arrays(np.float64, st.integers(1, 6), elements=FINITE)
MU = FINITE
SIGMA2 = st.floats(1e-3, 1e6)
PROBABILITY = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0))
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def normal_tolerance(x, mu, sigma2) -> float:
    """Absolute tolerance for a normal log-likelihood: ~1e-12 of the size of every term it adds."""
    x = np.asarray(x, dtype=np.float64)
    logs = x.size * (1.0 + abs(math.log(2 * math.pi) + math.log(sigma2)))
    squares = float(np.sum((np.abs(x) + abs(mu)) ** 2)) / sigma2
    return 1e-12 * (logs + squares) + 1e-300


def binomial_tolerance(k, n, p) -> float:
    """Absolute tolerance for a binomial log-likelihood: ~1e-12 of the size of every term it adds."""
    k = np.atleast_1d(np.asarray(k, dtype=np.float64))
    n = np.broadcast_to(np.asarray(n, dtype=np.float64), k.shape)
    log_p = abs(math.log(p)) if p > 0 else 0.0
    log_q = abs(math.log1p(-p)) if p < 1 else 0.0
    log_choose = sum(math.lgamma(m + 1.0) for m in n.tolist())
    return 1e-12 * (log_choose + float(k.sum()) * (1 + log_p) + float((n - k).sum()) * (1 + log_q) + 1.0)


def normal_case(sample=SAMPLE):
    return st.fixed_dictionaries({"x": sample, "mu": MU, "sigma2": SIGMA2})


@st.composite
def binomial_counts(draw, max_trials=50, n_as_array=st.booleans(), at_least_one_trial=False):
    """{"k": int64 (N,), "n": an int or an int64 (N,)} with 0 <= k <= n."""
    size = draw(st.integers(1, 6))
    if draw(n_as_array):
        n = draw(nps.arrays(np.int64, size, elements=st.integers(0, max_trials)))
    else:
        n = draw(st.integers(0, max_trials))
    each = np.broadcast_to(n, (size,))
    if at_least_one_trial:
        assume(each.sum() > 0)
    k = np.array([draw(st.integers(0, int(m))) for m in each], dtype=np.int64)
    return {"k": k, "n": n}


def binomial_case(p=PROBABILITY, **counts):
    return st.builds(lambda c, p: {**c, "p": p}, binomial_counts(**counts), p)


def sample_with_spread(min_size=2):
    """A sample whose values are not all equal, so that its MLE variance is positive."""
    sample = nps.arrays(np.float64, st.integers(min_size, 6), elements=FINITE)
    return sample.filter(lambda x: np.var(x) > 1e-9 * (1.0 + float(np.max(np.abs(x))) ** 2))


def estimates(value) -> tuple[float, float]:
    """(mu_hat, sigma2_hat) as two floats; past the contract tier a length-2 array is fine too."""
    if isinstance(value, np.ndarray) and value.shape == (2,):
        value = tuple(value)
    mu_hat, sigma2_hat = tuple_contract(value, 2)
    return as_float(mu_hat, what="mu_hat"), as_float(sigma2_hat, what="sigma2_hat")


# ---------------------------------------------------------------- contract

@SPEC.check("normal_log_likelihood", tier="contract", points=1,
            title="normal_log_likelihood returns a float and leaves x unchanged", given=normal_case(),
            examples=[dict(x=[1, 2, 3], mu=0.0, sigma2=1.0)])
def normal_log_likelihood_returns_float(learner, x, mu, sigma2):
    value, after = learner.value_and_arguments_after("normal_log_likelihood", x=x, mu=mu, sigma2=sigma2)
    float_contract(value)
    expect_unchanged({"x": x}, after, function="normal_log_likelihood")


@SPEC.check("normal_mle", tier="contract", points=1,
            title="normal_mle returns two floats (mu_hat, sigma2_hat) and leaves x unchanged",
            given=st.fixed_dictionaries({"x": SAMPLE}), examples=[dict(x=[1, 2, 4])])
def normal_mle_returns_two_floats(learner, x):
    value, after = learner.value_and_arguments_after("normal_mle", x=x)
    mu_hat, sigma2_hat = tuple_contract(value, 2)
    float_contract(mu_hat, what="mu_hat")
    float_contract(sigma2_hat, what="sigma2_hat")
    expect_unchanged({"x": x}, after, function="normal_mle")


@SPEC.check("binomial_log_likelihood", tier="contract", points=1,
            title="binomial_log_likelihood returns a float and leaves k and n unchanged", given=binomial_case(),
            examples=[dict(k=[1, 2], n=2, p=0.5), dict(k=np.array([0, 3]), n=np.array([2, 3]), p=0.25)])
def binomial_log_likelihood_returns_float(learner, k, n, p):
    value, after = learner.value_and_arguments_after("binomial_log_likelihood", k=k, n=n, p=p)
    float_contract(value)
    expect_unchanged({"k": k, "n": n}, after, function="binomial_log_likelihood")


@SPEC.check("binomial_mle", tier="contract", points=1,
            title="binomial_mle returns a float and leaves k and n unchanged",
            given=binomial_counts(at_least_one_trial=True),
            examples=[dict(k=[1, 2], n=4), dict(k=np.array([0, 0]), n=np.array([3, 5]))])
def binomial_mle_returns_float(learner, k, n):
    value, after = learner.value_and_arguments_after("binomial_mle", k=k, n=n)
    float_contract(value)
    expect_unchanged({"k": k, "n": n}, after, function="binomial_mle")


@SPEC.check("normal_log_likelihood", tier="contract", points=1,
            title="normal_log_likelihood raises ValueError for sigma2 <= 0 or an empty sample",
            examples=[dict(x=np.array([1.0, 2.0]), mu=0.0, sigma2=0.0, why="sigma2 = 0"),
                      dict(x=np.array([1.0, 2.0]), mu=0.0, sigma2=-1.0, why="a negative sigma2"),
                      dict(x=np.array([1.0]), mu=1.0, sigma2=-1e-300, why="a negative sigma2"),
                      dict(x=np.zeros(0), mu=0.0, sigma2=1.0, why="an empty sample"),
                      dict(x=[], mu=0.0, sigma2=1.0, why="an empty sample")])
def normal_log_likelihood_rejects_bad_input(learner, x, mu, sigma2, why):
    expect_value_error(learner.outcome("normal_log_likelihood", x=x, mu=mu, sigma2=sigma2), bad=why)


@SPEC.check("normal_mle", tier="contract", points=1, title="normal_mle raises ValueError for an empty sample",
            examples=[dict(x=np.zeros(0)), dict(x=[])])
def normal_mle_rejects_empty_sample(learner, x):
    expect_value_error(learner.outcome("normal_mle", x=x), bad="an empty sample")


BAD_BINOMIAL_COUNTS = [
    dict(k=np.array([3]), n=2, why="k = 3 successes out of n = 2 trials"),
    dict(k=np.array([1, -1]), n=5, why="a negative k"),
    dict(k=np.array([2, 4]), n=np.array([5, 3]), why="k = 4 successes out of n = 3 trials (n given per observation)"),
    dict(k=np.array([0, 1]), n=np.array([0, 0]), why="k = 1 success out of n = 0 trials"),
    dict(k=np.zeros(0, dtype=np.int64), n=5, why="an empty sample"),
    dict(k=[], n=5, why="an empty sample"),
]


@SPEC.check("binomial_log_likelihood", tier="contract", points=2,
            title="binomial_log_likelihood raises ValueError for p outside [0, 1], k outside [0, n] or no data",
            examples=[dict(k=np.array([1, 2]), n=4, p=1.5, why="p = 1.5"),
                      dict(k=np.array([1, 2]), n=4, p=-0.25, why="p = -0.25"),
                      dict(k=np.array([0]), n=4, p=1.0000001, why="p = 1.0000001"),
                      *({**bad, "p": 0.5} for bad in BAD_BINOMIAL_COUNTS)])
def binomial_log_likelihood_rejects_bad_input(learner, k, n, p, why):
    expect_value_error(learner.outcome("binomial_log_likelihood", k=k, n=n, p=p), bad=why)


@SPEC.check("binomial_mle", tier="contract", points=1,
            title="binomial_mle raises ValueError for k outside [0, n] or an empty sample",
            examples=BAD_BINOMIAL_COUNTS)
def binomial_mle_rejects_bad_input(learner, k, n, why):
    expect_value_error(learner.outcome("binomial_mle", k=k, n=n), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("normal_log_likelihood", tier="properties", points=1,
            title="the normal log-likelihood of two samples together is the sum of their log-likelihoods",
            given=st.fixed_dictionaries({"x": SAMPLE, "x2": SAMPLE, "mu": MU, "sigma2": SIGMA2}))
def normal_log_likelihood_adds_over_samples(learner, x, x2, mu, sigma2):
    both = as_float(learner.normal_log_likelihood(x=np.concatenate([x, x2]), mu=mu, sigma2=sigma2))
    first = as_float(learner.normal_log_likelihood(x=x, mu=mu, sigma2=sigma2))
    second = as_float(learner.normal_log_likelihood(x=x2, mu=mu, sigma2=sigma2))
    expect_close(both, first + second, rtol=1e-9, atol=normal_tolerance(np.concatenate([x, x2]), mu, sigma2),
                 what="the log-likelihood of the joined sample")


def _no_higher(at_best: float, at_other: float, tol: float, message: str, best: str, other: str) -> None:
    if not at_best >= at_other - tol:  # "not >=" also catches nan
        raise Failure(message, expected=render.describe(f"{best} >= {other} = {at_other!r}"),
                      got=render.describe(f"{best} = {at_best!r}"))


PERTURBATION = st.floats(-1.0, 1.0)


@SPEC.check("normal_log_likelihood", tier="properties", points=2,
            title="the normal log-likelihood is largest at mu = mean(x), sigma2 = (1/n) sum (x - mean)^2",
            given=st.fixed_dictionaries({"x": sample_with_spread(), "shift": PERTURBATION, "log_scale": PERTURBATION}),
            examples=[dict(x=np.array([0.0, 4.0]), shift=0.0, log_scale=-1.0)])
def normal_log_likelihood_is_largest_at_the_mle(learner, x, shift, log_scale):
    mu_hat, sigma2_hat = float(np.mean(x)), float(np.var(x))
    mu, sigma2 = mu_hat + shift * math.sqrt(sigma2_hat), sigma2_hat * math.exp(log_scale)
    at_best = as_float(learner.normal_log_likelihood(x=x, mu=mu_hat, sigma2=sigma2_hat))
    at_other = as_float(learner.normal_log_likelihood(x=x, mu=mu, sigma2=sigma2))
    _no_higher(at_best, at_other, 1e-9 * (abs(at_other) + 1.0),
               f"normal_log_likelihood(x, mu={mu!r}, sigma2={sigma2!r}) is higher than at the maximum-likelihood "
               f"estimates mu={mu_hat!r}, sigma2={sigma2_hat!r}",
               "the log-likelihood at the MLE", "the one at the other parameters")


@SPEC.check("normal_mle", tier="properties", points=2,
            title="normal_mle is equivariant: for a x + b it gives (a mu_hat + b, a^2 sigma2_hat)",
            given=st.fixed_dictionaries({"x": SAMPLE, "a": st.floats(-10, 10), "b": FINITE}),
            examples=[dict(x=np.array([1.0, 2.0, 4.0]), a=2.0, b=1.0)])
def normal_mle_is_affine_equivariant(learner, x, a, b):
    mu_hat, sigma2_hat = estimates(learner.normal_mle(x=x))
    y = a * x + b
    mu_y, sigma2_y = estimates(learner.normal_mle(x=y))
    size = abs(a) * float(np.max(np.abs(x))) + abs(b)  # the rounding in a x + b is ~1e-16 of this
    expect_close(mu_y, a * mu_hat + b, rtol=1e-9, atol=1e-10 * size + 1e-300,
                 what=f"mu_hat of {a!r} * x + {b!r} (a * mu_hat + b with your mu_hat of x)")
    expect_close(sigma2_y, a * a * sigma2_hat, rtol=1e-9, atol=1e-10 * size**2 + 1e-300,
                 what=f"sigma2_hat of {a!r} * x + {b!r} (a^2 * sigma2_hat with your sigma2_hat of x)")


@SPEC.check("normal_mle", tier="properties", points=2,
            title="no other (mu, sigma2) near normal_mle's estimate gives a higher log-likelihood",
            given=st.fixed_dictionaries({"x": sample_with_spread(), "shift": PERTURBATION, "log_scale": PERTURBATION}),
            examples=[dict(x=np.array([1.0, 2.0, 4.0]), shift=0.0, log_scale=-0.2)])
def normal_mle_maximises_the_likelihood(learner, x, shift, log_scale):
    mu_hat, sigma2_hat = estimates(learner.normal_mle(x=x))
    if not (math.isfinite(mu_hat) and math.isfinite(sigma2_hat) and sigma2_hat > 0):
        raise Failure("for a sample whose values differ, mu_hat must be finite and sigma2_hat positive",
                      expected=render.describe("a finite mu_hat and a positive sigma2_hat"), got=(mu_hat, sigma2_hat))
    mu, sigma2 = mu_hat + shift * math.sqrt(sigma2_hat), sigma2_hat * math.exp(log_scale)
    at_best = ref.normal_log_likelihood(x, mu_hat, sigma2_hat)
    at_other = ref.normal_log_likelihood(x, mu, sigma2)
    _no_higher(at_best, at_other, 1e-9 * (abs(at_other) + 1.0),
               f"the log-likelihood at mu={mu!r}, sigma2={sigma2!r} is higher than at your estimates "
               f"mu_hat={mu_hat!r}, sigma2_hat={sigma2_hat!r}, so they do not maximise it",
               "the log-likelihood at your estimates", "the one at the other parameters")


@SPEC.check("binomial_log_likelihood", tier="properties", points=1,
            title="the binomial log-likelihood of two samples together is the sum of their log-likelihoods",
            given=st.builds(lambda a, b, p: {"k": a["k"], "n": np.broadcast_to(a["n"], a["k"].shape).copy(),
                                             "k2": b["k"], "n2": np.broadcast_to(b["n"], b["k"].shape).copy(),
                                             "p": p},
                            binomial_counts(), binomial_counts(), st.floats(0.0, 1.0)))
def binomial_log_likelihood_adds_over_samples(learner, k, n, k2, n2, p):
    k_both, n_both = np.concatenate([k, k2]), np.concatenate([n, n2])
    both = as_float(learner.binomial_log_likelihood(k=k_both, n=n_both, p=p))
    first = as_float(learner.binomial_log_likelihood(k=k, n=n, p=p))
    second = as_float(learner.binomial_log_likelihood(k=k2, n=n2, p=p))
    expect_close(both, first + second, rtol=1e-9, atol=binomial_tolerance(k_both, n_both, p),
                 what="the log-likelihood of the joined sample")


@SPEC.check("binomial_log_likelihood", tier="properties", points=2,
            title="at p = 0 or 1 the binomial log-likelihood is 0 for certain data and -inf for impossible data",
            given=binomial_case(p=st.sampled_from([0.0, 1.0])),
            examples=[dict(k=np.array([0, 0]), n=3, p=0.0), dict(k=np.array([2, 3]), n=np.array([2, 3]), p=1.0),
                      dict(k=np.array([0, 1]), n=3, p=0.0), dict(k=np.array([2, 1]), n=np.array([2, 3]), p=1.0)])
def binomial_log_likelihood_at_certain_p(learner, k, n, p):
    impossible = np.any(k > 0) if p == 0.0 else np.any(k < np.broadcast_to(n, k.shape))
    # Certain data: every pmf is 1 (C(n, 0) = C(n, n) = 1, and 0 * log 0 counts as 0).
    expected = -math.inf if impossible else 0.0
    got = as_float(learner.binomial_log_likelihood(k=k, n=n, p=p))
    what = (f"the log-likelihood at p = {p!r} of data that " + ("cannot happen" if impossible else "are certain"))
    expect_close(got, expected, rtol=0, atol=1e-12, what=what)


@SPEC.check("binomial_mle", tier="properties", points=2,
            title="binomial_mle lies in [0, 1] and no nearby p gives a higher log-likelihood",
            given=st.builds(lambda c, d: {**c, "step": d}, binomial_counts(at_least_one_trial=True),
                            st.floats(1e-3, 0.5)),
            examples=[dict(k=np.array([0, 3]), n=np.array([1, 9]), step=0.05)])
def binomial_mle_maximises_the_likelihood(learner, k, n, step):
    p_hat = as_float(learner.binomial_mle(k=k, n=n))
    if not 0.0 <= p_hat <= 1.0:
        raise Failure(f"p_hat = {p_hat!r} is not a probability in [0, 1]",
                      expected=render.describe("a number in [0, 1]"), got=p_hat)
    at_best = ref.binomial_log_likelihood(k, n, p_hat)
    for p in (max(p_hat - step, 0.0), min(p_hat + step, 1.0)):
        at_other = ref.binomial_log_likelihood(k, n, p)
        _no_higher(at_best, at_other, 1e-9 * (abs(at_other) + 1.0),
                   f"the log-likelihood at p = {p!r} is higher than at your p_hat = {p_hat!r}, "
                   f"so p_hat does not maximise it",
                   "the log-likelihood at p_hat", f"the one at p = {p!r}")


# ---------------------------------------------------------------- reference

@SPEC.check("normal_log_likelihood", tier="reference", points=2,
            title="normal_log_likelihood matches the reference", given=normal_case(),
            examples=[dict(x=np.array([0.0, 2.0]), mu=1.0, sigma2=4.0),
                      dict(x=np.array([0.0, 40.0]), mu=0.0, sigma2=1.0)])  # exp(-800) == 0.0
def normal_log_likelihood_matches_reference(learner, x, mu, sigma2):
    expect_close(as_float(learner.normal_log_likelihood(x=x, mu=mu, sigma2=sigma2)),
                 ref.normal_log_likelihood(x, mu, sigma2), rtol=1e-9, atol=normal_tolerance(x, mu, sigma2))


@SPEC.check("normal_mle", tier="reference", points=2, title="normal_mle matches the reference",
            given=st.fixed_dictionaries({"x": SAMPLE}), examples=[dict(x=np.array([1.0, 2.0, 4.0]))])
def normal_mle_matches_reference(learner, x):
    mu_hat, sigma2_hat = estimates(learner.normal_mle(x=x))
    want_mu, want_sigma2 = ref.normal_mle(x)
    size = float(np.max(np.abs(x)))
    expect_close(mu_hat, want_mu, rtol=1e-9, atol=1e-12 * size + 1e-300, what="mu_hat")
    expect_close(sigma2_hat, want_sigma2, rtol=1e-9, atol=1e-12 * size**2 + 1e-300, what="sigma2_hat")


@SPEC.check("binomial_log_likelihood", tier="reference", points=2,
            title="binomial_log_likelihood matches the reference", given=binomial_case(),
            examples=[dict(k=np.array([1, 2]), n=4, p=0.5), dict(k=np.array([0, 4]), n=np.array([2, 5]), p=0.3)])
def binomial_log_likelihood_matches_reference(learner, k, n, p):
    expect_close(as_float(learner.binomial_log_likelihood(k=k, n=n, p=p)), ref.binomial_log_likelihood(k, n, p),
                 rtol=1e-9, atol=binomial_tolerance(k, n, p))


@SPEC.check("binomial_mle", tier="reference", points=2, title="binomial_mle matches the reference",
            given=binomial_counts(at_least_one_trial=True),
            examples=[dict(k=np.array([1, 3]), n=4), dict(k=np.array([0, 3]), n=np.array([1, 9]))])
def binomial_mle_matches_reference(learner, k, n):
    expect_close(as_float(learner.binomial_mle(k=k, n=n)), ref.binomial_mle(k, n), rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- stability

@st.composite
def large_normal_sample(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    mu, sigma2 = draw(st.floats(-10, 10)), draw(st.floats(0.01, 100.0))
    x = mu + math.sqrt(sigma2) * np.random.RandomState(seed).standard_normal(2000)
    return {"x": x, "mu": mu, "sigma2": sigma2}


@SPEC.check("normal_log_likelihood", tier="stability", points=2,
            title="normal_log_likelihood of 2000 points is finite (a product of densities underflows)",
            given=large_normal_sample(), max_examples=10,
            examples=[dict(x=np.linspace(-3.0, 3.0, 2000), mu=0.0, sigma2=1.0)])
def normal_log_likelihood_handles_large_samples(learner, x, mu, sigma2):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = as_float(learner.normal_log_likelihood(x=x, mu=mu, sigma2=sigma2))
    expect_close(got, ref.normal_log_likelihood(x, mu, sigma2), rtol=1e-9, atol=normal_tolerance(x, mu, sigma2))


@st.composite
def extreme_variance(draw):
    sigma2 = 10.0 ** draw(st.floats(-250, 250))
    scale = math.sqrt(sigma2)
    z = draw(nps.arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)))
    m = draw(st.floats(-5, 5))
    return {"x": scale * (m + z), "mu": scale * m, "sigma2": sigma2}


@SPEC.check("normal_log_likelihood", tier="stability", points=2,
            title="normal_log_likelihood is finite and accurate for sigma2 from 1e-250 to 1e250",
            given=extreme_variance(),
            examples=[dict(x=np.array([1.0, -1.0, 2.0, 0.0]) * 1e-125, mu=0.0, sigma2=1e-250),
                      dict(x=np.array([1.0, -1.0, 2.0, 0.0]) * 1e125, mu=0.0, sigma2=1e250)])
def normal_log_likelihood_handles_extreme_variances(learner, x, mu, sigma2):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = as_float(learner.normal_log_likelihood(x=x, mu=mu, sigma2=sigma2))
    expect_close(got, ref.normal_log_likelihood(x, mu, sigma2), rtol=1e-9, atol=normal_tolerance(x, mu, sigma2))


@st.composite
def far_from_zero(draw):
    seed, size = draw(st.integers(0, 2**32 - 1)), draw(st.integers(2, 50))
    offset = draw(st.sampled_from([-1.0, 1.0])) * 10.0 ** draw(st.floats(5, 8))
    spread = 10.0 ** draw(st.floats(-1, 1))
    z = np.random.RandomState(seed).standard_normal(size)
    z = (z - z.mean()) / z.std()  # the sample's own spread is exactly `spread`
    return {"x": offset + spread * z}


@SPEC.check("normal_mle", tier="stability", points=2,
            title="normal_mle is accurate for data far from 0 (1e8 + small noise)",
            given=far_from_zero(),
            examples=[dict(x=1e8 + np.array([-1.0, 0.0, 1.0, 2.0, -2.0]))])
def normal_mle_handles_large_offsets(learner, x):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        mu_hat, sigma2_hat = estimates(learner.normal_mle(x=x))
    want_mu, want_sigma2 = ref.normal_mle(x)
    # sigma2 to 1e-6: a one-pass Welford update is accurate to ~1e-7 here, mean(x**2) - mean(x)**2 to nothing.
    expect_close(mu_hat, want_mu, rtol=1e-12, atol=1e-300, what="mu_hat")
    expect_close(sigma2_hat, want_sigma2, rtol=1e-6, atol=1e-300, what="sigma2_hat")


@st.composite
def many_trials(draw):
    size = draw(st.integers(1, 4))
    n = np.array(draw(st.lists(st.integers(1_000, 100_000), min_size=size, max_size=size)), dtype=np.int64)
    k = np.array([draw(st.integers(0, int(m))) for m in n], dtype=np.int64)
    return {"k": k, "n": n, "p": draw(st.floats(1e-3, 1 - 1e-3))}


@SPEC.check("binomial_log_likelihood", tier="stability", points=2,
            title="binomial_log_likelihood handles up to a million trials (log C(n, k) without factorials)",
            given=many_trials(), max_examples=10,
            examples=[dict(k=np.array([700, 1200]), n=np.array([2000, 3000]), p=0.3),
                      dict(k=np.array([10, 999_990]), n=1_000_000, p=0.5)])
def binomial_log_likelihood_handles_many_trials(learner, k, n, p):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = as_float(learner.binomial_log_likelihood(k=k, n=n, p=p))
    expect_close(got, ref.binomial_log_likelihood(k, n, p), rtol=1e-9, atol=binomial_tolerance(k, n, p))


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/mle.py (it may use that module's imports and helpers);
# the log-likelihood ones start from the shared checks _checked_normal and _checked_binomial.

@SPEC.mistake("normal_mle", "divides by n - 1 (ddof=1): the unbiased variance, not the MLE",
              hint="The maximum-likelihood variance divides by n: sigma2_hat = mean((x - mu_hat)**2). "
                   "np.var(x) does that by default; ddof=1 gives the unbiased estimate instead.")
def normal_mle_with_ddof_1(x):
    x = _sample(x, "x")
    return float(x.mean()), float(np.var(x, ddof=1))


@SPEC.mistake("normal_mle", "returns the standard deviation instead of the variance",
              hint="sigma2_hat is a variance: mean((x - mu_hat)**2), with no square root.")
def normal_mle_returns_standard_deviation(x):
    x = _sample(x, "x")
    return float(x.mean()), float(np.std(x))


@SPEC.mistake("normal_mle", "computes the variance as mean(x**2) - mean(x)**2, which cancels for data far from 0",
              hint="Subtract the mean first: mean((x - mu_hat)**2). With x around 1e8, x**2 is around 1e16 "
                   "and keeps only about one digit of the spread after the subtraction.")
def normal_mle_one_pass(x):
    x = _sample(x, "x")
    return float(x.mean()), float(np.mean(x**2) - x.mean() ** 2)


@SPEC.mistake_helper
def _checked_normal(x, sigma2):
    """x checked as the reference does (_sample), and sigma2 > 0: how each normal log-likelihood mistake starts."""
    x = _sample(x, "x")
    if not sigma2 > 0:
        raise ValueError("sigma2 must be positive")
    return x


@SPEC.mistake_helper
def _normal_densities(x, mu, sigma2):
    """The density of each point of x, computed directly (not as exp of a log-density)."""
    x = _checked_normal(x, sigma2)
    return np.exp(-((x - mu) ** 2) / (2 * sigma2)) / np.sqrt(2 * np.pi * sigma2)


@SPEC.mistake("normal_log_likelihood", "leaves out the -n/2 log(2 pi) constant",
              hint="The log-likelihood is a number, not just something to maximise: keep every term, "
                   "-n/2 log(2 pi sigma2) - sum (x - mu)^2 / (2 sigma2).")
def normal_log_likelihood_without_constant(x, mu, sigma2):
    x = _checked_normal(x, sigma2)
    return float(-0.5 * (x.size * math.log(sigma2) + np.sum((x - mu) ** 2) / sigma2))


@SPEC.mistake("normal_log_likelihood", "computes log((2 pi sigma2) ** (n / 2)), which overflows or underflows",
              hint="Use the rules of logs before computing anything big: log((2 pi sigma2)^(n/2)) = "
                   "n/2 (log(2 pi) + log(sigma2)), which stays finite for any sigma2 > 0.")
def normal_log_likelihood_power_form(x, mu, sigma2):
    x = _checked_normal(x, sigma2)
    return float(-np.log((2 * np.pi * sigma2) ** (x.size / 2)) - np.sum((x - mu) ** 2) / (2 * sigma2))


@SPEC.mistake("normal_log_likelihood", "treats sigma2 as the standard deviation (squares it again)",
              hint="sigma2 is already the variance: the density is exp(-(x - mu)^2 / (2 sigma2)) / sqrt(2 pi sigma2). "
                   "Do not square it.")
def normal_log_likelihood_sigma2_as_std(x, mu, sigma2):
    x = _checked_normal(x, sigma2)
    sigma = sigma2
    return float(-x.size * np.log(np.sqrt(2 * np.pi) * sigma) - np.sum((x - mu) ** 2) / (2 * sigma**2))


@SPEC.mistake("normal_log_likelihood", "takes the log of exp(...): a point far from mu has density 0 and log 0 = -inf",
              hint="Write the log-density out instead of computing the density first: "
                   "log N(x; mu, sigma2) = -0.5 log(2 pi sigma2) - (x - mu)^2 / (2 sigma2). "
                   "exp(-800) is already 0 in floating point, and so is a product of many small densities.")
def normal_log_likelihood_log_of_densities(x, mu, sigma2):
    return float(np.sum(np.log(_normal_densities(x, mu, sigma2))))


@SPEC.mistake("normal_log_likelihood", "takes the log of the product of densities, which underflows to 0",
              hint="Sum the log-densities instead of multiplying densities: 2000 densities of about 0.2 multiply "
                   "to 0 in floating point, and log(0) = -inf.")
def normal_log_likelihood_of_product(x, mu, sigma2):
    return float(np.log(np.prod(_normal_densities(x, mu, sigma2))))


@SPEC.mistake_helper
def _checked_binomial(k, n, p):
    """(k, n) checked as the reference does (_counts), and p in [0, 1]: how every binomial mistake starts."""
    k, n = _counts(k, n)
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    return k, n


@SPEC.mistake_helper
def _plus_guarded_logs(log_choose, k, n, p):
    """log_choose + k log p + (n - k) log(1 - p) summed, with the reference's guards: 0 * log 0 counts as 0."""
    log_p = math.log(p) if p > 0 else -math.inf
    log_q = math.log1p(-p) if p < 1 else -math.inf
    return log_choose + _times(int(k.sum()), log_p) + _times(int((n - k).sum()), log_q)


@SPEC.mistake("binomial_log_likelihood", "leaves out log C(n, k)",
              hint="The binomial pmf is C(n, k) p^k (1 - p)^(n - k): its log includes log C(n, k) = "
                   "lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1). It does not move the maximum, "
                   "but it is part of the log-likelihood.")
def binomial_log_likelihood_without_log_choose(k, n, p):
    k, n = _checked_binomial(k, n, p)
    return float(_plus_guarded_logs(0.0, k, n, p))


@SPEC.mistake("binomial_log_likelihood", "computes 0 * log(0) = nan at p = 0 or p = 1",
              hint="When p = 0, an observation with k = 0 has probability 1: its term k log p must count as 0, "
                   "not 0 * (-inf) = nan. Guard it, e.g. np.where(k > 0, k * np.log(p), 0.0) (same for 1 - p).")
def binomial_log_likelihood_nan_at_edges(k, n, p):
    k, n = _checked_binomial(k, n, p)
    log_choose = _log_gamma(n + 1) - _log_gamma(k + 1) - _log_gamma(n - k + 1)
    return float(np.sum(log_choose + k * np.log(p) + (n - k) * np.log(1 - p)))


@SPEC.mistake("binomial_log_likelihood", "computes C(n, k) from factorials, which overflows a float",
              hint="C(n, k) for n in the thousands has hundreds of digits. Work with its log: "
                   "math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1).")
def binomial_log_likelihood_with_factorials(k, n, p):
    k, n = _checked_binomial(k, n, p)
    log_choose = 0.0
    for successes, trials in zip(k.tolist(), n.tolist()):
        choose = math.factorial(trials) / (math.factorial(successes) * math.factorial(trials - successes))
        log_choose += math.log(choose)
    return _plus_guarded_logs(log_choose, k, n, p)


@SPEC.mistake("binomial_log_likelihood", "math.log(0) raises at p = 0 or p = 1",
              hint="p = 0 and p = 1 are allowed: 0 * log(0) counts as 0, and p = 0 with some k > 0 gives -inf. "
                   "Treat the two ends separately instead of calling math.log(0).")
def binomial_log_likelihood_math_log_at_edges(k, n, p):
    k, n = _checked_binomial(k, n, p)
    log_choose = _log_gamma(n + 1) - _log_gamma(k + 1) - _log_gamma(n - k + 1)
    return float(np.sum(log_choose) + int(k.sum()) * math.log(p) + int((n - k).sum()) * math.log(1 - p))


@SPEC.mistake("binomial_mle", "averages the per-observation k / n instead of pooling sum k / sum n",
              hint="The likelihood pools every trial: p_hat = sum k / sum n. The mean of k / n gives an "
                   "observation of 1 trial as much weight as one of 1000; they agree only when every n is equal.")
def binomial_mle_mean_of_ratios(k, n):
    k, n = _counts(k, n)
    return float(np.mean(k / n))


@SPEC.mistake("binomial_mle", "does not check that 0 <= k <= n",
              hint="Raise ValueError when some k is negative or larger than its n (and for an empty k): "
                   "a success rate above 1 is not a probability.")
def binomial_mle_without_checks(k, n):
    k = np.atleast_1d(np.asarray(k))
    return float(np.sum(k) / np.sum(np.broadcast_to(n, k.shape)))
