"""Correct implementations of lesson 01 (image convolution), in several students' styles.

The lesson gives the argument checks (``check_pad2d``, ``check_correlate2d``, ...): a body
starts after them, with arrays and whole numbers it can trust.
"""
from tests.correct_variants import Implementation

LESSON = "01_convolution"

PAD2D = [
    Implementation("""\
    return np.pad(image, pad)
"""),
    Implementation("""\
    rows, cols = image.shape
    result = np.zeros((rows + 2 * pad, cols + 2 * pad), dtype=image.dtype)
    result[pad:rows + pad, pad:cols + pad] = image
    return result
"""),
    Implementation("""\
    side = np.zeros((image.shape[0], pad), dtype=image.dtype)
    middle = np.concatenate([side, image, side], axis=1)
    cap = np.zeros((pad, middle.shape[1]), dtype=image.dtype)
    return np.concatenate([cap, middle, cap], axis=0)
"""),
    Implementation("""\
    h, w = image.shape
    out = np.zeros((h + 2 * pad, w + 2 * pad), image.dtype)
    for r in range(h):
        out[r + pad, pad:pad + w] = image[r]
    return out
"""),
    Implementation(helpers='''\
def zero_block(rows, cols, dtype):
    """An all-zero block of the given size."""
    return np.zeros((rows, cols), dtype=dtype)
''', body="""\
    h, w = image.shape
    top = zero_block(pad, w + 2 * pad, image.dtype)
    left = zero_block(h, pad, image.dtype)
    return np.block([[top], [left, image, left], [top]])
"""),
    Implementation("""\
    padded = np.full((image.shape[0] + 2 * pad, image.shape[1] + 2 * pad), 0, dtype=image.dtype)
    padded[pad:padded.shape[0] - pad, pad:padded.shape[1] - pad] = image
    return padded
"""),
    Implementation("""\
    zero_cols = np.zeros((len(image), pad), image.dtype)
    widened = np.hstack((zero_cols, image, zero_cols))
    zero_rows = np.zeros((pad, widened.shape[1]), image.dtype)
    return np.vstack((zero_rows, widened, zero_rows))
"""),
    Implementation("""\
    out = np.zeros(tuple(n + 2 * pad for n in image.shape), dtype=image.dtype)
    out[pad:pad + image.shape[0], pad:pad + image.shape[1]] = image
    return out
"""),
    Implementation("""\
    widths = ((pad, pad), (pad, pad))
    return np.pad(image, widths, mode="constant", constant_values=0)
"""),
]

CORRELATE2D = [
    Implementation("""\
    kh, kw = kernel.shape
    padded = pad2d(image.astype(float), pad)
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride, j * stride
            out[i, j] = np.sum(padded[top:top + kh, left:left + kw] * kernel)
    return out
"""),
    Implementation("""\
    x = pad2d(image, pad).astype(np.float64)
    rows = range(0, x.shape[0] - kernel.shape[0] + 1, stride)
    cols = range(0, x.shape[1] - kernel.shape[1] + 1, stride)
    result = np.empty((len(rows), len(cols)))
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            patch = x[r:r + kernel.shape[0], c:c + kernel.shape[1]]
            result[a, b] = (patch * kernel).sum()
    return result
"""),
    Implementation("""\
    from numpy.lib.stride_tricks import sliding_window_view

    padded = pad2d(image, pad).astype(float)
    windows = sliding_window_view(padded, kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)
"""),
    Implementation("""\
    src = pad2d(image, pad)
    kh, kw = kernel.shape
    n_out_r = (src.shape[0] - kh) // stride + 1
    n_out_c = (src.shape[1] - kw) // stride + 1
    out = np.zeros((n_out_r, n_out_c), dtype=float)
    for r in range(n_out_r):
        for c in range(n_out_c):
            total = 0.0
            for m in range(kh):
                for n in range(kw):
                    total += kernel[m, n] * src[r * stride + m, c * stride + n]
            out[r, c] = total
    return out
"""),
    Implementation("""\
    big = pad2d(image, pad)
    kh, kw = kernel.shape
    oh, ow = (big.shape[0] - kh) // stride + 1, (big.shape[1] - kw) // stride + 1
    patches = [big[i:i + kh, j:j + kw].ravel()
               for i in range(0, oh * stride, stride) for j in range(0, ow * stride, stride)]
    return (np.array(patches, dtype=float) @ kernel.ravel()).reshape(oh, ow)
"""),
    Implementation("""\
    padded = np.ascontiguousarray(pad2d(image, pad), dtype=float)
    kh, kw = kernel.shape
    out_shape = ((padded.shape[0] - kh) // stride + 1, (padded.shape[1] - kw) // stride + 1)
    sh, sw = padded.strides
    view = np.lib.stride_tricks.as_strided(padded, shape=out_shape + (kh, kw),
                                           strides=(sh * stride, sw * stride, sh, sw), writeable=False)
    return np.tensordot(view, kernel, axes=([2, 3], [0, 1]))
"""),
    Implementation("""\
    big = pad2d(image, pad).astype(np.float64)
    kh, kw = kernel.shape
    oh = (big.shape[0] - kh) // stride + 1
    ow = (big.shape[1] - kw) // stride + 1
    acc = np.zeros((oh, ow))
    for dy in range(kh):
        for dx in range(kw):
            acc = acc + kernel[dy, dx] * big[dy:dy + (oh - 1) * stride + 1:stride, dx:dx + (ow - 1) * stride + 1:stride]
    return acc
"""),
    Implementation(helpers='''\
def output_length(size, k, step):
    """How many windows of width k fit in size, step apart."""
    return (size - k) // step + 1


def window_at(x, row, col, shape, step):
    """The window of output position (row, col)."""
    return x[row * step:row * step + shape[0], col * step:col * step + shape[1]]
''', body="""\
    x = pad2d(np.asarray(image, dtype=float), pad)
    n_rows = output_length(x.shape[0], kernel.shape[0], stride)
    n_cols = output_length(x.shape[1], kernel.shape[1], stride)
    values = [[np.vdot(window_at(x, r, c, kernel.shape, stride), kernel) for c in range(n_cols)]
              for r in range(n_rows)]
    return np.array(values, dtype=float).reshape(n_rows, n_cols)
"""),
    Implementation(helpers='''\
def windows(padded, kh, kw, step):
    """Yield the windows row by row, each row as a list."""
    for top in range(0, padded.shape[0] - kh + 1, step):
        yield [padded[top:top + kh, left:left + kw] for left in range(0, padded.shape[1] - kw + 1, step)]
''', body="""\
    padded = pad2d(image, pad)
    kh, kw = kernel.shape
    rows = [[float(np.sum(w * kernel)) for w in row] for row in windows(padded, kh, kw, stride)]
    return np.asarray(rows)
"""),
]

