"""Speed of the course's convolution layers, with references measured in the same run.

Run by hand from the repository root (it is not a test):

    python benchmarks/conv_benchmark.py

For a LeNet-size and a VGG-size layer it prints the forward and backward time and GFLOP/s of

- ``loops``: one dot product per output value, the definition (a baseline written here);
- ``lesson 06``: the naive solution of lesson 06 (a loop over output positions);
- ``im2col``: the fast solution of lesson 07;
- ``numpy GEMM``: NumPy's own matrix product on the same GEMM shapes as im2col uses;
- ``torch``: PyTorch's CPU ``conv2d`` and its autograd backward, when torch is importable.

The lessons' implementations are not copied here: the solution cells of
``solutions/06_conv_backprop`` and ``solutions/07_train_cnn`` are executed by grade id at run time.
All arithmetic is float32; every implementation uses the machine's default BLAS threads.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnncourse.validation import require_int
from lesson_code import solution_namespace


@dataclass(frozen=True)
class Layer:
    """A convolutional layer to time: input ``(n, c, h, w)``, ``f`` filters of ``k x k``."""

    name: str
    n: int
    c: int
    h: int
    w: int
    f: int
    k: int
    stride: int
    pad: int
    loop_batch: int  # images the slow implementations are timed on (their rate does not depend on it)

    @property
    def out_hw(self) -> tuple[int, int]:
        return ((self.h + 2 * self.pad - self.k) // self.stride + 1, (self.w + 2 * self.pad - self.k) // self.stride + 1)

    def forward_flops(self, batch: int) -> float:
        """Floating-point operations of the forward pass (2 per multiply-add)."""
        h_out, w_out = self.out_hw
        return 2.0 * batch * self.f * h_out * w_out * self.c * self.k * self.k


LAYERS = (
    Layer("LeNet conv2: 64 x 6x14x14, 16 filters 5x5", n=64, c=6, h=14, w=14, f=16, k=5, stride=1, pad=0, loop_batch=4),
    Layer("VGG conv: 8 x 64x56x56, 64 filters 3x3, pad 1", n=8, c=64, h=56, w=56, f=64, k=3, stride=1, pad=1, loop_batch=1),
)


def conv_forward_loops(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, pad: int) -> np.ndarray:
    """Baseline forward pass: one dot product per output value."""
    n_images, _, height, width = x.shape
    filters, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    h_out, w_out = (height + 2 * pad - kh) // stride + 1, (width + 2 * pad - kw) // stride + 1
    out = np.zeros((n_images, filters, h_out, w_out), dtype=x.dtype)
    for n in range(n_images):
        for f in range(filters):
            for i in range(h_out):
                for j in range(w_out):
                    out[n, f, i, j] = np.sum(x_pad[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw] * w[f]) + b[f]
    return out


def conv_backward_loops(
    dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int, pad: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Baseline backward pass: one window update per output value."""
    n_images, _, height, width = x.shape
    filters, _, kh, kw = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad, dw = np.zeros_like(x_pad), np.zeros_like(w)
    for n in range(n_images):
        for f in range(filters):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    return dx_pad[:, :, pad:pad + height, pad:pad + width], dw, dout.sum(axis=(0, 2, 3))


def best_time(function: Callable[[], object], repeats: int) -> float:
    """The shortest of ``repeats`` wall-clock times of ``function()``, in seconds."""
    return race({"": function}, repeats)[""]


