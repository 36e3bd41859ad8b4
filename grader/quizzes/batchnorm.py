"""Quiz: what batch normalization computes in training and inference, and its running statistics."""

import numpy as np

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct

RTOL = 1e-3  # "three significant digits"


def normalised_value(rng, ref):
    values = rng.sample([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0], 3)
    gamma, beta = rng.choice([1.0, 2.0, 0.5]), rng.choice([0.0, 1.0, -1.0])
    x = np.array(values)[:, None]
    y, _, _ = ref.batchnorm(x, [gamma], [beta], [0.0], [1.0])
    answer = float(y[0, 0])
    mean = float(np.mean(values))
    unbiased = float(np.var(values, ddof=1))
    return Variant(
        prompt=f"A batch of N = 3 examples has one channel with values {values}. Batch norm in training mode, "
               f"gamma = {gamma}, beta = {beta}, eps = 1e-5. What is y for the first example (3 significant digits)?",
        answer=answer,
        parameters=dict(values=values, gamma=gamma, beta=beta),
        misconceptions=distinct(answer, [
            Misconception("divided by N - 1 in the variance", gamma * (values[0] - mean) / np.sqrt(unbiased + 1e-5)
                          + beta, "In training, y uses the biased variance (divide by N); only the running "
                                  "variance takes the unbiased one."),
            Misconception("forgot beta", answer - beta, f"Shift by beta = {beta} at the end."),
            Misconception("divided by the variance, not its square root",
                          gamma * (values[0] - mean) / (np.var(values) + 1e-5) + beta,
                          "Normalise by the standard deviation sqrt(var + eps)."),
        ], rtol=RTOL),
        explanation=f"mean = {mean:.4g}, var = {np.var(values):.4g} (divided by 3); y = {gamma} * ({values[0]} - "
                    f"{mean:.4g}) / sqrt({np.var(values):.4g} + 1e-5) + {beta} = {answer:.4g}.",
    )


def running_variance(rng, ref):
    values = rng.sample([0.0, 1.0, 2.0, 3.0, 4.0, 6.0], 2)
    momentum = rng.choice([0.1, 0.2, 0.5])
    start = rng.choice([1.0, 2.0, 4.0])
    _, _, rv = ref.batchnorm(np.array(values)[:, None], [1.0], [0.0], [0.0], [start], momentum=momentum)
    answer = float(rv[0])
    biased, unbiased = float(np.var(values)), float(np.var(values, ddof=1))
    return Variant(
        prompt=f"running_var is {start}. One training step of batch norm (torch's convention, momentum = "
               f"{momentum}) sees a channel with values {values} (N = 2). What is the new running_var?",
        answer=answer,
        parameters=dict(values=values, momentum=momentum, running_var=start),
        misconceptions=distinct(answer, [
            Misconception("used the biased variance", (1 - momentum) * start + momentum * biased,
                          f"running_var takes the unbiased batch variance: {biased:g} * N / (N - 1) = {unbiased:g}."),
            Misconception("momentum as the weight of the old value (Keras)",
                          momentum * start + (1 - momentum) * unbiased,
                          f"In torch, momentum weighs the NEW statistic: (1 - {momentum}) * old + {momentum} * new."),
        ], rtol=1e-9),
        explanation=f"(1 - {momentum}) * {start} + {momentum} * {unbiased:g} = {answer:g}.",
    )


def stats_shape(rng, ref):
    n, c, h, w = rng.choice([8, 16, 32]), rng.choice([3, 16, 64]), rng.choice([7, 14, 28]), rng.choice([7, 14, 28])
    _, rm, _ = ref.batchnorm(np.zeros((n, c, h, w)), np.ones(c), np.zeros(c), np.zeros(c), np.ones(c))
    answer = tuple(int(s) for s in rm.shape)
    return Variant(
        prompt=f"Batch norm on images x of shape (N, C, H, W) = ({n}, {c}, {h}, {w}). What is the shape of the batch "
               f"mean it computes (and of running_mean)?",
        answer=answer,
        parameters=dict(n=n, c=c, h=h, w=w),
        misconceptions=distinct(answer, [
            Misconception("a mean per position", (c, h, w), "Batch norm pools every pixel of a channel: "
                                                            "one mean per channel."),
            Misconception("a mean per example", (n,), "That is layer normalization's axis; batch norm averages "
                                                      "over the batch."),
        ]),
        explanation=f"The mean is over N, H and W (axes 0, 2, 3): one number per channel, shape ({c},).",
    )


