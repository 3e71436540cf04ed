"""GRU forward pass in NumPy.

Shapes: T time steps, B sequences in the batch, D input features, H hidden units.
Parameters follow torch.nn.GRU (one layer, batch_first=False):

    W_ih (3H, D), W_hh (3H, H), b_ih (3H,), b_hh (3H,)
    row blocks of H, in the order: reset r, update z, new n

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
    z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh   (W_in x + b_in + r * (W_hn h + b_hn))
    h' = (1 - z) * n + z * h

Arithmetic is done in the inputs' dtype; pass float64 arrays for exact checks.
"""
from __future__ import annotations

import numpy as np


def sigmoid(a):
    # exp(-a) overflows to inf for a < -709 (float64); 1/(1+inf) = 0 is then the
    # right answer, so the overflow warning is silenced rather than avoided.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def gru_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run a GRU over a whole sequence.

    x: (T, B, D); h0: (B, H); W_ih: (3H, D); W_hh: (3H, H); b_ih, b_hh: (3H,).

    Returns (outputs, h_T): outputs (T, B, H) is the hidden state after every
    step, h_T (B, H) the final one (equal to outputs[-1]).
    """
    T, B, D = x.shape
    H = h0.shape[1]

    # One matrix product for the input side of all gates at all steps. b_hh can
    # not be folded in here: its n block must be scaled by r below.
    x_proj = (x.reshape(T * B, D) @ W_ih.T + b_ih).reshape(T, B, 3 * H)

    outputs = np.empty((T, B, H), dtype=x_proj.dtype)
    h = h0
    for t in range(T):
        h_proj = h @ W_hh.T + b_hh              # (B, 3H)
        r = sigmoid(x_proj[t, :, 0:H] + h_proj[:, 0:H])
        z = sigmoid(x_proj[t, :, H:2 * H] + h_proj[:, H:2 * H])
        n = np.tanh(x_proj[t, :, 2 * H:] + r * h_proj[:, 2 * H:])
        h = (1.0 - z) * n + z * h
        outputs[t] = h
    return outputs, outputs[T - 1]
