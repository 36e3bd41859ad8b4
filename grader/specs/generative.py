"""Checks for the GAN and VAE losses, the optimal discriminator, the reparameterisation, the CVAE input (CATALOG C7)."""

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import (array_contract, as_array, as_float, expect_close, expect_unchanged,
                                   expect_value_error, float_contract, tuple_contract)

GAN, OPTIMAL, REPARAM, VAE, CVAE = "gan_losses", "optimal_discriminator", "reparameterize", "vae_loss", "cvae_concat"

SPEC = Spec(
    "generative",
    functions=(GAN, OPTIMAL, REPARAM, VAE, CVAE),
    # The losses themselves, ready-made; np.logaddexp and torch.nn.functional.softplus stay allowed.
    forbidden=("torch.nn.functional.binary_cross_entropy_with_logits", "torch.nn.functional.binary_cross_entropy",
               "torch.nn.functional.kl_div", "torch.nn.BCEWithLogitsLoss", "torch.nn.BCELoss", "torch.nn.KLDivLoss",
               "torch.distributions"),
    forbidden_methods=("binary_cross_entropy_with_logits", "binary_cross_entropy", "kl_divergence", "kl_div",
                       "rsample"),
)
ref = SPEC.reference

LOGITS = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
HUGE_LOGITS = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
VALUES = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
LOGVARS = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
PROBABILITIES = st.floats(0.0, 1.0, allow_nan=False)
BETAS = st.one_of(st.just(1.0), st.just(0.0), st.floats(0.0, 10.0))
VECTORS = nps.arrays(np.float64, st.integers(1, 6), elements=LOGITS)
RAISE_ON_FP_ERRORS = dict(over="raise", divide="raise", invalid="raise", under="ignore")
LOG2 = math.log(2.0)


def gan_inputs(elements=LOGITS, flags=st.booleans()):
    return st.fixed_dictionaries({"d_real_logits": nps.arrays(np.float64, st.integers(1, 6), elements=elements),
                                  "d_fake_logits": nps.arrays(np.float64, st.integers(1, 6), elements=elements),
                                  "non_saturating": flags})


@st.composite
def vae_inputs(draw, logits=LOGITS, logvars=LOGVARS):
    b, d, z = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    return {"x": draw(nps.arrays(np.float64, (b, d), elements=PROBABILITIES)),
            "recon_logits": draw(nps.arrays(np.float64, (b, d), elements=logits)),
            "mu": draw(nps.arrays(np.float64, (b, z), elements=VALUES)),
            "logvar": draw(nps.arrays(np.float64, (b, z), elements=logvars)),
            "beta": draw(BETAS)}


@st.composite
def same_shape(draw, names, elements):
    shape = draw(nps.array_shapes(min_dims=1, max_dims=3, max_side=4))
    return {name: draw(nps.arrays(np.float64, shape, elements=element)) for name, element in zip(names, elements)}


@st.composite
def distributions(draw):
    """Two probability vectors over the same k points; at each point at least one is positive."""
    k = draw(st.integers(1, 6))
    p, q = (draw(nps.arrays(np.float64, k, elements=st.floats(0.0, 1.0))) for _ in range(2))
    q = np.where((p == 0) & (q == 0), 1.0, q)
    return {"p_data": p / p.sum() if p.sum() > 0 else p, "p_model": q / q.sum()}


@st.composite
def cvae_inputs(draw):
    b, d, k = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    labels = draw(nps.arrays(np.int64, b, elements=st.integers(0, k - 1)))
    return {"x": draw(nps.arrays(np.float64, (b, d), elements=VALUES)), "y_onehot": np.eye(k)[labels]}


GAN_INPUTS = gan_inputs()
VAE_INPUTS = vae_inputs()
REPARAM_INPUTS = same_shape(("mu", "logvar", "eps"), (VALUES, LOGVARS, VALUES))

