"""Checks for rnn_cell, lstm_cell, rnn_unroll and lstm_unroll (topic rnn; CATALOG.md C6)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

from grader.judging.checks import Failure, Spec
from grader.judging.expect import array_contract, as_array, expect_close, expect_unchanged, expect_value_error, \
    tuple_contract

SPEC = Spec(
    "rnn",
    functions=("rnn_cell", "lstm_cell", "rnn_unroll", "lstm_unroll"),
    forbidden=("torch.nn", "torch.rnn_tanh", "torch.rnn_tanh_cell", "torch.lstm", "torch.lstm_cell",
               "torch._VF", "keras", "tensorflow", "jax"),
)
ref = SPEC.reference

VALUES = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
LARGE = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)  # saturates every gate
ATOL = 1e-12  # outputs are tanh/sigmoid values in (-1, 1) and cell states built from them
RTOL = 1e-9


# ---------------------------------------------------------------- data

@st.composite
def cells(draw, gates=1, values=VALUES, steps=None, max_batch=4, max_size=4):
    """Keyword arguments of a cell (x, h[, c], W_ih, W_hh, b), or of an unroll when steps = (lo, hi)."""
    batch = draw(st.integers(1, max_batch))
    n_in, hidden = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    arrays = lambda shape, elements=values: draw(nps.arrays(np.float64, shape, elements=elements))  # noqa: E731
    case = {}
    if steps is None:
        case["x"] = arrays((batch, n_in))
        case["h"] = arrays((batch, hidden), VALUES)
        if gates == 4:
            case["c"] = arrays((batch, hidden), VALUES)
    else:
        case["xs"] = arrays((draw(st.integers(*steps)), batch, n_in))
        case["h0"] = arrays((batch, hidden), VALUES)
        if gates == 4:
            case["c0"] = arrays((batch, hidden), VALUES)
    case.update(W_ih=arrays((gates * hidden, n_in)), W_hh=arrays((gates * hidden, hidden)),
                b=arrays((gates * hidden,)))
    return case


RNN_CELLS = cells()
LSTM_CELLS = cells(gates=4)
RNN_SEQUENCES = cells(steps=(0, 5))
LSTM_SEQUENCES = cells(gates=4, steps=(0, 5))


def _hidden(case):
    return np.shape(case["W_hh"])[1]


def _batch(case):
    return np.shape(case["x"] if "x" in case else case["xs"])[-2]


def _lstm(learner, function, case):
    """The learner's (h', c') or (hs, c_T) as float64 arrays of the right shapes (lenient types)."""
    value = getattr(learner, function)(**case)
    first, second = tuple_contract(value, 2, what=f"{function}'s result")
    state = (_batch(case), _hidden(case))
    first_shape = state if function == "lstm_cell" else (len(case["xs"]),) + state
    name = "h'" if function == "lstm_cell" else "hs"
    return (as_array(first, shape=first_shape, what=name),
            as_array(second, shape=state, what="c'" if function == "lstm_cell" else "the last cell state"))


def _cell_tolerance(case, steps=1):
    """c grows by at most 1 per step: its rounding scales with |c| + steps."""
    c = np.abs(case.get("c", case.get("c0", 0.0)))
    return ATOL * (1.0 + float(np.max(c, initial=0.0)) + steps)


# ---------------------------------------------------------------- contract

@SPEC.check("rnn_cell", tier="contract", points=1, title="rnn_cell returns a float64 array of shape (B, H)",
            given=RNN_CELLS)
def rnn_cell_returns_state(learner, **case):
    array_contract(learner.rnn_cell(**case), shape=(_batch(case), _hidden(case)), what="h'")


@SPEC.check("lstm_cell", tier="contract", points=1,
            title="lstm_cell returns (h', c'), two float64 arrays of shape (B, H)", given=LSTM_CELLS)
def lstm_cell_returns_two_states(learner, **case):
    h, c = tuple_contract(learner.lstm_cell(**case), 2, what="lstm_cell's result")
    array_contract(h, shape=(_batch(case), _hidden(case)), what="h'")
    array_contract(c, shape=(_batch(case), _hidden(case)), what="c'")


@SPEC.check("rnn_unroll", tier="contract", points=1,
            title="rnn_unroll returns a float64 array (T, B, H), empty for T = 0", given=RNN_SEQUENCES,
            examples=[dict(xs=np.zeros((0, 2, 3)), h0=np.ones((2, 1)), W_ih=np.ones((1, 3)), W_hh=np.ones((1, 1)),
                           b=np.zeros(1))])
