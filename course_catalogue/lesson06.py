"""Wrong implementations of lesson 06 (convolution and pooling, forward and backward)."""
from course_catalogue import Mutant, Variant

LESSON = "06_conv_backprop"

_CONV_SIZES = ("H_out = (H - HH + 2 * pad) // stride + 1", "W_out = (W - WW + 2 * pad) // stride + 1")
_CONV_WINDOW = "x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]"
_CONV_DW = "dw += np.tensordot(dout[:, :, i, j], x_pad[:, :, rows, cols], axes=([0], [0]))"
_MAX_ROUTE = ("        row, col = np.unravel_index(np.argmax(window), window.shape)\n"
              "        dx[n, c, i * stride + row, j * stride + col] += dout[n, c, i, j]\n")
_MAX_WINDOW_OF_DX = "dx[n, c, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]"
_POOL_FLOAT = "dtype=np.result_type(x, dout, np.float32)"

MUTANTS = [
    # conv_forward
    Mutant("conv_forward", "bias forgotten",
           replace=(("    out += b.reshape(1, K, 1, 1)\n", ""),), hint="bias is missing"),
    Mutant("conv_forward", "filters flipped",
           replace=(("np.tensordot(window, w, axes", "np.tensordot(window, w[:, :, ::-1, ::-1], axes"),),
           hint="flipped"),
    Mutant("conv_forward", "padding forgotten",
           replace=(("((0, 0), (0, 0), (pad, pad), (pad, pad))", "((0, 0), (0, 0), (0, 0), (0, 0))"),
                    (_CONV_SIZES[0], "H_out = (H - HH) // stride + 1"),
                    (_CONV_SIZES[1], "W_out = (W - WW) // stride + 1")),
           hint="padding was not applied"),
    Mutant("conv_forward", "stride ignored",
           replace=((_CONV_SIZES[0], "H_out = H - HH + 2 * pad + 1"), (_CONV_SIZES[1], "W_out = W - WW + 2 * pad + 1"),
                    (_CONV_WINDOW, "x_pad[:, :, i:i + HH, j:j + WW]")),
           hint="stride was ignored"),
    Mutant("conv_forward", "right output size, but the window moves 1 pixel at a time",
           replace=((_CONV_WINDOW, "x_pad[:, :, i:i + HH, j:j + WW]"),), hint="moved 1 pixel at a time"),
    Mutant("conv_forward", "only the first channel",
           replace=(("np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))",
                     "np.tensordot(window[:, 0], w[:, 0], axes=([1, 2], [1, 2]))"),),
           hint="only channel 0"),
    Mutant("conv_forward", "output created with np.empty's default float64",
           replace=(("out = np.empty((N, K, H_out, W_out), dtype=dtype)", "out = np.empty((N, K, H_out, W_out))"),),
           hint="float64 array was made"),
    Mutant("conv_forward", "output dtype taken from x (integer input truncated)",
           replace=(("dtype = np.result_type(x, w, b, np.float32)", "dtype = x.dtype"),), hint="kept the integer dtype"),
    Mutant("conv_forward", "the cache keeps the padded input",
           replace=(("return out, (x, w, b, conv_param)", "return out, (x_pad, w, b, conv_param)"),),
           hint="cache holds x_pad"),
    Mutant("conv_forward", "the given argument check deleted",
           replace=(("x, w, b, stride, pad = check_conv_forward(x, w, b, conv_param)",
                     'stride, pad = conv_param["stride"], conv_param["pad"]'),),
           hint="keep that line"),
    # conv_backward
    Mutant("conv_backward", "db averaged instead of summed",
           replace=(("db = dout.sum(axis=(0, 2, 3))", "db = dout.mean(axis=(0, 2, 3))"),), hint="db was averaged"),
    Mutant("conv_backward", "padding not removed from dx",
           replace=(("dx = dx_pad[:, :, pad:pad + H, pad:pad + W]", "dx = dx_pad"),),
           hint="padding was not removed"),
    Mutant("conv_backward", "padding removed with pad:-pad, empty when pad = 0",
           replace=(("dx = dx_pad[:, :, pad:pad + H, pad:pad + W]", "dx = dx_pad[:, :, pad:-pad, pad:-pad]"),),
           hint="-0 is 0"),
    Mutant("conv_backward", "overlapping windows overwrite dx",
           replace=(("dx_pad[:, :, rows, cols] += ", "dx_pad[:, :, rows, cols] = "),), hint="stamps of overlapping windows add up"),
    Mutant("conv_backward", "dw from the first image only",
           replace=((_CONV_DW, "dw += np.tensordot(dout[:1, :, i, j], x_pad[:1, :, rows, cols], axes=([0], [0]))"),),
           hint="first image only"),
    Mutant("conv_backward", "dw overwritten at each window",
           replace=(("dw += np.tensordot", "dw = np.tensordot"),), hint="dw was overwritten"),
    Mutant("conv_backward", "filters rotated in dx",
           replace=(("np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))",
                     "np.tensordot(dout[:, :, i, j], w[:, :, ::-1, ::-1], axes=([1], [0]))"),),
           hint="rotated"),
    Mutant("conv_backward", "stride ignored in the backward pass",
           replace=(("rows = slice(i * stride, i * stride + HH)", "rows = slice(i, i + HH)"),
                    ("cols = slice(j * stride, j * stride + WW)", "cols = slice(j, j + WW)")),
           hint="stride was ignored in the backward pass"),
    Mutant("conv_backward", "gradients kept in the input's dtype (integer input truncated)",
           replace=(("np.pad(x.astype(dtype),", "np.pad(x,"), ("dw = np.zeros(w.shape, dtype=dtype)", "dw = np.zeros_like(w)"),
                    ("db = dout.sum(axis=(0, 2, 3)).astype(dtype)", "db = dout.sum(axis=(0, 2, 3)).astype(x.dtype)")),
           hint="kept the integer dtype"),
    Mutant("conv_backward", "dw created with np.zeros's default float64",
           replace=(("dw = np.zeros(w.shape, dtype=dtype)", "dw = np.zeros(w.shape)"),), hint="float64 array was made"),
    Mutant("conv_backward", "the given argument check deleted",
           replace=(("dout, x, w, stride, pad = check_conv_backward(dout, cache)",
                     'x, w, b, conv_param = cache\n    stride, pad = conv_param["stride"], conv_param["pad"]'),),
           hint="keep that line"),
    # max_pool_forward
    Mutant("max_pool_forward", "mean instead of max",
           replace=((".max(axis=(2, 3))", ".mean(axis=(2, 3))"),), hint="mean was taken"),
    Mutant("max_pool_forward", "largest absolute value",
           replace=(("out[:, :, i, j] = x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width].max(axis=(2, 3))",
                     "window = x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width].reshape(N, C, -1)\n"
                     "        out[:, :, i, j] = np.take_along_axis(window, np.abs(window).argmax(axis=2)[:, :, None], 2)[:, :, 0]"),),
           hint="absolute value"),
    Mutant("max_pool_forward", "stride ignored",
           replace=(("H_out = (H - pool_height) // stride + 1", "H_out = H - pool_height + 1"),
                    ("W_out = (W - pool_width) // stride + 1", "W_out = W - pool_width + 1"),
                    ("x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]",
                     "x[:, :, i:i + pool_height, j:j + pool_width]")),
           hint="stride was ignored"),
    Mutant("max_pool_forward", "the window's width taken from pool_height",
           replace=(("W_out = (W - pool_width) // stride + 1", "W_out = (W - pool_height) // stride + 1"),
                    ("j * stride:j * stride + pool_width]", "j * stride:j * stride + pool_height]")),
           hint="width was taken from pool_height"),
    Mutant("max_pool_forward", "output created with np.empty's default float64",
           replace=(("out = np.empty((N, C, H_out, W_out), dtype=x.dtype)", "out = np.empty((N, C, H_out, W_out))"),),
           hint="dtype=x.dtype"),
    Mutant("max_pool_forward", "the given argument check deleted",
           replace=(("x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)",
                     'pool_height, pool_width, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]'),),
           hint="keep that line"),
    # max_pool_backward
    Mutant("max_pool_backward", "gradient to every tied maximum",
           replace=((_MAX_ROUTE, f"        {_MAX_WINDOW_OF_DX} += (window == window.max()) * dout[n, c, i, j]\n"),),
           hint="every tied maximum"),
    Mutant("max_pool_backward", "gradient split among tied maxima",
           replace=((_MAX_ROUTE, f"        ties = window == window.max()\n"
                                 f"        {_MAX_WINDOW_OF_DX} += ties * dout[n, c, i, j] / ties.sum()\n"),),
           hint="split among the tied"),
    Mutant("max_pool_backward", "gradient to the last tied maximum",
           replace=(("row, col = np.unravel_index(np.argmax(window), window.shape)",
                     "row, col = np.unravel_index(window.size - 1 - np.argmax(window.ravel()[::-1]), window.shape)"),),
           hint="last tied maximum"),
    Mutant("max_pool_backward", "overlapping windows overwrite dx",
           replace=(("j * stride + col] += dout", "j * stride + col] = dout"),), hint="it was overwritten"),
    Mutant("max_pool_backward", "gradient copied to the whole window",
           replace=((_MAX_ROUTE, f"        {_MAX_WINDOW_OF_DX} += dout[n, c, i, j]\n"),), hint="copied to the whole window"),
    Mutant("max_pool_backward", "flat index of the maximum split with pool_height",
           replace=(("row, col = np.unravel_index(np.argmax(window), window.shape)",
                     "row, col = divmod(int(np.argmax(window)), pool_height)"),),
           hint="wrong width"),
    Mutant("max_pool_backward", "dx in the input's dtype (integer input truncated)",
           replace=((f"dx = np.zeros(x.shape, {_POOL_FLOAT})", "dx = np.zeros_like(x)"),), hint="truncated"),
    Mutant("max_pool_backward", "dx created with np.zeros's default float64",
           replace=((f"dx = np.zeros(x.shape, {_POOL_FLOAT})", "dx = np.zeros(x.shape)"),), hint="float64"),
    # avg_pool_forward
    Mutant("avg_pool_forward", "sum instead of mean",
           replace=((".mean(axis=(2, 3))", ".sum(axis=(2, 3))"),), hint="summed"),
    Mutant("avg_pool_forward", "integer output",
           replace=(("dtype=np.result_type(x, np.float32)", "dtype=x.dtype"),), hint="truncated"),
    Mutant("avg_pool_forward", "max instead of mean",
           replace=((".mean(axis=(2, 3))", ".max(axis=(2, 3))"),), hint="maximum was taken"),
    Mutant("avg_pool_forward", "height and width swapped",
           replace=(("    N, C, H, W = x.shape\n", "    N, C, H, W = x.shape\n    pool_height, pool_width = pool_width, pool_height\n"),),
           hint="swapped"),
    Mutant("avg_pool_forward", "the window's width taken from pool_height",
           replace=(("W_out = (W - pool_width) // stride + 1", "W_out = (W - pool_height) // stride + 1"),
                    ("j * stride:j * stride + pool_width]", "j * stride:j * stride + pool_height]")),
           hint="width was taken from pool_height"),
    Mutant("avg_pool_forward", "output always float64",
           replace=(("dtype=np.result_type(x, np.float32)", "dtype=float"),), hint="float64"),
    # avg_pool_backward
    Mutant("avg_pool_backward", "not divided by the window size",
           replace=(("share = dout / (pool_height * pool_width)", "share = dout"),), hint="without dividing"),
    Mutant("avg_pool_backward", "overlapping windows overwrite dx",
           replace=(("j * stride + pool_width] += ", "j * stride + pool_width] = "),), hint="overwritten"),
    Mutant("avg_pool_backward", "divided by the number of outputs",
           replace=(("share = dout / (pool_height * pool_width)", "share = dout / (dout.shape[2] * dout.shape[3])"),)),
    Mutant("avg_pool_backward", "dx in the input's dtype (integer input truncated)",
           replace=((f"dx = np.zeros(x.shape, {_POOL_FLOAT})", "dx = np.zeros_like(x)"),), hint="kept the integer dtype"),
]

