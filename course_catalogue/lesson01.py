"""Wrong and correct implementations of lesson 01 (image convolution)."""
from course_catalogue import Mutant, Variant

LESSON = "01_convolution"

_FLOAT_PAD = "pad2d(image.astype(np.result_type(image, kernel, np.float32)), pad)"
_SIZES = "out_h, out_w = (height - kh) // stride + 1, (width - kw) // stride + 1"
_WINDOW = "padded[m:m + stride * out_h:stride, n:n + stride * out_w:stride]"
_PLACE = "padded[pad:pad + height, pad:pad + width] = image"
_ACCUMULATE = """    out = np.zeros((out_h, out_w), dtype=padded.dtype)
    for m in range(kh):
        for n in range(kw):
            out += kernel[m, n] * """ + _WINDOW + """
    return out
"""

MUTANTS = [
    # pad2d
    Mutant("pad2d", "zeros on one side only",
           replace=(("np.zeros((height + 2 * pad, width + 2 * pad)", "np.zeros((height + pad, width + pad)"),),
           hint="one side only"),
    Mutant("pad2d", "result always float64",
           replace=(("dtype=image.dtype", "dtype=float"),), hint="dtype"),
    Mutant("pad2d", "rows and columns swapped",
           replace=(("np.zeros((height + 2 * pad, width + 2 * pad)", "np.zeros((width + 2 * pad, height + 2 * pad)"),),
           hint="swapped"),
    Mutant("pad2d", "image placed with padded[pad:-pad, pad:-pad], empty when pad = 0",
           replace=((_PLACE, "padded[pad:-pad, pad:-pad] = image"),), hint="pad = 0"),
    Mutant("pad2d", "integer images come back as floats (result_type with float32)",
           replace=(("dtype=image.dtype", "dtype=np.result_type(image, np.float32)"),), hint="must stay integer"),
    # correlate2d
    Mutant("correlate2d", "flipped kernel (true convolution)",
           replace=(("kernel[m, n] *", "kernel[kh - 1 - m, kw - 1 - n] *"),), hint="flipped"),
    Mutant("correlate2d", "padding forgotten",
           replace=((_FLOAT_PAD, "pad2d(image.astype(np.result_type(image, kernel, np.float32)), 0)"),),
           hint="padding was not applied"),
    Mutant("correlate2d", "stride ignored",
           replace=((_SIZES, "out_h, out_w = height - kh + 1, width - kw + 1"),
                    (_WINDOW, "padded[m:m + out_h, n:n + out_w]")),
           hint="stride was ignored"),
    Mutant("correlate2d", "right output size, but the window moves 1 pixel at a time",
           replace=((_WINDOW, "padded[m:m + out_h, n:n + out_w]"),), hint="moved 1 pixel at a time"),
    Mutant("correlate2d", "off by one: the + 1 forgotten",
           replace=((_SIZES, "out_h, out_w = (height - kh) // stride, (width - kw) // stride"),),
           hint="short"),
    Mutant("correlate2d", "integer output",
           replace=((_FLOAT_PAD, "pad2d(image, pad)"),), hint="floating-point"),
    Mutant("correlate2d", "kernel height and width swapped",
           replace=(("(height, width), (kh, kw) = padded.shape, kernel.shape",
                     "(height, width), (kw, kh) = padded.shape, kernel.shape"),)),
    Mutant("correlate2d", "only the window's top-left row visited",
           replace=(("for m in range(kh):", "for m in range(1):"),)),
    Mutant("correlate2d", "stride applied to the rows only",
           replace=((_WINDOW, "padded[m:m + stride * out_h:stride, n:n + out_w]"),), hint="rows only"),
    Mutant("correlate2d", "the image subsampled by the stride, then the window moved 1 pixel at a time",
           replace=((_FLOAT_PAD, _FLOAT_PAD + "[::stride, ::stride]"),
                    (_SIZES, "out_h, out_w = height - kh + 1, width - kw + 1"),
                    (_WINDOW, "padded[m:m + out_h, n:n + out_w]")),
           hint="subsampled"),
    Mutant("correlate2d", "output size computed from the unpadded image",
           replace=((_SIZES, "out_h, out_w = (image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1"),),
           hint="unpadded image"),
    Mutant("correlate2d", "sums stored in an array of the image's dtype, converted to float at the end",
           replace=((_ACCUMULATE, """    out = np.zeros((out_h, out_w), dtype=image.dtype)
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out.astype(float)
"""),),
           hint="truncated"),
    Mutant("correlate2d", "the given argument check deleted",
           replace=(("image, kernel, stride, pad = check_correlate2d(image, kernel, stride, pad)", "pass"),),
           hint="keep that line"),
    # convolve2d
    Mutant("convolve2d", "kernel not flipped",
           replace=(("kernel[::-1, ::-1]", "kernel"),), hint="not flipped"),
    Mutant("convolve2d", "only left-right flip",
           replace=(("kernel[::-1, ::-1]", "kernel[:, ::-1]"),), hint="only the columns"),
    Mutant("convolve2d", "kernel transposed instead of flipped",
           replace=(("kernel[::-1, ::-1]", "kernel.T"),), hint="transposed"),
    Mutant("convolve2d", "kernel rotated by 90 degrees instead of 180",
           replace=(("kernel[::-1, ::-1]", "np.rot90(kernel)"),), hint="90 degrees"),
    Mutant("convolve2d", "stride not passed on",
           replace=(("stride=stride, pad=pad", "pad=pad"),), hint="stride was not passed"),
    # correlate3d
    Mutant("correlate3d", "bias forgotten",
           replace=(("np.sum(maps, axis=0) + bias", "np.sum(maps, axis=0)"),), hint="bias is missing"),
    Mutant("correlate3d", "only the first channel",
           replace=(("zip(volume, kernel)", "zip(volume[:1], kernel[:1])"),), hint="only channel 0"),
    Mutant("correlate3d", "channels averaged",
           replace=(("np.sum(maps, axis=0)", "np.mean(maps, axis=0)"),), hint="averaged"),
    Mutant("correlate3d", "pad not passed on",
           replace=(("stride=stride, pad=pad)", "stride=stride)"),), hint="pad was not passed"),
    Mutant("correlate3d", "stride not passed on",
           replace=(("stride=stride, pad=pad)", "pad=pad)"),), hint="stride was not passed"),
    Mutant("correlate3d", "sum stored in an array of the volume's dtype, converted to float at the end",
           replace=(("    return np.sum(maps, axis=0) + bias\n",
                     "    total = np.zeros(maps[0].shape, dtype=volume.dtype)\n"
                     "    total[...] = np.sum(maps, axis=0) + bias\n"
                     "    return total.astype(float)\n"),),
           hint="truncated"),
]