GAN_EXAMPLES = [dict(d_real_logits=np.array([2.0, -1.0]), d_fake_logits=np.array([-3.0, 0.5, 1.0]),
                     non_saturating=True),
                dict(d_real_logits=np.array([2.0, -1.0]), d_fake_logits=np.array([-3.0, 0.5, 1.0]),
                     non_saturating=False),
                dict(d_real_logits=np.array([0.5]), d_fake_logits=np.array([4.0, -2.0]), non_saturating=True)]
# Three samples: with two, "KL summed over the batch" (x 2) would look like "KL without its 1/2" (x 2).
VAE_EXAMPLES = [dict(x=np.array([[1.0, 0.0, 0.25], [0.5, 1.0, 0.0], [0.0, 0.75, 1.0]]),
                     recon_logits=np.array([[2.0, -1.0, 0.5], [0.0, 3.0, -2.0], [-1.5, 1.0, 0.25]]),
                     mu=np.array([[0.5, -1.0], [2.0, 0.0], [-0.5, 1.5]]),
                     logvar=np.array([[0.0, -1.0], [1.0, 0.5], [-0.5, 2.0]]), beta=1.0),
                dict(x=np.array([[0.0, 1.0]]), recon_logits=np.array([[1.0, -1.0]]), mu=np.array([[1.0, 0.5, -0.5]]),
                     logvar=np.array([[-2.0, 0.3, 1.0]]), beta=4.0)]
REPARAM_EXAMPLES = [dict(mu=np.array([1.0, 0.0]), logvar=np.array([0.0, 2 * np.log(3.0)]), eps=np.array([0.5, -1.0])),
                    dict(mu=np.array([[0.5, -2.0]]), logvar=np.array([[1.5, -1.0]]), eps=np.array([[1.0, 2.0]]))]
OPTIMAL_EXAMPLES = [dict(p_data=np.array([0.5, 0.25, 0.25]), p_model=np.array([0.25, 0.25, 0.5])),
                    dict(p_data=np.array([0.1, 0.0, 0.9]), p_model=np.array([0.6, 0.4, 0.0]))]
CVAE_EXAMPLES = [dict(x=np.array([[0.5, 0.25]]), y_onehot=np.array([[0.0, 1.0, 0.0]])),
                 dict(x=np.array([[1.0, 2.0], [3.0, 4.0]]), y_onehot=np.array([[1.0, 0.0], [0.0, 1.0]]))]


# ---------------------------------------------------------------- helpers

def gan_tolerance(d_real_logits, d_fake_logits, **_):
    return 1e-12 * (1.0 + np.abs(d_real_logits).max() + np.abs(d_fake_logits).max())


def vae_tolerances(x, recon_logits, mu, logvar, beta=1.0, **_):
    """(atol recon, atol kl, atol total): rounding relative to the largest summed term."""
    recon = 1e-12 * (1.0 + x.shape[1] * (1.0 + np.abs(recon_logits).max()))
    kl = 1e-12 * (1.0 + mu.shape[1] * (1.0 + (mu**2).max() + np.exp(logvar).max() + np.abs(logvar).max()))
    return recon, kl, recon + beta * kl


def losses(learner, args):
    loss_d, loss_g = tuple_contract(learner.gan_losses(**args), 2)
    return as_float(loss_d, what="L_D (first item)"), as_float(loss_g, what="L_G (second item)")


def vae(learner, args):
    total, recon, kl = tuple_contract(learner.vae_loss(**args), 3)
    return (as_float(total, what="total (first item)"), as_float(recon, what="recon (second item)"),
            as_float(kl, what="kl (third item)"))


def expect_vae_reference(learner, args):
    total, recon, kl = vae(learner, args)
    want_total, want_recon, want_kl = ref.vae_loss(**args)
    atol_recon, atol_kl, atol_total = vae_tolerances(**args)
    expect_close(recon, want_recon, rtol=1e-9, atol=atol_recon, what="recon (second item)")
    expect_close(kl, want_kl, rtol=1e-9, atol=atol_kl, what="kl (third item)")
    expect_close(total, want_total, rtol=1e-9, atol=atol_total, what="total (first item)")


