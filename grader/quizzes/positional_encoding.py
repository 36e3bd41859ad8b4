"""Quiz: sinusoidal positional encoding: why a Transformer needs it, its frequencies, its rotation property."""

import math

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

TOLERANCE = dict(rtol=1e-3, atol=1e-3)  # entries are in [-1, 1]; some are close to 0


def entry(rng, ref):
    d_model = rng.choice([4, 8, 16])
    for _ in range(100):  # a column and position where the wrong layouts give other numbers
        pos, col = rng.randrange(1, 40), rng.randrange(2, d_model)
        table = ref.positional_encoding(pos + 1, d_model)
        answer = float(table[pos, col])
        pair = col - col % 2  # the pair's first column, 2i
        angle = pos / 10000 ** (pair / d_model)
        swapped = math.cos(angle) if col % 2 == 0 else math.sin(angle)
        column_exponent = pos / 10000 ** (col / d_model)
        wrong_index = math.sin(column_exponent) if col % 2 == 0 else math.cos(column_exponent)
        misconceptions = distinct(answer, (
            Misconception("sin and cos swapped", swapped,
                          "Even columns (2i) hold the sin, odd columns (2i + 1) the cos of the same angle."),
            Misconception("exponent from the column, not the pair", wrong_index,
                          f"Column {col} belongs to pair i = {pair // 2}: the exponent is 2i/d = {pair}/{d_model}, "
                          f"shared by the sin and the cos of the pair."),
        ), rtol=TOLERANCE["rtol"], atol=TOLERANCE["atol"])
        if len(misconceptions) == 2:
            break
    return Variant(
        prompt=f"With d_model = {d_model} and base 10000, what is PE[{pos}, {col}] (row = position, column "
               f"counted from 0; column 2i is sin(pos / base**(2i/d)), column 2i+1 the matching cos)? "
               f"Three decimals, or an expression.",
        answer=answer,
        parameters=dict(d_model=d_model, position=pos, column=col),
        misconceptions=misconceptions,
        explanation=f"Column {col} is the {'sin' if col % 2 == 0 else 'cos'} of pair i = {pair // 2}: "
                    f"angle = {pos} / 10000**({pair}/{d_model}) = {angle:.5g}, so the entry is {answer:.4f}.",
    )


