"""A small LSTM run: shapes, gate values in (0, 1), and the cell update c_t = f*c_{t-1} + i*g."""
import numpy as np

from nn.lstm import lstm_forward
from nn.params import init_params

rng = np.random.default_rng(15)
T, B, D, H = 5, 2, 3, 4                      # steps, batch, input size, hidden size
p = init_params("lstm", D, H, rng)           # W_ih (4H, D), W_hh (4H, H): gates i, f, g, o
x = rng.standard_normal((T, B, D))
h0 = np.zeros((B, H))
c0 = np.zeros((B, H))

out, (h_T, c_T), cache = lstm_forward(x, h0, c0, p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
print("x", x.shape, "-> outputs", out.shape, "h_T", h_T.shape, "c_T", c_T.shape)
print("W_ih", p["W_ih"].shape, "W_hh", p["W_hh"].shape, "(4H rows: i, f, g, o)")

for name in ("i", "f", "o"):                  # sigmoid gates: strictly between 0 and 1
    gate = cache[name]
    print(f"{name} gate: min {gate.min():.3f}, max {gate.max():.3f}, in (0, 1): {bool(((gate > 0) & (gate < 1)).all())}")
print(f"g (tanh):  min {cache['g'].min():.3f}, max {cache['g'].max():.3f}")

# The cell state is updated by addition: recompute c_t from the gates and compare.
c_prev = np.concatenate([c0[None], cache["cs"][1:-1]])
c_again = cache["f"] * c_prev + cache["i"] * cache["g"]
print("max |c_t - (f*c_{t-1} + i*g)| =", f"{np.abs(c_again - cache['cs'][1:]).max():.1e}")
print("h_T == outputs[-1]:", bool(np.array_equal(h_T, out[-1])))