def expect_gan_reference(learner, args):
    loss_d, loss_g = losses(learner, args)
    want_d, want_g = ref.gan_losses(**args)
    expect_close(loss_d, want_d, rtol=1e-9, atol=gan_tolerance(**args), what="L_D (first item)")
    expect_close(loss_g, want_g, rtol=1e-9, atol=gan_tolerance(**args),
                 what=f"L_G (second item, non_saturating={args['non_saturating']})")


# ---------------------------------------------------------------- contract

@SPEC.check(GAN, tier="contract", points=1, title="gan_losses returns a tuple of two floats (L_D, L_G)",
            given=GAN_INPUTS, examples=GAN_EXAMPLES[:1])
def gan_returns_two_floats(learner, **args):
    loss_d, loss_g = tuple_contract(learner.gan_losses(**args), 2)
    float_contract(loss_d, what="L_D (first item)")
    float_contract(loss_g, what="L_G (second item)")


@SPEC.check(GAN, tier="contract", points=1, title="gan_losses raises ValueError for empty or non-1-D logits",
            examples=[dict(d_real_logits=np.zeros(0), d_fake_logits=np.ones(2), why="no real logits"),
                      dict(d_real_logits=np.ones(2), d_fake_logits=np.zeros(0), why="no fake logits"),
                      dict(d_real_logits=np.ones((2, 2)), d_fake_logits=np.ones(2), why="2-D real logits")])
def gan_rejects_bad_logits(learner, d_real_logits, d_fake_logits, why):
    expect_value_error(learner.outcome(GAN, d_real_logits=d_real_logits, d_fake_logits=d_fake_logits), bad=why)


@SPEC.check(OPTIMAL, tier="contract", points=1,
            title="optimal_discriminator returns a float64 array of the inputs' shape, ValueError for a "
                  "negative probability or different shapes",
            given=distributions(), examples=OPTIMAL_EXAMPLES)
def optimal_contract(learner, p_data, p_model):
    array_contract(learner.optimal_discriminator(p_data=p_data, p_model=p_model), shape=p_data.shape)
    for bad, why in (({"p_data": -p_data - 0.1, "p_model": p_model}, "a negative p_data"),
                     ({"p_data": p_data, "p_model": np.append(p_model, 0.5)}, "p_model longer than p_data")):
        expect_value_error(learner.outcome(OPTIMAL, **bad), bad=why)


@SPEC.check(REPARAM, tier="contract", points=1,
            title="reparameterize returns a float64 array of mu's shape, ValueError for different shapes",
            given=REPARAM_INPUTS, examples=REPARAM_EXAMPLES)
def reparameterize_contract(learner, mu, logvar, eps):
    array_contract(learner.reparameterize(mu=mu, logvar=logvar, eps=eps), shape=mu.shape)
    expect_value_error(learner.outcome(REPARAM, mu=mu, logvar=logvar, eps=np.append(eps, 1.0)),
                       bad="eps with one more entry than mu")


@SPEC.check(VAE, tier="contract", points=1, title="vae_loss returns a tuple of three floats and leaves its inputs "
                                                   "unchanged", given=VAE_INPUTS, examples=VAE_EXAMPLES)
def vae_returns_three_floats(learner, **args):
    value, after = learner.value_and_arguments_after(VAE, **args)
    for item, what in zip(tuple_contract(value, 3), ("total (first item)", "recon (second item)", "kl (third item)")):
        float_contract(item, what=what)
    expect_unchanged(args, after, function=VAE)


BAD_VAE = [
    {**VAE_EXAMPLES[0], "recon_logits": np.zeros((3, 2)), "why": "recon_logits (3, 2) for x (3, 3)"},
    {**VAE_EXAMPLES[0], "logvar": np.zeros((3, 3)), "why": "logvar (3, 3) for mu (3, 2)"},
    {**VAE_EXAMPLES[0], "mu": np.zeros((2, 2)), "logvar": np.zeros((2, 2)), "why": "mu with 2 rows for x with 3"},
    {**VAE_EXAMPLES[0], "beta": -0.5, "why": "beta = -0.5"},
]


