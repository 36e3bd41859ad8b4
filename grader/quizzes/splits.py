"""Quiz: split sizes, k-fold sizes, leak-free standardisation, confusion matrices, over- and underfitting."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Predict, Shape, Variant

RTOL = 1e-3  # answers typed to four significant digits


def _distinct(answer, misconceptions, rtol=RTOL):
    """The misconceptions whose value differs from the answer (and from the ones kept before) on this variant."""
    kept = []
    for m in misconceptions:
        others = (answer, *(k.value for k in kept))
        if all(abs(m.value - v) > 2 * rtol * max(abs(v), abs(m.value), 1e-12) for v in others):
            kept.append(m)
    return tuple(kept)


def test_part_size(rng, ref):
    while True:
        n, test_frac, val_frac = rng.randint(11, 200), rng.choice([0.1, 0.15, 0.2, 0.25, 0.3]), rng.choice([0.1, 0.2])
        if test_frac * n != math.floor(test_frac * n):  # a fractional share: ceil and floor differ
            break
    _, val, test = ref.train_val_test_split(n, val_frac, test_frac, seed=0)
    answer = len(test)
    return Variant(
        prompt=f"train_val_test_split(n={n}, val_frac={val_frac}, test_frac={test_frac}, seed=0): how many indices "
               f"land in the test part?",
        answer=answer, parameters=dict(n=n, val_frac=val_frac, test_frac=test_frac),
        misconceptions=_distinct(answer, (
            Misconception("rounded down", math.floor(test_frac * n),
                          "int(test_frac * n) rounds down; scikit-learn (and this course) round the held-out part up."),
            Misconception("rounded to nearest", round(test_frac * n),
                          "The rule is ceil, not round: any fraction of an example counts as a whole one."),
            Misconception("the training size", n - answer - len(val),
                          "That is what is left for training after the test and validation parts."),
        ), rtol=1e-9),
        explanation=f"ceil({test_frac} * {n}) = ceil({test_frac * n:g}) = {answer}.",
    )


def first_fold_size(rng, ref):
    while True:
        n, k = rng.randint(7, 60), rng.randint(3, 7)
        if n % k:
            break
    folds = ref.kfold_indices(n, k)
    answer = len(folds[0][1])
    last = len(folds[-1][1])
    return Variant(
        prompt=f"kfold_indices(n={n}, k={k}) (scikit-learn's KFold without shuffling): how many indices does the "
               f"FIRST validation fold hold?",
        answer=answer, parameters=dict(n=n, k=k, last_fold=last),
        misconceptions=_distinct(answer, (
            Misconception("n // k for every fold", n // k,
                          f"{n} = {k} * {n // k} + {n % k}: the {n % k} leftover indices go one each to the first "
                          f"{n % k} folds, so those hold n // k + 1."),
            Misconception("the remainder in the first fold", n // k + n % k,
                          "The leftover indices are spread, one per fold, not piled into one fold."),
        ), rtol=1e-9),
        explanation=f"{n} // {k} = {n // k} with remainder {n % k}: the first {n % k} folds hold {n // k + 1}, the "
                    f"others {n // k}.",
    )


def standardized_test_value(rng, ref):
    import numpy as np

    while True:
        column = [rng.randint(0, 10) for _ in range(4)]
        if len(set(column)) > 1:
            break
    x = rng.randint(-5, 15)
    z_train, z_test = ref.standardize(np.array(column, dtype=float)[:, None], np.array([[x]], dtype=float))
    answer = float(z_test[0, 0])
    mean, std = float(np.mean(column)), float(np.std(column))
    pooled = np.array(column + [x], dtype=float)
    return Variant(
        prompt=f"A feature's training values are {column}. standardize(X_train, X_test) with the test value {x}: "
               f"what does {x} become? (standard deviation dividing by n)",
        answer=answer, parameters=dict(column=column, x=x),
        misconceptions=_distinct(answer, (
            Misconception("ddof=1", (x - mean) / float(np.std(column, ddof=1)),
                          "The contract divides by n (np.std's default), not by n - 1."),
            Misconception("statistics of train and test together (leakage)",
                          float((x - pooled.mean()) / pooled.std()),
                          "The test value must not take part in the mean and scale: those come from training data."),
            Misconception("only centred", x - mean, "Standardising also divides by the training standard deviation."),
        )),
        explanation=f"mean = {mean:g}, std = {std:.4g}; ({x} - {mean:g}) / {std:.4g} "
                    f"= {answer:.4g}.",
    )


def confusion_entry(rng, ref):
    import numpy as np

    while True:
        n = rng.randint(5, 9)
        y_true = [rng.randint(0, 2) for _ in range(n)]
        y_pred = [rng.randint(0, 2) for _ in range(n)]
        cm = ref.confusion_matrix(np.array(y_true), np.array(y_pred), 3)
        i, j = rng.choice([(a, b) for a in range(3) for b in range(3) if a != b])
        if cm[i, j] != cm[j, i]:
            break
    answer = int(cm[i, j])
    code = ("from splits import confusion_matrix\n"
            f"y_true = {y_true}\ny_pred = {y_pred}\ncm = confusion_matrix(y_true, y_pred, n_classes=3)\n"
            f"print(cm[{i}, {j}])")
    return Variant(
        prompt="What does this print? (rows are true classes, columns predictions)", code=code, answer=answer,
        parameters=dict(y_true=y_true, y_pred=y_pred, i=i, j=j),
        misconceptions=_distinct(answer, (
            Misconception("rows and columns swapped", int(cm[j, i]),
                          f"cm[{i}, {j}] counts examples whose TRUE class is {i} and whose prediction is {j}."),
        ), rtol=1e-9),
        explanation=f"Count the positions where y_true is {i} and y_pred is {j}: {answer}.",
    )


def weight_shape(rng, ref):
    import numpy as np

    n, d, c = rng.randint(5, 200), rng.randint(2, 30), rng.randint(2, 10)
    W, _ = ref.softmax_regression_fit(np.zeros((n, d)), np.zeros(n, dtype=np.int64), c, epochs=0)
    answer = tuple(int(s) for s in W.shape)
    return Variant(
        prompt=f"softmax_regression_fit on X of shape ({n}, {d}) with n_classes={c}: what is the shape of W?",
        answer=answer, parameters=dict(n=n, d=d, c=c),
        misconceptions=tuple(m for m in (
            Misconception("(n_classes, d)", (c, d), "W maps features to class scores as X @ W: (N, d) @ (d, C)."),
            Misconception("(N, n_classes)", (n, c), "That is the shape of the logits X @ W + b, one row per example."),
        ) if m.value != answer),
        explanation=f"X @ W must be ({n}, {c}), so W is ({d}, {c}).",
    )


QUESTIONS = [
    Choice("why_train_statistics", "Why are the mean and scale for standardising computed on the training part only?",
           options=[
               Option("The test part stands for data the model has never seen; using it leaks its information into "
                      "the model and makes the test score too optimistic", correct=True),
               Option("Because the test part is smaller, so its statistics are noisier",
                      feedback="Size is not the point: even a huge test set must not be used to fit anything."),
               Option("To make the test features have mean exactly 0 and standard deviation 1",
                      feedback="With training statistics the test features are only roughly standardised, and that is "
                               "right: new data will not be exactly centred either."),
               Option("It does not matter: any of the two gives the same model",
                      feedback="The scale feeds into every weight; statistics from test data change the model."),
           ], explanation="Everything learnt from data, preprocessing included, is fitted on the training part."),
    Numeric("test_part_size", draw=test_part_size, exact=True),
    Numeric("first_fold_size", draw=first_fold_size, exact=True),
    Numeric("standardized_test_value", draw=standardized_test_value, rtol=RTOL),
    Predict("confusion_entry", draw=confusion_entry),
    Shape("weight_shape", draw=weight_shape),
    Multi("what_leaks", "Which of these let test-set information leak into the model or its choice?",
          options=[
              Option("Fitting the scaler on all the data before splitting", correct=True),
              Option("Choosing the polynomial degree with the lowest TEST error", correct=True),
              Option("Filling missing values with the mean of the whole data set", correct=True),
              Option("Shuffling the indices before cutting them into parts",
                     feedback="Shuffling uses no values, only positions: it removes order effects and leaks nothing."),
              Option("Choosing the degree with the lowest VALIDATION error",
                     feedback="That is what the validation part is for; the test part stays untouched until the end."),
          ], explanation="Any statistic or choice that looked at test values leaks; the validation part absorbs model "
                         "selection so the test score stays honest."),
    Choice("degree_curve", "As the polynomial degree grows, the training error keeps falling while the validation "
           "error first falls, then rises. What happens at the high degrees?",
           options=[
               Option("Overfitting: the polynomial follows the noise of the training points", correct=True),
               Option("Underfitting: the model is too simple",
                      feedback="Underfitting is the low-degree end, where both errors are high."),
               Option("A bug: training error must rise with validation error",
                      feedback="A higher degree can always fit the training points at least as well (the lower-degree "
                               "fit is one of its options), so training error never rises."),
               Option("The learning rate is too high",
                      feedback="Least squares has no learning rate: it is solved exactly."),
           ], explanation="Training error is non-increasing in the degree; validation error measures generalisation."),
    Order("honest_protocol", "Put the steps of an honest model selection in order.", steps=[
        "Shuffle the indices with a seeded generator and cut test, validation and training parts",
        "Fit the standardisation on the training part and apply it to all three parts",
        "Train one model per candidate degree on the training part",
        "Pick the degree with the lowest validation error",
        "Report the chosen model's test error, once",
    ], explanation="The test part is touched last and once; everything fitted sees only training data."),
]
