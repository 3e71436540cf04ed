"""A plain tanh RNN, forward and backward through time, with one gradient checked numerically."""
import numpy as np

from nn.params import init_params
from nn.rnn import rnn_backward, rnn_forward

rng = np.random.default_rng(14)
T, B, D, H = 6, 2, 3, 5
p = init_params("rnn", D, H, rng)             # W_ih (H, D), W_hh (H, H), b_ih, b_hh (H,)
x = rng.standard_normal((T, B, D))
h0 = np.zeros((B, H))
w = rng.standard_normal((T, B, H))            # loss = sum(w * outputs)


def loss(params):
    out, _, _ = rnn_forward(x, h0, params["W_ih"], params["W_hh"], params["b_ih"], params["b_hh"])
    return float((w * out).sum())


out, h_T, cache = rnn_forward(x, h0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
grads = rnn_backward(w, None, cache)
print("outputs", out.shape, "h_T", h_T.shape)
print({name: g.shape for name, g in grads.items()})

# Nudge one recurrent weight both ways: the slope must equal the BPTT gradient.
eps, (r, c) = 1e-6, (1, 2)
up = {k: v.copy() for k, v in p.items()}
down = {k: v.copy() for k, v in p.items()}
up["W_hh"][r, c] += eps
down["W_hh"][r, c] -= eps
numeric = (loss(up) - loss(down)) / (2 * eps)
print(f"dL/dW_hh[{r},{c}]: backward {grads['W_hh'][r, c]:.8f}, finite difference {numeric:.8f}")
