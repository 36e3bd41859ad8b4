"""Quiz: activation functions, their derivatives, and what tells MSE from MAE (and Huber)."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant


def _differs(value, answer, rtol=1e-6):
    return abs(value - answer) > rtol * max(abs(answer), 1e-12)


def _only_different(answer, *misconceptions):
    """The misconceptions whose value differs from the answer and from every one kept before it."""
    kept = []
    for m in misconceptions:
        if all(_differs(m.value, v) for v in [answer] + [k.value for k in kept]):
            kept.append(m)
    return tuple(kept)


def _sigmoid_slope(rng, ref):
    x = rng.choice([-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0])
    s = float(ref.activation([x], "sigmoid")[0])
    answer = float(ref.activation_grad([x], "sigmoid")[0])
    return Variant(
        prompt=f"sigmoid({x:g}) = {s:.6f}. What is the derivative of sigmoid at x = {x:g}?",
        answer=answer, parameters={"x": x},
        misconceptions=_only_different(
            answer,
            Misconception("x (1 - x): the output formula applied to the input", x * (1.0 - x),
                          "sigmoid' = s (1 - s) takes s = sigmoid(x), the output, not x."),
            Misconception("the value of sigmoid, not its slope", s, "That is sigmoid(x) itself."),
            Misconception("1 - s^2 (the tanh formula)", 1.0 - s * s,
                          "1 - tanh^2 is tanh's derivative; sigmoid's is s (1 - s)."),
        ),
        explanation=f"sigmoid'(x) = s (1 - s) = {s:.6f} * {1 - s:.6f} = {answer:.6f}.")


def _huber_value(rng, ref):
    delta = rng.choice([0.5, 1.0, 2.0])
    residuals = [rng.choice([-1, 1]) * rng.choice([0.25, 0.5, 1.0, 1.5, 3.0, 4.0]) for _ in range(2)]
    y_true = [0.0, 0.0]
    answer = ref.huber(y_true, residuals, delta)
    inside = [abs(r) <= delta for r in residuals]
    no_half = sum(r * r if ok else delta * (abs(r) - delta / 2) for r, ok in zip(residuals, inside)) / 2
    no_offset = sum(r * r / 2 if ok else delta * abs(r) for r, ok in zip(residuals, inside)) / 2
    return Variant(
        prompt=(f"Residuals r = y_pred - y_true = {residuals}, delta = {delta}. What is the Huber loss "
                f"(the mean of r^2 / 2 where |r| <= delta, delta (|r| - delta / 2) elsewhere)?"),
        answer=answer, parameters={"residuals": residuals, "delta": delta},
        misconceptions=_only_different(
            answer,
            Misconception("r^2 instead of r^2 / 2 in the quadratic piece", no_half,
                          "The quadratic piece is r^2 / 2, so that it meets delta (|r| - delta / 2) at |r| = delta."),
            Misconception("delta |r| without the - delta^2 / 2", no_offset,
                          "The linear piece is shifted down by delta^2 / 2 so the two pieces join."),
            Misconception("half the mean squared error", ref.mse(y_true, residuals) / 2,
                          "Beyond delta Huber grows linearly, like MAE; only inside delta is it r^2 / 2."),
        ),
        explanation=f"Each |r| <= {delta} gives r^2 / 2, each larger one {delta} (|r| - {delta / 2:g}); the mean is "
                    f"{answer:g}.")


def _best_constant(rng, ref):
    values = sorted(rng.sample(range(0, 10), 4))
    outlier = rng.choice([50, 80, 100])
    y = [float(v) for v in values] + [float(outlier)]
    # The constant prediction with the smallest MAE, found with the reference's mae over the data points.
    answer = min(y, key=lambda c: (ref.mae(y, [c] * len(y)), c))
    return Variant(
        prompt=(f"The targets are {y}. You predict one constant c for all of them. Which c minimises the MAE "
                f"(mean absolute error)?"),
        answer=answer, parameters={"y": y},
        misconceptions=_only_different(
            answer,
            Misconception("the mean (it minimises MSE, not MAE)", sum(y) / len(y),
                          "The mean minimises the squared error; the absolute error is minimised by the median, "
                          "which the outlier barely moves."),
        ),
        explanation=f"The median {answer:g}: moving c past it adds more distance to the points on one side than it "
                    f"saves on the other. The mean, {sum(y) / len(y):g}, is dragged towards the outlier {outlier}.")


def _mse_grad_entry(rng, ref):
    n = rng.choice([2, 4, 5])
    y_true = [float(rng.randint(-3, 3)) for _ in range(n)]
    y_pred = [float(rng.randint(-3, 3)) for _ in range(n)]
    y_pred[0] = y_true[0] + rng.choice([-2.0, -1.0, 1.0, 3.0])
    r0 = y_pred[0] - y_true[0]
    answer = float(ref.loss_grad(y_true, y_pred, "mse")[0])
    return Variant(
        prompt="What does this print (the first entry of the gradient of mse with respect to y_pred)?",
        code="from activations import loss_grad\n"
             f"y_true = {y_true}\n"
             f"y_pred = {y_pred}\n"
             f'print(loss_grad(y_true, y_pred, "mse")[0])',
        answer=answer, parameters={"y_true": y_true, "y_pred": y_pred},
        misconceptions=_only_different(
            answer,
            Misconception("no factor 2", r0 / n, "d(r^2)/dr = 2r: the gradient of mean(r^2) is 2 r / N."),
            Misconception("no division by N", 2 * r0, "The loss is a mean over N elements, so each entry has 1 / N."),
            Misconception("the sign flipped", -answer, "The gradient is with respect to y_pred: r = y_pred - y_true."),
        ),
        explanation=f"2 r / N = 2 * {r0:g} / {n} = {answer:g}.")


QUESTIONS = [
    Numeric("sigmoid_slope", draw=_sigmoid_slope, rtol=1e-4),
    Numeric("huber_value", draw=_huber_value, rtol=1e-4),
    Numeric("best_constant_for_mae", draw=_best_constant, rtol=1e-9),
    Predict("mse_gradient_entry", draw=_mse_grad_entry),
    Choice("outliers", "One target is off by M = 100 and every other prediction is perfect. Why does that point "
                       "dominate the MSE much more than the MAE?", options=[
        Option("Its squared error grows like M^2, its absolute error only like M.", correct=True),
        Option("MAE ignores errors larger than 1.",
               feedback="MAE counts every error, just linearly: |100| adds 100 / N."),
        Option("MSE divides by N and MAE does not.", feedback="Both are means over the N elements."),
        Option("MAE uses the median of the errors.",
               feedback="MAE is the mean of |r|; the median is what minimises it over constant predictions."),
    ], explanation="An outlier of size M adds M^2 / N to MSE but M / N to MAE; doubling it quadruples its MSE "
                   "share and only doubles its MAE share. Huber is quadratic near 0 and linear beyond delta."),
    Multi("at_zero", "Which of these hold at x = 0 (with the conventions of this topic, which are torch's)?", options=[
        Option("relu'(0) = 0", correct=True),
        Option("sigmoid'(0) = 0.25", correct=True),
        Option("tanh'(0) = 1", correct=True),
        Option("gelu(0) = 0.5", feedback="gelu(0) = 0 * Phi(0) = 0; it is Phi(0), the normal CDF, that is 0.5."),
        Option("leaky_relu'(0) = 0", feedback="leaky_relu is 0.01 x for x <= 0, so its slope at 0 is 0.01."),
        Option("sigmoid(0) = 0", feedback="sigmoid(0) = 1 / (1 + e^0) = 0.5."),
    ], explanation="relu has a kink at 0 and its derivative is taken as 0 there; sigmoid' = s (1 - s) = 0.25 at "
                   "s = 0.5; tanh' = 1 - tanh^2 = 1 at 0."),
    Choice("stable_sigmoid", "Why compute sigmoid with exp(-|x|) instead of 1 / (1 + exp(-x))?", options=[
        Option("For x = -1000, exp(-x) = exp(1000) overflows; exp(-|x|) is never larger than 1.", correct=True),
        Option("It is a different function that trains better.",
               feedback="It is the same function, written so that no intermediate overflows."),
        Option("exp(-x) is slower to compute.", feedback="Speed is not the issue; overflow for large negative x is."),
    ], explanation="For x < 0 use exp(x) / (1 + exp(x)) = e / (1 + e) with e = exp(-|x|)."),
]
