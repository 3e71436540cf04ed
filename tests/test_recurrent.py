"""The NumPy RNN/GRU/LSTM snippets (snippets/nn/) against PyTorch and against
finite differences.

The PyTorch values come from tests/fixtures/recurrent_reference.npz (written by
tools/make_reference.py), so these tests need only NumPy; the live comparison at
the end runs only when torch is installed.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "snippets"))

from nn.gru import gru_forward  # noqa: E402
from nn.lstm import lstm_backward, lstm_forward  # noqa: E402
from nn.params import GATE_BLOCKS, count_arrays, init_params, param_count  # noqa: E402
from nn.rnn import rnn_backward, rnn_forward  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "recurrent_reference.npz")
with np.load(FIXTURE) as _archive:
    REF = dict(_archive)
SHAPES = [tuple(int(n) for n in row) for row in REF["shapes"]]
PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")

EXACT = 1e-10      # max abs difference allowed against torch in float64
FD_TOLERANCE = 1e-6


def ref(kind, shape):
    """The fixture's arrays for one layer kind and shape, keyed by short name."""
    T, B, D, H = shape
    prefix = f"{kind}_T{T}_B{B}_D{D}_H{H}__"
    return {k[len(prefix):]: v for k, v in REF.items() if k.startswith(prefix)}


def max_abs_diff(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b)))


def assert_close(got: dict, want: dict):
    """Every array in `got` equals the one of the same name in `want` to EXACT."""
    worst = {name: max_abs_diff(got[name], want[name]) for name in got}
    assert max(worst.values()) < EXACT, worst


# (a) fixture made by torch ---------------------------------------------------------

def test_fixture_is_complete():
    assert str(REF["torch_version"]).startswith("2.")
    assert (1, 1) in {(T, B) for T, B, _, _ in SHAPES}
    assert any(D != H for _, _, D, H in SHAPES)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lstm_matches_torch_fixture(shape):
    r = ref("lstm", shape)
    params = [r[n] for n in PARAM_NAMES]
    out, (h_T, c_T), cache = lstm_forward(r["x"], r["h0"], r["c0"], *params)
    assert_close({"out": out, "h_T": h_T, "c_T": c_T}, r)

    grads = lstm_backward(r["w_out"], r["w_h"], r["w_c"], cache)
    assert_close({"grad_" + n: g for n, g in grads.items()}, r)
    assert len(grads) == sum(k.startswith("grad_") for k in r)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_rnn_matches_torch_fixture(shape):
    r = ref("rnn", shape)
    out, h_T, cache = rnn_forward(r["x"], r["h0"], *[r[n] for n in PARAM_NAMES])
    assert_close({"out": out, "h_T": h_T}, r)

    grads = rnn_backward(r["w_out"], r["w_h"], cache)
    assert_close({"grad_" + n: g for n, g in grads.items()}, r)
    assert len(grads) == sum(k.startswith("grad_") for k in r)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_gru_matches_torch_fixture(shape):
    r = ref("gru", shape)
    out, h_T = gru_forward(r["x"], r["h0"], *[r[n] for n in PARAM_NAMES])
    assert_close({"out": out, "h_T": h_T}, r)


# (b) finite differences ------------------------------------------------------------

FD_SHAPES = [(1, 1, 2, 3), (4, 2, 3, 2), (3, 3, 5, 4)]


def random_problem(kind, shape, seed):
    """Inputs, parameters and loss weights for L = sum(out*w_out) + sum(h_T*w_h) [+ sum(c_T*w_c)]."""
    T, B, D, H = shape
    rng = np.random.default_rng(seed)
    arrays = {"x": rng.standard_normal((T, B, D)), "h0": rng.standard_normal((B, H))}
    if kind == "lstm":
        arrays["c0"] = rng.standard_normal((B, H))
    arrays.update(init_params(kind, D, H, rng))
    weights = {"w_out": rng.standard_normal((T, B, H)), "w_h": rng.standard_normal((B, H)),
               "w_c": rng.standard_normal((B, H))}
    return arrays, weights


def loss_and_grads(kind, arrays, w):
    a = arrays
    if kind == "lstm":
        out, (h_T, c_T), cache = lstm_forward(a["x"], a["h0"], a["c0"], *[a[n] for n in PARAM_NAMES])
        loss = np.sum(out * w["w_out"]) + np.sum(h_T * w["w_h"]) + np.sum(c_T * w["w_c"])
        return loss, lambda: lstm_backward(w["w_out"], w["w_h"], w["w_c"], cache)
    out, h_T, cache = rnn_forward(a["x"], a["h0"], *[a[n] for n in PARAM_NAMES])
    loss = np.sum(out * w["w_out"]) + np.sum(h_T * w["w_h"])
    return loss, lambda: rnn_backward(w["w_out"], w["w_h"], cache)


def central_difference(kind, arrays, weights, name, eps=1e-6):
    target = arrays[name]
    numeric = np.zeros_like(target)
    for index in np.ndindex(target.shape):
        saved = target[index]
        target[index] = saved + eps
        up, _ = loss_and_grads(kind, arrays, weights)
        target[index] = saved - eps
        down, _ = loss_and_grads(kind, arrays, weights)
        target[index] = saved
        numeric[index] = (up - down) / (2 * eps)
    return numeric


def relative_error(analytic, numeric):
    # Whole-array norm: tiny entries cannot blow the ratio up.
    return float(np.linalg.norm(analytic - numeric)
                 / max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-300))


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
@pytest.mark.parametrize("shape", FD_SHAPES, ids=str)
def test_backward_matches_finite_differences(kind, shape):
    arrays, weights = random_problem(kind, shape, seed=sum(shape) + len(kind))
    _, backward = loss_and_grads(kind, arrays, weights)
    analytic = backward()
    assert set(analytic) == set(arrays)
    errors = {name: relative_error(analytic[name], central_difference(kind, arrays, weights, name))
              for name in arrays}
    assert max(errors.values()) < FD_TOLERANCE, errors