@SPEC.check(VAE, tier="contract", points=1, title="vae_loss raises ValueError for mismatched shapes or beta < 0",
            examples=BAD_VAE)
def vae_rejects_bad_input(learner, why, **args):
    expect_value_error(learner.outcome(VAE, **args), bad=why)


@SPEC.check(CVAE, tier="contract", points=1,
            title="cvae_concat returns a float64 (B, D + K) array, ValueError for different batch sizes",
            given=cvae_inputs(), examples=CVAE_EXAMPLES)
def cvae_contract(learner, x, y_onehot):
    array_contract(learner.cvae_concat(x=x, y_onehot=y_onehot), shape=(x.shape[0], x.shape[1] + y_onehot.shape[1]))
    expect_value_error(learner.outcome(CVAE, x=x, y_onehot=np.vstack([y_onehot, y_onehot])),
                       bad="y_onehot with twice as many rows as x")


# ---------------------------------------------------------------- properties

@SPEC.check(GAN, tier="properties", points=2,
            title="with every logit 0 (D = 1/2), L_D = 2 log 2 and L_G = log 2 (non-saturating) or -log 2",
            given=st.builds(lambda n, m, flag: {"d_real_logits": np.zeros(n), "d_fake_logits": np.zeros(m),
                                                "non_saturating": flag},
                            st.integers(1, 5), st.integers(1, 5), st.booleans()),
            examples=[dict(d_real_logits=np.zeros(1), d_fake_logits=np.zeros(1), non_saturating=True),
                      dict(d_real_logits=np.zeros(3), d_fake_logits=np.zeros(2), non_saturating=False)])
def gan_at_chance(learner, **args):
    loss_d, loss_g = losses(learner, args)
    expect_close(loss_d, 2 * LOG2, rtol=1e-12, atol=1e-12, what="L_D when D = 1/2 everywhere")
    expect_close(loss_g, LOG2 if args["non_saturating"] else -LOG2, rtol=1e-12, atol=1e-12,
                 what=f"L_G when D = 1/2 everywhere (non_saturating={args['non_saturating']})")


@SPEC.check(GAN, tier="properties", points=2,
            title="raising the fake logits lowers L_G (both kinds) and raises L_D",
            given=st.tuples(GAN_INPUTS, st.floats(0.5, 5.0)).map(lambda t: {**t[0], "c": t[1]}),
            examples=[{**GAN_EXAMPLES[0], "c": 1.0}, {**GAN_EXAMPLES[1], "c": 2.0}])
def gan_fooling_the_discriminator(learner, c, **args):
    loss_d, loss_g = losses(learner, args)
    more_d, more_g = losses(learner, {**args, "d_fake_logits": args["d_fake_logits"] + c})
    if not more_g < loss_g:
        raise Failure(f"L_G went from {loss_g!r} to {more_g!r} when every fake logit rose by {c!r}: a generator whose "
                      f"samples look more real must have a lower loss", expected=f"less than {loss_g!r}", got=more_g)
    if not more_d > loss_d:
        raise Failure(f"L_D went from {loss_d!r} to {more_d!r} when every fake logit rose by {c!r}: a discriminator "
                      f"that scores fakes as more real must have a higher loss", expected=f"more than {loss_d!r}",
                      got=more_d)


@SPEC.check(OPTIMAL, tier="properties", points=2,
            title="D* maximises p_data log D + p_model log(1 - D) at every point",
            given=distributions(), examples=OPTIMAL_EXAMPLES)