CONVOLVE2D = [
    Implementation("""\
    return correlate2d(image, kernel[::-1, ::-1], stride, pad)
"""),
    Implementation("""\
    return correlate2d(image, np.flip(kernel), stride=stride, pad=pad)
"""),
    Implementation("""\
    rotated = np.rot90(kernel, 2)
    return correlate2d(image, rotated, stride=stride, pad=pad)
"""),
    Implementation("""\
    flipped = np.flipud(np.fliplr(kernel))
    result = correlate2d(image, flipped, stride=stride, pad=pad)
    return result
"""),
    Implementation("""\
    kernel = kernel[::-1][:, ::-1]
    return correlate2d(image, kernel, pad=pad, stride=stride)
"""),
    Implementation(helpers='''\
def rotate_half_turn(k):
    """k turned by 180 degrees: flipped up-down and left-right."""
    return np.flip(np.flip(k, axis=0), axis=1)
''', body="""\
    return correlate2d(image, rotate_half_turn(kernel), stride=stride, pad=pad)
"""),
    Implementation("""\
    reversed_kernel = np.array(kernel[::-1, ::-1], copy=True)
    return correlate2d(image, reversed_kernel, stride=stride, pad=pad)
"""),
    Implementation("""\
    kh, kw = kernel.shape
    turned = np.empty_like(kernel)
    for i in range(kh):
        for j in range(kw):
            turned[i, j] = kernel[kh - 1 - i, kw - 1 - j]
    return correlate2d(image, turned, stride=stride, pad=pad)
"""),
    Implementation("""\
    flipped = kernel.ravel()[::-1].reshape(kernel.shape)
    return correlate2d(image, flipped, stride=stride, pad=pad)
"""),
]

CORRELATE3D = [
    Implementation("""\
    total = None
    for c in range(volume.shape[0]):
        response = correlate2d(volume[c], kernel[c], stride=stride, pad=pad)
        total = response if total is None else total + response
    return total + bias
"""),
    Implementation("""\
    return sum(correlate2d(v, k, stride=stride, pad=pad) for v, k in zip(volume, kernel)) + bias
"""),
    Implementation("""\
    maps = np.stack([correlate2d(volume[i], kernel[i], stride=stride, pad=pad) for i in range(len(volume))])
    return maps.sum(axis=0) + bias
"""),
    Implementation("""\
    import functools

    responses = map(lambda pair: correlate2d(pair[0], pair[1], stride=stride, pad=pad), zip(volume, kernel))
    return functools.reduce(np.add, responses) + bias
"""),
    Implementation("""\
    out = correlate2d(volume[0], kernel[0], stride=stride, pad=pad).copy()
    for c in range(1, volume.shape[0]):
        out += correlate2d(volume[c], kernel[c], stride=stride, pad=pad)
    return out + bias
"""),
    Implementation("""\
    from numpy.lib.stride_tricks import sliding_window_view

    x = np.pad(volume.astype(float), ((0, 0), (pad, pad), (pad, pad)))
    patches = sliding_window_view(x, kernel.shape)[0, ::stride, ::stride]
    return np.einsum("ijcmn,cmn->ij", patches, kernel) + bias
"""),
    Implementation("""\
    responses = [correlate2d(plane, weights, stride=stride, pad=pad) for plane, weights in zip(volume, kernel)]
    return np.add.reduce(responses) + bias
"""),
    Implementation("""\
    channels = volume.shape[0]
    maps = [correlate2d(volume[c], kernel[c], stride=stride, pad=pad) for c in range(channels)]
    result = np.zeros_like(maps[0])
    for m in maps:
        result += m
    result += bias
    return result
"""),
    Implementation("""\
    stacked = np.array([correlate2d(x, w, stride=stride, pad=pad) for x, w in zip(volume, kernel)])
    return np.einsum("c...->...", stacked) + bias
"""),
]

IMPLEMENTATIONS = {"pad2d": PAD2D, "correlate2d": CORRELATE2D, "convolve2d": CONVOLVE2D, "correlate3d": CORRELATE3D}

#: Answers to the written question, as different students word them.
WRITTEN_ANSWERS = [
    "The kernels of one network are the other's rotated by 180 degrees. Convolution flips the kernel, "
    "correlation does not, and since the kernels are learned the network simply learns the flipped ones.",
    "Neither is wrong: training learns the weights, so a library that flips the kernel ends up with "
    "flipped kernels and the same outputs. Compare kernel[::-1, ::-1] of one with the other.",
    "They should be mirror images (up-down and left-right). Both networks compute the same function "
    "because the flip is absorbed into the learned kernel.",
    "I think the kernels are transposed versions of each other, and the accuracy is the same.",
]
