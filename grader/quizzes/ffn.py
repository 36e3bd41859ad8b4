"""Quiz: the position-wise feed-forward block: its formula, its shapes, its parameter count."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct


def param_count(rng, ref):
    d_model = rng.choice([64, 128, 256, 512, 768, 1024])
    d_ff = d_model * rng.choice([2, 4])
    answer = int(ref.ffn_param_count(d_model, d_ff))
    return Variant(
        prompt=f"A position-wise feed-forward block has d_model = {d_model} and d_ff = {d_ff} "
               f"(Linear(d_model, d_ff), ReLU, Linear(d_ff, d_model), both with biases). How many learnable "
               f"parameters does it have?",
        answer=answer,
        parameters=dict(d_model=d_model, d_ff=d_ff),
        misconceptions=distinct(answer, (
            Misconception("forgot the biases", 2 * d_model * d_ff, f"Each Linear has a bias: + {d_ff} + {d_model}."),
            Misconception("counted one weight matrix", d_model * d_ff + d_ff + d_model,
                          "There are two weight matrices, (D, F) and (F, D)."),
            Misconception("counted the hidden bias twice", 2 * d_model * d_ff + 2 * d_ff,
                          "b1 has F entries and b2 has D: 2DF + F + D."),
        )),
        explanation=f"2 * {d_model} * {d_ff} weights + {d_ff} + {d_model} biases = {answer}.",
    )


def hidden_shape(rng, ref):
    import numpy as np

    batch, t, d_model = rng.choice([1, 4, 8, 32]), rng.choice([10, 16, 50]), rng.choice([8, 16, 64])
    d_ff = d_model * 4
    x = np.zeros((batch, t, d_model))
    w1 = np.zeros((d_model, d_ff))
    answer = tuple((x @ w1).shape)  # the hidden layer the reference computes before its ReLU
    assert ref.ffn(x, w1, np.zeros(d_ff), w1.T, np.zeros(d_model)).shape == x.shape
    return Variant(
        prompt=f"x has shape (B, T, D) = ({batch}, {t}, {d_model}) and the block has d_ff = {d_ff}. What is the "
               f"shape of the hidden activations max(0, x W1 + b1)?",
        answer=answer,
        parameters=dict(batch=batch, t=t, d_model=d_model, d_ff=d_ff),
        misconceptions=distinct(answer, (
            Misconception("the output shape", (batch, t, d_model), "That is the block's OUTPUT; inside, each token "
                                                                   f"is widened to d_ff = {d_ff}."),
            Misconception("positions pooled", (batch, d_ff), "The block keeps every position: nothing sums over T."),
        )),
        explanation=f"W1 is (D, F) and acts on the last axis only: ({batch}, {t}, {d_model}) @ ({d_model}, {d_ff}) "
                    f"= ({batch}, {t}, {d_ff}).",
    )


def one_token(rng, ref):
    import numpy as np

    answer = linear = 0.0
    while answer == linear:  # draw until the ReLU matters for the printed entry
        x = [float(rng.randrange(-2, 3)), float(rng.randrange(-2, 3))]
        w1 = [[float(rng.randrange(-2, 3)) for _ in range(2)] for _ in range(2)]
        b1 = [float(rng.randrange(-2, 3)), float(rng.randrange(-2, 3))]
        w2 = [[float(rng.randrange(-2, 3)) for _ in range(2)] for _ in range(2)]
        b2 = [float(rng.randrange(-1, 2)), 0.0]
        answer = float(ref.ffn([[x]], w1, b1, w2, b2)[0, 0, 0])
        pre = np.array(x) @ np.array(w1) + np.array(b1)
        linear = float((pre @ np.array(w2) + np.array(b2))[0])
    return Variant(
        prompt="What does this print?",
        code=(f"from ffn import ffn\nout = ffn([[{x}]], {w1}, {b1},\n          {w2}, {b2})\n"
              f"print(out[0, 0, 0])"),
        answer=answer,
        parameters=dict(x=x, w1=w1, b1=b1, w2=w2, b2=b2),
        misconceptions=distinct(answer, (
            Misconception("no ReLU", linear, "The hidden pre-activations are clipped at 0 before the second layer."),
        ), atol=1e-9),
        explanation=f"x @ W1 + b1 = {pre.tolist()}; after the ReLU {np.maximum(pre, 0).tolist()}; times W2 plus b2, "
                    f"first entry {answer:g}.",
    )


QUESTIONS = [
    Choice("what_mixes_tokens", "In a transformer layer, which sub-layer lets information flow between "
                                "positions?", options=[
        Option("the attention sub-layer; the feed-forward block treats each position on its own", correct=True),
        Option("the feed-forward block", feedback="Its weights act on the last (feature) axis only: token t's output "
                                                  "depends on token t alone."),
        Option("both, equally", feedback="Shuffle the tokens and the FFN output shuffles the same way: it never "
                                         "looks at another position."),
        Option("neither: only the positional encoding does",
               feedback="The positional encoding only labels positions; attention is what reads other tokens."),
    ], explanation="ffn(x)[:, t] = ffn(x[:, t]): the same MLP for every token. Attention is the only sub-layer "
                   "whose output at t depends on other positions."),
    Numeric("param_count", draw=param_count, exact=True, points=2),
    Shape("hidden_shape", draw=hidden_shape),
    Predict("one_token", draw=one_token, rtol=1e-9, atol=1e-9),
    Multi("ffn_facts", "Which statements about ffn(x) = max(0, x W1 + b1) W2 + b2 on x (B, T, D) are true?", options=[
        Option("feeding the whole sequence or one token at a time gives the same outputs", correct=True),
        Option("shuffling the positions shuffles the outputs the same way", correct=True),
        Option("without the ReLU the block is one linear map x W + b", correct=True),
        Option("its parameter count grows with the sequence length T",
               feedback="The same weights serve every position: 2DF + F + D, whatever T is."),
        Option("W1 must be square", feedback="W1 is (D, F) with F usually 4D: the block widens, then narrows."),
    ], explanation="One MLP shared by every position: no mixing, no dependence on T, and the ReLU is what makes "
                   "it more than a single linear map."),
    Choice("why_wide", "The original transformer uses d_ff = 4 * d_model. What does the wide hidden layer buy?",
           options=[
        Option("capacity: more hidden units give a richer per-token non-linear map", correct=True),
        Option("a longer context window", feedback="The block never looks at other positions; context length "
                                                   "is attention's business."),
        Option("fewer parameters than attention", feedback="It is the other way round: 2 * D * 4D = 8D^2 weights, "
                                                         "twice attention's 4D^2."),
    ], explanation="The FFN holds most of a transformer layer's parameters (8D^2 against 4D^2 for the attention "
                   "projections); it is where per-token computation happens."),
]