def optimal_maximises_objective(learner, p_data, p_model):
    d = as_array(learner.optimal_discriminator(p_data=p_data, p_model=p_model), shape=p_data.shape)
    inside = (p_data > 0) & (p_model > 0)
    expect_close(np.clip(d, 0.0, 1.0), d, rtol=0, atol=1e-12, what="D* (a probability, in [0, 1])")
    for delta in (-1e-3, 1e-3):
        other = np.clip(d + delta, 1e-9, 1 - 1e-9)
        with np.errstate(all="ignore"):
            at_d = p_data * np.log(np.clip(d, 1e-300, 1)) + p_model * np.log(np.clip(1 - d, 1e-300, 1))
            at_other = p_data * np.log(other) + p_model * np.log(1 - other)
        worse = inside & (at_other > at_d + 1e-12)
        if worse.any():
            i = int(np.argmax(worse))
            raise Failure(f"at point {i} (p_data = {p_data[i]!r}, p_model = {p_model[i]!r}) D = {other[i]!r} scores "
                          f"higher than your D* = {d[i]!r}", expected=p_data[i] / (p_data[i] + p_model[i]), got=d[i])


@SPEC.check(REPARAM, tier="properties", points=2,
            title="z - mu is eps scaled by the standard deviation: eps = 0 gives mu, logvar = 0 gives mu + eps",
            given=REPARAM_INPUTS, examples=REPARAM_EXAMPLES)
def reparameterize_scales_eps(learner, mu, logvar, eps):
    at_zero = as_array(learner.reparameterize(mu=mu, logvar=logvar, eps=np.zeros_like(eps)), shape=mu.shape)
    expect_close(at_zero, mu, rtol=1e-12, atol=1e-12, what="z for eps = 0")
    unit = as_array(learner.reparameterize(mu=mu, logvar=np.zeros_like(logvar), eps=eps), shape=mu.shape)
    expect_close(unit, mu + eps, rtol=1e-12, atol=1e-12 * (1 + np.abs(mu).max() + np.abs(eps).max()),
                 what="z for logvar = 0 (variance 1)")


@SPEC.check(VAE, tier="properties", points=2,
            title="kl >= 0, and kl = 0 when mu = 0 and logvar = 0 (the encoder equals the prior)",
            given=VAE_INPUTS, examples=VAE_EXAMPLES)
def vae_kl_is_non_negative(learner, **args):
    _, _, kl = vae(learner, args)
    _, atol_kl, _ = vae_tolerances(**args)
    expect_close(min(kl, 0.0), 0.0, rtol=0, atol=atol_kl, what="kl (a divergence is never negative)")
    at_prior = {**args, "mu": np.zeros_like(args["mu"]), "logvar": np.zeros_like(args["logvar"])}
    expect_close(vae(learner, at_prior)[2], 0.0, rtol=0, atol=1e-12, what="kl at mu = 0, logvar = 0")


@SPEC.check(VAE, tier="properties", points=1, title="total = recon + beta * kl, and recon and kl do not depend on beta",
            given=VAE_INPUTS, examples=VAE_EXAMPLES)
def vae_total_is_linear_in_beta(learner, **args):
    total, recon, kl = vae(learner, args)
    _, recon_1, kl_1 = vae(learner, {**args, "beta": args["beta"] + 1.0})
    atol_recon, atol_kl, atol_total = vae_tolerances(**args)
    expect_close(total, recon + args["beta"] * kl, rtol=1e-9, atol=atol_total, what="total - (recon + beta * kl)")
    expect_close(recon_1, recon, rtol=1e-9, atol=atol_recon, what=f"recon for beta = {args['beta'] + 1.0!r}")
    expect_close(kl_1, kl, rtol=1e-9, atol=atol_kl, what=f"kl for beta = {args['beta'] + 1.0!r}")


# ---------------------------------------------------------------- reference

@SPEC.check(GAN, tier="reference", points=3, title="gan_losses matches the reference", given=GAN_INPUTS,
            examples=GAN_EXAMPLES)
def gan_matches_reference(learner, **args):
    expect_gan_reference(learner, args)


