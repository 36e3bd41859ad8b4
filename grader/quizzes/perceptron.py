"""Quiz: the single neuron and the perceptron learning rule."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Variant

TRUTH_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
GATES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "NAND": [1, 1, 1, 0]}
LEARNING_RATES = [0.25, 0.5, 1.0, 2.0, 4.0]


def _fire_at_threshold(rng, ref):
    """Half of the variants land exactly on the threshold: the strict > is the point."""
    inputs = [rng.randint(0, 3), rng.randint(0, 3)]
    weights = [rng.randint(-2, 3), rng.randint(-2, 3)]
    bias = rng.randint(-3, 3)
    total = inputs[0] * weights[0] + inputs[1] * weights[1] + bias
    threshold = total if rng.random() < 0.5 else total + rng.choice([-1, 1])
    answer = ref.neuron_fire([float(v) for v in inputs], [float(v) for v in weights], float(bias),
                             threshold=float(threshold))
    wrong = 1 if total >= threshold else 0  # the >= reading
    misconceptions = ()
    if wrong != answer:
        misconceptions = (Misconception("fires at the threshold", wrong,
                                        "The neuron fires only when the sum is strictly greater than the "
                                        "threshold; exactly at it, it stays at 0."),)
    return Variant(
        prompt="What does this print?",
        code="from perceptron import neuron_fire\n"
             f"print(neuron_fire({inputs}, {weights}, bias={bias}, threshold={threshold}))",
        answer=answer, parameters={"inputs": inputs, "weights": weights, "bias": bias, "threshold": threshold},
        misconceptions=misconceptions,
        explanation=f"inputs . weights + bias = {total}; it fires only if that is > {threshold}, so {answer}.")


def _epochs_on_a_gate(rng, ref):
    gate = rng.choice(sorted(GATES))
    lr = rng.choice(LEARNING_RATES)
    w, b, errors = ref.perceptron_train(TRUTH_INPUTS, GATES[gate], lr=lr, max_epochs=100)
    answer = len(errors)
    return Variant(
        prompt=(f"perceptron_train learns {gate} on the rows (0,0), (0,1), (1,0), (1,1) in that order, "
                f"with lr = {lr}, starting from w = 0, b = 0. How many entries does errors have "
                f"(how many epochs ran)?"),
        answer=answer, parameters={"gate": gate, "lr": lr},
        misconceptions=tuple(m for m in (
            Misconception("left out the final error-free epoch", answer - 1,
                          "Training stops after the first epoch with no errors, and that epoch is counted too: "
                          "errors ends with 0."),
            Misconception("counted updates, not epochs", sum(errors),
                          "That is the number of updates (the sum of errors); an epoch is one pass over all "
                          "four rows."),
        ) if m.value != answer),
        explanation=(f"errors = {errors}. From w = 0 the learning rate only scales w and b, so every lr gives "
                     f"the same run and the same {answer} epochs."))


def _bias_after_training(rng, ref):
    gate = rng.choice(sorted(GATES))
    lr = rng.choice([v for v in LEARNING_RATES if v != 1.0])
    _, b, _ = ref.perceptron_train(TRUTH_INPUTS, GATES[gate], lr=lr, max_epochs=100)
    _, b_one, _ = ref.perceptron_train(TRUTH_INPUTS, GATES[gate], lr=1.0, max_epochs=100)
    return Variant(
        prompt=(f"With lr = 1, perceptron_train on {gate} (rows in the usual order) ends with b = {b_one:g}. "
                f"What is b with lr = {lr}?"),
        answer=b, parameters={"gate": gate, "lr": lr},
        misconceptions=(Misconception("the learning rate changes nothing", b_one,
                                      "Every update adds lr * (y - p), so from zero every weight and the bias "
                                      "are lr times those of the lr = 1 run (the decisions are the same)."),)
        if b_one != b else (),
        explanation=f"Starting from zero, the run with lr = {lr} is the lr = 1 run scaled by {lr}: b = {b:g}.")


QUESTIONS = [
    Choice("xor", "Which of these gates can a single perceptron never learn (no epoch without errors)?", options=[
        Option("XOR", correct=True),
        Option("AND", feedback="AND is separable: the line x1 + x2 = 1.5 splits (1, 1) from the rest."),
        Option("NAND", feedback="NAND is AND with the labels flipped: the same line separates it."),
        Option("OR", feedback="OR is separable: the line x1 + x2 = 0.5 splits (0, 0) from the rest."),
    ], explanation="XOR's 1s sit on one diagonal and its 0s on the other: no single line separates them, "
                   "so every epoch has at least one error. A hidden layer fixes that."),
    Predict("fire_at_threshold", draw=_fire_at_threshold),
    Numeric("epochs_on_a_gate", draw=_epochs_on_a_gate, exact=True),
    Numeric("bias_scales_with_lr", draw=_bias_after_training, rtol=1e-9),
    Multi("true_statements", "Which statements about the perceptron (trained from w = 0, b = 0) are true?", options=[
        Option("If a hyperplane separates the classes with a margin, training reaches an epoch with no errors.",
               correct=True),
        Option("The learning rate does not change which examples it gets wrong.", correct=True),
        Option("It finds the separating line with the largest margin.",
               feedback="That is the support vector machine; the perceptron stops at the first line that "
                        "separates the training data, whichever it is."),
        Option("Given enough epochs it also solves XOR.",
               feedback="No line separates XOR, so some example is always wrong, however long it trains."),
        Option("It updates the weights after every example, right or wrong.",
               feedback="Only after a wrong prediction: when p = y the update lr * (y - p) * x is zero."),
    ], explanation="The perceptron theorem bounds the number of updates by (R / margin)^2 on separable data; "
                   "from zero the learning rate only scales the weights."),
    Order("update_steps", "Put one step of the perceptron rule, for one example (x, y), in order.", steps=[
        "compute the activation x . w + b",
        "predict p = 1 if the activation is > 0, else 0",
        "compare p with the label y",
        "if they differ, add lr * (y - p) * x to w and lr * (y - p) to b, and count an error",
        "move on to the next example with the new w and b",
    ], explanation="The rule is online: the next example already sees the updated weights."),
]
