"""Quiz: exponentially weighted averages, their effective window, and the bias correction."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant, distinct

RTOL = 1e-3


def effective_window(rng, ref):
    beta = rng.choice([0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999])
    # The share of a new point, 1 - beta, from the reference's uncorrected first value; the weights
    # (1 - beta) beta**k fade over about 1 / that many points.
    share = float(ref.ewma([1.0], beta, bias_correction=False)[0])
    answer = 1.0 / share
    return Variant(
        prompt=f"An exponentially weighted average with beta = {beta}: over roughly how many recent points does "
               f"it average (the usual rule of thumb, the 'effective window')?",
        answer=answer,
        parameters=dict(beta=beta),
        misconceptions=distinct(answer, (
            Misconception("1 / beta", 1 / beta, "The window grows as beta approaches 1: it is 1 / (1 - beta)."),
            Misconception("beta / (1 - beta)", beta / (1 - beta),
                          "beta / (1 - beta) is the mean AGE of the weights; the window is 1 / (1 - beta)."),
            Misconception("1 / (1 - beta)**2", 1 / (1 - beta) ** 2, "No square: the weights sum like a geometric "
                                                                    "series with ratio beta, 1 / (1 - beta)."),
        ), rtol=RTOL),
        explanation=f"The weight of a point k steps back is (1 - beta) beta**k; its scale is 1 / (1 - beta) = "
                    f"{answer:g} points (beta**(1/(1-beta)) is about 1/e).",
    )


def second_value(rng, ref):
    beta = rng.choice([0.5, 0.8, 0.9])
    x1, x2 = rng.sample(range(1, 10), 2)
    answer = float(ref.ewma([float(x1), float(x2)], beta, bias_correction=False)[1])
    corrected = float(ref.ewma([float(x1), float(x2)], beta)[1])
    return Variant(
        prompt=f"v_0 = 0 and v_t = beta v_(t-1) + (1 - beta) x_t with beta = {beta}. The series is x_1 = {x1}, "
               f"x_2 = {x2}. What is v_2, WITHOUT bias correction?",
        answer=answer,
        parameters=dict(beta=beta, x=[x1, x2]),
        misconceptions=distinct(answer, (
            Misconception("started from v_0 = x_1", beta * x1 + (1 - beta) * x2,
                          "Here v_0 = 0 (that is why a bias correction exists); pandas' adjust=False starts "
                          "from the first point instead."),
            Misconception("swapped beta and 1 - beta", (1 - beta) * ((1 - beta) * 0 + beta * x1) + beta * x2,
                          "beta multiplies the previous AVERAGE; (1 - beta) the new point."),
            Misconception("applied the bias correction", corrected,
                          "The question asks for the uncorrected v_2."),
        ), rtol=RTOL),
        explanation=f"v_1 = (1 - {beta}) * {x1} = {(1 - beta) * x1:g}; v_2 = {beta} * v_1 + (1 - {beta}) * {x2} = "
                    f"{answer:g}.",
    )


def corrected_value(rng, ref):
    beta = rng.choice([0.5, 0.8, 0.9])
    t = rng.choice([2, 3])
    x = rng.sample(range(1, 10), t)
    series = [float(v) for v in x]
    answer = float(ref.ewma(series, beta)[t - 1])
    raw = float(ref.ewma(series, beta, bias_correction=False)[t - 1])
    return Variant(
        prompt=f"The EWMA with beta = {beta} and v_0 = 0 runs over x = {x}. What is the BIAS-CORRECTED "
               f"average at t = {t}, v_{t} / (1 - beta**{t})? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(beta=beta, x=x, t=t),
        misconceptions=distinct(answer, (
            Misconception("no bias correction", raw, f"Divide v_{t} by 1 - beta**{t}."),
            Misconception("correction exponent off by one (t - 1)", raw / (1 - beta ** (t - 1)),
                          f"At step t the weights sum to 1 - beta**t: divide by 1 - beta**{t}, not beta**{t - 1}."),
            Misconception("correction exponent off by one (t + 1)", raw / (1 - beta ** (t + 1)),
                          f"At step t the weights sum to 1 - beta**t: divide by 1 - beta**{t}, not beta**{t + 1}."),
            Misconception("the plain mean of the series", sum(x) / t,
                          "The corrected EWMA is a WEIGHTED mean: recent points weigh more."),
        ), rtol=RTOL),
        explanation=f"Uncorrected v_{t} = {raw:.4g}; the weights sum to 1 - {beta}**{t} = {1 - beta ** t:.4g}; "
                    f"v_{t} / that = {answer:.4g}.",
    )


def constant_series(rng, ref):
    c = rng.choice([2.0, 5.0, 10.0])
    beta = rng.choice([0.5, 0.9])
    n = 3
    answer = tuple(float(v) for v in ref.ewma([c] * n, beta))
    raw = tuple(float(v) for v in ref.ewma([c] * n, beta, bias_correction=False))
    return Variant(
        prompt="What does this print? (Type the numbers, e.g. [1.5 2 3].)",
        code=f"from ewma import ewma\nprint(ewma([{c}, {c}, {c}], beta={beta}))",
        answer=answer,
        parameters=dict(c=c, beta=beta),
        misconceptions=(Misconception("forgot the bias correction", raw,
                                      "ewma corrects by default: a constant series comes out exactly constant."),),
        explanation=f"Corrected, every value is a weighted mean of equal numbers: {c:g}. Uncorrected, the "
                    f"first values would be dragged towards v_0 = 0.",
    )


QUESTIONS = [
    Numeric("effective_window", draw=effective_window, rtol=RTOL),
    Choice("why_correction", "Why does Adam (and a corrected EWMA) divide v_t by 1 - beta**t?", options=[
        Option("v_0 = 0 drags the early averages towards 0; the weights only sum to 1 - beta**t", correct=True),
        Option("to make the average smoother",
               feedback="The correction does not smooth: it rescales, and it fades out as beta**t -> 0."),
        Option("to keep the average from overflowing",
               feedback="The average of bounded numbers stays bounded; the issue is a bias towards the start "
                        "value 0."),
        Option("it makes the late values larger than the data",
               feedback="Late in the series 1 - beta**t is about 1: the correction vanishes."),
    ], explanation="v_t = (1 - beta) sum beta**(t-i) x_i, weights summing to 1 - beta**t. Dividing by that sum "
                   "makes it a true weighted mean from the very first step."),
    Numeric("second_value", draw=second_value, rtol=RTOL, points=2),
    Numeric("corrected_value", draw=corrected_value, rtol=RTOL, points=2),
    Multi("ewma_facts", "Which statements about v_t = beta v_(t-1) + (1 - beta) x_t are true?", options=[
        Option("beta = 0 returns the series itself", correct=True),
        Option("the average is linear in x: ewma(a x + b y) = a ewma(x) + b ewma(y)", correct=True),
        Option("a larger beta reacts faster to a change in x",
               feedback="A larger beta keeps more of the past: it reacts SLOWER and smooths more."),
        Option("the bias correction matters most at the end of a long series",
               feedback="1 - beta**t -> 1 as t grows: it matters at the START."),
    ], explanation="beta is the memory: 0 forgets everything, near 1 remembers ~1/(1 - beta) points."),
    Predict("constant_series", draw=constant_series, rtol=RTOL, atol=1e-6),
]
