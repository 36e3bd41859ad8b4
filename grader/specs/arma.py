"""Checks for simulate_arma, psi_weights and theoretical_acf (CATALOG F1, topic arma).

Sign convention of the stub: x_t = sum_i phi_i x_{t-i} + eps_t + sum_j theta_j eps_{t-j}.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Spec
from grader.judging.expect import array_contract, as_array, expect_close, expect_unchanged, expect_value_error

SPEC = Spec(
    "arma",
    functions=("simulate_arma", "psi_weights", "theoretical_acf"),
    # statsmodels' ArmaProcess/arma2ma/arma_acf and scipy.signal's lfilter/dimpulse are the exercise.
    forbidden=("statsmodels", "scipy.signal"),
)
ref = SPEC.reference

NAN, INF = float("nan"), float("inf")
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")
ACF_ATOL = 1e-9  # what the stub promises; autocorrelations lie in [-1, 1]
ROUNDING = 1e-9  # relative to the size of the terms summed (float64 rounds at 1.1e-16: ample headroom)

SHOCK = st.floats(-10, 10, allow_nan=False, allow_subnormal=False)
MA_COEFFICIENT = st.floats(-2, 2, allow_nan=False, allow_subnormal=False)
THETA = st.lists(MA_COEFFICIENT, max_size=3).map(lambda v: np.array(v, dtype=np.float64))
SEED = st.integers(0, 2**32 - 1)


def ar_from_inverse_roots(roots) -> np.ndarray:
    """phi with 1 - phi_1 z - ... - phi_p z^p = prod_k (1 - r_k z): inverse roots r_k (conjugate pairs)."""
    return np.array(-np.real(np.poly(roots))[1:], dtype=np.float64) if len(roots) else np.zeros(0)


@st.composite
def stationary_phi(draw, max_modulus=0.9, max_order=4):
    """A stationary phi of order 0..max_order: inverse roots inside the circle of radius max_modulus."""
    # No tiny nonzero roots: their products make subnormal coefficients, whose AR roots overflow np.roots.
    modulus = st.one_of(st.just(0.0), st.floats(0.05, max_modulus))
    real = draw(st.lists(st.tuples(modulus, st.booleans()), max_size=max_order))
    roots = [m if positive else -m for m, positive in real]
    if len(roots) + 2 <= max_order and draw(st.booleans()):
        r, angle = draw(modulus), draw(st.floats(0.1, np.pi - 0.1))
        roots += [r * np.exp(1j * angle), r * np.exp(-1j * angle)]
    return ar_from_inverse_roots(roots)


def ar1_coefficient(bound):
    """phi = [v] with |v| <= bound, 0 or at least 1e-3 (no subnormal coefficients: see stationary_phi)."""
    return st.floats(-bound, bound).map(lambda v: np.array([v if abs(v) >= 1e-3 else 0.0]))


PHI = st.one_of(st.sampled_from([np.zeros(0), np.array([0.5]), np.array([-0.7]), np.array([0.5, 0.3])]),
                stationary_phi())


def shocks(min_size=0, max_size=8):
    return nps.arrays(np.float64, st.integers(min_size, max_size), elements=SHOCK)


def model(eps=shocks(), phi=PHI, theta=THETA):
    return st.fixed_dictionaries({"phi": phi, "theta": theta, "eps": eps})


def with_count(name, phi=PHI, theta=THETA, counts=st.integers(0, 12)):
    return st.fixed_dictionaries({"phi": phi, "theta": theta, name: counts})


# ---------------------------------------------------------------- tolerances

def simulation_atol(phi, theta, eps, x=None) -> float:
    """Absolute tolerance: rounding at step s is ~eps * m_s (the sizes of the terms added there), and
    the filter carries it to t with weight |psi_{t-s}|; any correct route (recursion, convolution with
    psi weights) rounds at that scale. The largest over t (one number, for a readable report).
    x: the reference's series, when the caller has it already."""
    phi, theta, eps = (np.asarray(v, dtype=np.float64) for v in (phi, theta, eps))
    if len(eps) == 0:
        return 1e-300
    x = np.abs(ref.simulate_arma(phi, theta, eps) if x is None else np.asarray(x, dtype=np.float64))
    shocks = np.abs(eps)
    sizes = shocks.copy()  # sizes_s = |eps_s| + sum_i |phi_i x_{s-i}| + sum_j |theta_j eps_{s-j}|
    for i, coefficient in enumerate(np.abs(phi).tolist(), start=1):
        sizes[i:] += coefficient * x[:-i] if i < len(x) else 0.0
    for j, coefficient in enumerate(np.abs(theta).tolist(), start=1):
        sizes[j:] += coefficient * shocks[:-j] if j < len(shocks) else 0.0
    psi = np.abs(ref.psi_weights(phi, theta, len(eps)))
    return ROUNDING * float(np.max(causal_convolution(psi, sizes))) + 1e-300