_HEAD_FWD = '''def conv_forward(x, w, b, conv_param):
    x, w, b, stride, pad = check_conv_forward(x, w, b, conv_param)  # given: refuses bad input with a ValueError
'''

CORRECT = [
    # vectorised: every window at once with sliding_window_view, one einsum, a helper function
    Variant("conv_forward", "vectorised with sliding_window_view and einsum, with a helper", source=_HEAD_FWD + '''    dtype = np.result_type(x, w, b, np.float32)
    windows = _windows(np.pad(x.astype(dtype), ((0, 0), (0, 0), (pad, pad), (pad, pad))), w.shape[2:], stride)
    out = np.einsum("ncijuv,kcuv->nkij", windows, w.astype(dtype)) + b.astype(dtype)[None, :, None, None]
    return out, (x, w, b, conv_param)


def _windows(x_pad, size, stride):
    return np.lib.stride_tricks.sliding_window_view(x_pad, tuple(size), axis=(2, 3))[:, :, ::stride, ::stride]
'''),
    # seven nested loops over Python ints and NumPy scalars, cache as a list
    Variant("conv_forward", "seven plain loops, cache as a list", source=_HEAD_FWD + '''    N, C, H, W = x.shape
    K, _, HH, WW = w.shape
    H_out, W_out = (H - HH + 2 * pad) // stride + 1, (W - WW + 2 * pad) // stride + 1
    dtype = np.result_type(x, w, b, np.float32)
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=dtype)
    x_pad[:, :, pad:pad + H, pad:pad + W] = x
    out = np.zeros((N, K, H_out, W_out), dtype=dtype)
    for n in range(N):
        for k in range(K):
            for i in range(H_out):
                for j in range(W_out):
                    total = b[k]
                    for c in range(C):
                        for u in range(HH):
                            for v in range(WW):
                                total = total + x_pad[n, c, i * stride + u, j * stride + v] * w[k, c, u, v]
                    out[n, k, i, j] = total
    return out, [x, w, b, conv_param]
'''),
    # np.add.at scatters every window's stamp at once
    Variant("conv_backward", "vectorised with np.add.at", source='''def conv_backward(dout, cache):
    dout, x, w, stride, pad = check_conv_backward(dout, cache)  # given: refuses bad input with a ValueError
    N, C, H, W = x.shape
    K, _, HH, WW = w.shape
    H_out, W_out = dout.shape[2:]
    dtype = np.result_type(x, w, dout, np.float32)
    x_pad = np.pad(x.astype(dtype), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nkij,ncijuv->kcuv", dout, windows).astype(dtype)
    db = np.sum(dout, axis=(0, 2, 3), dtype=dtype)
    stamps = np.einsum("nkij,kcuv->ncijuv", dout, w).astype(dtype)
    rows = (np.arange(H_out)[:, None] * stride + np.arange(HH)[None, :])[:, None, :, None]
    cols = (np.arange(W_out)[:, None] * stride + np.arange(WW)[None, :])[None, :, None, :]
    dx_pad = np.zeros_like(x_pad)
    np.add.at(dx_pad, (slice(None), slice(None), rows, cols), stamps)
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
'''),
    # the full-convolution view: dx from a dilated, padded dout and the rotated filters
    Variant("conv_backward", "dx as the full convolution of a dilated dout", source='''def conv_backward(dout, cache):
    dout, x, w, stride, pad = check_conv_backward(dout, cache)  # given: refuses bad input with a ValueError
    N, C, H, W = x.shape
    K, _, HH, WW = w.shape
    dtype = np.result_type(x, w, dout, np.float32)
    x_pad = np.pad(x.astype(dtype), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dilated = np.zeros((N, K, x_pad.shape[2] - HH + 1, x_pad.shape[3] - WW + 1), dtype=dtype)
    dilated[:, :, ::stride, ::stride] = dout
    full = np.pad(dilated, ((0, 0), (0, 0), (HH - 1, HH - 1), (WW - 1, WW - 1)))
    view = np.lib.stride_tricks.sliding_window_view
    dx_pad = np.einsum("nkabuv,kcuv->ncab", view(full, (HH, WW), axis=(2, 3)), w[:, :, ::-1, ::-1].astype(dtype))
    dw = np.einsum("nkab,ncabuv->kcuv", dilated, view(x_pad, dilated.shape[2:], axis=(2, 3)).transpose(0, 1, 4, 5, 2, 3))
    db = dout.sum(axis=(0, 2, 3)).astype(dtype)
    return dx_pad[:, :, pad:pad + H, pad:pad + W].astype(dtype), dw.astype(dtype), db
'''),
    Variant("max_pool_forward", "sliding_window_view", source='''def max_pool_forward(x, pool_param):
    x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)  # given: refuses bad input with a ValueError
    windows = np.lib.stride_tricks.sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))
    return windows[:, :, ::stride, ::stride].max(axis=(4, 5)), (x, pool_param)
'''),
    Variant("max_pool_forward", "loops over every value with Python max", source='''def max_pool_forward(x, pool_param):
    x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)  # given: refuses bad input with a ValueError
    N, C, H, W = x.shape
    out = np.zeros((N, C, (H - pool_height) // stride + 1, (W - pool_width) // stride + 1), dtype=x.dtype)
    for n, c, i, j in np.ndindex(out.shape):
        out[n, c, i, j] = max(x[n, c, i * stride + u, j * stride + v] for u in range(pool_height) for v in range(pool_width))
    return out, (x, pool_param)
'''),
    Variant("max_pool_backward", "argmax of all windows at once, np.add.at", source='''def max_pool_backward(dout, cache):
    dout, x, pool_height, pool_width, stride = check_pool_backward(dout, cache)  # given: refuses bad input with a ValueError
    N, C, H_out, W_out = dout.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride, ::stride]
    first = windows.reshape(N, C, H_out, W_out, -1).argmax(axis=-1)
    n, c, i, j = np.indices(first.shape)
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout, np.float32))
    np.add.at(dx, (n, c, i * stride + first // pool_width, j * stride + first % pool_width), dout)
    return dx
'''),
    Variant("max_pool_backward", "mask of the first maximum, window by window", source='''def max_pool_backward(dout, cache):
    dout, x, pool_height, pool_width, stride = check_pool_backward(dout, cache)  # given: refuses bad input with a ValueError
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout, np.float32))
    for i, j in np.ndindex(dout.shape[2:]):
        window = x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]
        flat = window.reshape(window.shape[0], window.shape[1], -1)
        mask = np.arange(flat.shape[2]) == flat.argmax(axis=2)[:, :, None]
        dx[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] += (
            mask.reshape(window.shape) * dout[:, :, i, j][:, :, None, None])
    return dx
'''),
    Variant("avg_pool_forward", "sliding_window_view mean", source='''def avg_pool_forward(x, pool_param):
    x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)  # given: refuses bad input with a ValueError
    windows = np.lib.stride_tricks.sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.mean(axis=(4, 5), dtype=np.result_type(x, np.float32)), (x, pool_param)
'''),
    Variant("avg_pool_forward", "sum of shifted slices divided once", source='''def avg_pool_forward(x, pool_param):
    x, pool_height, pool_width, stride = check_pool_forward(x, pool_param)  # given: refuses bad input with a ValueError
    N, C, H, W = x.shape
    H_out, W_out = (H - pool_height) // stride + 1, (W - pool_width) // stride + 1
    total = np.zeros((N, C, H_out, W_out), dtype=np.result_type(x, np.float32))
    for u in range(pool_height):
        for v in range(pool_width):
            total += x[:, :, u:u + stride * H_out:stride, v:v + stride * W_out:stride]
    return total / (pool_height * pool_width), (x, pool_param)
'''),
    Variant("avg_pool_backward", "np.add.at over every window offset", source='''def avg_pool_backward(dout, cache):
    dout, x, pool_height, pool_width, stride = check_pool_backward(dout, cache)  # given: refuses bad input with a ValueError
    H_out, W_out = dout.shape[2:]
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout, np.float32))
    for u in range(pool_height):
        for v in range(pool_width):
            dx[:, :, u:u + stride * H_out:stride, v:v + stride * W_out:stride] += dout / (pool_height * pool_width)
    return dx
'''),
    Variant("avg_pool_backward", "per-element loop with NumPy scalars", source='''def avg_pool_backward(dout, cache):
    dout, x, pool_height, pool_width, stride = check_pool_backward(dout, cache)  # given: refuses bad input with a ValueError
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout, np.float32))
    share = np.float64(1.0) / (pool_height * pool_width)
    for n, c, i, j in np.ndindex(dout.shape):
        dx[n, c, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] += dout[n, c, i, j] * share
    return dx
'''),
]
