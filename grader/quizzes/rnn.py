"""Quiz: the Elman RNN and LSTM cells: their updates, gate order, shapes and parameter counts."""

import math

import numpy as np

from grader.quiz.bank import Choice, Misconception, Numeric, Option, Order, Predict, Shape, Variant, distinct

RTOL = 1e-3  # "three significant digits"


def rnn_step(rng, ref):
    x, h = rng.choice([1.0, -1.0, 0.5, 2.0]), rng.choice([0.5, -0.5, 1.0])
    w_ih, w_hh, b = rng.choice([0.5, 1.0, 2.0]), rng.choice([-1.0, 0.5, 1.5]), rng.choice([0.0, 0.1, -0.2])
    answer = float(ref.rnn_cell([[x]], [[h]], [[w_ih]], [[w_hh]], [b])[0, 0])
    z = w_ih * x + w_hh * h + b
    return Variant(
        prompt=f"A one-unit Elman RNN has W_ih = [[{w_ih}]], W_hh = [[{w_hh}]], b = [{b}]. With x = {x} and the "
               f"previous state h = {h}, what is the new h' (3 significant digits)?",
        answer=answer,
        parameters=dict(x=x, h=h, w_ih=w_ih, w_hh=w_hh, b=b),
        misconceptions=distinct(answer, [
            Misconception("no tanh", z, "h' = tanh(x W_ih^T + h W_hh^T + b): squash the sum."),
            Misconception("forgot the previous state", math.tanh(w_ih * x + b),
                          "The recurrent term h W_hh^T is what carries memory."),
        ], rtol=RTOL),
        explanation=f"tanh({w_ih} * {x} + {w_hh} * {h} + {b}) = tanh({z:g}) = {answer:.4g}.",
    )


def _logit(p):
    return math.log(p / (1 - p))


def cell_update(rng, ref):
    i, f, o = rng.choice([0.2, 0.5, 0.8]), rng.choice([0.1, 0.5, 0.9]), rng.choice([0.3, 0.7])
    g = rng.choice([-0.5, 0.4, 0.8])
    c = rng.choice([-1.0, 1.5, 2.0])
    # zero weights and biases chosen so the gates take exactly these values after their activations
    b = np.array([_logit(i), _logit(f), math.atanh(g), _logit(o)])
    _, c_next = ref.lstm_cell([[0.0]], [[0.0]], [[c]], np.zeros((4, 1)), np.zeros((4, 1)), b)
    answer = float(c_next[0, 0])
    return Variant(
        prompt=f"In one LSTM step the gates are i = {i}, f = {f}, o = {o} and the candidate is g = {g} (after "
               f"their activations); the previous cell state is c = {c}. What is the new cell state c'?",
        answer=answer,
        parameters=dict(i=i, f=f, g=g, o=o, c=c),
        misconceptions=distinct(answer, [
            Misconception("swapped the input and forget gates", i * c + f * g,
                          "The forget gate f scales the old cell, the input gate i scales the new content g."),
            Misconception("no input gate", f * c + g, "New content enters scaled by the input gate: i * g."),
            Misconception("applied the output gate to the cell", o * (f * c + i * g),
                          "o only scales h' = o * tanh(c'); c' itself is f * c + i * g."),
        ], rtol=1e-9, atol=1e-12),
        explanation=f"c' = f * c + i * g = {f} * {c} + {i} * {g} = {answer:g}.",
    )


def weight_shape(rng, ref):
    n_in, hidden = rng.choice([10, 32, 100, 300]), rng.choice([16, 64, 128, 256])
    if n_in == hidden:
        hidden *= 2
    w_ih = np.zeros((4 * hidden, n_in))
    ref.lstm_cell(np.zeros((1, n_in)), np.zeros((1, hidden)), np.zeros((1, hidden)), w_ih,
                  np.zeros((4 * hidden, hidden)), np.zeros(4 * hidden))  # the reference accepts exactly this layout
    answer = tuple(w_ih.shape)
    return Variant(
        prompt=f"An LSTM cell with input size {n_in} and hidden size {hidden}, in torch's layout. What is the shape "
               f"of W_ih (weight_ih)?",
        answer=answer,
        parameters=dict(n_in=n_in, hidden=hidden),
        misconceptions=distinct(answer, [
            Misconception("transposed", (n_in, 4 * hidden), "torch stores one row per output: (4H, I)."),
            Misconception("one gate only", (hidden, n_in), "The four gates' weights are stacked: 4H rows."),
            Misconception("the recurrent weight", (4 * hidden, hidden), "That is W_hh, which reads h (size H)."),
        ]),
        explanation=f"Four gate blocks of {hidden} rows, each reading the {n_in} inputs: ({4 * hidden}, {n_in}).",
    )