def causal_convolution(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(a * b)[:n] for two non-negative (n,) arrays; by FFT when long (only a tolerance depends on it)."""
    n = len(a)
    if n <= 512:
        return np.convolve(a, b)[:n]
    size = 2 * n
    return np.abs(np.fft.irfft(np.fft.rfft(a, size) * np.fft.rfft(b, size), size)[:n])


def psi_atol(phi, theta, n) -> float:
    impulse = np.zeros(n)
    if n:
        impulse[0] = 1.0
    return simulation_atol(phi, theta, impulse)


# ---------------------------------------------------------------- contract

@SPEC.check("simulate_arma", tier="contract", points=1,
            title="simulate_arma returns a float64 array shaped like eps (empty phi, theta or eps included)",
            given=model(), examples=[dict(phi=[], theta=[], eps=[]), dict(phi=[0.5], theta=[], eps=[1.0, 2.0]),
                                     dict(phi=[], theta=[0.3, 0.1], eps=[1, 2, 3])])
def simulate_returns_float64_array(learner, phi, theta, eps):
    array_contract(learner.simulate_arma(phi=phi, theta=theta, eps=eps), shape=(len(eps),))


@SPEC.check("psi_weights", tier="contract", points=1,
            title="psi_weights returns a float64 array of shape (n,) (empty for n = 0)",
            given=with_count("n"), examples=[dict(phi=[0.5], theta=[0.4], n=0), dict(phi=[], theta=[], n=3)])
def psi_returns_float64_array(learner, phi, theta, n):
    array_contract(learner.psi_weights(phi=phi, theta=theta, n=n), shape=(n,))


@SPEC.check("theoretical_acf", tier="contract", points=1,
            title="theoretical_acf returns a float64 array of shape (nlags + 1,)",
            given=with_count("nlags"), examples=[dict(phi=[0.5], theta=[0.4], nlags=0),
                                                 dict(phi=[], theta=[], nlags=3)])
def acf_returns_float64_array(learner, phi, theta, nlags):
    array_contract(learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags), shape=(nlags + 1,))


@SPEC.check("simulate_arma", tier="contract", points=1, title="simulate_arma leaves phi, theta and eps unchanged",
            given=model(eps=shocks(1)))
def simulate_leaves_inputs_unchanged(learner, phi, theta, eps):
    _, after = learner.value_and_arguments_after("simulate_arma", phi=phi, theta=theta, eps=eps)
    expect_unchanged({"phi": phi, "theta": theta, "eps": eps}, after, function="simulate_arma")


BAD_SERIES = [
    dict(phi=[0.5], theta=[], eps=[[1.0, 2.0]], why="a 2-D eps"),
    dict(phi=[[0.5]], theta=[], eps=[1.0, 2.0], why="a 2-D phi"),
    dict(phi=[0.5], theta=[], eps=[1.0, NAN], why="a NaN in eps"),
    dict(phi=[0.5], theta=[INF], eps=[1.0, 2.0], why="an inf in theta"),
]


@SPEC.check("simulate_arma", tier="contract", points=1,
            title="simulate_arma raises ValueError when phi, theta or eps is not 1-D or is not finite",
            examples=BAD_SERIES)
def simulate_rejects_bad_input(learner, phi, theta, eps, why):
    expect_value_error(learner.outcome("simulate_arma", phi=phi, theta=theta, eps=eps), bad=why)


@SPEC.check("psi_weights", tier="contract", points=1,
            title="psi_weights raises ValueError when n is negative or not an int",
            examples=[dict(phi=[0.5], theta=[], n=-1, why="n = -1"),
                      dict(phi=[0.5], theta=[], n=2.5, why="n = 2.5"),
                      dict(phi=[0.5], theta=[], n=True, why="n = True (a bool is not an int)"),
                      dict(phi=[0.5], theta=[NAN], n=3, why="a NaN in theta")])
def psi_rejects_bad_input(learner, phi, theta, n, why):
    expect_value_error(learner.outcome("psi_weights", phi=phi, theta=theta, n=n), bad=why)


NON_STATIONARY = [
    dict(phi=[1.0], theta=[], nlags=3, why="phi = [1] (a random walk: the AR root is z = 1)"),
    dict(phi=[0.5, 0.6], theta=[], nlags=3, why="phi = [0.5, 0.6] (a root inside the unit circle)"),
    dict(phi=[0.0, 0.0, 1.2], theta=[], nlags=2, why="phi = [0, 0, 1.2] (roots of modulus 1.2**(-1/3))"),
    dict(phi=[0.5], theta=[], nlags=-1, why="nlags = -1"),
    dict(phi=[0.5], theta=[], nlags=1.0, why="nlags = 1.0 (not an int)"),
]


@st.composite
def explosive_phi(draw):
    """A phi with at least one inverse root of modulus in [1.05, 3]: far from the circle, no rounding doubt."""
    outside = draw(st.floats(1.05, 3.0)) * draw(st.sampled_from([-1.0, 1.0]))
    inside = draw(st.lists(st.one_of(st.just(0.0), st.floats(0.05, 0.9), st.floats(-0.9, -0.05)), max_size=2))
    return {"phi": ar_from_inverse_roots([outside, *inside]), "theta": draw(THETA), "nlags": draw(st.integers(0, 5)),
            "why": "a phi whose AR polynomial has a root inside the unit circle"}


@SPEC.check("theoretical_acf", tier="contract", points=2,
            title="theoretical_acf raises ValueError for a non-stationary phi or an nlags that is not an int >= 0",
            given=explosive_phi(), examples=NON_STATIONARY)
def acf_rejects_non_stationary_phi(learner, phi, theta, nlags, why):
    expect_value_error(learner.outcome("theoretical_acf", phi=phi, theta=theta, nlags=nlags), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("simulate_arma", tier="properties", points=1,
            title="with no AR and no MA coefficients the series is the shocks themselves",
            given=model(phi=st.just(np.zeros(0)), theta=st.just(np.zeros(0))),
            examples=[dict(phi=[], theta=[], eps=np.array([3.0, -1.0]))])
def white_noise_is_the_shocks(learner, phi, theta, eps):
    got = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=eps), shape=(len(eps),))
    expect_close(got, eps, rtol=ROUNDING, atol=1e-300, what="the series of phi = [], theta = []")


@st.composite
def two_shock_series(draw):
    n = draw(st.integers(1, 8))
    e1, e2 = (draw(nps.arrays(np.float64, n, elements=SHOCK)) for _ in range(2))
    return {"phi": draw(PHI), "theta": draw(THETA), "e1": e1, "e2": e2,
            "a": draw(st.floats(-3, 3)), "b": draw(st.floats(-3, 3))}


@SPEC.check("simulate_arma", tier="properties", points=1,
            title="the series is linear in the shocks: simulate(a e1 + b e2) = a simulate(e1) + b simulate(e2)",
            given=two_shock_series())
def simulate_is_linear_in_the_shocks(learner, phi, theta, e1, e2, a, b):
    n = len(e1)
    of_1 = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=e1), shape=(n,), what="simulate(e1)")
    of_2 = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=e2), shape=(n,), what="simulate(e2)")
    combined = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=a * e1 + b * e2), shape=(n,),
                        what="simulate(a e1 + b e2)")
    atol = 3 * (abs(a) * simulation_atol(phi, theta, e1) + abs(b) * simulation_atol(phi, theta, e2))
    expect_close(combined, a * of_1 + b * of_2, rtol=ROUNDING, atol=atol,
                 what=f"simulate({a!r} * e1 + {b!r} * e2) compared with {a!r} * simulate(e1) + {b!r} * simulate(e2)")


@SPEC.check("simulate_arma", tier="properties", points=1,
            title="phi = [1] (a random walk) gives the running sum of the shocks",
            given=model(eps=shocks(1), phi=st.just(np.array([1.0])), theta=st.just(np.zeros(0))),
            examples=[dict(phi=[1.0], theta=[], eps=np.array([1.0, 2.0, -4.0]))])
def random_walk_is_the_running_sum(learner, phi, theta, eps):
    got = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=eps), shape=(len(eps),))
    expect_close(got, np.cumsum(eps), rtol=ROUNDING, atol=ROUNDING * float(np.sum(np.abs(eps))) + 1e-300,
                 what="the random walk (should be np.cumsum(eps))")


@st.composite
def shocks_changed_after(draw):
    kwargs = draw(model(eps=shocks(2)))
    cut = draw(st.integers(1, len(kwargs["eps"]) - 1))
    changed = kwargs["eps"].copy()
    changed[cut:] = draw(nps.arrays(np.float64, len(changed) - cut, elements=SHOCK))
    return {**kwargs, "changed": changed, "cut": cut}


@SPEC.check("simulate_arma", tier="properties", points=1,
            title="x_t depends on no shock after t: changing eps from index s on leaves x[:s] unchanged",
            given=shocks_changed_after(),
            examples=[dict(phi=[0.5], theta=[0.4], eps=np.array([1.0, 0.0, 0.0]), changed=np.array([1.0, 5.0, 0.0]),
                           cut=1)])
def simulate_is_causal(learner, phi, theta, eps, changed, cut):
    n = len(eps)
    before = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=eps), shape=(n,), what="simulate(eps)")
    after = as_array(learner.simulate_arma(phi=phi, theta=theta, eps=changed), shape=(n,),
                     what="simulate(eps changed from index cut on)")
    expect_close(after[:cut], before[:cut], rtol=ROUNDING, atol=simulation_atol(phi, theta, eps),
                 what=f"x[:{cut}] after changing eps[{cut}:]")


@SPEC.check("psi_weights", tier="properties", points=1,
            title="for an AR(1), psi_j = phi^j",
            given=st.fixed_dictionaries({"phi": ar1_coefficient(1.5),
                                         "theta": st.just(np.zeros(0)), "n": st.integers(1, 12)}),
            examples=[dict(phi=np.array([0.5]), theta=np.zeros(0), n=4)])
def ar1_psi_are_powers_of_phi(learner, phi, theta, n):
    got = as_array(learner.psi_weights(phi=phi, theta=theta, n=n), shape=(n,))
    powers = float(phi[0]) ** np.arange(n)
    expect_close(got, powers, rtol=ROUNDING, atol=psi_atol(phi, theta, n), what=f"psi for phi = [{phi[0]!r}]")


@SPEC.check("psi_weights", tier="properties", points=1,
            title="for a pure MA(q), psi = (1, theta_1, ..., theta_q, 0, 0, ...)",
            given=with_count("n", phi=st.just(np.zeros(0))),
            examples=[dict(phi=np.zeros(0), theta=np.array([0.3, -0.2]), n=5)])
def ma_psi_are_the_ma_coefficients(learner, phi, theta, n):
    got = as_array(learner.psi_weights(phi=phi, theta=theta, n=n), shape=(n,))
    expected = np.concatenate([[1.0], theta, np.zeros(n)])[:n]
    expect_close(got, expected, rtol=ROUNDING, atol=ROUNDING * (1.0 + float(np.abs(theta).sum())),
                 what="psi of a pure MA process")


@SPEC.check("theoretical_acf", tier="properties", points=1,
            title="rho_0 = 1 and every |rho_k| <= 1",
            given=with_count("nlags"), examples=[dict(phi=[0.5], theta=[0.4], nlags=3)])
def acf_starts_at_one_and_stays_in_range(learner, phi, theta, nlags):
    got = as_array(learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags), shape=(nlags + 1,))
    expect_close(got[0], 1.0, rtol=0.0, atol=ACF_ATOL, what="rho_0")
    # "expected" is the nearest point of [-1, 1]: the report shows how far outside a value is.
    expect_close(got, np.clip(got, -1.0, 1.0), rtol=0.0, atol=ACF_ATOL, what="the autocorrelations (each in [-1, 1])")


@SPEC.check("theoretical_acf", tier="properties", points=1,
            title="for a pure MA(q), rho_k = 0 beyond lag q",
            given=with_count("nlags", phi=st.just(np.zeros(0)), counts=st.integers(4, 10)),
            examples=[dict(phi=np.zeros(0), theta=np.array([0.5, -0.4]), nlags=5)])
def ma_acf_vanishes_beyond_q(learner, phi, theta, nlags):
    got = as_array(learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags), shape=(nlags + 1,))
    q = len(theta)
    expect_close(got[q + 1:], np.zeros(nlags - q), rtol=0.0, atol=ACF_ATOL, what=f"rho_k for k > q = {q}")


@SPEC.check("theoretical_acf", tier="properties", points=1,
            title="for an AR(1), rho_k = phi^k",
            given=st.fixed_dictionaries({"phi": ar1_coefficient(0.95),
                                         "theta": st.just(np.zeros(0)), "nlags": st.integers(0, 10)}),
            examples=[dict(phi=np.array([-0.6]), theta=np.zeros(0), nlags=3)])
def ar1_acf_are_powers_of_phi(learner, phi, theta, nlags):
    got = as_array(learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags), shape=(nlags + 1,))
    expect_close(got, float(phi[0]) ** np.arange(nlags + 1), rtol=0.0, atol=ACF_ATOL,
                 what=f"the autocorrelations for phi = [{phi[0]!r}]")


# ---------------------------------------------------------------- reference

ARMA_EXAMPLES = [dict(phi=np.array([1.2, -0.5]), theta=np.array([-0.3, 0.2])),
                 dict(phi=np.array([0.0, 0.0, 0.7]), theta=np.array([1.5]))]


@SPEC.check("simulate_arma", tier="reference", points=2, title="simulate_arma matches the reference",
            given=model(eps=shocks(1)),
            examples=[dict(e, eps=np.array([1.0, -2.0, 0.5, 3.0, 0.0])) for e in ARMA_EXAMPLES])
def simulate_matches_reference(learner, phi, theta, eps):
    expect_close(learner.simulate_arma(phi=phi, theta=theta, eps=eps), ref.simulate_arma(phi, theta, eps),
                 rtol=ROUNDING, atol=simulation_atol(phi, theta, eps))


@SPEC.check("psi_weights", tier="reference", points=2, title="psi_weights matches the reference",
            given=with_count("n", counts=st.integers(1, 12)), examples=[dict(e, n=8) for e in ARMA_EXAMPLES])
def psi_matches_reference(learner, phi, theta, n):
    expect_close(learner.psi_weights(phi=phi, theta=theta, n=n), ref.psi_weights(phi, theta, n),
                 rtol=ROUNDING, atol=psi_atol(phi, theta, n))


@SPEC.check("theoretical_acf", tier="reference", points=2, title="theoretical_acf matches the reference (to 1e-9)",
            given=with_count("nlags", counts=st.integers(1, 10)), examples=[dict(e, nlags=6) for e in ARMA_EXAMPLES])
def acf_matches_reference(learner, phi, theta, nlags):
    expect_close(learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags), ref.theoretical_acf(phi, theta, nlags),
                 rtol=0.0, atol=ACF_ATOL)


# ---------------------------------------------------------------- stability

LONG = 10_000  # the length of the long series


@st.composite
def near_unit_root(draw, nlags=st.integers(5, 40)):
    """One inverse root of modulus 0.97..0.99 (an AR root at |z| = 1.01..1.03), the others small."""
    big = draw(st.floats(0.97, 0.99)) * draw(st.sampled_from([-1.0, 1.0]))
    others = draw(st.lists(st.one_of(st.just(0.0), st.floats(0.05, 0.5), st.floats(-0.5, -0.05)), max_size=2))
    return {"phi": ar_from_inverse_roots([big, *others]), "theta": draw(THETA), "nlags": draw(nlags)}


@st.composite
def long_simulation(draw):
    kwargs = draw(near_unit_root(nlags=st.just(0)))
    eps = np.random.default_rng(draw(SEED)).normal(0.0, 100.0, LONG)
    return {"phi": kwargs["phi"], "theta": kwargs["theta"], "eps": eps}


@SPEC.check("simulate_arma", tier="stability", points=1,
            title="simulate_arma runs 10000 steps of a process close to a unit root without overflow or NaN",
            given=long_simulation(), max_examples=2)
def simulate_handles_long_series(learner, phi, theta, eps):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.simulate_arma(phi=phi, theta=theta, eps=eps)
    want = ref.simulate_arma(phi, theta, eps)
    expect_close(got, want, rtol=ROUNDING, atol=simulation_atol(phi, theta, eps, want))


@SPEC.check("psi_weights", tier="stability", points=1,
            title="psi_weights gives 3000 weights that decay past the smallest float without errors",
            given=st.fixed_dictionaries({"phi": stationary_phi(max_modulus=0.6), "theta": THETA,
                                         "n": st.just(3000)}),
            examples=[dict(phi=np.array([0.5, -0.06]), theta=np.array([1.0]), n=3000)], max_examples=2)
def psi_handles_many_weights(learner, phi, theta, n):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.psi_weights(phi=phi, theta=theta, n=n)
    expect_close(got, ref.psi_weights(phi, theta, n), rtol=ROUNDING, atol=psi_atol(phi, theta, n))


@SPEC.check("theoretical_acf", tier="stability", points=1,
            title="theoretical_acf is exact (to 1e-9) with an AR root close to the unit circle (|z| = 1.01..1.03)",
            given=near_unit_root(),
            examples=[dict(phi=np.array([0.99]), theta=np.zeros(0), nlags=30),
                      dict(phi=np.array([-0.98]), theta=np.array([0.5]), nlags=10)])
def acf_handles_roots_near_the_unit_circle(learner, phi, theta, nlags):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = learner.theoretical_acf(phi=phi, theta=theta, nlags=nlags)
    expect_close(got, ref.theoretical_acf(phi, theta, nlags), rtol=0.0, atol=ACF_ATOL)


# ---------------------------------------------------------------- known mistakes
# Each is written as if it lived in solutions/arma.py (it may use np, _coefficients, _count,
# _require_stationary, _run, _autocovariances and the helper below, never the function it replaces).

@SPEC.mistake_helper
def _simulate_with(phi, theta, eps, *, ar_sign=1.0, ma_sign=1.0, ma_on_x=False, reverse=False):
    """The ARMA recursion with a switch per known mistake (the defaults give the right one)."""
    phi, theta, eps = _coefficients(phi, "phi"), _coefficients(theta, "theta"), _coefficients(eps, "eps")
    if reverse:
        phi, theta = phi[::-1], theta[::-1]
    phi_list, theta_list, shocks = (ar_sign * phi).tolist(), (ma_sign * theta).tolist(), eps.tolist()
    x = []
    for t, shock in enumerate(shocks):
        value = shock
        for i, coefficient in enumerate(phi_list[:t], start=1):
            value += coefficient * x[t - i]
        past = x if ma_on_x else shocks
        for j, coefficient in enumerate(theta_list[:t], start=1):
            value += coefficient * past[t - j]
        x.append(value)
    return np.array(x, dtype=np.float64)


@SPEC.mistake("simulate_arma", "phi taken with the lag-polynomial sign: x_t = -phi_1 x_{t-1} - ...",
              hint="In this exercise every coefficient is added: x_t = phi_1 x_{t-1} + ... . statsmodels' "
                   "ArmaProcess wants the lag polynomial [1, -phi_1, ...], which is where the minus comes from.")
def simulate_with_lag_polynomial_signs(phi, theta, eps):
    """Subtracts the AR terms."""
    return _simulate_with(phi, theta, eps, ar_sign=-1.0)


@SPEC.mistake("simulate_arma", "the MA part subtracted: x_t = ... + eps_t - theta_1 eps_{t-1} - ...",
              hint="Some books write the MA part with minus signs; this exercise adds it: "
                   "x_t = ... + eps_t + theta_1 eps_{t-1} + ... + theta_q eps_{t-q}.")
def simulate_with_minus_theta(phi, theta, eps):
    """Subtracts the MA terms."""
    return _simulate_with(phi, theta, eps, ma_sign=-1.0)


@SPEC.mistake("simulate_arma", "the MA coefficients multiply past values x_{t-j} instead of past shocks eps_{t-j}",
              hint="theta_j weighs the shock j steps ago, eps_{t-j}; only phi_i weighs past values x_{t-i}.")
def simulate_with_ma_on_past_values(phi, theta, eps):
    """Uses x_{t-j} in the MA sum."""
    return _simulate_with(phi, theta, eps, ma_on_x=True)


@SPEC.mistake("simulate_arma", "the coefficients are applied in reverse order (phi_1 multiplies x_{t-p})",
              hint="phi_1 goes with the most recent value x_{t-1}. np.dot(phi, x[t-p:t]) pairs phi_1 with the "
                   "OLDEST value x_{t-p}: reverse the window (x[t-p:t][::-1]) or loop over i = 1..p.")
def simulate_with_reversed_coefficients(phi, theta, eps):
    """Pairs phi_i with x_{t-(p+1-i)} and theta_j with eps_{t-(q+1-j)}."""
    return _simulate_with(phi, theta, eps, reverse=True)


@SPEC.mistake("psi_weights", "psi_0 left out: returns psi_1 .. psi_n",
              hint="The weights start at psi_0 = 1 (the current shock enters x_t with weight 1): "
                   "return psi_0 .. psi_{n-1}.")
def psi_without_psi0(phi, theta, n):
    """Drops psi_0 and returns one weight too many at the end."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    n = _count(n, "n")
    impulse = np.zeros(n + 1)
    impulse[0] = 1.0
    return _run(phi, theta, impulse)[1:]


@SPEC.mistake("psi_weights", "phi taken with the lag-polynomial sign (psi of 1 + phi_1 L + ...)",
              hint="psi_j = theta_j + phi_1 psi_{j-1} + ... + phi_p psi_{j-p}, with plus signs. statsmodels' "
                   "arma2ma takes [1, -phi_1, ...]; passing it phi itself flips the AR part.")
def psi_with_lag_polynomial_signs(phi, theta, n):
    """Runs the recursion with -phi."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    n = _count(n, "n")
    impulse = np.zeros(n)
    if n:
        impulse[0] = 1.0
    return _run(-phi, theta, impulse)


@SPEC.mistake("psi_weights", "psi_j = phi_j + theta_j: the AR feedback is not carried forward",
              hint="A shock keeps echoing through the AR part: psi_j = theta_j + sum_i phi_i psi_{j-i} uses the "
                   "earlier psi's, so an AR(1) gives psi_j = phi^j, not just phi at lag 1.")
def psi_adding_coefficients(phi, theta, n):
    """Returns (1, phi_1 + theta_1, phi_2 + theta_2, ...), zero-padded."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    n = _count(n, "n")
    psi = np.zeros(max(n, len(phi) + 1, len(theta) + 1))
    psi[0] = 1.0
    psi[1:len(phi) + 1] += phi
    psi[1:len(theta) + 1] += theta
    return psi[:n]


@SPEC.mistake("theoretical_acf", "the psi weights returned as autocorrelations (rho_k = psi_k)",
              hint="rho_k = psi_k only for an AR(1). In general rho_k = sum_j psi_j psi_{j+k} / sum_j psi_j^2: "
                   "every pair of weights k apart contributes.")
def acf_equal_to_psi(phi, theta, nlags):
    """Returns psi_0 .. psi_nlags."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    nlags = _count(nlags, "nlags")
    _require_stationary(phi)
    return _run(phi, theta, np.eye(1, nlags + 1)[0])


@SPEC.mistake("theoretical_acf", "autocovariances returned, not divided by gamma_0",
              hint="Autocorrelations are autocovariances divided by the variance: rho_k = gamma_k / gamma_0, "
                   "so rho_0 = 1.")
def acf_without_normalising(phi, theta, nlags):
    """Returns gamma_0 .. gamma_nlags for unit shock variance."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    nlags = _count(nlags, "nlags")
    _require_stationary(phi)
    return _autocovariances(phi, theta, nlags)


@SPEC.mistake("theoretical_acf", "the MA part left out: the autocorrelations of the AR part alone",
              hint="theta changes the autocorrelations too: build them from the psi weights of the whole "
                   "ARMA process (or add the MA terms to the right-hand side of the Yule-Walker equations).")
def acf_ignoring_theta(phi, theta, nlags):
    """Returns the ACF of the AR(p) process with the same phi."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    nlags = _count(nlags, "nlags")
    _require_stationary(phi)
    gamma = _autocovariances(phi, np.zeros(0), nlags)
    return gamma / gamma[0]


@SPEC.mistake("theoretical_acf", "non-stationary phi accepted (no ValueError when a root is inside the unit circle)",
              hint="Check stationarity first: every root of 1 - phi_1 z - ... - phi_p z^p must have |z| > 1 "
                   "(np.roots, or the eigenvalues of the companion matrix inside the unit circle).")
def acf_without_stationarity_check(phi, theta, nlags):
    """Computes a number whatever phi is."""
    phi, theta = _coefficients(phi, "phi"), _coefficients(theta, "theta")
    nlags = _count(nlags, "nlags")
    gamma = _autocovariances(phi, theta, nlags)
    return gamma / gamma[0]
