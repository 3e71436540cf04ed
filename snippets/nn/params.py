"""Random parameters and parameter counts for the recurrent layers in this package.

All three layers use PyTorch's layout: the rows of W_ih (shape (G*H, D)), W_hh (G*H, H),
b_ih (G*H,) and b_hh (G*H,) are G stacked blocks of H rows, one block per gate:

    "rnn":  G = 1
    "gru":  G = 3  (reset, update, new)
    "lstm": G = 4  (input, forget, cell, output)
"""
from __future__ import annotations

import numpy as np

GATE_BLOCKS = {"rnn": 1, "gru": 3, "lstm": 4}


def init_params(kind: str, input_size: int, hidden_size: int,
                rng: np.random.Generator, dtype=np.float64) -> dict[str, np.ndarray]:
    """Random parameters drawn the way PyTorch initialises its recurrent layers:
    every entry uniform in (-1/sqrt(H), 1/sqrt(H)).

    Returns {"W_ih": (G*H, D), "W_hh": (G*H, H), "b_ih": (G*H,), "b_hh": (G*H,)}
    with G from GATE_BLOCKS[kind]. The draws differ from torch's (different
    generator), only the distribution is the same.
    """
    rows = GATE_BLOCKS[kind] * hidden_size
    bound = 1.0 / np.sqrt(hidden_size)
    shapes = {"W_ih": (rows, input_size), "W_hh": (rows, hidden_size),
              "b_ih": (rows,), "b_hh": (rows,)}
    return {name: rng.uniform(-bound, bound, size=shape).astype(dtype)
            for name, shape in shapes.items()}


def param_count(kind: str, input_size: int, hidden_size: int) -> int:
    """Number of trainable numbers in one layer: G * (H*D + H*H + 2*H).

    The 2*H is the two bias vectors; PyTorch keeps both, although only their
    sum matters (except for the GRU's b_hn, which sits inside r * (...)).
    """
    H, D = hidden_size, input_size
    return GATE_BLOCKS[kind] * (H * D + H * H + 2 * H)


def count_arrays(params: dict[str, np.ndarray]) -> int:
    """Total size of a parameter dict, to check param_count against real arrays."""
    return sum(p.size for p in params.values())
