"""How much gradient reaches step t from a loss on the last output, as the distance T-1-t
grows: a plain tanh RNN against an LSTM with the same hidden size and the same inputs."""
import matplotlib.pyplot as plt
import numpy as np

from nn.lstm import lstm_backward, lstm_forward
from nn.params import init_params
from nn.rnn import rnn_backward, rnn_forward

rng = np.random.default_rng(11)
T, B, D, H = 60, 1, 16, 32
x = rng.standard_normal((T, B, D))
h0 = np.zeros((B, H))
v = rng.standard_normal((B, H))               # loss = v . h_T

r = init_params("rnn", D, H, rng)
out, h_T, cache = rnn_forward(x, h0, r["W_ih"], r["W_hh"], r["b_ih"], r["b_hh"])
rnn_norm = np.linalg.norm(rnn_backward(None, v, cache)["x"], axis=(1, 2))

p = init_params("lstm", D, H, rng)
p["b_ih"][H:2 * H] = 2.0                      # forget gate starts open (a common initialisation)
out, (h_T, c_T), cache = lstm_forward(x, h0, np.zeros((B, H)), p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
lstm_norm = np.linalg.norm(lstm_backward(None, v, None, cache)["x"], axis=(1, 2))

distance = T - 1 - np.arange(T)               # 0 = the last step
print(f"{'T-1-t':>6} {'RNN |dL/dx_t|':>14} {'LSTM |dL/dx_t|':>15}")
for d in (0, 1, 2, 5, 10, 20, 30, 40, 59):
    t = T - 1 - d
    print(f"{d:>6} {rnn_norm[t]:>14.2e} {lstm_norm[t]:>15.2e}")
ten = T - 1 - 10
print(f"10 steps back the RNN keeps {rnn_norm[ten] / rnn_norm[-1]:.1e} of the last step's gradient, "
      f"the LSTM {lstm_norm[ten] / lstm_norm[-1]:.1e}")

plt.rcParams["svg.hashsalt"] = "kbgen"       # stable SVG ids: same code, same file
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogy(distance, rnn_norm, label="RNN (tanh)")
ax.semilogy(distance, lstm_norm, label="LSTM")
ax.set_xlabel("distance T-1-t (steps)")
ax.set_ylabel("|dL/dx_t|")
ax.set_title(f"Gradient reaching step t (H={H})")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig("gradient_vs_distance.svg", metadata={"Date": None})