def period(rng, ref):
    d_model = rng.choice([8, 16, 64, 128, 512])
    i = rng.randrange(1, d_model // 2)
    row = ref.positional_encoding(2, d_model)[1]  # position 1: the angle IS the pair's frequency
    frequency = math.atan2(row[2 * i], row[2 * i + 1])
    answer = 2 * math.pi / frequency
    return Variant(
        prompt=f"d_model = {d_model}, base 10000. Pair i = {i} (columns {2 * i} and {2 * i + 1}) is a clock hand "
               f"turning as the position grows. After how many positions does it complete one full turn (its "
               f"wavelength)? Three significant digits, or an expression.",
        answer=answer,
        parameters=dict(d_model=d_model, i=i),
        misconceptions=distinct(answer, (
            Misconception("forgot the 2 pi", answer / (2 * math.pi),
                          "The angle is pos * omega; a full turn is 2 pi radians, so 2 pi / omega positions."),
            Misconception("exponent i/d instead of 2i/d", 2 * math.pi * 10000 ** (i / d_model),
                          f"The exponent uses the pair's first column 2i = {2 * i}: "
                          f"omega = base**(-{2 * i}/{d_model})."),
        ), rtol=1e-3),
        explanation=f"omega_i = 10000**(-2*{i}/{d_model}) = {frequency:.5g} radians per position; one turn takes "
                    f"2 pi / omega = {answer:.4g} positions. Wavelengths grow geometrically from 2 pi to "
                    f"~10000 * 2 pi.",
    )


def first_row(rng, ref):
    n, d_model = rng.choice([3, 5, 10]), rng.choice([4, 6, 8])
    answer = tuple(float(v) for v in ref.positional_encoding(n, d_model)[0])
    return Variant(
        prompt="What does this print? (Type the numbers, e.g. [0.5 1 0.5 1].)",
        code=f"from positional_encoding import positional_encoding\npe = positional_encoding({n}, {d_model})\n"
             f"print(pe[0])",
        answer=answer,
        parameters=dict(n_positions=n, d_model=d_model),
        misconceptions=(Misconception("sin and cos swapped", tuple(1.0 - v for v in answer),
                                      "At position 0 every angle is 0: sin 0 = 0 in the even columns, cos 0 = 1 in "
                                      "the odd ones."),),
        explanation="Position 0 has angle 0 in every pair: [sin 0, cos 0, ...] = [0, 1, 0, 1, ...].",
    )


def added_shape(rng, ref):
    import numpy as np

    batch, t, d_model = rng.choice([2, 8, 32]), rng.choice([5, 10, 50]), rng.choice([16, 64, 512])
    answer = tuple((np.zeros((batch, t, d_model)) + ref.positional_encoding(t, d_model)).shape)
    return Variant(
        prompt=f"Token embeddings x have shape (B, T, d_model) = ({batch}, {t}, {d_model}). What is the shape of "
               f"x + positional_encoding({t}, {d_model})?",
        answer=answer,
        parameters=dict(batch=batch, t=t, d_model=d_model),
        misconceptions=distinct(answer, (
            Misconception("lost the batch axis", (t, d_model),
                          f"The ({t}, {d_model}) table broadcasts over the batch: every sequence gets the same "
                          f"encodings, and the sum keeps x's shape."),
            Misconception("concatenated instead of added", (batch, t, 2 * d_model),
                          "The encoding is ADDED to the embedding, so the width stays d_model."),
        )),
        explanation=f"Broadcasting ({t}, {d_model}) against ({batch}, {t}, {d_model}) gives ({batch}, {t}, {d_model}).",
    )


QUESTIONS = [
    Choice("why_needed", "Why does a Transformer need positional encodings?", options=[
        Option("self-attention is permutation-equivariant: shuffling the tokens just shuffles the outputs, so "
               "without positions 'dog bites man' = 'man bites dog'", correct=True),
        Option("to normalise the embeddings to unit length",
               feedback="Positional encodings are added to the embeddings; they do not normalise anything."),
        Option("attention cannot handle sequences longer than d_model",
               feedback="Attention handles any length; the cost grows with T**2, but that is not what PE fixes."),
        Option("so that the softmax does not overflow",
               feedback="Overflow is handled by the max-shift in the softmax, not by positions."),
    ], explanation="Attention treats its input as a set. Adding a position-dependent vector to each token lets "
                   "the same weights tell positions apart."),
    Numeric("entry", draw=entry, **TOLERANCE, points=2),
    Numeric("period", draw=period, rtol=1e-3, points=2),
    Multi("rotation", "Which properties does the sinusoidal encoding have?", options=[
        Option("PE(pos + k) is a fixed rotation of PE(pos) that depends on k but not on pos", correct=True),
        Option("the dot product PE(p) . PE(q) depends only on p - q", correct=True),
        Option("every entry is in [-1, 1]", correct=True),
        Option("it has learnable parameters trained with the model",
               feedback="The sinusoidal table is fixed; learned position embeddings are a different design."),
        Option("it only works for positions seen during training",
               feedback="It is a formula: any position has an encoding (learned tables are the ones that stop at "
                        "their length)."),
    ], explanation="Each pair (sin, cos) of angle pos * omega_i turns by k * omega_i when pos grows by k: a "
                   "rotation matrix that does not depend on pos, which is why relative offsets are easy to read."),
    Predict("first_row", draw=first_row, rtol=0.0, atol=1e-9),
    Shape("added_shape", draw=added_shape),
]