def one_step_running_mean(rng, ref):
    a, b = rng.choice([1, 2, 3]), rng.choice([5, 7, 9])
    momentum = rng.choice([0.1, 0.5])
    code = ("from batchnorm import batchnorm\n"
            f"x = [[{a}.0], [{b}.0]]\n"
            f"y, rm, rv = batchnorm(x, [1.0], [0.0], [0.0], [1.0], momentum={momentum})\n"
            "print(round(float(rm[0]), 6))")
    _, rm, _ = ref.batchnorm([[float(a)], [float(b)]], [1.0], [0.0], [0.0], [1.0], momentum=momentum)
    answer = round(float(rm[0]), 6)
    return Variant(
        prompt="What does this print (with a correct batchnorm)?",
        code=code,
        answer=answer,
        parameters=dict(a=a, b=b, momentum=momentum),
        misconceptions=distinct(answer, [
            Misconception("replaced the running mean by the batch mean", (a + b) / 2,
                          f"The running mean moves only momentum = {momentum} of the way to the batch mean."),
            Misconception("momentum as the weight of the old value (Keras)", (1 - momentum) * (a + b) / 2,
                          "In torch, momentum weighs the NEW statistic."),
        ], rtol=1e-6, atol=1e-9),
        explanation=f"(1 - {momentum}) * 0 + {momentum} * {(a + b) / 2:g} = {answer:g}.",
    )


QUESTIONS = [
    Numeric("normalised_value", draw=normalised_value, rtol=RTOL, points=2),
    Numeric("running_variance", draw=running_variance, rtol=1e-9, points=2),
    Shape("stats_shape", draw=stats_shape),
    Predict("one_step_running_mean", draw=one_step_running_mean, rtol=1e-6, atol=1e-9),
    Choice("inference_statistics", "At inference time (training=False), batch norm normalises with:", options=[
        Option("the running mean and variance collected during training", correct=True),
        Option("the statistics of the current batch", feedback="Then a prediction would depend on the other "
                                                               "examples in the batch, and a batch of one would "
                                                               "give 0 for every input."),
        Option("mean 0 and variance 1", feedback="The data need not have those statistics; the running averages "
                                                 "estimate the ones it has."),
        Option("nothing: inference skips the layer", feedback="gamma and beta were trained on normalised inputs; "
                                                              "skipping the layer breaks the network."),
    ], explanation="Running averages of the batch statistics stand in for the population's, so each example is "
                   "normalised on its own, the same way every time."),
    Choice("constant_channel", "In training mode, a channel is constant across the batch. Its output is:", options=[
        Option("beta, exactly: x - mean is 0 and eps keeps the division finite", correct=True),
        Option("NaN: the variance is 0", feedback="eps > 0 under the square root keeps the denominator "
                                                  "positive: 0 / sqrt(eps) = 0."),
        Option("gamma + beta", feedback="The normalised value is 0, and gamma * 0 = 0."),
        Option("the constant itself", feedback="The mean is subtracted first."),
    ], explanation="x - mean = 0 for every entry, so y = gamma * 0 / sqrt(0 + eps) + beta = beta."),
    Multi("what_batchnorm_learns", "Which of these are learned by gradient descent in a batch norm layer?",
          options=[
              Option("gamma", correct=True),
              Option("beta", correct=True),
              Option("running_mean", feedback="A running average of batch means: updated by the forward pass, "
                                              "not by gradients."),
              Option("running_var", feedback="A running average of batch variances, not a learned parameter."),
              Option("eps", feedback="A fixed constant that keeps the division finite."),
          ], explanation="gamma and beta (2C numbers) are parameters; the running statistics are buffers updated "
                         "in training mode; eps is a constant."),
]
