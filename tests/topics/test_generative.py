"""generative: the reference against torch (BCE with logits, kl_divergence, rsample), forbidden losses, quiz answers."""

import math

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps
from torch.distributions import Normal, kl_divergence

from grader.judging import forbidden, judge
from grader.quiz import banks
from grader.quiz.variants import pose, quiz_variant
from helpers import SOLUTIONS, grade, submit

SPEC = judge.load_spec("generative")
ref = SPEC.reference
LOGITS = st.floats(-30, 30, allow_nan=False)
VECTORS = nps.arrays(np.float64, st.integers(1, 8), elements=LOGITS)
bce = torch.nn.functional.binary_cross_entropy_with_logits


def t(x):
    return torch.as_tensor(np.asarray(x, dtype=np.float64))


@given(VECTORS, VECTORS)
def test_gan_losses_match_torch_bce_with_logits(real, fake):
    loss_d, loss_g = ref.gan_losses(real, fake)
    _, loss_g_saturating = ref.gan_losses(real, fake, non_saturating=False)
    want_d = bce(t(real), torch.ones(len(real), dtype=torch.float64)) + bce(t(fake), torch.zeros(len(fake),
                                                                                              dtype=torch.float64))
    want_g = bce(t(fake), torch.ones(len(fake), dtype=torch.float64))
    # log(1 - D(fake)) is minus the BCE of the fakes against label 0.
    want_saturating = -bce(t(fake), torch.zeros(len(fake), dtype=torch.float64))
    np.testing.assert_allclose([loss_d, loss_g, loss_g_saturating],
                               [float(want_d), float(want_g), float(want_saturating)], rtol=1e-10, atol=1e-12)


@st.composite
def vae_case(draw):
    b, d, z = draw(st.integers(1, 4)), draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return (draw(nps.arrays(np.float64, (b, d), elements=st.floats(0, 1))),
            draw(nps.arrays(np.float64, (b, d), elements=LOGITS)),
            draw(nps.arrays(np.float64, (b, z), elements=st.floats(-5, 5))),
            draw(nps.arrays(np.float64, (b, z), elements=st.floats(-8, 8))),
            draw(st.floats(0, 10)))


@given(vae_case())
def test_vae_loss_matches_torch(case):
    x, logits, mu, logvar, beta = case
    total, recon, kl = ref.vae_loss(x, logits, mu, logvar, beta)
    b = x.shape[0]
    want_recon = float(bce(t(logits), t(x), reduction="sum")) / b
    want_kl = float(kl_divergence(Normal(t(mu), torch.exp(t(logvar) / 2)), Normal(0.0, 1.0)).sum()) / b
    np.testing.assert_allclose([recon, kl, total], [want_recon, want_kl, want_recon + beta * want_kl],
                               rtol=1e-9, atol=1e-9)


@given(nps.arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)), st.integers(0, 2**31 - 1))
def test_reparameterize_matches_torch_rsample(mu, seed):
    logvar = np.linspace(-3, 3, len(mu))
    torch.manual_seed(seed)
    z = Normal(t(mu), torch.exp(t(logvar) / 2)).rsample()
    eps = (z - t(mu)) / torch.exp(t(logvar) / 2)  # the noise rsample drew
    np.testing.assert_allclose(ref.reparameterize(mu, logvar, eps.numpy()), z.numpy(), rtol=1e-9, atol=1e-9)


@given(nps.arrays(np.float64, 5, elements=st.floats(0.01, 1)), nps.arrays(np.float64, 5, elements=st.floats(0.01, 1)))
def test_optimal_discriminator_is_the_pointwise_argmax(p, q):
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    best = grid[np.argmax(p[:, None] * np.log(grid) + q[:, None] * np.log1p(-grid), axis=1)]
    np.testing.assert_allclose(ref.optimal_discriminator(p, q), best, atol=1e-5)


def test_edge_values_stay_finite_and_kl_is_zero_at_the_prior():
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        values = ref.gan_losses([1e4, -1e4], [1e4, -1e4]) + ref.vae_loss([[1.0]], [[-1e3]], [[0.0, 0.0]],
                                                                         [[50.0, -50.0]])
    assert all(math.isfinite(v) for v in values)
    assert ref.vae_loss([[0.5]], [[0.3]], np.zeros((1, 3)), np.zeros((1, 3)))[2] == 0.0


TORCH_BCE = '''

import torch


def vae_loss(x, recon_logits, mu, logvar, beta=1.0):
    recon = torch.nn.functional.binary_cross_entropy_with_logits(torch.as_tensor(recon_logits), torch.as_tensor(x))
    return float(recon), float(recon), 0.0
'''


def test_torch_bce_is_forbidden_only_in_the_function_that_uses_it(tmp_path):
    result = grade("generative", submit(tmp_path, "generative", (SOLUTIONS / "generative.py").read_text() + TORCH_BCE))
    by_function = {}
    for check in result.checks:
        by_function.setdefault(check.function, set()).add(check.status)
    assert by_function.pop("vae_loss") == {"forbidden"}
    assert all(statuses == {"passed"} for statuses in by_function.values()), by_function


def test_static_analysis_finds_torch_distributions():
    for source in ("from torch.distributions import Normal, kl_divergence\n",
                   "import torch\ndef reparameterize(mu, logvar, eps):\n"
                   "    return torch.distributions.Normal(mu, logvar).rsample()\n"):
        assert forbidden.find(source, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions), source
    allowed = "import numpy as np\ndef gan_losses(r, f, non_saturating=True):\n    return np.logaddexp(0, r)\n"
    assert forbidden.find(allowed, SPEC.forbidden, SPEC.forbidden_methods, SPEC.functions) == []


# ---------------------------------------------------------------- quiz answers against torch

VARIANTS = [quiz_variant("oracles", "learner@example.org", "any", attempt) for attempt in range(50)]


def quiz_oracle(question_id, p):
    if question_id == "discriminator_loss":
        real, fake = t([p["a"]] * p["n"]), t([p["b"]] * p["m"])
        return float(bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake)))
    if question_id == "optimal_value":
        return p["p_data"] / (p["p_data"] + p["p_model"])
    if question_id == "kl_value":
        return float(kl_divergence(Normal(t(p["mu"]), torch.exp(t(p["logvar"]) / 2)), Normal(0.0, 1.0)))
    if question_id == "reparameterized":
        return p["mu"] + math.sqrt(math.exp(p["logvar"])) * p["eps"]
    if question_id == "cvae_shape":
        return tuple(torch.cat([torch.zeros(p["batch"], p["d"]), torch.zeros(p["batch"], p["k"])], dim=1).shape)
    raise AssertionError(f"no oracle for generative.{question_id}")


def test_quiz_answers_agree_with_independent_oracles():
    reference = banks.reference("generative")
    parameterized = [q for q in banks.load("generative") if q.kind in ("numeric", "shape", "predict")]
    assert len(parameterized) >= 2
    for question in parameterized:
        for variant in VARIANTS:
            posed = pose(question, "generative", variant, reference)
            assert posed.misconceptions, f"{question.id} {variant}: no wrong formula can be named"
            np.testing.assert_allclose(np.asarray(posed.answer, dtype=float),
                                       np.asarray(quiz_oracle(question.id, posed.parameters), dtype=float),
                                       rtol=1e-9, atol=1e-12, err_msg=f"{question.id} {variant}")