def lstm_param_count(rng, ref):
    n_in, hidden = rng.choice([8, 10, 32, 100]), rng.choice([16, 20, 64, 128])
    b = np.zeros(4 * hidden)
    w_ih, w_hh = np.zeros((4 * hidden, n_in)), np.zeros((4 * hidden, hidden))
    ref.lstm_cell(np.zeros((1, n_in)), np.zeros((1, hidden)), np.zeros((1, hidden)), w_ih, w_hh, b)
    answer = int(w_ih.size + w_hh.size + 2 * b.size)  # torch keeps bias_ih and bias_hh
    return Variant(
        prompt=f"How many parameters does torch's nn.LSTM(input_size={n_in}, hidden_size={hidden}) have (one "
               f"layer, with its two bias vectors bias_ih and bias_hh)?",
        answer=answer,
        parameters=dict(n_in=n_in, hidden=hidden),
        misconceptions=distinct(answer, [
            Misconception("one bias vector", answer - 4 * hidden,
                          "torch keeps two: bias_ih and bias_hh, 4H each (their sum is what matters)."),
            Misconception("one gate only", answer // 4, "An LSTM has four gate blocks: i, f, g, o."),
            Misconception("forgot the recurrent weights", answer - 4 * hidden * hidden,
                          "W_hh (4H x H) reads the previous hidden state."),
        ]),
        explanation=f"4H(I + H) + 2 * 4H = 4*{hidden}*({n_in} + {hidden}) + 8*{hidden} = {answer}.",
    )


def unrolled_zero_input(rng, ref):
    w, h0 = rng.choice([0.5, 1.0, 2.0]), rng.choice([0.5, 1.0, -1.0])
    steps = rng.choice([2, 3])
    code = ("from rnn import rnn_unroll\n"
            f"hs = rnn_unroll([[[0.0]]] * {steps}, [[{h0}]], [[1.0]], [[{w}]], [0.0])\n"
            "print(round(float(hs[-1, 0, 0]), 6))")
    answer = round(float(ref.rnn_unroll([[[0.0]]] * steps, [[h0]], [[1.0]], [[w]], [0.0])[-1, 0, 0]), 6)
    once = round(math.tanh(w * h0), 6)
    return Variant(
        prompt="What does this print (with a correct rnn_unroll)?",
        code=code,
        answer=answer,
        parameters=dict(w=w, h0=h0, steps=steps),
        misconceptions=distinct(answer, [
            Misconception("the state was not carried", once,
                          "Each step reads the previous step's h, not h0: tanh is applied once per step."),
        ], rtol=1e-6, atol=1e-9),
        explanation=f"With x = 0, each step is h = tanh({w} * h), applied {steps} times from {h0}: {answer}.",
    )


QUESTIONS = [
    Numeric("rnn_step", draw=rnn_step, rtol=RTOL),
    Numeric("cell_update", draw=cell_update, rtol=1e-9, atol=1e-12, points=2),
    Shape("weight_shape", draw=weight_shape),
    Numeric("lstm_param_count", draw=lstm_param_count, exact=True, points=2),
    Predict("unrolled_zero_input", draw=unrolled_zero_input, rtol=1e-6, atol=1e-9),
    Choice("gate_order", "In torch's LSTM weights (rows of weight_ih, 4H in all), which rows belong to the forget "
                         "gate?", options=[
        Option("rows H to 2H: the order is i, f, g, o", correct=True),
        Option("rows 0 to H", feedback="Those are the input gate's: i comes first."),
        Option("rows 2H to 3H", feedback="Those are the cell candidate g's."),
        Option("rows 3H to 4H", feedback="Those are the output gate's."),
    ], explanation="torch stacks input, forget, cell (g), output: i = rows 0..H, f = H..2H, g = 2H..3H, o = 3H..4H."),
    Choice("why_lstm", "Why do LSTMs keep information over long sequences better than Elman RNNs?", options=[
        Option("the cell state is updated additively, c' = f * c + i * g, so with f near 1 it (and its gradient) "
               "passes through many steps almost unchanged", correct=True),
        Option("they have more parameters", feedback="Size alone does not help: an Elman RNN's gradient shrinks "
                                                     "through a tanh and W_hh at every step, whatever its width."),
        Option("tanh is replaced by relu", feedback="The LSTM still uses tanh and sigmoids; the difference is the "
                                                    "gated, additive cell path."),
        Option("they read the whole sequence at once", feedback="They still read one step at a time."),
    ], explanation="The forget gate lets the cell copy itself forward; the gradient along that path is f, not a "
                   "product of tanh' and W_hh."),
    Order("lstm_step", "Put one LSTM step in order.", steps=[
        "z = x W_ih^T + h W_hh^T + b, split into four blocks",
        "i, f, o = sigmoid of their blocks, g = tanh of its block",
        "c' = f * c + i * g",
        "h' = o * tanh(c')",
    ], explanation="Pre-activations, gates, the cell update, then the hidden state from the new cell."),
]
