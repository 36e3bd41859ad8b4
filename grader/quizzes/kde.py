"""Quiz: Gaussian kernel density estimates, their scaling law, and Nadaraya-Watson regression."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant

RTOL = 1e-3  # answers typed to four significant digits


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer (and from the ones kept before) on this variant."""
    kept = []
    for m in misconceptions:
        others = (answer, *(k.value for k in kept))
        if all(abs(m.value - v) > 2 * rtol * max(abs(v), abs(m.value), 1e-12) for v in others):
            kept.append(m)
    return tuple(kept)


def _two_points(rng):
    a = rng.randint(-3, 2)
    return a, a + rng.randint(1, 3)


def density_at_point(rng, ref):
    a, b = _two_points(rng)
    q, h = rng.randint(a - 1, b + 1), rng.choice([0.5, 1.0, 2.0])
    answer = float(ref.gaussian_kde([a, b], [q], h)[0])
    bumps = sum(math.exp(-0.5 * ((q - x) / h) ** 2) for x in (a, b))
    return Variant(
        prompt=f"gaussian_kde(data=[{a}, {b}], query=[{q}], h={h}): what is the density at {q}?",
        answer=answer, parameters=dict(data=[a, b], q=q, h=h),
        misconceptions=_distinct(answer, (
            Misconception("forgot the 1 / h", answer * h,
                          "Each bump phi((q - x) / h) is divided by h so that it integrates to 1."),
            Misconception("summed instead of averaged", answer * 2,
                          "The estimate is the MEAN of the n bumps: divide by n = 2."),
            Misconception("h as the variance", sum(math.exp(-(q - x) ** 2 / (2 * h)) for x in (a, b))
                          / (2 * math.sqrt(2 * math.pi * h)),
                          "h is the bumps' standard deviation: exp(-(q - x)^2 / (2 h^2)) / (h sqrt(2 pi))."),
            Misconception("forgot the 1 / sqrt(2 pi)", answer * math.sqrt(2 * math.pi),
                          "phi(u) = exp(-u^2 / 2) / sqrt(2 pi)."),
        )),
        explanation=f"(1 / (2 * {h} * sqrt(2 pi))) * (sum of exp(-((q - x_i) / h)^2 / 2) = {bumps:.4g}) "
                    f"= {answer:.4g}.",
    )


def scaled_density(rng, ref):
    a, b = _two_points(rng)
    q, h, scale = rng.randint(a - 1, b + 1), rng.choice([0.5, 1.0]), rng.choice([2, 4, 5, 10])
    before = float(ref.gaussian_kde([a, b], [q], h)[0])
    answer = float(ref.gaussian_kde([scale * a, scale * b], [scale * q], scale * h)[0])
    return Variant(
        prompt=f"The density estimate of data [{a}, {b}] with h = {h} at q = {q} is {before:.6g}. Multiply the data, "
               f"the query and h by {scale}: what is the new density at {scale * q}?",
        answer=answer, parameters=dict(data=[a, b], q=q, h=h, scale=scale, before=before),
        misconceptions=_distinct(answer, (
            Misconception("unchanged", before, "Stretching the axis by a spreads the same probability over a times "
                                               "the length: the density falls by the factor a."),
            Misconception("multiplied by a", before * scale, "It is divided by a, not multiplied: the area stays 1."),
        )),
        explanation=f"kde(a d, a q, a h) = kde(d, q, h) / a = {before:.6g} / {scale} = {answer:.4g}.",
    )


def nw_prediction(rng, ref):
    a, b = _two_points(rng)
    ya, yb = rng.randint(-5, 5), rng.randint(6, 15)
    q, h = rng.choice([a, b, (a + b) / 2, a - 1]), rng.choice([0.5, 1.0, 2.0])
    answer = float(ref.nadaraya_watson([a, b], [ya, yb], [q], h)[0])
    wa, wb = (math.exp(-((q - x) ** 2) / (2 * h * h)) for x in (a, b))
    return Variant(
        prompt=f"nadaraya_watson(x_train=[{a}, {b}], y_train=[{ya}, {yb}], x_query=[{q}], h={h}): what is the "
               f"prediction?",
        answer=answer, parameters=dict(x=[a, b], y=[ya, yb], q=q, h=h),
        misconceptions=_distinct(answer, (
            Misconception("not normalised", wa * ya + wb * yb,
                          "The prediction is a weighted MEAN: divide sum(w y) by sum(w)."),
            Misconception("divided by n", (wa * ya + wb * yb) / 2,
                          "Divide by the sum of the weights, not by n: the weights do not add up to n."),
            Misconception("the plain mean of y", (ya + yb) / 2,
                          "The weights favour the nearer point; only a huge h gives the plain mean."),
        )),
        explanation=f"w = exp(-(q - x)^2 / (2 h^2)) = ({wa:.4g}, {wb:.4g}); (w . y) / sum(w) = {answer:.4g}.",
    )


