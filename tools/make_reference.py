"""Write tests/fixtures/recurrent_reference.npz: PyTorch reference values for the
NumPy RNN, GRU and LSTM in snippets/nn/.

    .venv/bin/pip install torch==2.13.0 && .venv/bin/python tools/make_reference.py

Made with torch 2.13.0 (CPU build); the version that wrote the file is stored in it
under "torch_version". Only this script needs torch; the tests read the file.

For every layer kind and every (T, B, D, H) in SHAPES, with a fixed seed, the file
holds, under keys "<kind>_T<T>_B<B>_D<D>_H<H>__<name>":
  inputs:       x, h0, (c0 for lstm), W_ih, W_hh, b_ih, b_hh (torch's own init);
  results:      out, h_T, (c_T for lstm);
  rnn and lstm: the loss weights w_out, w_h, (w_c) of
                    L = sum(out * w_out) + sum(h_T * w_h) [+ sum(c_T * w_c)]
                and the gradients of L: grad_x, grad_h0, (grad_c0), grad_W_ih, ...
All arrays are float64. "shapes" lists SHAPES as an (N, 4) int array.
"""
from __future__ import annotations

import io
import os
import zipfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "recurrent_reference.npz")

# T=1 and B=1 edge cases, H != D both ways, and a square one.
SHAPES = [(1, 1, 3, 2), (5, 2, 4, 3), (7, 3, 2, 5), (4, 1, 6, 6)]
KINDS = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}
WITH_GRADIENTS = ("rnn", "lstm")


def key(kind: str, shape: tuple[int, int, int, int], name: str) -> str:
    T, B, D, H = shape
    return f"{kind}_T{T}_B{B}_D{D}_H{H}__{name}"


def reference(kind: str, shape: tuple[int, int, int, int], seed: int) -> dict[str, np.ndarray]:
    T, B, D, H = shape
    torch.manual_seed(seed)
    layer = KINDS[kind](input_size=D, hidden_size=H).double()
    params = {"W_ih": layer.weight_ih_l0, "W_hh": layer.weight_hh_l0,
              "b_ih": layer.bias_ih_l0, "b_hh": layer.bias_hh_l0}

    # Inputs are leaves so their gradients are recorded too.
    inputs = {"x": torch.randn(T, B, D, dtype=torch.float64, requires_grad=True),
              "h0": torch.randn(B, H, dtype=torch.float64, requires_grad=True)}
    if kind == "lstm":
        inputs["c0"] = torch.randn(B, H, dtype=torch.float64, requires_grad=True)
        out, (h_n, c_n) = layer(inputs["x"], (inputs["h0"][None], inputs["c0"][None]))
        results = {"out": out, "h_T": h_n[0], "c_T": c_n[0]}
    else:
        out, h_n = layer(inputs["x"], inputs["h0"][None])
        results = {"out": out, "h_T": h_n[0]}

    record = {name: t.detach().numpy().copy() for name, t in {**inputs, **params}.items()}
    record.update({name: t.detach().numpy().copy() for name, t in results.items()})

    if kind in WITH_GRADIENTS:
        # Fixed random loss weights make every output entry matter differently.
        weights = {"w_out": torch.randn(T, B, H, dtype=torch.float64),
                   "w_h": torch.randn(B, H, dtype=torch.float64)}
        loss = (results["out"] * weights["w_out"]).sum() + (results["h_T"] * weights["w_h"]).sum()
        if kind == "lstm":
            weights["w_c"] = torch.randn(B, H, dtype=torch.float64)
            loss = loss + (results["c_T"] * weights["w_c"]).sum()
        loss.backward()
        record.update({name: t.numpy().copy() for name, t in weights.items()})
        for name, t in {**inputs, **params}.items():
            record["grad_" + name] = t.grad.numpy().copy()
    return record


def save_npz(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez_compressed, but with a fixed timestamp per member so that
    re-running with the same torch gives a byte-identical file (no git noise)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def main() -> None:
    arrays: dict[str, np.ndarray] = {
        "torch_version": np.array(torch.__version__),
        "shapes": np.array(SHAPES, dtype=np.int64),
    }
    for k, kind in enumerate(KINDS):
        for s, shape in enumerate(SHAPES):
            record = reference(kind, shape, seed=1000 + 100 * k + s)
            arrays.update({key(kind, shape, name): value for name, value in record.items()})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    save_npz(OUT, arrays)
    print(f"wrote {len(arrays)} arrays to {os.path.relpath(OUT, ROOT)} "
          f"({os.path.getsize(OUT)} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
