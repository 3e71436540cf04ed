"""LSTM forward and backward (backpropagation through time) in NumPy.

Shapes: T time steps, B sequences in the batch, D input features, H hidden units.
Parameters follow torch.nn.LSTM (one layer, batch_first=False), so weights copied
from `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0` work unchanged:

    W_ih (4H, D), W_hh (4H, H), b_ih (4H,), b_hh (4H,)
    row blocks of H, in the order: input i, forget f, cell g, output o

    i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
    f = sigmoid(W_if x + b_if + W_hf h + b_hf)
    g = tanh   (W_ig x + b_ig + W_hg h + b_hg)
    o = sigmoid(W_io x + b_io + W_ho h + b_ho)
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

Arithmetic is done in the inputs' dtype; pass float64 arrays for exact checks.
"""
from __future__ import annotations

import numpy as np


def sigmoid(a):
    # exp(-a) overflows to inf for a < -709 (float64); 1/(1+inf) = 0 is then the
    # right answer, so the overflow warning is silenced rather than avoided.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """Run an LSTM over a whole sequence.

    x: (T, B, D); h0, c0: (B, H); W_ih: (4H, D); W_hh: (4H, H); b_ih, b_hh: (4H,).

    Returns (outputs, (h_T, c_T), cache):
      outputs: (T, B, H), the hidden state after every step (outputs[-1] is h_T);
      h_T, c_T: (B, H), the final hidden and cell states;
      cache: dict for lstm_backward. cache["gates"] is (T, B, 4H) holding the
      activations [i | f | g | o] of every step, so i, f, o lie in (0, 1) and
      g in (-1, 1); cache["i"], cache["f"], cache["g"], cache["o"] are views of it.
    """
    T, B, D = x.shape
    H = h0.shape[1]

    # The input part of every gate does not depend on h, so it is one matrix
    # product for all T*B rows; both biases are added here once.
    x_proj = (x.reshape(T * B, D) @ W_ih.T + (b_ih + b_hh)).reshape(T, B, 4 * H)

    dtype = x_proj.dtype
    gates = np.empty((T, B, 4 * H), dtype=dtype)
    cs = np.empty((T + 1, B, H), dtype=dtype)  # cs[0] = c0, cs[t+1] = c_t
    hs = np.empty((T + 1, B, H), dtype=dtype)  # hs[0] = h0, hs[t+1] = h_t
    tanh_cs = np.empty((T, B, H), dtype=dtype)
    cs[0], hs[0] = c0, h0

    for t in range(T):
        a = x_proj[t] + hs[t] @ W_hh.T          # (B, 4H) pre-activations
        i = sigmoid(a[:, 0 * H:1 * H])
        f = sigmoid(a[:, 1 * H:2 * H])
        g = np.tanh(a[:, 2 * H:3 * H])
        o = sigmoid(a[:, 3 * H:4 * H])
        cs[t + 1] = f * cs[t] + i * g
        tanh_cs[t] = np.tanh(cs[t + 1])
        hs[t + 1] = o * tanh_cs[t]
        gates[t] = np.concatenate([i, f, g, o], axis=1)

    cache = {
        "x": x, "W_ih": W_ih, "W_hh": W_hh,
        "hs": hs, "cs": cs, "tanh_cs": tanh_cs, "gates": gates,
        "i": gates[:, :, 0 * H:1 * H], "f": gates[:, :, 1 * H:2 * H],
        "g": gates[:, :, 2 * H:3 * H], "o": gates[:, :, 3 * H:4 * H],
    }
    return hs[1:], (hs[T], cs[T]), cache


def lstm_backward(d_out, d_hT, d_cT, cache):
    """Gradients of a scalar loss L through the whole sequence (BPTT).

    d_out: (T, B, H) = dL/d outputs (None means zeros);
    d_hT, d_cT: (B, H) = dL/d h_T and dL/d c_T from the final states (None means
    zeros). A loss that uses h_T should pass its gradient either in d_out[-1] or
    in d_hT, not both.

    Returns a dict of gradients shaped like the forward arguments:
      "x" (T, B, D), "h0" (B, H), "c0" (B, H),
      "W_ih" (4H, D), "W_hh" (4H, H), "b_ih" (4H,), "b_hh" (4H,).
    """
    x, W_ih, W_hh = cache["x"], cache["W_ih"], cache["W_hh"]
    hs, cs, tanh_cs, gates = cache["hs"], cache["cs"], cache["tanh_cs"], cache["gates"]
    T, B, D = x.shape
    H = hs.shape[2]

    dh_next = np.zeros((B, H), hs.dtype) if d_hT is None else np.array(d_hT, hs.dtype)
    dc_next = np.zeros((B, H), hs.dtype) if d_cT is None else np.array(d_cT, hs.dtype)
    d_pre = np.empty((T, B, 4 * H), dtype=hs.dtype)  # dL/d pre-activations

    for t in reversed(range(T)):
        i = gates[t, :, 0 * H:1 * H]
        f = gates[t, :, 1 * H:2 * H]
        g = gates[t, :, 2 * H:3 * H]
        o = gates[t, :, 3 * H:4 * H]

        dh = dh_next if d_out is None else d_out[t] + dh_next
        # c_t reaches the loss directly (via c_{t+1}) and through h_t = o * tanh(c_t).
        dc = dc_next + dh * o * (1.0 - tanh_cs[t] ** 2)

        # Chain rule through each gate's activation: sigmoid' = s(1-s), tanh' = 1-y^2.
        d_pre[t, :, 0 * H:1 * H] = dc * g * i * (1.0 - i)
        d_pre[t, :, 1 * H:2 * H] = dc * cs[t] * f * (1.0 - f)
        d_pre[t, :, 2 * H:3 * H] = dc * i * (1.0 - g ** 2)
        d_pre[t, :, 3 * H:4 * H] = dh * tanh_cs[t] * o * (1.0 - o)

        dh_next = d_pre[t] @ W_hh      # to h_{t-1}
        dc_next = dc * f               # to c_{t-1}

    # Weight gradients sum over all steps, so they too are single matrix products.
    d_pre_2d = d_pre.reshape(T * B, 4 * H)
    d_bias = d_pre_2d.sum(axis=0)
    return {
        "x": (d_pre_2d @ W_ih).reshape(T, B, D),
        "h0": dh_next,
        "c0": dc_next,
        "W_ih": d_pre_2d.T @ x.reshape(T * B, D),
        "W_hh": d_pre_2d.T @ hs[:-1].reshape(T * B, H),
        "b_ih": d_bias,
        "b_hh": d_bias.copy(),
    }