def rnn_unroll_returns_every_state(learner, **case):
    array_contract(learner.rnn_unroll(**case), shape=(len(case["xs"]), _batch(case), _hidden(case)), what="hs")


@SPEC.check("lstm_unroll", tier="contract", points=1,
            title="lstm_unroll returns (hs (T, B, H), c_T (B, H)) as float64 arrays; T = 0 gives c0 back",
            given=LSTM_SEQUENCES,
            examples=[dict(xs=np.zeros((0, 2, 3)), h0=np.ones((2, 1)), c0=np.array([[0.5], [-2.0]]),
                           W_ih=np.ones((4, 3)), W_hh=np.ones((4, 1)), b=np.zeros(4))])
def lstm_unroll_returns_states_and_last_cell(learner, **case):
    hs, c = tuple_contract(learner.lstm_unroll(**case), 2, what="lstm_unroll's result")
    array_contract(hs, shape=(len(case["xs"]), _batch(case), _hidden(case)), what="hs")
    array_contract(c, shape=(_batch(case), _hidden(case)), what="the last cell state")
    if len(case["xs"]) == 0:
        expect_close(c, case["c0"], rtol=0.0, atol=1e-300, what="the last cell state after 0 steps (c0)")


@SPEC.check("lstm_cell", tier="contract", points=1,
            title="the cells and unrolls leave their inputs unchanged",
            given=st.one_of(*(st.tuples(st.just(f), s) for f, s in (
                ("rnn_cell", RNN_CELLS), ("lstm_cell", LSTM_CELLS), ("rnn_unroll", RNN_SEQUENCES),
                ("lstm_unroll", LSTM_SEQUENCES)))).map(lambda pair: {"function": pair[0], "case": pair[1]}))
def inputs_are_left_unchanged(learner, function, case):
    _, after = learner.value_and_arguments_after(function, **case)
    expect_unchanged(case, after, function=function)


def _bad_rnn(why, **override):
    case = dict(x=np.ones((2, 3)), h=np.zeros((2, 4)), W_ih=np.ones((4, 3)), W_hh=np.ones((4, 4)), b=np.zeros(4))
    return {"function": "rnn_cell", "case": {**case, **override}, "why": why}


def _bad_lstm(why, function="lstm_cell", **override):
    case = dict(x=np.ones((2, 3)), h=np.zeros((2, 2)), c=np.zeros((2, 2)), W_ih=np.ones((8, 3)),
                W_hh=np.ones((8, 2)), b=np.zeros(8))
    case.update(override)
    if function == "lstm_unroll":
        case = dict(xs=case.pop("x")[None], h0=case.pop("h"), c0=case.pop("c"), **case)
    return {"function": function, "case": case, "why": why}


BAD_SHAPES = [
    _bad_rnn("W_ih of shape (3, 4): the transpose of (H, I) = (4, 3)", W_ih=np.ones((3, 4))),
    _bad_rnn("W_hh of shape (4, 3) for H = 4", W_hh=np.ones((4, 3))),
    _bad_rnn("b of shape (3,) for H = 4", b=np.zeros(3)),
    _bad_rnn("h with 3 rows when x has 2", h=np.zeros((3, 4))),
    _bad_lstm("W_ih with 2 rows: an LSTM needs 4H = 8", W_ih=np.ones((2, 3))),
    _bad_lstm("b of shape (2,): an LSTM needs 4H = 8", b=np.zeros(2)),
    _bad_lstm("c of shape (2, 3) when h is (2, 2)", c=np.zeros((2, 3))),
    _bad_lstm("xs of shape (2, 3), not 3-D", function="lstm_unroll", W_ih=np.ones((8, 3))) | {
        "case": dict(xs=np.ones((2, 3)), h0=np.zeros((2, 2)), c0=np.zeros((2, 2)), W_ih=np.ones((8, 3)),
                     W_hh=np.ones((8, 2)), b=np.zeros(8))},
    _bad_lstm("c0 of shape (1, 2) when h0 is (2, 2)", function="lstm_unroll", c=np.zeros((1, 2))),
    {"function": "rnn_unroll", "why": "h0 with 3 rows when xs has batches of 2",
     "case": dict(xs=np.ones((4, 2, 3)), h0=np.zeros((3, 4)), W_ih=np.ones((4, 3)), W_hh=np.ones((4, 4)),
                  b=np.zeros(4))},
]


@SPEC.check("rnn_cell", tier="contract", points=1,
            title="the cells and unrolls raise ValueError for shapes that do not fit", examples=BAD_SHAPES)
def bad_shapes_raise(learner, function, case, why):
    expect_value_error(learner.outcome(function, **case), bad=why)