# smaller properties ----------------------------------------------------------------

def test_missing_final_gradients_mean_zero():
    arrays, w = random_problem("lstm", (3, 2, 3, 4), seed=7)
    _, _, cache = lstm_forward(*[arrays[n] for n in ("x", "h0", "c0", *PARAM_NAMES)])
    zeros = np.zeros_like(w["w_h"])
    a = lstm_backward(w["w_out"], None, None, cache)
    b = lstm_backward(w["w_out"], zeros, zeros, cache)
    assert all(np.array_equal(a[n], b[n]) for n in a)

    arrays, w = random_problem("rnn", (3, 2, 3, 4), seed=7)
    _, _, cache = rnn_forward(*[arrays[n] for n in ("x", "h0", *PARAM_NAMES)])
    a, b = rnn_backward(w["w_out"], None, cache), rnn_backward(w["w_out"], zeros, cache)
    assert all(np.array_equal(a[n], b[n]) for n in a)


def test_lstm_gates_are_in_range_and_cached():
    arrays, _ = random_problem("lstm", (6, 3, 4, 5), seed=3)
    arrays["x"] *= 50.0  # saturate the gates; the sigmoid must not overflow
    out, _, cache = lstm_forward(*[arrays[n] for n in ("x", "h0", "c0", *PARAM_NAMES)])
    assert cache["gates"].shape == (6, 3, 20)
    for name in ("i", "f", "o"):
        assert cache[name].shape == (6, 3, 5)
        assert np.all((cache[name] >= 0) & (cache[name] <= 1))
    assert np.all(np.abs(cache["g"]) <= 1) and np.all(np.abs(out) < 1)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_init_params_and_counts(kind):
    D, H = 7, 5
    params = init_params(kind, D, H, np.random.default_rng(0))
    rows = GATE_BLOCKS[kind] * H
    assert {n: p.shape for n, p in params.items()} == {
        "W_ih": (rows, D), "W_hh": (rows, H), "b_ih": (rows,), "b_hh": (rows,)}
    assert all(p.dtype == np.float64 and np.all(np.abs(p) <= 1 / np.sqrt(H)) for p in params.values())
    assert count_arrays(params) == param_count(kind, D, H)
    assert param_count(kind, D, H) == GATE_BLOCKS[kind] * (H * D + H * H + 2 * H)


def test_float32_stays_float32():
    params = init_params("lstm", 3, 4, np.random.default_rng(1), dtype=np.float32)
    x = np.ones((2, 1, 3), np.float32)
    h0 = np.zeros((1, 4), np.float32)
    out, (h_T, c_T), _ = lstm_forward(x, h0, h0, *[params[n] for n in PARAM_NAMES])
    assert out.dtype == h_T.dtype == c_T.dtype == np.float32


# (c) live comparison with torch (skipped without it) --------------------------------

LIVE_SEEDS = [11, 12, 13]


def live_shape(seed):
    rng = np.random.default_rng(seed)
    return tuple(int(n) for n in rng.integers(1, 8, size=4))


@pytest.mark.parametrize("seed", LIVE_SEEDS)
@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_live_against_torch(kind, seed):
    torch = pytest.importorskip("torch")
    T, B, D, H = live_shape(seed)
    arrays, w = random_problem(kind, (T, B, D, H), seed=seed)
    layer = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind](D, H).double()
    torch_params = {"W_ih": layer.weight_ih_l0, "W_hh": layer.weight_hh_l0,
                    "b_ih": layer.bias_ih_l0, "b_hh": layer.bias_hh_l0}
    with torch.no_grad():
        for name, p in torch_params.items():
            p.copy_(torch.from_numpy(arrays[name]))
    assert sum(p.numel() for p in layer.parameters()) == param_count(kind, D, H)

    t_in = {n: torch.tensor(arrays[n], requires_grad=True) for n in ("x", "h0", "c0") if n in arrays}
    if kind == "lstm":
        out_t, (h_t, c_t) = layer(t_in["x"], (t_in["h0"][None], t_in["c0"][None]))
        out, (h_T, c_T), cache = lstm_forward(*[arrays[n] for n in ("x", "h0", "c0", *PARAM_NAMES)])
        assert max_abs_diff(c_T, c_t[0].detach().numpy()) < EXACT
    else:
        out_t, h_t = layer(t_in["x"], t_in["h0"][None])
        if kind == "gru":
            out, h_T = gru_forward(*[arrays[n] for n in ("x", "h0", *PARAM_NAMES)])
        else:
            out, h_T, cache = rnn_forward(*[arrays[n] for n in ("x", "h0", *PARAM_NAMES)])
    assert max_abs_diff(out, out_t.detach().numpy()) < EXACT
    assert max_abs_diff(h_T, h_t[0].detach().numpy()) < EXACT
    if kind == "gru":
        return

    loss = (out_t * torch.from_numpy(w["w_out"])).sum() + (h_t[0] * torch.from_numpy(w["w_h"])).sum()
    if kind == "lstm":
        loss = loss + (c_t[0] * torch.from_numpy(w["w_c"])).sum()
        grads = lstm_backward(w["w_out"], w["w_h"], w["w_c"], cache)
    else:
        grads = rnn_backward(w["w_out"], w["w_h"], cache)
    loss.backward()
    want = {**{n: t.grad for n, t in t_in.items()}, **{n: p.grad for n, p in torch_params.items()}}
    assert_close(grads, {n: g.numpy() for n, g in want.items()})
