"""Quiz: simple exponential smoothing and Holt's linear trend: what a fitted value is, forecasts."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant

ALPHAS = (0.2, 0.3, 0.4, 0.7, 0.8)  # never 0.5, where alpha and 1 - alpha coincide


def _smooth(y, alpha, beta, level, trend, *, keep_trend=True, level_without_trend=False):
    """Holt's recursion with the misconceptions as switches (the quiz's wrong formulas, not the answer)."""
    for value in y:
        previous = level
        level = alpha * value + (1 - alpha) * (previous + (0.0 if level_without_trend else trend))
        if keep_trend:
            trend = beta * (level - previous) + (1 - beta) * trend
    return level, trend


def ses_forecast(rng, ref):
    alpha = rng.choice(ALPHAS)
    l0 = rng.choice([0, 10, 20])
    y = [l0 + rng.choice([-6, -4, 4, 6]) for _ in range(3)]
    _, forecast = ref.ses([float(v) for v in y], alpha, float(l0), 1)
    answer = float(forecast[0])
    swapped, _ = _smooth(y, 1 - alpha, 0.0, l0, 0.0)
    from_first, _ = _smooth(y[1:], alpha, 0.0, y[0], 0.0)
    return Variant(
        prompt=f"Simple exponential smoothing with alpha = {alpha} and initial level l0 = {l0} sees y = {y}. "
               f"What is the forecast of the next point?",
        answer=answer,
        parameters=dict(alpha=alpha, l0=l0, y=y),
        misconceptions=tuple(m for m in (
            Misconception("alpha and 1 - alpha swapped", swapped,
                          "alpha is the weight of the NEW point: l_t = alpha y_t + (1 - alpha) l_(t-1)."),
            Misconception("started from the first point, not l0", from_first,
                          "The initial level is given: the state before y_1 is l0, so y_1 is smoothed too."),
            Misconception("the last observation", float(y[-1]),
                          "Only alpha = 1 forecasts the last point; smaller alphas keep some of the old level."),
            Misconception("the mean of y", sum(y) / len(y),
                          "Exponential smoothing weighs recent points more: alpha, alpha (1 - alpha), ..."),
        ) if abs(m.value - answer) > 1e-9 * max(1.0, abs(answer))),
        explanation=f"l = {l0}; then l = {alpha} y_t + {1 - alpha:g} l for each point, ending at {answer:.6g}; "
                    f"SES forecasts that level for every horizon.",
    )


def holt_forecast_from_state(rng, ref):
    level = rng.choice([10, 20, 50, 100])
    trend = rng.choice([-3, -2, -1.5, 0.5, 2, 4])
    h = rng.choice([2, 3, 4, 5, 6])
    _, forecast = ref.holt([], 0.5, 0.5, float(level), float(trend), h)  # no data: forecasts from the state
    answer = float(forecast[h - 1])
    return Variant(
        prompt=f"After the last observation, Holt's method has level l_T = {level} and trend b_T = {trend}. "
               f"What is the forecast {h} steps ahead?",
        answer=answer,
        parameters=dict(level=level, trend=trend, h=h),
        misconceptions=(
            Misconception("horizon counted from 0", level + (h - 1) * trend,
                          f"One step ahead is l_T + 1 * b_T, so {h} steps ahead is l_T + {h} b_T."),
            Misconception("the trend added once", level + trend,
                          "The trend acts at every step: k steps ahead it has been added k times."),
            Misconception("the level alone (the SES forecast)", float(level),
                          "Holt's forecasts are a line from l_T with slope b_T, not flat."),
        ),
        explanation=f"forecast_(T+h) = l_T + h b_T = {level} + {h} * {trend} = {answer:g}.",
    )


def holt_next(rng, ref):
    alpha, beta = rng.choice(ALPHAS), rng.choice([0.1, 0.2, 0.3])
    l0, b0 = rng.choice([0, 10]), rng.choice([1, 2, 3])
    y = [l0 + b0 + rng.choice([-3, -2, 2, 3]), l0 + 2 * b0 + rng.choice([-3, 3, 4])]
    _, forecast = ref.holt([float(v) for v in y], alpha, beta, float(l0), float(b0), 1)
    answer = float(forecast[0])

    def one_step(level_trend):
        level, trend = level_trend
        return level + trend

    return Variant(
        prompt=f"Holt's linear trend with alpha = {alpha}, beta = {beta}, l0 = {l0}, b0 = {b0} sees y = {y}. "
               f"What is the forecast of the next point?",
        answer=answer,
        parameters=dict(alpha=alpha, beta=beta, l0=l0, b0=b0, y=y),
        misconceptions=tuple(m for m in (
            Misconception("the level update without the trend", one_step(
                _smooth(y, alpha, beta, l0, b0, level_without_trend=True)),
                "Before seeing y_t the level is expected at l_(t-1) + b_(t-1): blend y_t with that."),
            Misconception("the trend never updated", one_step(_smooth(y, alpha, beta, l0, b0, keep_trend=False)),
                          "b_t = beta (l_t - l_(t-1)) + (1 - beta) b_(t-1) after every point."),
            Misconception("alpha and 1 - alpha swapped", one_step(_smooth(y, 1 - alpha, beta, l0, b0)),
                          "alpha is the weight of the new point in the level update."),
        ) if abs(m.value - answer) > 1e-9 * max(1.0, abs(answer))),
        explanation=f"Run l_t = alpha y_t + (1 - alpha)(l_(t-1) + b_(t-1)) and b_t = beta (l_t - l_(t-1)) + "
                    f"(1 - beta) b_(t-1) twice; the next forecast is l_2 + b_2 = {answer:.6g}.",
    )


def noiseless_line(rng, ref):
    l0, b0 = rng.choice([-4, 0, 3, 10]), rng.choice([-2, 1, 2, 5])
    alpha, beta = rng.choice(ALPHAS), rng.choice([0.1, 0.5, 0.9])
    y = [float(l0 + b0 * t) for t in (1, 2, 3)]
    _, forecast = ref.holt(y, alpha, beta, float(l0), float(b0), 2)
    answer = float(forecast[1])
    return Variant(
        prompt="What does this print?",
        code="from holt import holt\n"
             f"fitted, forecast = holt(y={y}, alpha={alpha}, beta={beta},\n"
             f"                        l0={float(l0)}, b0={float(b0)}, h=2)\n"
             f"print(forecast[1])",
        answer=answer,
        parameters=dict(l0=l0, b0=b0, alpha=alpha, beta=beta),
        misconceptions=(
            Misconception("horizon counted from 0", l0 + b0 * 4.0,
                          "forecast[1] is TWO steps past y_3: l0 + b0 * 5."),
            Misconception("the last observation", y[-1],
                          "Holt continues the trend; the forecasts do not stay at the last point."),
        ),
        explanation=f"y lies exactly on the line l0 + b0 t and the smoother starts on it, so every one-step error "
                    f"is 0 whatever alpha and beta: l_3 = {y[-1]:g}, b_3 = {b0}, and two steps ahead is "
                    f"{y[-1]:g} + 2 * {b0} = {answer:g}.",
    )


QUESTIONS = [
    Choice("fitted_value",
           "In exponential smoothing, what is the fitted value of y_t?",
           options=[
               Option("the one-step forecast made before seeing y_t", correct=True),
               Option("the smoothed level after y_t is taken in",
                      feedback="That uses y_t to 'predict' itself: the errors look too small. The fitted value is "
                               "l_(t-1) (SES) or l_(t-1) + b_(t-1) (Holt)."),
               Option("y_t itself", feedback="Then every error would be zero; the fitted value is a forecast."),
               Option("the average of all points up to y_t",
                      feedback="The smoother weighs recent points more, and the fitted value uses only the "
                               "points BEFORE y_t."),
           ],
           explanation="Fitted values are one-step-ahead forecasts: fitted_t = l_(t-1) + b_(t-1). Their errors "
                       "y_t - fitted_t are the innovations the method is judged (and fitted) by."),
    Choice("alpha_one",
           "Simple exponential smoothing with alpha = 1 forecasts...",
           options=[
               Option("the last observation (the naive forecast)", correct=True),
               Option("the initial level l0 for ever",
                      feedback="That is alpha = 0: the level never moves."),
               Option("the mean of all observations",
                      feedback="No alpha gives equal weights to all points; alpha = 1 keeps only the newest."),
               Option("a straight line through the data",
                      feedback="SES has no trend: its forecasts are flat whatever alpha is."),
           ],
           explanation="l_t = 1 * y_t + 0 * l_(t-1) = y_t: the level is the last point, and so is every forecast."),
    Multi("beta_zero",
          "Holt's method with beta = 0. Which statements hold?",
          options=[
              Option("the trend stays b0 for ever", correct=True),
              Option("consecutive forecasts differ by exactly b0", correct=True),
              Option("the level stops moving",
                     feedback="beta only smooths the trend; the level still moves towards each point by alpha."),
              Option("the method becomes simple exponential smoothing",
                     feedback="Only if b0 = 0 too: with beta = 0 the level still drifts by b0 at every step."),
          ],
          explanation="b_t = 0 * (l_t - l_(t-1)) + 1 * b_(t-1) = b0: the slope is fixed, the level still adapts."),
    Numeric("ses_forecast", draw=ses_forecast, rtol=1e-4),
    Numeric("holt_forecast_from_state", draw=holt_forecast_from_state, rtol=1e-6),
    Numeric("holt_next", draw=holt_next, rtol=1e-4),
    Predict("noiseless_line", draw=noiseless_line, rtol=1e-9),
]