# ---------------------------------------------------------------- properties

@SPEC.check("rnn_cell", tier="properties", points=1,
            title="every entry of the new hidden state is in [-1, 1] (RNN and LSTM alike)",
            given=dict(rnn_case=cells(values=LARGE), lstm_case=cells(gates=4, values=LARGE)))
def hidden_states_are_bounded(learner, rnn_case, lstm_case):
    h = as_array(learner.rnn_cell(**rnn_case), shape=(_batch(rnn_case), _hidden(rnn_case)), what="rnn_cell's h'")
    h_lstm, _ = _lstm(learner, "lstm_cell", lstm_case)
    for value, what in ((h, "rnn_cell's h'"), (h_lstm, "lstm_cell's h'")):
        outside = ~(np.abs(value) <= 1.0)  # NaN counts as outside
        if outside.any():
            index = tuple(int(i) for i in np.argwhere(outside)[0])
            raise Failure(f"{what} has {value[index]!r} at index {index}; tanh and o * tanh(c') stay in [-1, 1]",
                          got=value)


@st.composite
def open_forget_closed_input(draw):
    """An LSTM whose forget gate is 1 and input gate 0 in float64: sigmoid(+-40) rounds to 1 and 4e-18."""
    case = draw(LSTM_CELLS)
    H = _hidden(case)
    W_ih, W_hh, b = case["W_ih"].copy(), case["W_hh"].copy(), case["b"].copy()
    for block, bias in ((0, -40.0), (1, 40.0)):  # i then f
        W_ih[block * H:(block + 1) * H] = 0.0
        W_hh[block * H:(block + 1) * H] = 0.0
        b[block * H:(block + 1) * H] = bias
    return {**case, "W_ih": W_ih, "W_hh": W_hh, "b": b}


@SPEC.check("lstm_cell", tier="properties", points=2,
            title="with the forget gate at 1 and the input gate at 0, the cell state passes through unchanged "
                  "(gate order i, f, g, o)",
            given=open_forget_closed_input())
def open_forget_gate_keeps_the_cell(learner, **case):
    _, c = _lstm(learner, "lstm_cell", case)
    expect_close(c, case["c"], rtol=1e-12, atol=1e-15, what="c' (expected c itself)")


@SPEC.check("rnn_unroll", tier="properties", points=1,
            title="rnn_unroll equals your rnn_cell applied step by step", given=cells(steps=(1, 4)))
def rnn_unroll_repeats_the_cell(learner, **case):
    hs = as_array(learner.rnn_unroll(**case), shape=(len(case["xs"]), _batch(case), _hidden(case)), what="hs")
    h = case["h0"]
    for t, x in enumerate(case["xs"]):
        h = as_array(learner.rnn_cell(x=x, h=h, W_ih=case["W_ih"], W_hh=case["W_hh"], b=case["b"]),
                     shape=h.shape, what=f"rnn_cell at step {t}")
        expect_close(hs[t], h, rtol=RTOL, atol=ATOL, what=f"hs[{t}] (expected rnn_cell on xs[{t}] and hs[{t - 1}])")


@SPEC.check("lstm_unroll", tier="properties", points=1,
            title="lstm_unroll equals your lstm_cell applied step by step", given=cells(gates=4, steps=(1, 4)))
def lstm_unroll_repeats_the_cell(learner, **case):
    hs, c_last = _lstm(learner, "lstm_unroll", case)
    h, c = case["h0"], case["c0"]
    for t, x in enumerate(case["xs"]):
        h, c = _lstm(learner, "lstm_cell", dict(x=x, h=h, c=c, W_ih=case["W_ih"], W_hh=case["W_hh"], b=case["b"]))
        expect_close(hs[t], h, rtol=RTOL, atol=_cell_tolerance(case, t + 1),
                     what=f"hs[{t}] (expected lstm_cell's h' on xs[{t}] and the previous state)")
    expect_close(c_last, c, rtol=RTOL, atol=_cell_tolerance(case, len(case["xs"])),
                 what="the last cell state (expected the c' of the last lstm_cell step)")


# ---------------------------------------------------------------- reference

@SPEC.check("rnn_cell", tier="reference", points=2, title="rnn_cell matches the reference", given=RNN_CELLS,
            examples=[dict(x=[[1.0, -1.0]], h=[[0.5, 0.0, 1.0]], W_ih=np.arange(6.0).reshape(3, 2) / 6,
                           W_hh=np.eye(3) - 0.5, b=[0.1, 0.0, -0.1])])
