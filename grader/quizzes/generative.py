"""Quiz: GAN losses, the optimal discriminator, the VAE's KL term, the reparameterisation trick, CVAE inputs."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

RTOL = 1e-3


def _sigmoid(a):
    return 1.0 / (1.0 + math.exp(-a))


def discriminator_loss(rng, ref):
    a, b = rng.choice([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]), rng.choice([-3.0, -2.0, -1.0, 0.0, 1.0])
    n, m = rng.choice([2, 3, 4]), rng.choice([2, 3])
    answer = ref.gan_losses([a] * n, [b] * m)[0]
    d_real, d_fake = _sigmoid(a), _sigmoid(b)
    return Variant(
        prompt=f"The discriminator outputs the logit {a:g} on each of {n} real samples and {b:g} on each of {m} "
               f"generated ones (D = sigmoid(logit)). What is L_D = -mean(log D(real)) - mean(log(1 - D(fake)))? "
               f"Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(a=a, b=b, n=n, m=m),
        misconceptions=distinct(answer, (
            Misconception("averaged the two terms", answer / 2, "L_D ADDS the two means: at D = 1/2 it is 2 log 2."),
            Misconception("swapped the labels", -math.log(1 - d_real) - math.log(d_fake),
                          "Real samples should be scored 1: -log D(real); fakes 0: -log(1 - D(fake))."),
            Misconception("summed instead of averaged", n * -math.log(d_real) + m * -math.log(1 - d_fake),
                          "Each term is a MEAN over its samples."),
        ), rtol=RTOL),
        explanation=f"D(real) = sigmoid({a:g}) = {d_real:.4f}, D(fake) = sigmoid({b:g}) = {d_fake:.4f}; "
                    f"L_D = -log {d_real:.4f} - log {1 - d_fake:.4f} = {answer:.4f}.",
    )


def optimal_value(rng, ref):
    p, q = rng.choice([0.1, 0.2, 0.3, 0.4, 0.6]), rng.choice([0.05, 0.15, 0.25, 0.5])
    answer = float(ref.optimal_discriminator([p], [q])[0])
    return Variant(
        prompt=f"At a point x, the data has probability p_data(x) = {p} and the generator p_model(x) = {q}. What "
               f"does the optimal discriminator D*(x) output? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(p_data=p, p_model=q),
        misconceptions=distinct(answer, (
            Misconception("swapped the distributions", q / (p + q), "D* is the probability that x is REAL: "
                                                                   "p_data / (p_data + p_model)."),
            Misconception("the ratio p_data / p_model", p / q, "D* is a probability: p_data / (p_data + p_model)."),
            Misconception("p_data alone", p, "D* weighs p_data against p_model: p_data / (p_data + p_model)."),
        ), rtol=RTOL),
        explanation=f"Maximising p log D + q log(1 - D) pointwise gives D* = p / (p + q) = {p} / {p + q:g} = "
                    f"{answer:.4f}.",
    )


def kl_value(rng, ref):
    import numpy as np

    mu, logvar = rng.choice([-2.0, -1.0, 0.5, 1.0, 2.0]), rng.choice([-1.0, -0.5, 0.5, 1.0, 2.0])
    answer = ref.vae_loss(np.zeros((1, 1)), np.zeros((1, 1)), [[mu]], [[logvar]])[2]
    return Variant(
        prompt=f"A VAE encoder outputs mu = {mu:g} and logvar = {logvar:g} for one latent dimension. What is "
               f"KL(N(mu, exp(logvar)) || N(0, 1))? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(mu=mu, logvar=logvar),
        misconceptions=distinct(answer, (
            Misconception("forgot the 1/2", 2 * answer, "KL = 0.5 * (mu^2 + exp(logvar) - 1 - logvar)."),
            Misconception("logvar read as the standard deviation", 0.5 * (mu**2 + logvar**2 - 1 - math.log(logvar**2)),
                          "logvar is log(sigma^2): the variance is exp(logvar)."),
            Misconception("dropped the -1", 0.5 * (mu**2 + math.exp(logvar) - logvar),
                          "Without the -1 the KL is not 0 at the prior: 0.5 * (0 + 1 - 1 - 0) = 0."),
        ), rtol=RTOL),
        explanation=f"0.5 * ({mu:g}^2 + exp({logvar:g}) - 1 - ({logvar:g})) = {answer:.4f}.",
    )


def reparameterized(rng, ref):
    mu, logvar, eps = rng.choice([-1.0, 0.0, 1.0, 2.0]), rng.choice([-2.0, 0.0, 2.0, 4.0]), rng.choice([-1.0, 0.5, 2.0])
    answer = float(ref.reparameterize([mu], [logvar], [eps])[0])
    return Variant(
        prompt="What does this print? (Four significant digits.)",
        code=f"from generative import reparameterize\nprint(reparameterize([{mu}], [{logvar}], [{eps}])[0])",
        answer=answer,
        parameters=dict(mu=mu, logvar=logvar, eps=eps),
        misconceptions=distinct(answer, (
            Misconception("the variance used as the standard deviation", mu + math.exp(logvar) * eps,
                          "The standard deviation is exp(logvar / 2)."),
            Misconception("logvar used as the standard deviation", mu + logvar * eps,
                          "logvar is a log: the standard deviation is exp(logvar / 2)."),
        ), rtol=RTOL),
        explanation=f"z = {mu:g} + exp({logvar:g} / 2) * {eps:g} = {answer:.4g}.",
    )


def cvae_shape(rng, ref):
    import numpy as np

    batch, d, k = rng.choice([16, 32, 64]), rng.choice([784, 100, 20]), rng.choice([10, 5, 3])
    answer = tuple(ref.cvae_concat(np.zeros((batch, d)), np.eye(k)[np.zeros(batch, dtype=int)]).shape)
    return Variant(
        prompt=f"A conditional VAE gets a batch x of shape ({batch}, {d}) and one-hot labels of shape ({batch}, "
               f"{k}). What is the shape of the encoder's input after concatenating them?",
        answer=answer,
        parameters=dict(batch=batch, d=d, k=k),
        misconceptions=distinct(answer, (
            Misconception("kept only the labels", (batch, k), "x stays: the labels are appended after its "
                                                                         f"{d} columns."),
            Misconception("added the label to x", (batch, d), "The label is appended, not added: D + K columns."),
        )),
        explanation=f"Each sample gets its {k} label entries appended: ({batch}, {d} + {k}) = {answer}.",
    )


QUESTIONS = [
    Numeric("discriminator_loss", draw=discriminator_loss, rtol=RTOL, points=2),
    Choice("why_non_saturating", "Why do GANs train the generator with -log D(G(z)) rather than minimising "
                                 "log(1 - D(G(z)))?", options=[
        Option("early on D rejects the fakes (D(G(z)) near 0), where log(1 - D) is flat and gives G almost no "
               "gradient; -log D is steep there", correct=True),
        Option("the two have different optimal generators",
               feedback="Both push D(G(z)) up and share the same fixed point; they differ in gradient strength."),
        Option("log(1 - D) overflows", feedback="Computed from logits neither overflows; the problem is a "
                                                "vanishing gradient, not a number."),
        Option("it makes the discriminator train faster", feedback="The change is in the GENERATOR's loss only."),
    ], explanation="d/dlogit of log(1 - sigmoid(a)) is -sigmoid(a), about 0 when a is very negative (fakes "
                   "rejected); d/dlogit of -log sigmoid(a) is sigmoid(a) - 1, about -1 there."),
    Numeric("optimal_value", draw=optimal_value, rtol=RTOL),
    Numeric("kl_value", draw=kl_value, rtol=RTOL, points=2),
    Predict("reparameterized", draw=reparameterized, rtol=RTOL, atol=1e-6),
    Shape("cvae_shape", draw=cvae_shape),
    Multi("vae_facts", "Which statements about the VAE loss recon + beta * KL are true?", options=[
        Option("the KL term is 0 exactly when mu = 0 and logvar = 0", correct=True),
        Option("z = mu + exp(logvar / 2) * eps lets gradients reach mu and logvar, with eps drawn outside",
               correct=True),
        Option("beta > 1 pulls the codes harder towards the prior, at the price of blurrier reconstructions",
               correct=True),
        Option("the KL term can be negative when the encoder is very confident",
               feedback="A KL divergence is never negative; a tiny variance makes it LARGE (-logvar grows)."),
        Option("sampling z = N(mu, sigma^2) directly gives the same gradients",
               feedback="A sample drawn by a random number generator has no gradient with respect to mu and "
                        "sigma; that is why the trick exists."),
    ], explanation="KL(N(mu, s^2) || N(0, 1)) = 0.5 (mu^2 + s^2 - 1 - log s^2) >= 0, zero only at the prior; "
                   "beta trades reconstruction against closeness to the prior."),
]
