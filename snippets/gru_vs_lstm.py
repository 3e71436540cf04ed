"""Why a GRU is lighter than an LSTM: 3 weight blocks (reset, update, new) against 4 (i, f, g, o)."""
import numpy as np

from nn.gru import gru_forward
from nn.params import count_arrays, init_params, param_count

print(f"{'D':>5} {'H':>5} {'LSTM':>10} {'GRU':>10} {'GRU/LSTM':>9}")
for D, H in [(32, 32), (128, 128), (300, 512)]:
    lstm, gru = param_count("lstm", D, H), param_count("gru", D, H)
    print(f"{D:>5} {H:>5} {lstm:>10,} {gru:>10,} {gru / lstm:>9.2f}")

# The counts are the sizes of real parameter arrays, and a GRU runs on them.
rng = np.random.default_rng(16)
p = init_params("gru", 8, 6, rng)
assert count_arrays(p) == param_count("gru", 8, 6)
out, h_T = gru_forward(rng.standard_normal((4, 2, 8)), np.zeros((2, 6)), p["W_ih"], p["W_hh"], p["b_ih"], p["b_hh"])
print("GRU x (4, 2, 8) -> outputs", out.shape, "h_T", h_T.shape, "| W_ih", p["W_ih"].shape, "(3H rows: r, z, n)")
