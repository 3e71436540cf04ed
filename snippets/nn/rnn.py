"""Plain (Elman) tanh RNN forward and backward in NumPy.

Shapes: T time steps, B sequences in the batch, D input features, H hidden units.
Parameters follow torch.nn.RNN (one layer, nonlinearity="tanh", batch_first=False):

    W_ih (H, D), W_hh (H, H), b_ih (H,), b_hh (H,)

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)

Arithmetic is done in the inputs' dtype; pass float64 arrays for exact checks.
"""
from __future__ import annotations

import numpy as np


def rnn_forward(x, h0, W_ih, W_hh, b_ih, b_hh):
    """Run the RNN over a whole sequence.

    x: (T, B, D); h0: (B, H); W_ih: (H, D); W_hh: (H, H); b_ih, b_hh: (H,).

    Returns (outputs, h_T, cache): outputs (T, B, H) is the hidden state after
    every step, h_T (B, H) the final one, cache a dict for rnn_backward.
    """
    T, B, D = x.shape
    H = h0.shape[1]

    # The input term of every step in one matrix product; both biases added once.
    x_proj = (x.reshape(T * B, D) @ W_ih.T + (b_ih + b_hh)).reshape(T, B, H)

    hs = np.empty((T + 1, B, H), dtype=x_proj.dtype)  # hs[0] = h0, hs[t+1] = h_t
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(x_proj[t] + hs[t] @ W_hh.T)

    cache = {"x": x, "W_ih": W_ih, "W_hh": W_hh, "hs": hs}
    return hs[1:], hs[T], cache


def rnn_backward(d_out, d_hT, cache):
    """Gradients of a scalar loss L through the whole sequence (BPTT).

    d_out: (T, B, H) = dL/d outputs (None means zeros); d_hT: (B, H) = dL/d h_T
    (None means zeros). Pass a loss's gradient for h_T in one of them, not both.

    Returns a dict of gradients shaped like the forward arguments:
      "x" (T, B, D), "h0" (B, H), "W_ih" (H, D), "W_hh" (H, H), "b_ih" (H,), "b_hh" (H,).
    """
    x, W_ih, W_hh, hs = cache["x"], cache["W_ih"], cache["W_hh"], cache["hs"]
    T, B, D = x.shape
    H = hs.shape[2]

    dh_next = np.zeros((B, H), hs.dtype) if d_hT is None else np.array(d_hT, hs.dtype)
    d_pre = np.empty((T, B, H), dtype=hs.dtype)  # dL/d (argument of tanh)

    for t in reversed(range(T)):
        dh = dh_next if d_out is None else d_out[t] + dh_next
        d_pre[t] = dh * (1.0 - hs[t + 1] ** 2)  # tanh' = 1 - h^2
        dh_next = d_pre[t] @ W_hh                # to h_{t-1}

    # Weight gradients sum over all steps, so they are single matrix products.
    d_pre_2d = d_pre.reshape(T * B, H)
    d_bias = d_pre_2d.sum(axis=0)
    return {
        "x": (d_pre_2d @ W_ih).reshape(T, B, D),
        "h0": dh_next,
        "W_ih": d_pre_2d.T @ x.reshape(T * B, D),
        "W_hh": d_pre_2d.T @ hs[:-1].reshape(T * B, H),
        "b_ih": d_bias,
        "b_hh": d_bias.copy(),
    }
