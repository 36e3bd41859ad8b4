"""Quiz: how many parameters a conv layer has, and what shape comes out of it."""

from grader.quiz.bank import Choice, Misconception, Multi, Numeric, Option, Predict, Shape, Variant, distinct


def _channels(rng):
    """c_in != c_out, so "one bias per input channel" never gives the right count by accident."""
    c_in = rng.choice([4, 8, 16, 32, 64])  # never 1 or a kernel size: misconceptions would coincide
    c_out = rng.choice([c for c in (8, 16, 24, 32, 64, 128) if c != c_in])
    return c_in, c_out


def param_count(rng, ref):
    c_in, c_out = _channels(rng)
    k = rng.choice([3, 5, 7])
    answer = ref.conv2d_param_count(c_in, c_out, k)
    weights = c_out * c_in * k * k
    return Variant(
        prompt=f"A Conv2d layer maps {c_in} input channel{'s' if c_in > 1 else ''} to {c_out} output channels "
               f"with a {k}x{k} kernel, stride 1, no groups, with bias. How many learnable parameters "
               f"does it have?",
        answer=answer,
        parameters=dict(c_in=c_in, c_out=c_out, kernel_size=k),
        misconceptions=(
            Misconception("forgot the bias", weights,
                          f"You counted the weights only. Each of the {c_out} filters also has one bias."),
            Misconception("one bias per input channel", weights + c_in,
                          f"There is one bias per output channel (per filter), so {c_out} biases, not {c_in}."),
            Misconception("kernel counted once, not k*k", c_out * c_in * k + c_out,
                          f"A {k}x{k} kernel has {k * k} weights per input channel, not {k}."),
            Misconception("filters span one input channel", c_out * k * k + c_out,
                          f"Each filter spans all {c_in} input channels: {c_in}*{k}*{k} weights per filter."),
        ),
        explanation=f"{c_out} filters of {c_in}x{k}x{k} weights, plus {c_out} biases: "
                    f"{c_out}*{c_in}*{k}*{k} + {c_out} = {answer}.",
    )


def grouped_count(rng, ref):
    groups = rng.choice([2, 4, 8])
    c_in = groups * rng.choice([2, 4, 8])
    c_out = groups * rng.choice([1, 2, 4, 8])
    if c_out == c_in:
        c_out *= 2
    k = rng.choice([1, 3, 5])
    answer = ref.conv2d_param_count(c_in, c_out, k, groups=groups, bias=False)
    return Variant(
        prompt=f"Conv2d({c_in}, {c_out}, kernel_size={k}, groups={groups}, bias=False). "
               f"How many learnable parameters?",
        answer=answer,
        parameters=dict(c_in=c_in, c_out=c_out, kernel_size=k, groups=groups),
        misconceptions=(
            Misconception("ignored the groups", c_out * c_in * k * k,
                          f"With groups={groups} each filter sees only {c_in}/{groups} = {c_in // groups} input "
                          f"channels, so the count shrinks by a factor of {groups}."),
            Misconception("divided by the groups twice", c_out * c_in * k * k // (groups * groups),
                          f"Only the input channels per filter are divided by the groups; there are still "
                          f"{c_out} filters in all."),
            Misconception("added a bias that was turned off", answer + c_out,
                          "bias=False: the layer has no bias terms."),
        ),
        explanation=f"{c_out} filters, each {c_in // groups}x{k}x{k} (the {c_in} input channels are split into "
                    f"{groups} groups): {c_out}*{c_in // groups}*{k}*{k} = {answer}.",
    )


