"""Quiz: responsibilities, the EM updates, and why the log-likelihood never falls."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Shape, Variant

RTOL = 1e-3  # answers typed to four significant digits


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer (and from the ones kept before) on this variant."""
    kept = []
    for m in misconceptions:
        others = (answer, *(k.value for k in kept))
        if all(abs(m.value - v) > 2 * rtol * max(abs(v), abs(m.value), 1e-12) for v in others):
            kept.append(m)
    return tuple(kept)


def _normal_pdf(x, mu, var):
    return math.exp(-((x - mu) ** 2) / (2 * var)) / math.sqrt(2 * math.pi * var)


def responsibility(rng, ref):
    import numpy as np

    x, mu1, mu2 = rng.randint(-2, 4), rng.randint(-3, 0), rng.randint(1, 4)
    var1, var2, w1 = rng.choice([0.5, 1.0, 2.0]), rng.choice([1.0, 3.0, 4.0]), rng.choice([0.2, 0.3, 0.6, 0.7])
    r = ref.responsibilities(np.array([[x]], dtype=float), np.array([w1, 1 - w1]), np.array([[mu1], [mu2]], float),
                             np.array([[[var1]], [[var2]]]))
    answer = float(r[0, 0])
    p1, p2 = _normal_pdf(x, mu1, var1), _normal_pdf(x, mu2, var2)
    plain = lambda a, b: a / (a + b)
    return Variant(
        prompt=f"A 1-D mixture: component 1 has weight {w1}, mean {mu1}, variance {var1}; component 2 has weight "
               f"{1 - w1:g}, mean {mu2}, variance {var2}. What is component 1's responsibility for the point x = {x}?",
        answer=answer, parameters=dict(x=x, w1=w1, mu=[mu1, mu2], var=[var1, var2]),
        misconceptions=_distinct(answer, (
            Misconception("left out the weights", plain(p1, p2),
                          "r_1 is proportional to w_1 N(x; mu_1, var_1): the prior share counts."),
            Misconception("left out the 1 / sqrt(2 pi var) factor",
                          plain(w1 * math.exp(-((x - mu1) ** 2) / (2 * var1)),
                                (1 - w1) * math.exp(-((x - mu2) ** 2) / (2 * var2))),
                          "With different variances the normalising factors differ and do not cancel."),
            Misconception("the other component's responsibility", 1 - answer,
                          "That is r_2 = 1 - r_1."),
        )),
        explanation=f"w1 N1 = {w1 * p1:.4g}, w2 N2 = {(1 - w1) * p2:.4g}; "
                    f"r_1 = w1 N1 / (w1 N1 + w2 N2) = {answer:.4g}.",
    )


def one_component_variance(rng, ref):
    import numpy as np

    while True:
        xs = [rng.randint(-3, 6) for _ in range(rng.randint(3, 5))]
        if len(set(xs)) > 1:
            break
    old_mean = rng.randint(-2, 2)
    if old_mean == float(np.mean(xs)):
        old_mean += 1
    _, means, covs = ref.gmm_em_step(np.array(xs, dtype=float)[:, None], np.array([1.0]),
                                     np.array([[float(old_mean)]]), np.array([[[1.0]]]))
    answer = float(covs[0, 0, 0])
    arr = np.array(xs, dtype=float)
    return Variant(
        prompt=f"One EM step for a single Gaussian (K = 1) on the points {xs}, starting from mean {old_mean} and "
               f"variance 1. What is the new variance?",
        answer=answer, parameters=dict(x=xs, old_mean=old_mean),
        misconceptions=_distinct(answer, (
            Misconception("centred on the old mean", float(np.mean((arr - old_mean) ** 2)),
                          "The M-step first updates the mean, then centres the covariance on the NEW mean."),
            Misconception("divided by n - 1", float(np.var(arr, ddof=1)),
                          "The M-step is a maximum-likelihood fit: divide by N_k = n here, not n - 1."),
            Misconception("kept the old variance", 1.0, "The M-step replaces every parameter."),
        )),
        explanation=f"With K = 1 every responsibility is 1: the new mean is {float(arr.mean()):.4g} and the new "
                    f"variance the mean squared deviation from it, {answer:.4g}.",
    )