def race(functions: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Time several functions in interleaved rounds and keep each one's shortest time, in seconds.

    Interleaving gives every function the same share of quiet and busy moments on a shared
    machine, so that their ratios are fair.
    """
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def measure(layer: Layer, fast: dict[str, Any], naive: dict[str, Any], repeats: int) -> dict[str, tuple[float, float]]:
    """Time every implementation on one layer.

    Returns
    -------
    dict
        ``{implementation: (forward FLOP/s, backward FLOP/s)}``; backward counts twice the
        forward's operations (dx and dw), NaN where an implementation is unavailable.
    """
    rng = np.random.default_rng(0)
    x = rng.standard_normal((layer.n, layer.c, layer.h, layer.w)).astype(np.float32)
    w = rng.standard_normal((layer.f, layer.c, layer.k, layer.k)).astype(np.float32)
    b = rng.standard_normal(layer.f).astype(np.float32)
    param = {"stride": layer.stride, "pad": layer.pad}
    flops = layer.forward_flops(layer.n)
    rates: dict[str, tuple[float, float]] = {}

    small, small_flops = x[:layer.loop_batch], layer.forward_flops(layer.loop_batch)
    out_small = conv_forward_loops(small, w, b, layer.stride, layer.pad)
    dout_small = rng.standard_normal(out_small.shape).astype(np.float32)
    rates["loops"] = (small_flops / best_time(lambda: conv_forward_loops(small, w, b, layer.stride, layer.pad), 1),
                      2 * small_flops / best_time(lambda: conv_backward_loops(dout_small, small, w, layer.stride, layer.pad), 1))
    _, cache = naive["conv_forward"](small, w, b, param)
    rates["lesson 06"] = (small_flops / best_time(lambda: naive["conv_forward"](small, w, b, param), 2),
                          2 * small_flops / best_time(lambda: naive["conv_backward"](dout_small, cache), 2))

    out, cache = fast["conv_forward_fast"](x, w, b, param)
    if not np.allclose(out[:layer.loop_batch], out_small, rtol=1e-3, atol=1e-3):
        raise RuntimeError(f"{layer.name}: im2col and loops disagree")
    dout = rng.standard_normal(out.shape).astype(np.float32)
    # the GEMMs of im2col alone, same shapes, contiguous operands: forward cols @ w_cols,
    # backward (cols.T @ dout_rows) for dw and dout_rows @ w_rows for dcols
    cols = fast["im2col"](x, layer.k, layer.k, layer.stride, layer.pad)     # (M, K)
    w_rows = w.reshape(layer.f, -1)                                          # (F, K)
    w_cols = np.ascontiguousarray(w_rows.T)                                  # (K, F)
    dout_rows = np.ascontiguousarray(dout.transpose(0, 2, 3, 1).reshape(-1, layer.f))  # (M, F)
    functions = {
        "im2col": (lambda: fast["conv_forward_fast"](x, w, b, param), lambda: fast["conv_backward_fast"](dout, cache)),
        "numpy GEMM": (lambda: cols @ w_cols, lambda: (cols.T @ dout_rows, dout_rows @ w_rows)),
    }
    times = race({f"{name} {i}": pair[i] for name, pair in functions.items() for i in (0, 1)}, repeats)
    for name in functions:
        rates[name] = (flops / times[f"{name} 0"], 2 * flops / times[f"{name} 1"])
    # torch apart: interleaved with NumPy, its OpenMP threads and OpenBLAS's idle-spinning ones compete
    torch_pair = torch_functions(x, w, b, dout, layer, expected=out)
    if torch_pair is None:
        rates["torch"] = (float("nan"), float("nan"))
    else:
        times = race({"forward": torch_pair[0], "backward": torch_pair[1]}, repeats)
        rates["torch"] = (flops / times["forward"], 2 * flops / times["backward"])
    return rates


def torch_functions(x: np.ndarray, w: np.ndarray, b: np.ndarray, dout: np.ndarray, layer: Layer,
                    expected: np.ndarray) -> tuple[Callable[[], object], Callable[[], object]] | None:
    """PyTorch CPU conv2d forward and autograd backward as two callables, or None without torch.

    ``expected`` is the im2col output, which torch's must match.
    """
    try:
        import torch
    except ImportError:
        return None
    xt = torch.from_numpy(x).requires_grad_()
    wt = torch.from_numpy(w).requires_grad_()
    bt = torch.from_numpy(b).requires_grad_()
    dt = torch.from_numpy(dout)
    out = torch.nn.functional.conv2d(xt, wt, bt, stride=layer.stride, padding=layer.pad)
    if not np.allclose(out.detach().numpy(), expected, rtol=1e-3, atol=1e-3):
        raise RuntimeError(f"{layer.name}: torch and im2col disagree")

    def forward() -> object:
        with torch.no_grad():
            return torch.nn.functional.conv2d(xt, wt, bt, stride=layer.stride, padding=layer.pad)

    def backward() -> object:
        return torch.autograd.grad(out, (xt, wt, bt), dt, retain_graph=True)

    return forward, backward


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="timings per fast implementation; the best is kept")
    args = parser.parse_args(argv)
    given = {"np": np, "require_int": require_int}
    fast = solution_namespace("07_train_cnn", ["setup_train_cnn", "im2col", "conv_forward_fast", "conv_backward_fast"], given)
    naive = solution_namespace("06_conv_backprop", ["setup_conv_backprop", "conv_forward", "conv_backward"], given)
    try:
        import torch
        torch_version = f"torch {torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:
        torch_version = "torch not installed"
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}, {torch_version}")
    for layer in LAYERS:
        rates = measure(layer, fast, naive, args.repeats)
        print(f"\n{layer.name} ({layer.forward_flops(layer.n) / 1e9:.3f} GFLOP forward; "
              f"loops and lesson 06 timed on {layer.loop_batch} image(s))")
        print(f"{'implementation':<14}{'forward GFLOP/s':>17}{'backward GFLOP/s':>18}")
        for name, (forward, backward) in rates.items():
            print(f"{name:<14}{forward / 1e9:>17.3f}{backward / 1e9:>18.3f}")
        fast_f, fast_b = rates["im2col"]
        print(f"im2col / numpy GEMM: forward {fast_f / rates['numpy GEMM'][0]:.0%}, backward {fast_b / rates['numpy GEMM'][1]:.0%}")
        print(f"im2col time / torch time: forward {rates['torch'][0] / fast_f:.2f}, backward {rates['torch'][1] / fast_b:.2f}"
              "  (<= 2: within 2x of PyTorch)")
        print(f"im2col / loops: forward {fast_f / rates['loops'][0]:.0f}x, backward {fast_b / rates['loops'][1]:.0f}x; "
              f"im2col / lesson 06: forward {fast_f / rates['lesson 06'][0]:.0f}x, backward {fast_b / rates['lesson 06'][1]:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