def output_shape(rng, ref):
    batch = rng.choice([1, 8, 16, 32])
    c_in, c_out = _channels(rng)
    side = rng.choice([28, 32, 64, 65, 224])
    k = rng.choice([3, 5, 7])
    stride = rng.choice([1, 2, 2, 3])
    padding = rng.choice([0, 1, k // 2])
    h, w = ref.conv2d_output_shape(side, side, k, stride=stride, padding=padding)
    no_plus_one = (side + 2 * padding - k) // stride
    one_side_padding = (side + padding - k) // stride + 1
    misconceptions = [
        Misconception("channels kept from the input", (batch, c_in, h, w),
                      f"The output has one channel per filter: {c_out}, whatever the input had."),
        Misconception("padding added once", (batch, c_out, one_side_padding, one_side_padding),
                      "Padding is added on both sides: H + 2*padding."),
        Misconception("forgot the +1", (batch, c_out, no_plus_one, no_plus_one),
                      "floor((H + 2p - k) / s) counts the moves of the kernel; add 1 for its first position."),
    ]
    answer = (batch, c_out, h, w)
    return Variant(
        prompt=f"An input of shape (N, C, H, W) = ({batch}, {c_in}, {side}, {side}) goes through "
               f"Conv2d({c_in}, {c_out}, kernel_size={k}, stride={stride}, padding={padding}). "
               f"What is the output shape?",
        answer=answer,
        parameters=dict(batch=batch, c_in=c_in, c_out=c_out, side=side, kernel_size=k, stride=stride,
                        padding=padding),
        misconceptions=distinct(answer, misconceptions),  # floor() can make two formulas agree
        explanation=f"Channels become {c_out}; each side is floor(({side} + 2*{padding} - {k}) / {stride}) + 1 "
                    f"= {h}; the batch is unchanged.",
    )


def rectangular_kernel(rng, ref):
    c_in, c_out = _channels(rng)
    kh, kw = rng.choice([(1, 3), (3, 1), (1, 7), (7, 1), (3, 5)])
    answer = ref.conv2d_param_count(c_in, c_out, (kh, kw), bias=False)
    code = (f"from conv_params import conv2d_param_count\n"
            f"print(conv2d_param_count({c_in}, {c_out}, ({kh}, {kw}), bias=False))")
    return Variant(
        prompt="What does this print (with a correct conv2d_param_count)?",
        code=code,
        answer=answer,
        parameters=dict(c_in=c_in, c_out=c_out, kernel_size=(kh, kw)),
        misconceptions=(
            Misconception("squared the first kernel side", c_out * c_in * kh * kh,
                          f"A ({kh}, {kw}) kernel has {kh}*{kw} weights per input channel, not {kh}*{kh}."),
            Misconception("added a bias that was turned off", answer + c_out, "bias=False: no biases."),
        ),
        explanation=f"{c_out} filters of {c_in}x{kh}x{kw} weights, no bias: {answer}.",
    )


def single_channel(rng, ref):
    c_out = rng.choice([6, 16, 20, 32, 64])
    k = rng.choice([3, 5, 7])
    bias = rng.choice([True, False])
    answer = ref.conv2d_param_count(1, c_out, k, bias=bias)
    weights = c_out * k * k
    misconceptions = [
        Misconception("kernel counted once, not k*k", c_out * k + (c_out if bias else 0),
                      f"A {k}x{k} kernel has {k * k} weights."),
        Misconception("one filter shared by every output channel", k * k + (1 if bias else 0),
                      f"Each of the {c_out} output channels has its own {k}x{k} filter (and bias)."),
    ]
    if bias:
        misconceptions.insert(0, Misconception("forgot the bias", weights,
                                               f"bias=True: one bias per output channel, {c_out} in all."))
        misconceptions.append(Misconception("one bias per input channel", weights + 1,
                                            f"One bias per OUTPUT channel: {c_out}, not 1."))
    else:
        misconceptions.insert(0, Misconception("added a bias that was turned off", weights + c_out,
                                               "bias=False: the layer has no bias terms."))
    return Variant(
        prompt=f"A grayscale image (1 input channel) goes through Conv2d(1, {c_out}, kernel_size={k}, "
               f"bias={bias}). How many learnable parameters does the layer have?",
        answer=answer,
        parameters=dict(c_in=1, c_out=c_out, kernel_size=k, bias=bias),
        misconceptions=distinct(answer, misconceptions),
        explanation=f"{c_out} filters of 1x{k}x{k} weights{f' plus {c_out} biases' if bias else ', no bias'}: "
                    f"{answer}.",
    )


QUESTIONS = [
    Numeric("param_count", draw=param_count, exact=True, points=2),
    Choice("bias_count", "How many bias terms does Conv2d(c_in, c_out, k) have (bias=True, groups=1)?", options=[
        Option("c_out: one per filter, that is one per output channel", correct=True),
        Option("c_in", feedback="A filter spans every input channel but adds a single bias to its output."),
        Option("c_in * c_out", feedback="That is the number of k x k weight slices, not biases."),
        Option("c_out * k * k", feedback="The bias is added once per output position, shared across the kernel."),
    ], explanation="Each output channel is one filter's response plus one scalar bias."),
    Numeric("grouped_count", draw=grouped_count, exact=True, points=2),
    Shape("output_shape", draw=output_shape, points=2),
    Multi("what_changes_the_count", "Which of these change the number of parameters of a Conv2d layer?", options=[
        Option("the kernel size", correct=True),
        Option("the number of output channels", correct=True),
        Option("groups", correct=True),
        Option("the height and width of the input image",
               feedback="The same filters slide over any image size: that is weight sharing."),
        Option("the stride", feedback="The stride changes where the filters are applied, not the filters."),
        Option("the padding", feedback="Padding adds zeros around the input; the filters stay the same."),
    ], explanation="Parameters = c_out * (c_in / groups) * k_h * k_w (+ c_out biases). Nothing about the input "
                   "size, stride, padding or dilation appears in it."),
    Predict("rectangular_kernel", draw=rectangular_kernel, rtol=0, atol=0),
    Choice("one_by_one", "A 1x1 convolution from c_in to c_out channels (with bias) has as many parameters as:",
           options=[
               Option("Linear(c_in, c_out), applied at every pixel", correct=True),
               Option("Linear(c_in * H * W, c_out)",
                      feedback="A 1x1 conv shares its weights across pixels; it never sees H*W inputs at once."),
               Option("c_out parameters only",
                      feedback="Each output channel still weighs every input channel: c_in weights per filter."),
               Option("Linear(c_in, c_out) without the bias",
                      feedback="Conv2d has one bias per output channel, like Linear's bias."),
           ], explanation="A 1x1 filter is a vector of c_in weights: c_out*c_in weights + c_out biases, exactly "
                          "Linear(c_in, c_out) applied to each pixel's channel vector."),
    Numeric("single_channel", draw=single_channel, exact=True),
]
