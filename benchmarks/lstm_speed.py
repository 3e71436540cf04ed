"""Benchmark: the NumPy LSTM forward (snippets/nn/lstm.py) against torch.nn.LSTM on CPU.

    .venv/bin/python benchmarks/lstm_speed.py [--threads N] [--repeats 9]

Shapes T=100, B=64, D=H=128, in float32 and float64. Both libraries get the same
number of threads: N (default: the cores this process may use) is put into the
OpenBLAS/OpenMP/MKL thread variables before NumPy is imported, and passed to
torch.set_num_threads. Each figure is the median of --repeats timed runs after one
warm-up run; NumPy and torch runs alternate, so both see the same machine load.
torch runs under no_grad (inference), while the NumPy forward also fills its
backward cache, so the comparison does not favour NumPy. Prints milliseconds per
forward pass and the ratio numpy/torch (target: within 3x). Without torch, only
the NumPy figures are printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
T, B, D, H = 100, 64, 128, 128
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def median_seconds(runs: dict, repeats: int) -> dict:
    """Median wall time of each callable in `runs`. The callables take turns within
    every repeat, so a load change on a shared machine hits all of them alike."""
    times = {name: [] for name in runs}
    for name, run in runs.items():
        run()  # warm-up: first-touch allocations, BLAS thread start
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    parser.add_argument("--threads", type=int, default=default_threads)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    # BLAS reads these once, when NumPy loads it, so they must be set first.
    for name in THREAD_VARIABLES:
        os.environ[name] = str(args.threads)
    import numpy as np
    sys.path.insert(0, os.path.join(ROOT, "snippets"))
    from nn.lstm import lstm_forward
    from nn.params import init_params
    try:
        import torch
    except ModuleNotFoundError:
        torch = None
    else:
        torch.set_num_threads(args.threads)

    rng = np.random.default_rng(0)
    params64 = init_params("lstm", D, H, rng)
    x64 = rng.standard_normal((T, B, D))
    h64 = rng.standard_normal((B, H))
    c64 = rng.standard_normal((B, H))

    print(f"LSTM forward, T={T} B={B} D={D} H={H}; median of {args.repeats} runs after a warm-up")
    how = f"NumPy's BLAS via {'/'.join(THREAD_VARIABLES)}"
    if torch is not None:
        print(f"threads: {args.threads} for both ({how}; torch.set_num_threads)")
        print(f"numpy {np.__version__}, torch {torch.__version__}")
    else:
        print(f"threads: {args.threads} ({how})")
        print(f"numpy {np.__version__}; torch is not installed, so no comparison")

    for dtype in (np.float32, np.float64):
        p = [params64[n].astype(dtype) for n in ("W_ih", "W_hh", "b_ih", "b_hh")]
        x, h0, c0 = x64.astype(dtype), h64.astype(dtype), c64.astype(dtype)
        runs = {"numpy": lambda: lstm_forward(x, h0, c0, *p)}
        if torch is not None:
            layer = torch.nn.LSTM(D, H).to(getattr(torch, np.dtype(dtype).name))
            with torch.no_grad():
                for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), p):
                    getattr(layer, name).copy_(torch.from_numpy(value))
            tx, th, tc = (torch.from_numpy(a) for a in (x, h0[None], c0[None]))

            def torch_run():
                with torch.no_grad():
                    return layer(tx, (th, tc))
            runs["torch"] = torch_run
        seconds = median_seconds(runs, args.repeats)
        line = f"{np.dtype(dtype).name}: numpy {seconds['numpy'] * 1e3:8.2f} ms"
        if torch is not None:
            # Same weights, so the outputs must agree too.
            deviation = np.max(np.abs(torch_run()[0].numpy() - lstm_forward(x, h0, c0, *p)[0]))
            ratio = seconds["numpy"] / seconds["torch"]
            line += (f" | torch {seconds['torch'] * 1e3:8.2f} ms | numpy/torch {ratio:5.2f}x "
                     f"({'within' if ratio <= 3 else 'OVER'} 3x target) | max |diff| {deviation:.1e}")
        print(line)


if __name__ == "__main__":
    main()