@SPEC.check(OPTIMAL, tier="reference", points=1, title="optimal_discriminator matches the reference",
            given=distributions(), examples=OPTIMAL_EXAMPLES)
def optimal_matches_reference(learner, p_data, p_model):
    got = as_array(learner.optimal_discriminator(p_data=p_data, p_model=p_model), shape=p_data.shape)
    expect_close(got, ref.optimal_discriminator(p_data, p_model), rtol=1e-12, atol=1e-15)


@SPEC.check(REPARAM, tier="reference", points=1, title="reparameterize matches the reference", given=REPARAM_INPUTS,
            examples=REPARAM_EXAMPLES)
def reparameterize_matches_reference(learner, mu, logvar, eps):
    got = as_array(learner.reparameterize(mu=mu, logvar=logvar, eps=eps), shape=mu.shape)
    expect_close(got, ref.reparameterize(mu, logvar, eps), rtol=1e-12,
                 atol=1e-12 * (1 + np.abs(mu).max() + np.exp(logvar / 2).max() * np.abs(eps).max()))


@SPEC.check(VAE, tier="reference", points=3, title="vae_loss matches the reference", given=VAE_INPUTS,
            examples=VAE_EXAMPLES)
def vae_matches_reference(learner, **args):
    expect_vae_reference(learner, args)


@SPEC.check(CVAE, tier="reference", points=1, title="cvae_concat matches the reference (x first, then the labels)",
            given=cvae_inputs(), examples=CVAE_EXAMPLES)
def cvae_matches_reference(learner, x, y_onehot):
    got = as_array(learner.cvae_concat(x=x, y_onehot=y_onehot), shape=(x.shape[0], x.shape[1] + y_onehot.shape[1]))
    expect_close(got, ref.cvae_concat(x, y_onehot), rtol=0, atol=1e-15)


# ---------------------------------------------------------------- stability

@SPEC.check(GAN, tier="stability", points=2, title="gan_losses stays finite for logits up to 1e4, without overflow",
            given=gan_inputs(elements=HUGE_LOGITS),
            examples=[dict(d_real_logits=np.array([-1e4, 50.0]), d_fake_logits=np.array([1e4, -800.0]),
                           non_saturating=True),
                      dict(d_real_logits=np.array([1e4]), d_fake_logits=np.array([-1e4, 1e4]), non_saturating=False)])
