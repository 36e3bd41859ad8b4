"""Quiz: the local level model and its Kalman filter: the gain, the signal-to-noise ratio, ARIMA(0,1,1)."""


from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Variant, distinct

RTOL = 1e-3
STEADY_STEPS = 400  # enough filter steps for the variance to settle to ~1e-12 at these ratios


def _steady_gain(ref, sigma2_eps, sigma2_eta):
    """The filter's gain once its variance has settled, from the reference filter itself."""
    run = ref.local_level_filter([0.0] * STEADY_STEPS, sigma2_eps, sigma2_eta, p1=1.0)
    p = float(run["predicted_var"][-1])
    return p / (p + sigma2_eps)


def steady_gain(rng, ref):
    sigma2_eps = rng.choice([1.0, 2.0, 4.0])
    q = rng.choice([0.1, 0.25, 0.5, 1.0, 2.0, 4.0])
    sigma2_eta = q * sigma2_eps
    answer = _steady_gain(ref, sigma2_eps, sigma2_eta)
    p_bar = answer * sigma2_eps / (1 - answer)
    return Variant(
        prompt=f"Local level model with sigma2_eps = {sigma2_eps:g} (observation noise) and sigma2_eta = "
               f"{sigma2_eta:g} (level noise). After many steps the predicted variance settles at the P that "
               f"solves P**2 - sigma2_eta P - sigma2_eta sigma2_eps = 0, and the Kalman gain K = P / (P + "
               f"sigma2_eps) with it. What is the steady-state K? Three significant digits, or an expression.",
        answer=answer,
        parameters=dict(sigma2_eps=sigma2_eps, sigma2_eta=sigma2_eta),
        misconceptions=distinct(answer, (
            Misconception("K = q / (1 + q), as if P were sigma2_eta", q / (1 + q),
                          "The predicted variance P accumulates: it solves P = P sigma2_eps / (P + sigma2_eps) + "
                          "sigma2_eta, larger than sigma2_eta alone."),
            Misconception("the signal-to-noise ratio q itself", q, "q = sigma2_eta / sigma2_eps sets K, but K is "
                                                                   "always in (0, 1)."),
            Misconception("the steady variance P, not the gain", p_bar,
                          "K = P / (P + sigma2_eps): divide the steady P by P + sigma2_eps."),
        ), rtol=RTOL),
        explanation=f"q = {q:g}; P solves P**2 - sigma2_eta P - sigma2_eta sigma2_eps = 0: P = {p_bar:.4g}; "
                    f"K = P / (P + {sigma2_eps:g}) = {answer:.4g}. Larger q, larger K: the filter follows the data.",
    )


def arima_theta(rng, ref):
    sigma2_eps = 1.0
    q = rng.choice([0.1, 0.25, 0.5, 1.0, 2.0])
    gain = _steady_gain(ref, sigma2_eps, q * sigma2_eps)
    answer = gain - 1.0  # the filter is simple exponential smoothing with alpha = K, i.e. ARIMA(0,1,1), theta = K - 1
    return Variant(
        prompt=f"A local level model with q = sigma2_eta / sigma2_eps = {q:g} has the steady Kalman gain "
               f"K = {gain:.6f}: its forecast is exponential smoothing with alpha = K. The same series is an "
               f"ARIMA(0,1,1), Delta y_t = e_t + theta e_(t-1). What is theta? Three significant digits.",
        answer=answer,
        parameters=dict(q=q),
        misconceptions=distinct(answer, (
            Misconception("sign of theta flipped", -answer,
                          "theta is negative: differencing a level plus noise gives negatively correlated changes."),
            Misconception("the gain K, not theta = K - 1", gain,
                          "The smoothing weight alpha = K = 1 + theta; theta itself is K - 1."),
            Misconception("theta = -K", -gain,
                          "Smoothing with alpha = K matches 1 + theta = K: theta = K - 1, not -K."),
        ), rtol=RTOL),
        explanation=f"Steady gain K = {gain:.4g} = 1 + theta, so theta = {answer:.4g}: the forecast is exponential "
                    f"smoothing with alpha = K.",
    )


