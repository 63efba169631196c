import numpy as np


def random_network(rng):
    """A random small network, its input shape, and its rows computed with real arrays."""
    input_shape = (int(rng.integers(1, 5)), int(rng.integers(6, 24)), int(rng.integers(6, 24)))
    x = np.zeros(input_shape)
    arch, rows, counts = [], [], {}
    for kind in rng.choice(["conv", "pool", "relu", "dropout"], int(rng.integers(1, 6))).tolist() + ["fc"] * int(rng.integers(0, 3)):
        spec = {"type": kind}
        if kind in ("conv", "pool") and x.ndim == 3:
            choices = [(f, s, p) for f in (1, 2, 3, 5) for s in (1, 2, 3) for p in (0, 1, 2)
                       if p < f and all(f <= n + 2 * p and (n - f + 2 * p) % s == 0 for n in x.shape[1:])]
            if not choices:
                continue
            f, s, p = choices[int(rng.integers(len(choices)))]
            spec.update(size=f, stride=s, pad=p)
            windows = np.lib.stride_tricks.sliding_window_view(np.pad(x, ((0, 0), (p, p), (p, p))), (f, f), axis=(1, 2))[:, ::s, ::s]
            if kind == "conv":
                spec["filters"] = int(rng.integers(1, 9))
                weights = np.zeros((spec["filters"], x.shape[0], f, f))
                out = np.einsum("chwij,kcij->khw", windows, weights)
                params, macs = weights.size + spec["filters"], out.size * weights[0].size
            else:
                out, params, macs = windows.max(axis=(3, 4)), 0, 0
            stored = out.size
        elif kind == "fc":
            spec["units"] = int(rng.integers(1, 30))
            weights = np.zeros((spec["units"], x.size))
            out, params, macs, stored = weights @ x.ravel(), weights.size + spec["units"], weights.size, spec["units"]
        elif kind in ("relu", "dropout"):
            out, params, macs, stored = np.maximum(x, 0), 0, 0, 0
        else:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        if rng.random() < 0.5:
            spec["name"] = f"layer_{len(arch)}"
        arch.append(spec)
        rows.append({"name": spec.get("name", f"{kind}{counts[kind]}"), "type": kind, "output_shape": out.shape,
                     "activations": stored, "params": params, "macs": macs})
        x = out
    return arch, input_shape, rows