def rnn_cell_matches_reference(learner, **case):
    expect_close(learner.rnn_cell(**case), ref.rnn_cell(**case), rtol=RTOL, atol=ATOL, what="h'")


LSTM_EXAMPLE = dict(x=np.array([[1.0, -1.0, 0.5]]), h=np.array([[0.5, -0.25]]), c=np.array([[1.0, -2.0]]),
                    W_ih=np.arange(24.0).reshape(8, 3) / 24 - 0.5, W_hh=np.arange(16.0).reshape(8, 2) / 16 - 0.5,
                    b=np.linspace(-1, 1, 8))


@SPEC.check("lstm_cell", tier="reference", points=3, title="lstm_cell matches the reference", given=LSTM_CELLS,
            examples=[LSTM_EXAMPLE])
def lstm_cell_matches_reference(learner, **case):
    h, c = _lstm(learner, "lstm_cell", case)
    expected_h, expected_c = ref.lstm_cell(**case)
    expect_close(h, expected_h, rtol=RTOL, atol=_cell_tolerance(case), what="h'")
    expect_close(c, expected_c, rtol=RTOL, atol=_cell_tolerance(case), what="c'")


@SPEC.check("rnn_unroll", tier="reference", points=1, title="rnn_unroll matches the reference", given=RNN_SEQUENCES)
def rnn_unroll_matches_reference(learner, **case):
    expect_close(learner.rnn_unroll(**case), ref.rnn_unroll(**case), rtol=RTOL, atol=ATOL * (1 + len(case["xs"])),
                 what="hs")


@SPEC.check("lstm_unroll", tier="reference", points=2, title="lstm_unroll matches the reference",
            given=LSTM_SEQUENCES,
            examples=[dict(xs=np.stack([LSTM_EXAMPLE["x"], -LSTM_EXAMPLE["x"]]), h0=LSTM_EXAMPLE["h"],
                           c0=LSTM_EXAMPLE["c"], W_ih=LSTM_EXAMPLE["W_ih"], W_hh=LSTM_EXAMPLE["W_hh"],
                           b=LSTM_EXAMPLE["b"])])
def lstm_unroll_matches_reference(learner, **case):
    hs, c = _lstm(learner, "lstm_unroll", case)
    expected_hs, expected_c = ref.lstm_unroll(**case)
    atol = _cell_tolerance(case, len(case["xs"]))
    expect_close(hs, expected_hs, rtol=RTOL, atol=atol, what="hs")
    expect_close(c, expected_c, rtol=RTOL, atol=atol, what="the last cell state")


# ---------------------------------------------------------------- stability

SATURATED_EXAMPLE = {**LSTM_EXAMPLE, "x": np.array([[1000.0, -1000.0, 800.0]])}


@SPEC.check("lstm_cell", tier="stability", points=1,
            title="lstm_cell stays finite and right when its gates saturate (inputs up to 1e3)",
            given=cells(gates=4, values=LARGE), examples=[SATURATED_EXAMPLE])
def lstm_cell_handles_saturated_gates(learner, **case):
    h, c = _lstm(learner, "lstm_cell", case)
    expected_h, expected_c = ref.lstm_cell(**case)
    expect_close(h, expected_h, rtol=RTOL, atol=_cell_tolerance(case), what="h'")
    expect_close(c, expected_c, rtol=RTOL, atol=_cell_tolerance(case), what="c'")


@SPEC.check("lstm_unroll", tier="stability", points=1,
            title="lstm_unroll matches the reference over long sequences (up to 200 steps)",
            given=cells(gates=4, steps=(50, 200), max_batch=2, max_size=3), max_examples=3)
def lstm_unroll_handles_long_sequences(learner, **case):
    hs, c = _lstm(learner, "lstm_unroll", case)
    expected_hs, expected_c = ref.lstm_unroll(**case)
    atol = _cell_tolerance(case, len(case["xs"]))
    expect_close(hs, expected_hs, rtol=1e-8, atol=10 * atol, what="hs")
    expect_close(c, expected_c, rtol=1e-8, atol=10 * atol, what="the last cell state")


# ---------------------------------------------------------------- known mistakes
# Written as if they lived in solutions/rnn.py (they may call its helpers).

@SPEC.mistake_helper
def _lstm_with(x, h, c, W_ih, W_hh, b, *, order="ifgo", g_sigmoid=False, no_cell_tanh=False, naive_sigmoid=False):
    """lstm_cell with one switch per known mistake; the defaults give the reference."""
    x, h, W_ih, W_hh, b = _checked(x, h, W_ih, W_hh, b, gates=4)
    c = _state(c, h.shape, "c")
    blocks = dict(zip(order, np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=1)))
    sig = (lambda z: np.exp(z) / (1.0 + np.exp(z))) if naive_sigmoid else _sigmoid
    g = sig(blocks["g"]) if g_sigmoid else np.tanh(blocks["g"])
    c_next = sig(blocks["f"]) * c + sig(blocks["i"]) * g
    return sig(blocks["o"]) * (c_next if no_cell_tanh else np.tanh(c_next)), c_next