def one_update(rng, ref):
    a1, p1 = float(rng.choice([0, 10])), rng.choice([3.0, 4.0, 8.0])  # p1 != sigma2_eps: K = 1/2 hides mistakes
    sigma2_eps = rng.choice([1.0, 2.0])
    y1 = float(a1 + rng.choice([-6, -3, 2, 4, 8]))
    answer = float(ref.local_level_filter([y1], sigma2_eps, 1.0, a1=a1, p1=p1)["filtered_state"][0])
    gain = p1 / (p1 + sigma2_eps)
    return Variant(
        prompt=f"Prior for the level: mean a1 = {a1:g}, variance p1 = {p1:g}. The first observation is y1 = {y1:g}, "
               f"with observation noise sigma2_eps = {sigma2_eps:g}. What is the filtered level after seeing y1?",
        answer=answer,
        parameters=dict(a1=a1, p1=p1, sigma2_eps=sigma2_eps, y1=y1),
        misconceptions=distinct(answer, (
            Misconception("gain upside down: sigma2_eps / (p1 + sigma2_eps)",
                          a1 + sigma2_eps / (p1 + sigma2_eps) * (y1 - a1),
                          "K = P / (P + sigma2_eps): the more uncertain the PRIOR, the more weight on y."),
            Misconception("no update: the prior mean", a1, "The filter moves towards y1 by K times the surprise."),
            Misconception("took the observation as the level", y1,
                          "Only with sigma2_eps = 0 would the filter trust y1 completely."),
            Misconception("the plain average of prior and observation", (a1 + y1) / 2,
                          "The weights are the precisions, not 1/2 each: K = p1 / (p1 + sigma2_eps)."),
        ), rtol=RTOL),
        explanation=f"K = {p1:g} / ({p1:g} + {sigma2_eps:g}) = {gain:.4g}; a = {a1:g} + K ({y1:g} - {a1:g}) = "
                    f"{answer:.4g}.",
    )


def no_level_noise(rng, ref):
    y = rng.sample(range(1, 12), 4)
    answer = float(ref.local_level_filter([float(v) for v in y], 1.0, 0.0)["filtered_state"][-1])
    return Variant(
        prompt="What does this print? (The default prior p1 = 1e7 is diffuse: it knows nothing.)",
        code=f"from local_level import local_level_filter\n"
             f"y = {[float(v) for v in y]}\n"
             f"f = local_level_filter(y, sigma2_eps=1.0, sigma2_eta=0.0)\n"
             f"print(round(f['filtered_state'][-1], 3))",
        answer=round(answer, 3),
        parameters=dict(y=y),
        misconceptions=distinct(round(answer, 3), (
            Misconception("the last observation", float(y[-1]),
                          "With sigma2_eta = 0 the level never moves: every observation measures the same level."),
            Misconception("the first observation", float(y[0]),
                          "The diffuse prior takes y1 first, then each new y pulls the estimate: a running mean."),
        ), rtol=RTOL, atol=1e-3),
        explanation=f"No level noise and a diffuse prior make the filter a running mean: "
                    f"({' + '.join(map(str, y))}) / 4 = {sum(y) / 4:g}.",
    )


QUESTIONS = [
    Numeric("steady_gain", draw=steady_gain, rtol=RTOL, points=2),
    Numeric("arima_theta", draw=arima_theta, rtol=RTOL, atol=1e-4, points=2),
    Numeric("one_update", draw=one_update, rtol=RTOL, points=2),
    Choice("signal_to_noise", "What does a large signal-to-noise ratio q = sigma2_eta / sigma2_eps do to the "
                              "filtered level?", options=[
        Option("it follows the observations closely (K near 1): the level is believed to move a lot", correct=True),
        Option("it smooths more, approaching the running mean",
               feedback="That is q -> 0: a level that barely moves is best estimated by averaging."),
        Option("nothing: q only affects the log-likelihood",
               feedback="q sets the steady-state gain K, which decides how far each observation pulls the level."),
        Option("it makes the filtered variance grow without bound",
               feedback="The filtered variance settles at a steady value for any q > 0."),
    ], explanation="K grows with q: q -> infinity gives K -> 1 (the level is the last observation), q -> 0 gives "
                   "K -> 0 (a running mean)."),
    Order("filter_step", "Put one step of the local level Kalman filter in order (state a, variance P).", steps=[
        "the surprise and its variance: v = y_t - a, F = P + sigma2_eps",
        "the gain: K = P / F",
        "the update: a = a + K v and P = P (1 - K)",
        "the prediction for t + 1: P = P + sigma2_eta (the level carries over)",
    ], explanation="Surprise, gain, update, then the prediction for the next step. (v and F, and the two "
                   "updates, do not depend on each other: each pair is one step here.)"),
    Multi("filter_facts", "Which statements about the local level filter and smoother are true?", options=[
        Option("the filtered variance is at most the predicted variance", correct=True),
        Option("at the last time step the smoothed estimate equals the filtered one", correct=True),
        Option("a missing observation (NaN) skips the update: the prediction stands", correct=True),
        Option("the smoothed variance can exceed the filtered variance",
               feedback="The smoother uses more data (the future too): its variance is at most the filtered one."),
        Option("the filter needs the whole series before it can estimate mu_1",
               feedback="That is the smoother; the filter is online and uses y_1..y_t only."),
    ], explanation="Each observation can only reduce uncertainty; the smoother conditions on everything, so at the "
                   "end it has nothing more to add."),
    Predict("no_level_noise", draw=no_level_noise, rtol=RTOL, atol=1e-3),
]
