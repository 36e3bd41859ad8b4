"""Checks for batchnorm (topic batchnorm; CATALOG.md C4)."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Spec
from grader.judging.expect import array_contract, as_array, expect_close, expect_unchanged, expect_value_error, \
    tuple_contract

SPEC = Spec(
    "batchnorm",
    functions=("batchnorm",),
    forbidden=("torch.nn", "torch.batch_norm", "torch.native_batch_norm", "sklearn.preprocessing"),
)
ref = SPEC.reference

VALUES = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(0.0, 5.0, allow_nan=False, allow_infinity=False)
MOMENTA = st.sampled_from((0.0, 0.1, 0.25, 0.5, 0.9, 1.0))
ROUNDING = 1e-11  # x the data's scale: ~5e4 ulps, room for any order of summation, far below a bug


# ---------------------------------------------------------------- data

@st.composite
def batches(draw, values=VALUES, training=st.booleans(), images=st.booleans(), offset=0.0):
    """Keyword arguments of batchnorm: x (N, C) or (N, C, H, W), parameters (C,), mode, momentum, eps."""
    four_d = draw(images)
    c = draw(st.integers(1, 4))
    shape = (draw(st.integers(2, 6)), c) if not four_d else (draw(st.integers(1, 3)), c, draw(st.integers(1, 3)),
                                                             draw(st.integers(1, 3)))
    is_training = draw(training)
    if is_training and shape[0] * int(np.prod(shape[2:])) < 2:
        shape = (2,) + shape[1:]
    x = draw(nps.arrays(np.float64, shape, elements=values)) + offset
    vec = lambda elements: draw(nps.arrays(np.float64, (c,), elements=elements))  # noqa: E731
    return dict(x=x, gamma=vec(VALUES), beta=vec(VALUES), running_mean=vec(VALUES), running_var=vec(POSITIVE),
                training=is_training, momentum=draw(MOMENTA), eps=draw(st.sampled_from((1e-5, 1e-3, 0.1))))


BATCHES = batches()
TRAINING = batches(training=st.just(True))
INFERENCE = batches(training=st.just(False))


def _axes(x):
    return (0,) if np.ndim(x) == 2 else (0, 2, 3)


def _per_channel(v, x):
    return np.reshape(v, (1, -1) + (1,) * (np.ndim(x) - 2))


def _stats(x):
    """(batch mean, biased variance) per channel, by the judge."""
    mean = np.mean(x, axis=_axes(x))
    return mean, np.mean((x - _per_channel(mean, x)) ** 2, axis=_axes(x))


# ---------------------------------------------------------------- tolerances

def _tolerances(x, gamma, beta, running_mean, running_var, training, eps, **_):
    """(atol for y, for the running mean, for the running variance), scaled to the data.

    y's rounding comes from x - mean (~ulp of |x|) magnified by |gamma| / sqrt(var + eps); the
    running statistics' from |x| and |x - mean|^2.
    """
    x = np.asarray(x, dtype=np.float64)
    mean, var = _stats(x) if training else (np.asarray(running_mean), np.asarray(running_var))
    big = float(np.max(np.abs(x), initial=0.0)) + float(np.max(np.abs(mean), initial=0.0))
    spread = float(np.max(np.abs(x - _per_channel(mean, x)), initial=0.0))
    y_scale = np.max(np.abs(gamma) * (big + spread) / np.sqrt(var + eps) + np.abs(beta), initial=0.0)
    mean_scale = big + float(np.max(np.abs(running_mean), initial=0.0))
    var_scale = (big + spread) * spread * 2 + float(np.max(np.abs(running_var), initial=0.0))
    return tuple(ROUNDING * float(s) + 1e-300 for s in (y_scale, mean_scale, var_scale))


def _result(learner, case):
    value = learner.batchnorm(**case)
    y, rm, rv = tuple_contract(value, 3, what="batchnorm's result")
    c = np.shape(case["x"])[1]
    return (as_array(y, shape=np.shape(case["x"]), what="y"), as_array(rm, shape=(c,), what="the running mean"),
            as_array(rv, shape=(c,), what="the running variance"))


def _expect_matches_reference(learner, case):
    got = _result(learner, case)
    expected = ref.batchnorm(**case)
    defaults = {"training": True, "momentum": 0.1, "eps": 1e-5}  # the signature's, for examples that omit them
    for value, want, atol, what in zip(got, expected, _tolerances(**{**defaults, **case}),
                                       ("y", "the running mean", "the running variance")):
        expect_close(value, want, rtol=1e-9, atol=atol, what=what)


# ---------------------------------------------------------------- contract

@SPEC.check("batchnorm", tier="contract", points=1,
            title="batchnorm returns (y, running_mean, running_var): float64 arrays shaped like x, (C,) and (C,)",
            given=BATCHES)
def returns_three_arrays(learner, **case):
    y, rm, rv = tuple_contract(learner.batchnorm(**case), 3, what="batchnorm's result")
    c = case["x"].shape[1]
    array_contract(y, shape=case["x"].shape, what="y")
    array_contract(rm, shape=(c,), what="the running mean")
    array_contract(rv, shape=(c,), what="the running variance")


@SPEC.check("batchnorm", tier="contract", points=1,
            title="batchnorm leaves x, gamma, beta and the running statistics unchanged (it returns new ones)",
            given=BATCHES)
def leaves_inputs_unchanged(learner, **case):
    _, after = learner.value_and_arguments_after("batchnorm", **case)
    expect_unchanged({k: case[k] for k in ("x", "gamma", "beta", "running_mean", "running_var")}, after,
                     function="batchnorm")


def _bad(why, x=((1.0, 2.0), (3.0, 5.0)), c=2, training=True, momentum=0.1, eps=1e-5, **override):
    case = dict(x=np.array(x, dtype=np.float64), gamma=np.ones(c), beta=np.zeros(c), running_mean=np.zeros(c),
                running_var=np.ones(c), training=training, momentum=momentum, eps=eps)
    case.update(override)
    return {**case, "why": why}


BAD_INPUTS = [
    _bad("x of shape (4,), not 2-D or 4-D", x=(1.0, 2.0, 3.0, 4.0), c=4),
    _bad("x of shape (2, 2, 2), 3-D", x=np.ones((2, 2, 2))),
    _bad("gamma of shape (3,) for 2 channels", gamma=np.ones(3)),
    _bad("running_var of shape (1,) for 2 channels", running_var=np.ones(1)),
    _bad("a negative running_var", running_var=np.array([1.0, -1.0]), training=False),
    _bad("momentum = 1.5", momentum=1.5),
    _bad("momentum = -0.1", momentum=-0.1),
    _bad("eps = 0", eps=0.0),
    _bad("training with N = 1 (one value per channel)", x=((1.0, 2.0),)),
    _bad("training with x of shape (1, 2, 1, 1) (one value per channel)", x=np.ones((1, 2, 1, 1))),
]


@SPEC.check("batchnorm", tier="contract", points=1,
            title="batchnorm raises ValueError for bad shapes, momentum outside [0, 1], eps <= 0, and one value "
                  "per channel in training mode",
            examples=BAD_INPUTS)
def rejects_bad_input(learner, why, **case):
    expect_value_error(learner.outcome("batchnorm", **case), bad=why)


@SPEC.check("batchnorm", tier="contract", points=1,
            title="N = 1 is fine in inference mode (each example is normalised with the running statistics)",
            given=batches(training=st.just(False), images=st.just(False)).map(
                lambda case: {**case, "x": case["x"][:1]}))
def inference_accepts_a_single_example(learner, **case):
    y, _, _ = _result(learner, case)
    expect_close(y, ref.batchnorm(**case)[0], rtol=1e-9, atol=_tolerances(**case)[0], what="y")


# ---------------------------------------------------------------- properties

@SPEC.check("batchnorm", tier="properties", points=2,
            title="in training with gamma = 1 and beta = 0, every channel of y has mean 0 and mean square "
                  "var / (var + eps)",
            given=TRAINING)
def training_output_is_standardised(learner, **case):
    c = case["x"].shape[1]
    case = {**case, "gamma": np.ones(c), "beta": np.zeros(c)}
    y, _, _ = _result(learner, case)
    _, var = _stats(case["x"])
    atol = _tolerances(**case)[0]
    expect_close(y.mean(axis=_axes(y)), np.zeros(c), rtol=0.0, atol=atol, what="the mean of y per channel")
    expect_close((y**2).mean(axis=_axes(y)), var / (var + case["eps"]), rtol=1e-9, atol=4 * atol,
                 what="the mean of y**2 per channel")


@st.composite
def shifted_and_scaled(draw):
    case = draw(TRAINING)
    c = case["x"].shape[1]
    _, var = _stats(case["x"])
    assume(np.all(var > 1e-2))
    scale = draw(nps.arrays(np.float64, (c,), elements=st.sampled_from((0.5, 2.0, 4.0))))
    shift = draw(nps.arrays(np.float64, (c,), elements=st.floats(-100.0, 100.0)))
    return {**case, "eps": 1e-300, "scale": scale, "shift": shift}  # eps below every variance: exact invariance


@SPEC.check("batchnorm", tier="properties", points=2,
            title="in training, x -> a * x + b per channel (a > 0) leaves y unchanged (with eps far below the "
                  "variance)",
            given=shifted_and_scaled())
def training_output_ignores_affine_changes_of_x(learner, scale, shift, **case):
    y, _, _ = _result(learner, case)
    moved = {**case, "x": case["x"] * _per_channel(scale, case["x"]) + _per_channel(shift, case["x"])}
    y_moved, _, _ = _result(learner, moved)
    expect_close(y_moved, y, rtol=1e-9, atol=_tolerances(**moved)[0],
                 what="y for a * x + b (expected: y for x)")


@SPEC.check("batchnorm", tier="properties", points=2,
            title="momentum = 0 keeps the running statistics; momentum = 1 replaces them with the batch mean and "
                  "the unbiased batch variance",
            given=batches(training=st.just(True)).map(lambda case: {**case, "momentum": 1.0}))
def momentum_interpolates_the_running_statistics(learner, **case):
    _, atol_mean, atol_var = _tolerances(**case)
    _, kept_mean, kept_var = _result(learner, {**case, "momentum": 0.0})
    expect_close(kept_mean, case["running_mean"], rtol=1e-12, atol=atol_mean, what="the running mean at momentum 0")
    expect_close(kept_var, case["running_var"], rtol=1e-12, atol=atol_var, what="the running variance at momentum 0")
    _, new_mean, new_var = _result(learner, case)
    mean, var = _stats(case["x"])
    count = case["x"].size // case["x"].shape[1]
    expect_close(new_mean, mean, rtol=1e-9, atol=atol_mean, what="the running mean at momentum 1 (the batch mean)")
    expect_close(new_var, var * count / (count - 1), rtol=1e-9, atol=atol_var,
                 what=f"the running variance at momentum 1 (the batch variance divided by M - 1 = {count - 1})")


@SPEC.check("batchnorm", tier="properties", points=1,
            title="in inference, each example is normalised on its own (a subset of rows gives those rows of y) "
                  "and the running statistics come back unchanged",
            given=INFERENCE)
def inference_treats_examples_independently(learner, **case):
    y, rm, rv = _result(learner, case)
    atol_y, atol_mean, atol_var = _tolerances(**case)
    expect_close(rm, case["running_mean"], rtol=0.0, atol=1e-300, what="the running mean in inference mode")
    expect_close(rv, case["running_var"], rtol=0.0, atol=1e-300, what="the running variance in inference mode")
    part, _, _ = _result(learner, {**case, "x": case["x"][-1:]})
    expect_close(part, y[-1:], rtol=1e-9, atol=atol_y, what="y for the last example alone (expected: the last "
                                                             "row of y for the whole batch)")


# ---------------------------------------------------------------- reference

EXAMPLES = [
    dict(x=np.array([[1.0, -2.0], [3.0, 0.0], [2.0, 5.0]]), gamma=np.array([2.0, 0.5]), beta=np.array([0.1, -1.0]),
         running_mean=np.array([0.5, 0.0]), running_var=np.array([2.0, 1.0]), training=True, momentum=0.1,
         eps=1e-5),
    dict(x=np.arange(16.0).reshape(2, 2, 2, 2), gamma=np.array([1.0, -1.0]), beta=np.array([0.0, 3.0]),
         running_mean=np.zeros(2), running_var=np.ones(2), training=True, momentum=0.3, eps=1e-3),
]


@SPEC.check("batchnorm", tier="reference", points=3,
            title="in training mode, y and the new running statistics match the reference ((N, C) and (N, C, H, W))",
            given=TRAINING, examples=EXAMPLES + [{k: v for k, v in EXAMPLES[0].items() if k not in ("training",
                                                                                                    "momentum",
                                                                                                    "eps")}])
def training_matches_reference(learner, **case):
    _expect_matches_reference(learner, case)


@SPEC.check("batchnorm", tier="reference", points=2, title="in inference mode, y matches the reference",
            given=INFERENCE, examples=[{**e, "training": False} for e in EXAMPLES])
def inference_matches_reference(learner, **case):
    _expect_matches_reference(learner, case)


# ---------------------------------------------------------------- stability

def _constant_channels(x):
    """x with every channel set to one of its values (different channels keep different values)."""
    first = x.reshape(x.shape[0], x.shape[1], -1)[0, :, 0]  # (C,)
    return np.broadcast_to(_per_channel(first, x), x.shape).copy()


CONSTANT = [dict(x=np.full((4, 2), 0.1), gamma=np.array([2.0, 3.0]), beta=np.array([0.5, -1.0]),
                 running_mean=np.zeros(2), running_var=np.ones(2), training=True, momentum=0.1, eps=1e-5),
            dict(x=np.full((2, 1, 3, 3), -7.3), gamma=np.array([1.0]), beta=np.array([4.0]), running_mean=np.zeros(1),
                 running_var=np.ones(1), training=True, momentum=0.5, eps=1e-5)]


@SPEC.check("batchnorm", tier="stability", points=1,
            title="a constant channel gives y = beta, with no NaN, and a running variance that shrinks",
            given=TRAINING.map(lambda case: {**case, "x": _constant_channels(case["x"])}),
            examples=CONSTANT)
def constant_channel_gives_beta(learner, **case):
    y, _, rv = _result(learner, case)
    atol_y, _, atol_var = _tolerances(**case)
    expect_close(y, np.broadcast_to(_per_channel(case["beta"], case["x"]), case["x"].shape), rtol=0.0, atol=atol_y,
                 what="y for a constant channel (expected beta)")
    expect_close(rv, (1 - case["momentum"]) * case["running_var"], rtol=1e-12, atol=atol_var,
                 what="the running variance (the batch variance is 0)")


@SPEC.check("batchnorm", tier="stability", points=2,
            title="a large common offset (x around 1e6, spread about 1) keeps y accurate: no E[x^2] - E[x]^2",
            given=batches(values=st.floats(-2.0, 2.0), training=st.just(True), offset=1e6),
            examples=[dict(x=np.array([[1e6 + 1.0], [1e6 - 1.0], [1e6 + 0.5]]), gamma=np.ones(1), beta=np.zeros(1),
                           running_mean=np.zeros(1), running_var=np.ones(1), training=True, momentum=0.1, eps=1e-5)])
def large_offset_keeps_accuracy(learner, **case):
    _, var = _stats(case["x"])
    assume(np.all(var > 0.1))
    _expect_matches_reference(learner, case)


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/batchnorm.py (they may call its helpers).

@SPEC.mistake_helper
def _batchnorm_with(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5, *,
                    biased_running=False, unbiased_y=False, swapped_momentum=False, axes_batch_only=False,
                    eps_outside=False, batch_stats_always=False, one_pass=False):
    """batchnorm with one switch per known mistake; the defaults give the reference."""
    x, gamma, beta, running_mean, running_var = _checked(x, gamma, beta, running_mean, running_var, momentum, eps)
    axes = (0,) if x.ndim == 2 or axes_batch_only else (0, 2, 3)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    count = x.size // x.shape[1]
    if training or batch_stats_always:
        if count < 2:
            raise ValueError("training mode needs at least 2 values per channel")
        mean = x.mean(axis=axes, keepdims=True)
        var = (x**2).mean(axis=axes, keepdims=True) - mean**2 if one_pass else ((x - mean) ** 2).mean(axis=axes,
                                                                                                       keepdims=True)
        m = x.size // mean.size
        flat_mean = mean.reshape(-1) if mean.size == x.shape[1] else mean.mean(axis=(2, 3)).reshape(-1)
        flat_var = var.reshape(-1) if var.size == x.shape[1] else var.mean(axis=(2, 3)).reshape(-1)
        unbiased = flat_var * (m / (m - 1))
        keep = momentum if swapped_momentum else 1.0 - momentum
        new_mean = keep * running_mean + (1.0 - keep) * flat_mean
        new_var = keep * running_var + (1.0 - keep) * (flat_var if biased_running else unbiased)
        if not training:
            new_mean, new_var = running_mean.copy(), running_var.copy()
        if unbiased_y:
            var = var * (m / (m - 1))
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
        new_mean, new_var = running_mean.copy(), running_var.copy()
    scale = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
    return (x - mean) / scale * gamma.reshape(shape) + beta.reshape(shape), new_mean, new_var


@SPEC.mistake("batchnorm", "updates the running variance with the biased (1/M) batch variance",
              hint="torch keeps the UNBIASED variance in running_var: multiply the batch variance by M / (M - 1) "
                   "there (y itself uses the biased one).")
def batchnorm_biased_running_var(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, biased_running=True)


@SPEC.mistake("batchnorm", "normalises y with the unbiased (1/(M - 1)) variance",
              hint="In training, y uses the biased batch variance (divide by M); only the running variance takes "
                   "the unbiased one.")
def batchnorm_unbiased_y(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, unbiased_y=True)


@SPEC.mistake("batchnorm", "momentum weights the old running value (Keras convention) instead of the batch value",
              hint="Here (as in torch) new = (1 - momentum) * running + momentum * batch: momentum is the weight "
                   "of the NEW statistic. Keras's momentum is the weight of the old one.")
def batchnorm_swapped_momentum(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, swapped_momentum=True)


@SPEC.mistake("batchnorm", "for (N, C, H, W) averages over the batch axis only, not over N, H and W",
              hint="A channel's statistics pool all its N * H * W values: mean over axes (0, 2, 3), one number "
                   "per channel.")
def batchnorm_batch_axis_only(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, axes_batch_only=True)


@SPEC.mistake("batchnorm", "adds eps outside the square root: (x - mean) / (sqrt(var) + eps)",
              hint="eps goes under the root: (x - mean) / sqrt(var + eps).")
def batchnorm_eps_outside_sqrt(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, eps_outside=True)


@SPEC.mistake("batchnorm", "uses the batch statistics in inference mode too",
              hint="With training=False, normalise with running_mean and running_var, so an example's output does "
                   "not depend on the rest of the batch.")
def batchnorm_batch_stats_in_inference(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1,
                                       eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps,
                           batch_stats_always=True)


@SPEC.mistake("batchnorm", "computes the variance as E[x^2] - E[x]^2, which cancels for large x",
              hint="With x around 1e6, E[x^2] and E[x]^2 agree in their first 12 digits and their difference is "
                   "rounding noise. Subtract the mean first: mean((x - mean)**2).")
def batchnorm_one_pass_variance(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    return _batchnorm_with(x, gamma, beta, running_mean, running_var, training, momentum, eps, one_pass=True)