def responsibility_shape(rng, ref):
    import numpy as np

    n, d, k = rng.randint(5, 500), rng.randint(1, 4), rng.randint(2, 8)
    r = ref.responsibilities(np.zeros((n, d)), np.full(k, 1.0 / k), np.zeros((k, d)), np.tile(np.eye(d), (k, 1, 1)))
    answer = tuple(int(s) for s in r.shape)
    return Variant(
        prompt=f"x is ({n}, {d}) and the mixture has {k} components. What is the shape of responsibilities(x, ...)?",
        answer=answer, parameters=dict(n=n, d=d, k=k),
        misconceptions=tuple(m for m in (
            Misconception("(K, n)", (k, n), "One ROW per point: row i holds how much each component explains x_i."),
            Misconception("(n, d)", (n, d), "Responsibilities are per component, not per coordinate."),
        ) if m.value != answer),
        explanation=f"One row per point, one column per component: ({n}, {k}).",
    )


QUESTIONS = [
    Numeric("responsibility", draw=responsibility, rtol=RTOL),
    Numeric("one_component_variance", draw=one_component_variance, rtol=RTOL),
    Shape("responsibility_shape", draw=responsibility_shape),
    Choice("never_decreases", "Why can one EM step never lower the log-likelihood?", options=[
        Option("The E-step makes a lower bound touch the log-likelihood at the current parameters; the M-step "
               "maximises that bound, so the new log-likelihood is at least the old one", correct=True),
        Option("Because EM follows the gradient with a small enough learning rate",
               feedback="EM has no learning rate: each M-step is a closed-form maximisation."),
        Option("Because the responsibilities sum to 1",
               feedback="They do, but that alone says nothing about the likelihood; the bound argument does."),
        Option("It can: EM only converges on average",
               feedback="Every single step is non-decreasing (up to rounding); a drop means a bug in the updates."),
    ], explanation="Jensen's inequality gives the bound; equality at the old parameters makes each step monotone."),
    Multi("after_a_step", "After one correct EM step, which always hold?", options=[
        Option("The new weights sum to 1", correct=True),
        Option("Every new covariance is symmetric", correct=True),
        Option("Each row of the responsibilities used sums to 1", correct=True),
        Option("Each column of the responsibilities sums to 1",
               feedback="A column sums to N_k, the effective number of points of component k."),
        Option("The log-likelihood went up strictly",
               feedback="It never goes down, but at a fixed point it stays the same."),
    ], explanation="w_k = N_k / n sums to 1; S_k is a weighted sum of outer products; rows of r are distributions."),
    Order("em_round", "Put one round of EM in order.", steps=[
        "Compute log w_k + log N(x_i; mu_k, S_k) for every point and component",
        "Normalise each row with log-sum-exp to get the responsibilities",
        "Set N_k = sum_i r_ik and w_k = N_k / n",
        "Set mu_k = sum_i r_ik x_i / N_k",
        "Set S_k = sum_i r_ik (x_i - mu_k)(x_i - mu_k)^T / N_k with the new mu_k",
    ], explanation="E-step (the first two), then M-step; the covariance uses the means just computed."),
    Choice("logsumexp_why", "Why compute responsibilities from log-densities with log-sum-exp?", options=[
        Option("Far from every component all densities underflow to 0 and the ratio becomes 0 / 0", correct=True),
        Option("Because log-densities are faster to compute",
               feedback="Speed is not the reason: the direct ratio is simply nan for far points."),
        Option("To make the responsibilities sum to 1",
               feedback="The direct ratio sums to 1 as well, whenever it is defined."),
        Option("Because covariances may be singular",
               feedback="A singular covariance has no density at all: that is an error, not a rounding problem."),
    ], explanation="Subtract the row's max log-term before exp: the largest becomes exp(0) = 1, never 0 / 0."),
]