@SPEC.mistake("lstm_cell", "reads the gates in the order i, g, f, o instead of i, f, g, o",
              hint="torch stacks the gate blocks as input, forget, cell candidate (g), output: rows 0..H are i, "
                   "H..2H are f, 2H..3H are g, 3H..4H are o.")
def lstm_cell_order_ifgo_swapped(x, h, c, W_ih, W_hh, b):
    return _lstm_with(x, h, c, W_ih, W_hh, b, order="igfo")


@SPEC.mistake("lstm_cell", "reads the gates in the order f, i, g, o",
              hint="The first block of H rows is the input gate i, the second the forget gate f: i, f, g, o.")
def lstm_cell_forget_first(x, h, c, W_ih, W_hh, b):
    return _lstm_with(x, h, c, W_ih, W_hh, b, order="figo")


@SPEC.mistake("lstm_cell", "applies the sigmoid to the cell candidate g instead of tanh",
              hint="i, f and o are gates in (0, 1): sigmoid. The candidate g is a value in (-1, 1): tanh.")
def lstm_cell_sigmoid_candidate(x, h, c, W_ih, W_hh, b):
    return _lstm_with(x, h, c, W_ih, W_hh, b, g_sigmoid=True)


@SPEC.mistake("lstm_cell", "h' = o * c' without the tanh of the cell state",
              hint="The hidden state squashes the cell first: h' = o * tanh(c').")
def lstm_cell_without_cell_tanh(x, h, c, W_ih, W_hh, b):
    return _lstm_with(x, h, c, W_ih, W_hh, b, no_cell_tanh=True)


@SPEC.mistake("lstm_cell", "sigmoid written as exp(z) / (1 + exp(z)): inf / inf gives NaN for large z",
              hint="exp(1000) overflows to inf. Use exp(-|z|), which is never above 1: for z >= 0, "
                   "1 / (1 + exp(-z)); for z < 0, exp(z) / (1 + exp(z)).")
def lstm_cell_overflowing_sigmoid(x, h, c, W_ih, W_hh, b):
    return _lstm_with(x, h, c, W_ih, W_hh, b, naive_sigmoid=True)


@SPEC.mistake("rnn_cell", "uses x @ W_ih instead of x @ W_ih.T (W_ih is (H, I), torch's layout)",
              hint="W_ih has shape (H, I) and x (B, I): x @ W_ih.T is (B, H). Same for W_hh: h @ W_hh.T.")
def rnn_cell_untransposed(x, h, W_ih, W_hh, b):
    x, h, W_ih, W_hh, b = (np.asarray(v, dtype=np.float64) for v in (x, h, W_ih, W_hh, b))
    return np.tanh(x @ W_ih + h @ W_hh + b)


@SPEC.mistake("rnn_unroll", "starts every step from h0 instead of the previous step's state",
              hint="The state is carried: step t reads the h that step t - 1 returned (h0 only for t = 0).")
def rnn_unroll_without_carry(xs, h0, W_ih, W_hh, b):
    xs = _sequence(xs)
    _, h0, W_ih, W_hh, b = _checked(np.zeros(xs.shape[1:]), h0, W_ih, W_hh, b, gates=1)
    hs = np.empty((xs.shape[0],) + h0.shape)
    for t in range(xs.shape[0]):
        hs[t] = rnn_cell(xs[t], h0, W_ih, W_hh, b)
    return hs


@SPEC.mistake("lstm_unroll", "carries h but restarts the cell state from c0 at every step",
              hint="Both h and c carry over: (h, c) = lstm_cell(xs[t], h, c, ...).")
def lstm_unroll_without_cell_carry(xs, h0, c0, W_ih, W_hh, b):
    xs = _sequence(xs)
    _, h, W_ih, W_hh, b = _checked(np.zeros(xs.shape[1:]), h0, W_ih, W_hh, b, gates=4)
    c = _state(c0, h.shape, "c0")
    hs = np.empty((xs.shape[0],) + h.shape)
    for t in range(xs.shape[0]):
        h, c = lstm_cell(xs[t], h, np.asarray(c0, dtype=np.float64), W_ih, W_hh, b)
        hs[t] = h
    return hs, c.copy()