def gan_handles_huge_logits(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        expect_gan_reference(learner, args)


@SPEC.check(VAE, tier="stability", points=2,
            title="vae_loss stays finite for logits up to 1e3 and logvar = +-50",
            given=vae_inputs(logits=st.floats(-1e3, 1e3), logvars=st.sampled_from([-50.0, 50.0, 0.0])),
            examples=[dict(x=np.array([[1.0, 0.0, 0.5]]), recon_logits=np.array([[-1e3, 1e3, 800.0]]),
                           mu=np.array([[1.0, 0.0]]), logvar=np.array([[50.0, -50.0]]), beta=1.0)])
def vae_handles_extreme_inputs(learner, **args):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        expect_vae_reference(learner, args)


@SPEC.check(REPARAM, tier="stability", points=1, title="reparameterize stays finite for logvar = +-50",
            given=same_shape(("mu", "logvar", "eps"), (VALUES, st.sampled_from([-50.0, 50.0]), VALUES)),
            examples=[dict(mu=np.array([1.0, -1.0]), logvar=np.array([50.0, -50.0]), eps=np.array([2.0, 3.0]))])
def reparameterize_handles_extreme_logvar(learner, mu, logvar, eps):
    with learner.errstate(**RAISE_ON_FP_ERRORS):
        got = as_array(learner.reparameterize(mu=mu, logvar=logvar, eps=eps), shape=mu.shape)
    expect_close(got, ref.reparameterize(mu, logvar, eps), rtol=1e-12,
                 atol=1e-12 * (1 + np.abs(mu).max() + np.exp(logvar / 2).max() * np.abs(eps).max()))


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/generative.py (its _vector helper and numpy are in scope).

@SPEC.mistake_helper
def _gan_with(d_real_logits, d_fake_logits, non_saturating=True, *, flag_inverted=False, halve_d=False,
              labels_swapped=False, naive=False, saturating_sign=False):
    """gan_losses with one switch per known mistake (defaults: the right losses)."""
    real, fake = _vector(d_real_logits, "d_real_logits"), _vector(d_fake_logits, "d_fake_logits")
    if naive:  # log of the probabilities: exp(-logit) overflows, log(0) = -inf
        d_real, d_fake = 1.0 / (1.0 + np.exp(-real)), 1.0 / (1.0 + np.exp(-fake))
        loss_d = -np.log(d_real).mean() - np.log(1.0 - d_fake).mean()
        loss_g = -np.log(d_fake).mean() if non_saturating else np.log(1.0 - d_fake).mean()
        return float(loss_d), float(loss_g)
    if labels_swapped:
        real, fake_for_d = -real, -fake
    else:
        fake_for_d = fake
    loss_d = np.logaddexp(0.0, -real).mean() + np.logaddexp(0.0, fake_for_d).mean()
    if halve_d:
        loss_d = loss_d / 2
    if non_saturating != flag_inverted:
        loss_g = np.logaddexp(0.0, -fake).mean()
    else:
        loss_g = -np.logaddexp(0.0, fake).mean()
        if saturating_sign:
            loss_g = -loss_g
    return float(loss_d), float(loss_g)


@SPEC.mistake(GAN, "reads non_saturating the wrong way round",
              hint="non_saturating=True is -mean(log D(fake)), the loss G actually trains with; non_saturating=False "
                   "is the minimax original, mean(log(1 - D(fake))).")
def gan_flag_inverted(d_real_logits, d_fake_logits, non_saturating=True):
    return _gan_with(d_real_logits, d_fake_logits, non_saturating, flag_inverted=True)


@SPEC.mistake(GAN, "averages the real and fake terms of L_D instead of adding them",
              hint="L_D = -mean(log D(real)) - mean(log(1 - D(fake))): the sum of two means, so L_D = 2 log 2 "
                   "when D = 1/2 everywhere.")
def gan_discriminator_halved(d_real_logits, d_fake_logits, non_saturating=True):
    return _gan_with(d_real_logits, d_fake_logits, non_saturating, halve_d=True)


@SPEC.mistake(GAN, "swaps the labels in L_D (real samples as 0, fakes as 1)",
              hint="The discriminator wants D(real) -> 1 and D(fake) -> 0: its loss has -log D(real) and "
                   "-log(1 - D(fake)).")
def gan_labels_swapped(d_real_logits, d_fake_logits, non_saturating=True):
    return _gan_with(d_real_logits, d_fake_logits, non_saturating, labels_swapped=True)


@SPEC.mistake(GAN, "takes the log of sigmoid probabilities: exp overflows and log(0) appears for large logits",
              hint="Stay with logits: log D(a) = -softplus(-a) and log(1 - D(a)) = -softplus(a), with "
                   "softplus(a) = np.logaddexp(0, a).")
def gan_from_probabilities(d_real_logits, d_fake_logits, non_saturating=True):
    return _gan_with(d_real_logits, d_fake_logits, non_saturating, naive=True)


@SPEC.mistake(GAN, "the saturating L_G with the wrong sign: -mean(log(1 - D(fake)))",
              hint="The saturating generator MINIMISES mean(log(1 - D(fake))) (it is the minimax game): no minus "
                   "sign, and the loss is negative.")
def gan_saturating_sign(d_real_logits, d_fake_logits, non_saturating=True):
    return _gan_with(d_real_logits, d_fake_logits, non_saturating, saturating_sign=True)


@SPEC.mistake(OPTIMAL, "swaps the two distributions: p_model / (p_data + p_model)",
              hint="D* is the probability that x is REAL: p_data / (p_data + p_model).")
def optimal_swapped(p_data, p_model):
    p_data, p_model = np.asarray(p_data, dtype=np.float64), np.asarray(p_model, dtype=np.float64)
    if p_data.shape != p_model.shape or (p_data < 0).any() or (p_model < 0).any():
        raise ValueError("bad probabilities")
    with np.errstate(invalid="ignore"):
        return p_model / (p_data + p_model)


@SPEC.mistake(REPARAM, "uses the variance exp(logvar) as the standard deviation",
              hint="logvar is log(sigma**2): the standard deviation is exp(logvar / 2), so z = mu + "
                   "exp(logvar / 2) * eps.")
def reparameterize_with_variance(mu, logvar, eps):
    mu, logvar, eps = (np.asarray(a, dtype=np.float64) for a in (mu, logvar, eps))
    if not mu.shape == logvar.shape == eps.shape:
        raise ValueError("shapes differ")
    return mu + np.exp(logvar) * eps


@SPEC.mistake_helper
def _vae_with(x, recon_logits, mu, logvar, beta=1.0, *, half=True, recon_mean=False, kl_batch_sum=False,
              beta_on_recon=False):
    """vae_loss with one switch per known mistake (defaults: the right loss)."""
    x, logits, mu, logvar = (np.asarray(a, dtype=np.float64) for a in (x, recon_logits, mu, logvar))
    if x.ndim != 2 or logits.shape != x.shape or mu.ndim != 2 or logvar.shape != mu.shape \
            or mu.shape[0] != x.shape[0] or not beta >= 0:
        raise ValueError("bad input")
    batch = x.shape[0]
    bce = np.logaddexp(0.0, logits) - x * logits
    recon = bce.mean() if recon_mean else bce.sum() / batch
    kl = (0.5 if half else 1.0) * (mu**2 + np.exp(logvar) - 1.0 - logvar).sum()
    kl = kl if kl_batch_sum else kl / batch
    total = beta * recon + kl if beta_on_recon else recon + beta * kl
    return float(total), float(recon), float(kl)


@SPEC.mistake(VAE, "the KL term without its factor 1/2",
              hint="KL(N(mu, s^2) || N(0, 1)) = 0.5 * (mu^2 + s^2 - 1 - log s^2) per latent dimension: "
                   "keep the 0.5.")
def vae_kl_without_half(x, recon_logits, mu, logvar, beta=1.0):
    return _vae_with(x, recon_logits, mu, logvar, beta, half=False)


@SPEC.mistake(VAE, "averages the reconstruction over every element (B * D) instead of summing over the features",
              hint="recon sums the binary cross-entropy over the D features of a sample, then averages over the "
                   "B samples: divide the total by B, not by B * D.")
def vae_recon_mean(x, recon_logits, mu, logvar, beta=1.0):
    return _vae_with(x, recon_logits, mu, logvar, beta, recon_mean=True)


@SPEC.mistake(VAE, "sums the KL over the batch instead of averaging it",
              hint="Both terms are per-sample sums averaged over the batch: divide the KL by B too.")
def vae_kl_summed_over_batch(x, recon_logits, mu, logvar, beta=1.0):
    return _vae_with(x, recon_logits, mu, logvar, beta, kl_batch_sum=True)


@SPEC.mistake(VAE, "multiplies the reconstruction by beta instead of the KL",
              hint="A beta-VAE weights the KL: total = recon + beta * kl.")
def vae_beta_on_recon(x, recon_logits, mu, logvar, beta=1.0):
    return _vae_with(x, recon_logits, mu, logvar, beta, beta_on_recon=True)


@SPEC.mistake(CVAE, "puts the labels before x",
              hint="The contract is x first, then the one-hot labels: np.concatenate([x, y_onehot], axis=1).")
def cvae_labels_first(x, y_onehot):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y_onehot, dtype=np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[0] != y.shape[0]:
        raise ValueError("bad shapes")
    return np.concatenate([y, x], axis=1)
