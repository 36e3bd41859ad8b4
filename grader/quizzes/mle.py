"""Quiz: likelihood, log-likelihood, the normal and binomial MLEs, and why the MLE variance divides by n."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Variant, distinct

RTOL = 1e-3  # four significant digits, or an exact expression


def variance_mle(rng, ref):
    n = rng.choice([4, 5])
    x = [rng.randrange(0, 10) for _ in range(n)]
    while len(set(x)) < 3:  # a spread-out sample: the variance is not 0 and the formulas differ
        x = [rng.randrange(0, 10) for _ in range(n)]
    mu, sigma2 = ref.normal_mle([float(v) for v in x])
    squares = sum((v - mu) ** 2 for v in x)
    misconceptions = distinct(sigma2, (
        Misconception("divided by n - 1 (ddof=1)", squares / (n - 1),
                      "n - 1 gives the unbiased estimator; the maximum of the likelihood is at the 1/n variance."),
        Misconception("the standard deviation, not the variance", math.sqrt(sigma2),
                      "sigma2 is a variance: no square root."),
        Misconception("the mean of x**2, not of (x - mean)**2", sum(v * v for v in x) / n,
                      "Centre the sample first: sigma2_hat = mean((x - x_bar)**2)."),
    ), rtol=RTOL)
    return Variant(
        prompt=f"The sample is x = {x}. What is the maximum-likelihood estimate of the variance sigma2 of a "
               f"normal distribution? Four significant digits, or an expression.",
        answer=sigma2,
        parameters=dict(x=x),
        misconceptions=misconceptions,
        explanation=f"x_bar = {mu:g}; sigma2_hat = (1/{n}) * sum (x - x_bar)**2 = {squares:g}/{n} = {sigma2:.4g}.",
    )


def binomial_pooled(rng, ref):
    trials = rng.sample([2, 4, 5, 10, 20], 3)
    successes = [rng.randrange(0, t + 1) for t in trials]
    while sum(successes) == 0 or len({k / t for k, t in zip(successes, trials)}) == 1:
        successes = [rng.randrange(0, t + 1) for t in trials]
    answer = ref.binomial_mle(successes, trials)
    ratios = sum(k / t for k, t in zip(successes, trials)) / len(trials)
    misconceptions = distinct(answer, (
        Misconception("averaged the per-observation ratios k/n", ratios,
                      "Each trial counts once: pool them, sum k / sum n. Averaging k_i/n_i gives an "
                      "observation of 2 trials as much weight as one of 20."),
        Misconception("the mean number of successes, not a probability", sum(successes) / len(successes),
                      "Divide by the number of trials, not the number of observations: p is a probability."),
    ), rtol=RTOL)
    return Variant(
        prompt=f"Three experiments: {successes[0]} successes in {trials[0]} trials, {successes[1]} in {trials[1]}, "
               f"{successes[2]} in {trials[2]}, all with the same success probability p. What is the "
               f"maximum-likelihood estimate of p? Four significant digits, or a fraction.",
        answer=answer,
        parameters=dict(k=successes, n=trials),
        misconceptions=misconceptions,
        explanation=f"The log-likelihood is sum k log p + (n - k) log(1 - p) (+ constants); its derivative "
                    f"vanishes at p = sum k / sum n = {sum(successes)}/{sum(trials)} = {answer:.4g}.",
    )


def one_point_loglik(rng, ref):
    x = rng.choice([-2, -1, 1, 2, 3])
    sigma2 = rng.choice([2.0, 4.0, 0.5])
    answer = ref.normal_log_likelihood([float(x)], 0.0, sigma2)
    sigma_as_variance = -0.5 * math.log(2 * math.pi * sigma2 ** 2) - x * x / (2 * sigma2 ** 2)
    return Variant(
        prompt="What does this print? (Four significant digits, or an expression with log and pi.)",
        code=f"from mle import normal_log_likelihood\nprint(normal_log_likelihood([{x}.0], 0.0, {sigma2}))",
        answer=answer,
        parameters=dict(x=x, sigma2=sigma2),
        misconceptions=distinct(answer, (
            Misconception("read sigma2 as the standard deviation", sigma_as_variance,
                          f"The third argument is the VARIANCE: log N(x; 0, {sigma2}) uses {sigma2}, not "
                          f"{sigma2}**2."),
            Misconception("dropped the normalising constant", -x * x / (2 * sigma2),
                          "The log-density includes -1/2 log(2 pi sigma2): it matters when sigma2 is estimated."),
            Misconception("the density, not its log", math.exp(answer),
                          "A log-likelihood: take the log of the density."),
        ), rtol=RTOL),
        explanation=f"-1/2 log(2 pi * {sigma2}) - {x}**2 / (2 * {sigma2}) = {answer:.4f}.",
    )


QUESTIONS = [
    Choice("why_log", "Why do we maximise the log-likelihood instead of the likelihood itself?", options=[
        Option("log is increasing, so the maximiser is the same, and a sum of logs neither underflows nor is "
               "hard to differentiate", correct=True),
        Option("the log-likelihood has a different maximiser that generalises better",
               feedback="log is strictly increasing: the argmax cannot move."),
        Option("the likelihood can be negative, its log cannot",
               feedback="A likelihood is a product of probabilities or densities: never negative; its log is "
                        "usually negative."),
        Option("only to make the numbers smaller for printing",
               feedback="It matters for computing: a product of 1000 densities underflows to 0.0 in float64, "
                        "and derivatives of sums are far simpler."),
    ], explanation="argmax L = argmax log L; the log turns the product over observations into a sum."),
    Numeric("variance_mle", draw=variance_mle, rtol=RTOL, points=2),
    Choice("ddof", "The MLE of a normal variance divides by n. What does that imply?", options=[
        Option("it is biased low: its expectation is (n-1)/n sigma2, though the bias vanishes as n grows",
               correct=True),
        Option("it is unbiased", feedback="E[(1/n) sum (x - x_bar)^2] = (n-1)/n sigma2: using x_bar, fitted on the "
                                          "same data, makes the squares too small on average."),
        Option("it is the same as numpy's np.var(x, ddof=1)",
               feedback="ddof=1 divides by n - 1 (unbiased). The MLE is np.var(x), ddof=0."),
        Option("it is biased high", feedback="Deviations from the sample mean are smaller than from the true mean: "
                                             "the bias is downwards."),
    ], explanation="Maximum likelihood does not promise unbiasedness; the 1/n estimator is biased by a factor "
                   "(n - 1)/n and is consistent."),
    Numeric("binomial_pooled", draw=binomial_pooled, rtol=RTOL, points=2),
    Predict("one_point_loglik", draw=one_point_loglik, rtol=RTOL, atol=1e-4),
    Multi("loglik_facts", "Which statements about the log-likelihood of independent observations are true?",
          options=[
              Option("it is the sum of the per-observation log-densities", correct=True),
              Option("at the MLE its derivative with respect to each parameter is 0 (for an interior maximum)",
                     correct=True),
              Option("it must be between 0 and 1",
                     feedback="Only probabilities are in [0, 1]; a density can exceed 1 and its log is any real."),
              Option("a larger value always means a better model, even with more parameters",
                     feedback="More parameters never lower the maximum likelihood: compare models with AIC, BIC "
                              "or held-out data."),
          ], explanation="Independence turns the joint density into a product, the log into a sum; the MLE is a "
                         "stationary point of it."),
    Order("derive_mle", "Put the steps of deriving a maximum-likelihood estimate in order.", steps=[
        "write the likelihood: the product of the densities of the observations",
        "take its log, turning the product into a sum",
        "differentiate with respect to the parameter",
        "set the derivative to zero and solve for the parameter",
        "check it is a maximum (second derivative negative, or the boundaries)",
    ], explanation="Likelihood, log, derivative, zero, check: for the normal this gives x_bar and the 1/n "
                   "variance."),
]
