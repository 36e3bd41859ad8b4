"""Quiz: epochs and batches, batch/mini-batch/stochastic gradient descent, and the learning-rate limit."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Shape, Variant


def _only_different(answer, *misconceptions):
    """The misconceptions whose value differs from the answer and from every one kept before it."""
    kept = []
    for m in misconceptions:
        if all(m.value != v for v in [answer] + [k.value for k in kept]):
            kept.append(m)
    return tuple(kept)


def _iterations(rng, ref):
    batch_size = rng.choice([16, 32, 50, 64, 100, 128])
    n = batch_size * rng.randint(3, 40) + rng.randint(1, batch_size - 1)  # never a multiple: the last batch is short
    drop_last = rng.random() < 0.5
    answer = ref.iterations_per_epoch(n, batch_size, drop_last=drop_last)
    other = ref.iterations_per_epoch(n, batch_size, drop_last=not drop_last)
    return Variant(
        prompt=(f"A DataLoader over n = {n} examples with batch_size = {batch_size} and drop_last = {drop_last}. "
                f"How many iterations (gradient steps) does one epoch take?"),
        answer=answer, parameters={"n": n, "batch_size": batch_size, "drop_last": drop_last},
        misconceptions=_only_different(
            answer,
            Misconception("rounded the wrong way for drop_last", other,
                          "Without drop_last the short last batch is one more step (ceil); with drop_last it is "
                          "dropped (floor)."),
            Misconception("one step per example", n, "Each step uses a whole batch, not one example."),
        ),
        explanation=f"{n} / {batch_size} = {n / batch_size:.2f}; "
                    f"{'floor' if drop_last else 'ceil'} gives {answer}.")


def _total_steps(rng, ref):
    batch_size = rng.choice([10, 25, 32, 64])
    n = batch_size * rng.randint(5, 30) + rng.randint(1, batch_size - 1)
    epochs = rng.choice([3, 5, 10, 20])
    per_epoch = ref.iterations_per_epoch(n, batch_size)
    answer = epochs * per_epoch
    return Variant(
        prompt=(f"Mini-batch GD on n = {n} examples, batch_size = {batch_size}, keeping the short last batch, "
                f"for {epochs} epochs. How many weight updates happen in total?"),
        answer=answer, parameters={"n": n, "batch_size": batch_size, "epochs": epochs},
        misconceptions=_only_different(
            answer,
            Misconception("one update per epoch", epochs, "That is batch GD; here every batch is an update."),
            Misconception("dropped the short last batch", epochs * (n // batch_size),
                          "The short last batch is kept, so each epoch has ceil(n / batch_size) updates."),
            Misconception("one update per example", epochs * n, "That is stochastic GD (batch_size = 1)."),
        ),
        explanation=f"ceil({n} / {batch_size}) = {per_epoch} updates per epoch, times {epochs} epochs.")


def _single_point_threshold(rng, ref):
    x0 = rng.choice([0.5, 1.0, 2.0, -1.0, -2.0])
    answer = ref.divergence_threshold([x0])
    lam = 1 + x0**2 + x0**4 + x0**6
    return Variant(
        prompt=(f"fit_cubic on a single point x = {x0:g}: A = [1, x, x^2, x^3] is one row, the Hessian of "
                f"sum((A c - y)^2) is 2 A^T A. Above which learning rate does gradient descent diverge?"),
        answer=answer, parameters={"x": x0},
        misconceptions=_only_different(
            answer,
            Misconception("forgot the Hessian's factor 2", 2 / lam,
                          "The Hessian is 2 A^T A: L = 2 * (1 + x^2 + x^4 + x^6), and the limit is 2 / L."),
            Misconception("1 / L instead of 2 / L", 1 / (2 * lam),
                          "1 / L is a safe step size; divergence starts only above 2 / L."),
        ),
        explanation=f"A^T A = a a^T has one non-zero eigenvalue |a|^2 = 1 + x^2 + x^4 + x^6 = {lam:g}; "
                    f"L = 2 |a|^2, so 2 / L = 1 / {lam:g} = {answer:.6g}.")


def _stacked_batches(rng, ref):
    batch_size = rng.choice([4, 8, 16, 32])
    n = batch_size * rng.randint(3, 12) + rng.randint(1, batch_size - 1)
    full = ref.minibatch_indices(n, batch_size, drop_last=True)
    answer = (len(full), len(full[0]))
    kept = len(ref.minibatch_indices(n, batch_size))
    return Variant(
        prompt=(f"What is np.stack(minibatch_indices({n}, {batch_size}, drop_last=True)).shape? "
                f"(np.stack needs every batch to have the same length.)"),
        answer=answer, parameters={"n": n, "batch_size": batch_size},
        misconceptions=_only_different(
            answer,
            Misconception("kept the short last batch", (kept, batch_size),
                          "drop_last=True leaves the short last batch out (and np.stack could not stack it)."),
            Misconception("rows and columns swapped", (batch_size, answer[0]),
                          "Each batch is one row of the stack: (number of batches, batch_size)."),
        ),
        explanation=f"floor({n} / {batch_size}) = {answer[0]} full batches of {batch_size}.")


def _one_full_batch_step(rng, ref):
    a, b = float(rng.randint(1, 9)), float(rng.randint(1, 9))
    lr = rng.choice([0.1, 0.25, 0.5])
    answer = float(ref.gd_linear_regression([[1.0], [1.0]], [a, b], lr=lr, epochs=1)[0])
    return Variant(
        prompt="One epoch of full-batch GD from w = 0 on two rows x = 1 with targets a and b. What does this print?",
        code="from gradient_descent import gd_linear_regression\n"
             f"print(gd_linear_regression([[1.0], [1.0]], [{a:g}, {b:g}], lr={lr}, epochs=1)[0])",
        answer=answer, parameters={"a": a, "b": b, "lr": lr},
        misconceptions=_only_different(
            answer,
            Misconception("no factor 2 in the gradient", lr * (a + b) / 2,
                          "The gradient of mean((w x - y)^2) is 2 x (w x - y) averaged: keep the 2."),
            Misconception("the gradient of the sum, not the mean", 2 * lr * (a + b),
                          "The loss is a mean over the batch: divide by the batch size, 2."),
        ),
        explanation=f"At w = 0 the gradient is 2 * mean(0 - y) = -{a + b:g}; w = 0 + {lr} * {a + b:g} = {answer:g}.")


QUESTIONS = [
    Numeric("iterations_per_epoch", draw=_iterations, exact=True),
    Numeric("total_updates", draw=_total_steps, exact=True),
    Numeric("single_point_threshold", draw=_single_point_threshold, rtol=1e-4),
    Shape("stacked_batches", draw=_stacked_batches),
    Predict("one_full_batch_step", draw=_one_full_batch_step),
    Choice("batch_size_names", "Linear regression on m rows. Which batch size makes mini-batch GD exactly batch "
                               "(full-batch) gradient descent?", options=[
        Option("batch_size = m", correct=True),
        Option("batch_size = 1", feedback="One example per step is stochastic gradient descent."),
        Option("batch_size = m // 2", feedback="Two batches per epoch is mini-batch GD: two steps per epoch."),
        Option("any batch size, with enough epochs",
               feedback="More epochs change how far it gets, not what each step is: only one batch of all m rows "
                        "uses the full gradient."),
    ], explanation="With one batch of all m rows, each epoch is one step along the full gradient; the shuffle does "
                   "not matter."),
    Multi("learning_rate", "Gradient descent on a quadratic loss whose Hessian has largest eigenvalue L. "
                           "Which statements are true?", options=[
        Option("With lr < 2 / L full-batch GD converges.", correct=True),
        Option("With lr < 2 / L the full-batch loss never increases from one step to the next.", correct=True),
        Option("A larger learning rate always converges faster.",
               feedback="Past 2 / L the steps overshoot more each time and blow up; even below, the best rate "
                        "depends on both ends of the spectrum."),
        Option("With mini-batches the training loss decreases at every step.",
               feedback="A mini-batch gradient is a noisy estimate: a step can raise the loss over all the data."),
        Option("lr = 1 / L is already divergent.",
               feedback="1 / L is safely inside the stable range, which ends at 2 / L."),
    ], explanation="Along the top eigenvector each step multiplies the error by 1 - lr L, which has size < 1 "
                   "exactly when 0 < lr < 2 / L."),
    Order("one_epoch", "Put one epoch of mini-batch gradient descent in order.", steps=[
        "draw a new permutation of the row indices",
        "cut it into consecutive batches of batch_size",
        "for the next batch, predict with the current weights",
        "compute the batch's mean-squared-error gradient",
        "move the weights by -lr times that gradient, then go on to the next batch",
    ], explanation="Every batch is one update, and the next batch is predicted with the updated weights."),
]