def far_query(rng, ref):
    a, b = _two_points(rng)
    ya, yb = rng.randint(-5, 5), rng.randint(6, 15)
    q = rng.choice([b + rng.randint(50, 200), a - rng.randint(50, 200)])
    answer = float(ref.nadaraya_watson([a, b], [ya, yb], [q], 0.1)[0])
    code = ("from kde import nadaraya_watson\n"
            f"x_train, y_train = [{a}, {b}], [{ya}, {yb}]\n"
            f"print(nadaraya_watson(x_train, y_train, x_query=[{q}], h=0.1)[0])")
    return Variant(
        prompt="What does this print (with a stable nadaraya_watson)?", code=code, answer=answer,
        parameters=dict(x=[a, b], y=[ya, yb], q=q),
        misconceptions=_distinct(answer, (
            Misconception("the mean of y", (ya + yb) / 2,
                          "Far away every weight underflows, but their RATIOS do not: the nearest point's weight "
                          "dominates all the others by a factor exp(huge)."),
            Misconception("the farther point's y", float(ya if answer == yb else yb),
                          "The weight falls with the distance: the NEAREST training point wins."),
        )),
        explanation=f"q = {q} is far from both points; the weights are a softmax of -(q - x)^2 / (2 h^2), which puts "
                    f"all the mass on the nearest x, so the prediction is its y, {answer:g}.",
    )


QUESTIONS = [
    Numeric("density_at_point", draw=density_at_point, rtol=RTOL),
    Numeric("scaled_density", draw=scaled_density, rtol=RTOL),
    Numeric("nw_prediction", draw=nw_prediction, rtol=RTOL),
    Predict("far_query", draw=far_query),
    Choice("naive_nan", "Far from every training point, sum(w * y) / sum(w) returns nan. Why?", options=[
        Option("Every weight exp(-(q - x)^2 / 2h^2) underflows to 0, so the ratio is 0 / 0", correct=True),
        Option("exp overflows to inf", feedback="The exponent is very negative, so exp underflows to 0; it never "
                                                "overflows here."),
        Option("The prediction is undefined that far from the data",
               feedback="The limit exists: the nearest point's weight dominates every other, so the prediction tends "
                        "to its y. Only the floating-point evaluation fails."),
        Option("h is too large", feedback="A SMALL h makes the weights underflow sooner; a large h avoids it."),
    ], explanation="Subtract the largest exponent before exp (softmax's max-shift): the nearest weight becomes 1."),
    Multi("kde_facts", "Which are true of a Gaussian kernel density estimate?", options=[
        Option("It integrates to 1", correct=True),
        Option("It is a mixture of n Gaussians, each with weight 1 / n", correct=True),
        Option("A smaller h gives a spikier estimate", correct=True),
        Option("A larger h is always better because the estimate is smoother",
               feedback="Too large an h blurs real structure (oversmoothing): h trades variance for bias."),
        Option("It can be negative between data points",
               feedback="It is an average of Gaussian densities, each positive everywhere."),
    ], explanation="f = (1/n) sum_i N(q; x_i, h^2): a mixture, positive, integrating to 1; h sets its smoothness."),
    Choice("nw_weights_softmax", "The Nadaraya-Watson weights w_i / sum_j w_j at a query q are softmax of what?",
           options=[
               Option("-(q - x_i)^2 / (2 h^2)", correct=True),
               Option("(q - x_i)^2 / (2 h^2)", feedback="The sign matters: nearer points must get larger weights."),
               Option("-|q - x_i| / h", feedback="That is the Laplace kernel, not the Gaussian one."),
               Option("y_i", feedback="The weights depend on where the x_i are, not on their y values."),
           ], explanation="w_i = exp(s_i) with s_i = -(q - x_i)^2 / (2 h^2), normalised: exactly softmax(s)."),
]
