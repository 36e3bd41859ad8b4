"""Quiz: softmax, its max-shift, sigmoid as two-class softmax, cross-entropy."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Variant


def _logits(rng, count):
    """Distinct small positive integers: easy to type into exp(), and sum(z) > 0."""
    return rng.sample(range(1, 6), count)


def probability(rng, ref):
    z = _logits(rng, 3)
    index = rng.randrange(3)
    answer = float(ref.softmax([float(v) for v in z])[index])
    terms = " + ".join(f"exp({v})" for v in z)
    return Variant(
        prompt=f"The logits are z = {z}. What probability does softmax give to entry {index} "
               f"(counting from 0), z = {z[index]}? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(z=z, index=index),
        misconceptions=(
            Misconception("normalised the logits, not their exponentials", z[index] / sum(z),
                          "softmax divides exp(z_i) by the sum of exp(z_j); dividing the logits themselves is "
                          "not a distribution for negative logits and ignores how exp sharpens differences."),
            Misconception("used sigmoid(z_i)", 1 / (1 + math.exp(-z[index])),
                          "sigmoid(z_i) compares z_i with 0, not with the other logits; only in the two-class "
                          "case softmax([x, 0])[0] = sigmoid(x)."),
            Misconception("exp(z_i) without the normalisation", math.exp(z[index]),
                          "Divide by the sum of all exp(z_j) so that the probabilities sum to 1."),
        ),
        explanation=f"exp({z[index]}) / ({terms}) = {answer:.4f}.",
    )


def cross_entropy(rng, ref):
    z = _logits(rng, 3)
    target = rng.randrange(3)
    answer = float(ref.cross_entropy([[float(v) for v in z]], [target]))
    p = float(ref.softmax([float(v) for v in z])[target])
    return Variant(
        prompt=f"One example with logits {z} and true class {target} (counting from 0). What is its "
               f"cross-entropy loss (natural log)? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(z=z, target=target),
        misconceptions=(
            Misconception("forgot the minus sign", -answer,
                          "The loss is MINUS the log-probability of the true class: log p < 0, the loss > 0."),
            Misconception("the probability, not its negative log", p,
                          "Cross-entropy is -log p_target, not p_target itself."),
            Misconception("log base 10", -math.log10(p), "Cross-entropy uses the natural log."),
            Misconception("minus the raw logit", -float(z[target]),
                          "Take log_softmax first: -log p = -(z_t - log sum exp z)."),
        ),
        explanation=f"p = softmax(z)[{target}] = {p:.4f}, loss = -log p = {answer:.4f}.",
    )


def uniform_loss(rng, ref):
    import numpy as np

    n = rng.choice([2, 4, 8])
    classes = rng.choice([2, 4, 5, 10, 100])
    targets = [rng.randrange(classes) for _ in range(n)]
    answer = float(ref.cross_entropy(np.zeros((n, classes)), np.array(targets)))
    return Variant(
        prompt="What does this print? (Four significant digits, or an expression such as log(3).)",
        code=(f"import numpy as np\nfrom softmax import cross_entropy\n"
              f"logits = np.zeros(({n}, {classes}))\n"
              f"print(cross_entropy(logits, np.array({targets})))"),
        answer=answer,
        parameters=dict(n=n, classes=classes, targets=targets),
        misconceptions=(
            Misconception("the probability 1/C, not the loss", 1 / classes,
                          f"Equal logits give p = 1/{classes} to every class; the loss is -log(1/{classes})."),
            Misconception("summed over the examples", n * answer,
                          f"cross_entropy is the MEAN over the {n} examples, not their sum."),
            Misconception("log base 2", math.log2(classes), "Cross-entropy uses the natural log."),
        ),
        explanation=f"Zero logits give the uniform distribution, p = 1/{classes}, so every example's loss is "
                    f"-log(1/{classes}) = log({classes}) = {answer:.4f}, and so is the mean.",
    )


QUESTIONS = [
    Choice("why_shift", "Why does a softmax subtract max(z) from the logits before calling exp?", options=[
        Option("exp of a large logit overflows to inf; the shift leaves the result unchanged", correct=True),
        Option("to make the probabilities sum to 1",
               feedback="They sum to 1 anyway: dividing by the sum does that."),
        Option("to make the largest probability exactly 1",
               feedback="The largest SHIFTED logit is 0 and exp(0) = 1, but that is before the division."),
        Option("it changes the result slightly but makes training faster",
               feedback="softmax(z - c) = softmax(z) exactly: exp(-c) cancels between numerator and denominator."),
    ], explanation="softmax(z - c) = softmax(z) for any constant c. With c = max(z) every exponent is <= 0, so "
                   "exp stays in (0, 1] and never overflows (z = 1000 would give inf / inf = nan)."),
    Numeric("probability", draw=probability, rtol=1e-3, points=2),
    Choice("sigmoid_vs_softmax", "How are sigmoid and softmax related?", options=[
        Option("sigmoid(x) = softmax([x, 0])[0]: sigmoid is the two-class softmax with one logit pinned at 0",
               correct=True),
        Option("softmax(z) applies sigmoid to each logit",
               feedback="Then the outputs would not sum to 1: softmax couples the logits through its "
                        "denominator, sigmoid sees one number at a time."),
        Option("sigmoid(x) = softmax([x, x])[0]",
               feedback="softmax([x, x]) is [0.5, 0.5] for every x."),
        Option("they are unrelated: one is for regression, the other for classification",
               feedback="Both turn scores into class probabilities: sigmoid for two classes (or independent "
                        "labels), softmax for C mutually exclusive classes."),
    ], explanation="softmax([x, 0])[0] = e^x / (e^x + 1) = 1 / (1 + e^-x) = sigmoid(x)."),
    Numeric("cross_entropy", draw=cross_entropy, rtol=1e-3, points=2),
    Multi("softmax_facts", "Which statements about softmax are true?", options=[
        Option("softmax(z + c) = softmax(z) for any constant c", correct=True),
        Option("the largest logit gets the largest probability", correct=True),
        Option("softmax(2 * z) = softmax(z)",
               feedback="Scaling the logits changes the temperature: 2z makes the distribution sharper."),
        Option("each output depends only on its own logit",
               feedback="The denominator sums over every logit: raising one logit lowers all other probabilities."),
        Option("for several labels that can be true at once, independent sigmoids fit better than one softmax",
               correct=True),
    ], explanation="Shift invariance and order preservation hold; scale does not (temperature); the outputs are "
                   "coupled through the normalisation, which is why multi-label problems use sigmoids."),
    Predict("uniform_loss", draw=uniform_loss, rtol=1e-3, atol=1e-4),
]
