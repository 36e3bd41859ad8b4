"""Recurrent cells: an Elman RNN cell, an LSTM cell, and running them over a sequence.

A recurrent cell reads one time step x_t and its own previous state, and returns the new state.
Elman RNN: h' = tanh(x @ W_ih^T + h @ W_hh^T + b). LSTM: the pre-activations
z = x @ W_ih^T + h @ W_hh^T + b (B, 4H) are split into four blocks of H columns, in the order
i, f, g, o (input, forget, cell candidate, output gate); i, f, o go through the sigmoid and g
through tanh; then c' = f * c + i * g and h' = o * tanh(c'). Weights use torch's layout: W_ih is
(H, I) for the RNN and (4H, I) for the LSTM (gate blocks stacked in rows), W_hh is (H, H) or
(4H, H); b is the single bias (torch's bias_ih + bias_hh). Unrolling applies the cell step by step,
feeding each new state into the next step. torch.nn (nn.RNN, nn.LSTM, nn.RNNCell, nn.LSTMCell,
torch.nn.functional) and torch's rnn_tanh / lstm / lstm_cell functions are off limits.

Run `grade rnn` to check your work; stuck? `grade hint rnn`.
"""

import numpy as np


def rnn_cell(x, h, W_ih, W_hh, b) -> np.ndarray:
    """The next hidden state h' = tanh(x @ W_ih.T + h @ W_hh.T + b), shape (B, H).

    x (B, I), h (B, H), W_ih (H, I), W_hh (H, H), b (H,). Raise ValueError when the shapes do not fit.
    Example: rnn_cell([[1.0]], [[0.5]], [[2.0]], [[-2.0]], [0.0]) -> array([[0.76159416]])  (tanh(2 - 1))
    """
    # TODO: one line of numpy; check the shapes and raise ValueError when they do not fit.
    raise NotImplementedError


def lstm_cell(x, h, c, W_ih, W_hh, b) -> tuple[np.ndarray, np.ndarray]:
    """The next (h', c'), each (B, H), of an LSTM cell with gate order i, f, g, o.

    x (B, I), h and c (B, H), W_ih (4H, I), W_hh (4H, H), b (4H,); rows k*H to (k+1)*H of W_ih,
    W_hh and b belong to gate k of (i, f, g, o). Raise ValueError when the shapes do not fit.
    Example: with all weights and b zero, every gate is sigmoid(0) = 0.5 and g = 0, so
    lstm_cell([[1.0]], [[0.0]], [[2.0]], np.zeros((4, 1)), np.zeros((4, 1)), np.zeros(4))
    -> (array([[0.38079708]]), array([[1.]]))  (c' = 0.5 * 2, h' = 0.5 * tanh(1))
    """
    # TODO: pre-activations, split into i, f, g, o (in that order), then the cell and hidden updates.
    raise NotImplementedError


def rnn_unroll(xs, h0, W_ih, W_hh, b) -> np.ndarray:
    """Every hidden state (T, B, H) of the Elman RNN run over xs (T, B, I) from h0 (B, H).

    hs[t] = rnn_cell(xs[t], hs[t - 1], ...) with hs[-1] read as h0. T = 0 gives an empty (0, B, H).
    Raise ValueError when xs is not 3-D or the shapes do not fit.
    Example: rnn_unroll([[[1.0]], [[0.0]]], [[0.0]], [[1.0]], [[1.0]], [0.0])
    -> array([[[0.76159416]], [[0.64201499]]])  (tanh(1), then tanh(tanh(1)))
    """
    # TODO: loop over t, feeding each new hidden state into the next step; keep them all.
    raise NotImplementedError


def lstm_unroll(xs, h0, c0, W_ih, W_hh, b) -> tuple[np.ndarray, np.ndarray]:
    """(every hidden state (T, B, H), the last cell state (B, H)) of the LSTM run over xs (T, B, I).

    Starts from h0 and c0 (B, H); each step is lstm_cell on xs[t] and the previous (h, c), like
    torch's nn.LSTM (its output and c_n). T = 0 gives an empty (0, B, H) and a copy of c0.
    Raise ValueError when xs is not 3-D or the shapes do not fit.
    Example: lstm_unroll([[[1.0]]], [[0.0]], [[2.0]], np.zeros((4, 1)), np.zeros((4, 1)), np.zeros(4))
    -> (array([[[0.38079708]]]), array([[1.]]))  (one step: the lstm_cell example)
    """
    # TODO: loop over t with lstm_cell, carrying (h, c); return all h and the last c.
    raise NotImplementedError
