"""Quiz: matrix factorisation for ratings: one SGD update, one ALS row, the masked RMSE, SGD versus ALS."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Order, Variant, distinct

RTOL = 1e-3
NAN = float("nan")


def sgd_item_update(rng, ref):
    import numpy as np

    p, q = rng.choice([0.5, 1.0, 2.0]), rng.choice([0.5, 1.0, 1.5])
    r = float(rng.choice([1, 3, 4, 5]))
    lr, reg = rng.choice([0.1, 0.05]), rng.choice([0.1, 0.5])
    _, new_q = ref.mf_sgd_epoch(np.array([[r]]), np.array([[p]]), np.array([[q]]), lr, reg, np.array([[0, 0]]))
    answer = float(new_q[0, 0])
    e = r - p * q
    new_p = p + lr * (e * q - reg * p)
    return Variant(
        prompt=f"One observed rating r = {r:g} for user u and item i, k = 1: p_u = {p}, q_i = {q}, lr = {lr}, "
               f"reg = {reg}. One SGD step updates p_u and q_i simultaneously (from the values before the step). "
               f"What is the new q_i? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(r=r, p=p, q=q, lr=lr, reg=reg),
        misconceptions=distinct(answer, (
            Misconception("used the already-updated p_u", q + lr * ((r - p * q) * new_p - reg * q),
                          "Both updates use the values from before the step: save p_u before changing it."),
            Misconception("forgot the regularisation", q + lr * e * p,
                          f"The step includes the L2 shrinkage: - lr * reg * q_i = -{lr * reg * q:g}."),
            Misconception("stepped up the loss (sign of e flipped)", q + lr * (-e * p - reg * q),
                          "e = r - p.q; moving q along + e p REDUCES the error (gradient descent on e**2 / 2)."),
        ), rtol=RTOL),
        explanation=f"e = {r:g} - {p}*{q} = {e:g}; q_i + lr (e p_u - reg q_i) = {q} + {lr} ({e:g}*{p} - {reg}*{q}) "
                    f"= {answer:.4g}.",
    )


def masked_rmse(rng, ref):
    import numpy as np

    for _ in range(100):
        ratings = [[float(rng.randrange(1, 6)) if rng.random() < 0.7 else NAN for _ in range(3)] for _ in range(2)]
        observed = sum(not math.isnan(v) for row in ratings for v in row)
        if 2 <= observed <= 5:
            break
    p = [[float(rng.choice([1, 2]))], [float(rng.choice([1, 2]))]]
    q = [[float(rng.choice([1, 2]))] for _ in range(3)]
    answer = ref.masked_rmse(np.array(ratings), np.array(p), np.array(q))
    prediction = np.array(p) @ np.array(q).T
    errors = np.where(np.isnan(ratings), 0.0, np.array(ratings) - prediction)
    squared = float(np.sum(errors ** 2))
    shown = [["?" if math.isnan(v) else f"{v:g}" for v in row] for row in ratings]
    return Variant(
        prompt=f"Ratings (? = missing), users by items: {shown}. With k = 1, P = {[v[0] for v in p]} (per user) and "
               f"Q = {[v[0] for v in q]} (per item), the prediction is P @ Q.T. What is the RMSE over the observed "
               f"cells? Four significant digits, or an expression.",
        answer=answer,
        parameters=dict(ratings=shown, P=[v[0] for v in p], Q=[v[0] for v in q]),
        misconceptions=distinct(answer, (
            Misconception("averaged over every cell, missing ones included", math.sqrt(squared / 6),
                          f"Only the {observed} observed cells count: a missing rating has no error."),
            Misconception("forgot the square root (the MSE)", squared / observed, "RMSE = sqrt(mean squared error)."),
            Misconception("missing cells counted as rating 0",
                          math.sqrt(float(np.sum((np.nan_to_num(np.array(ratings)) - prediction) ** 2) / 6)),
                          "A missing rating is unknown, not 0: leave it out of the sum and of the count."),
        ), rtol=RTOL),
        explanation=f"Squared errors over the {observed} observed cells sum to {squared:g}: "
                    f"sqrt({squared:g}/{observed}) = {answer:.4g}.",
    )


def als_user_row(rng, ref):
    import numpy as np

    q = [float(rng.choice([1, 2, 3])) for _ in range(3)]
    ratings = [float(rng.randrange(1, 6)) for _ in range(3)]
    missing = rng.randrange(3)
    ratings[missing] = NAN
    reg = rng.choice([0.5, 1.0, 2.0])
    new_p, _ = ref.als_step(np.array([ratings]), np.zeros((1, 1)), np.array([[v] for v in q]), reg)
    answer = float(new_p[0, 0])
    seen = [i for i in range(3) if i != missing]
    numerator = sum(q[i] * ratings[i] for i in seen)
    shown = ["?" if i == missing else f"{ratings[i]:g}" for i in range(3)]
    return Variant(
        prompt=f"ALS with k = 1 and reg = {reg}: the item factors are Q = {q}. A user rated the three items "
               f"{shown} (? = missing). Solving the ridge problem for this user with Q fixed, what is p_u? Four "
               f"significant digits, or a fraction.",
        answer=answer,
        parameters=dict(Q=q, ratings=shown, reg=reg),
        misconceptions=distinct(answer, (
            Misconception("forgot the regularisation", numerator / sum(q[i] ** 2 for i in seen),
                          f"Ridge adds reg = {reg} to q.q in the denominator: (sum q_i r_i) / (sum q_i**2 + reg)."),
            Misconception("summed q**2 over the missing item too", numerator / (sum(v * v for v in q) + reg),
                          "Only the items this user rated enter the normal equations."),
        ), rtol=RTOL),
        explanation=f"p_u = (sum over rated items q_i r_i) / (sum q_i**2 + reg) = {numerator:g} / "
                    f"({sum(q[i] ** 2 for i in seen):g} + {reg}) = {answer:.4g}.",
    )


QUESTIONS = [
    Numeric("sgd_item_update", draw=sgd_item_update, rtol=RTOL, points=2),
    Numeric("masked_rmse", draw=masked_rmse, rtol=RTOL, points=2),
    Numeric("als_user_row", draw=als_user_row, rtol=RTOL, points=2),
    Choice("sgd_vs_als", "SGD versus ALS for matrix factorisation: which is right?", options=[
        Option("ALS solves each user row exactly (a small ridge regression) with the items fixed, then swaps; "
               "SGD nudges one user and one item per observed rating", correct=True),
        Option("ALS needs a learning rate, SGD does not",
               feedback="The other way round: ALS's steps are exact least-squares solves; SGD's step size is lr."),
        Option("SGD visits the missing cells as zeros",
               feedback="Both use only the observed cells; a missing rating is unknown, not 0."),
        Option("ALS can increase the regularised loss from one sweep to the next",
               feedback="Each half-step solves its subproblem exactly, so the objective never increases."),
    ], explanation="ALS alternates exact ridge solves (monotone, parallel per row); SGD takes cheap noisy steps "
                   "one rating at a time."),
    Multi("mf_facts", "Which statements about factorising a ratings matrix R ~ P Q^T are true?", options=[
        Option("only observed ratings enter the loss", correct=True),
        Option("a user with no ratings gets p_u = 0 from ALS (with reg > 0)", correct=True),
        Option("the factors are unique", feedback="P Q^T = (P A)(Q A^-T)^T for any invertible A: many "
                                                  "factorisations fit equally well."),
        Option("without regularisation the training error can only get worse as k grows",
               feedback="More factors fit the observed cells at least as well; the danger is overfitting, "
                        "not underfitting."),
    ], explanation="Missing cells are unknown; a user with nothing observed has only the penalty, minimised at 0; "
                   "P and Q are identifiable only up to an invertible transform."),
    Order("als_sweep", "Put one ALS sweep in order.", steps=[
        "keep Q fixed",
        "for each user, solve (Q_O^T Q_O + reg I) p_u = Q_O^T r_u over the items O that user rated",
        "keep the new P fixed",
        "for each item, solve the same ridge problem over the users who rated it",
        "compute the masked RMSE (or objective) to check progress",
    ], explanation="Alternate: users with items fixed, then items with the NEW users fixed; each solve is exact, "
                   "so the objective never increases."),
]