CORRECT = [
    Variant("pad2d", "np.pad instead of a zero array and a slice", source='''\
def pad2d(image, pad):
    """Zero-pad a 2-D array on all four sides."""
    image, pad = check_pad2d(image, pad)  # given: refuses bad input with a ValueError
    return np.pad(image, pad, mode="constant", constant_values=0)
'''),
    Variant("correlate2d", "a loop over output positions through a helper, float64 output", source='''\
def _window_sum(padded, kernel, top, left):
    return np.sum(padded[top:top + kernel.shape[0], left:left + kernel.shape[1]] * kernel)


def correlate2d(image, kernel, stride=1, pad=0):
    """2-D cross-correlation, one output value at a time."""
    image, kernel, stride, pad = check_correlate2d(image, kernel, stride, pad)  # given: refuses bad input with a ValueError
    padded = pad2d(image.astype(float), pad)
    rows = (padded.shape[0] - kernel.shape[0]) // stride + 1
    cols = (padded.shape[1] - kernel.shape[1]) // stride + 1
    out = np.empty((rows, cols))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = _window_sum(padded, kernel, i * stride, j * stride)
    return out
'''),
    Variant("convolve2d", "np.flip of both axes, arguments passed by position", source='''\
def convolve2d(image, kernel, stride=1, pad=0):
    """2-D convolution: the kernel flipped, then cross-correlation."""
    image, kernel, stride, pad = check_correlate2d(image, kernel, stride, pad)  # given: refuses bad input with a ValueError
    return correlate2d(image, np.flip(kernel), stride, pad)
'''),
    Variant("correlate3d", "vectorised: sliding_window_view and einsum over all channels at once", source='''\
from numpy.lib.stride_tricks import sliding_window_view


def correlate3d(volume, kernel, bias=0.0, stride=1, pad=0):
    """One filter over a (C, H, W) volume, all channels in one einsum."""
    volume, kernel, bias, stride, pad = check_correlate3d(volume, kernel, bias, stride, pad)  # given: refuses bad input with a ValueError
    dtype = np.result_type(volume, kernel, np.float32)
    padded = np.pad(volume.astype(dtype), ((0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(padded, kernel.shape[1:], axis=(1, 2))[:, ::stride, ::stride]
    return np.einsum("cijkl,ckl->ij", windows, kernel.astype(dtype)) + bias
'''),
]
