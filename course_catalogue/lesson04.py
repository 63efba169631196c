"""Wrong and correct implementations of lesson 04 (pooling)."""
from course_catalogue import Mutant, Variant

LESSON = "04_pooling"

_SIZES = "out_h, out_w = (height - size) // stride + 1, (width - size) // stride + 1"
_WINDOWS = "x[m:m + stride * out_h:stride, n:n + stride * out_w:stride]"
_MAX = "return np.max(windows, axis=0)"
_MEAN = "return np.mean(windows, axis=0)"
_STRIDE_IGNORED = ((_SIZES, "out_h, out_w = (height - size) // size + 1, (width - size) // size + 1"),
                   (_WINDOWS, "x[m:m + size * out_h:size, n:n + size * out_w:size]"))
_SWAPPED = ((_SIZES, "out_h, out_w = (height - stride) // size + 1, (width - stride) // size + 1"),
            (_WINDOWS, "x[m:m + size * out_h:size, n:n + size * out_w:size]"),
            ("for m in range(size) for n in range(size)", "for m in range(stride) for n in range(stride)"))

MUTANTS = [
    # max_pool2d
    Mutant("max_pool2d", "minimum instead of maximum", replace=((_MAX, "return np.min(windows, axis=0)"),), hint="minimum"),
    Mutant("max_pool2d", "mean instead of maximum", replace=((_MAX, "return np.mean(windows, axis=0)"),), hint="mean"),
    Mutant("max_pool2d", "largest absolute value",
           replace=((_MAX, "return np.max(np.abs(windows), axis=0)"),), hint="absolute"),
    Mutant("max_pool2d", "stride argument ignored", replace=_STRIDE_IGNORED, hint="stride argument was ignored"),
    Mutant("max_pool2d", "size and stride swapped", replace=_SWAPPED, hint="size and stride were swapped"),
    Mutant("max_pool2d", "columns counted from the height",
           replace=((_SIZES, "out_h, out_w = (height - size) // stride + 1, (height - size) // stride + 1"),),
           hint="computed from the height"),
    Mutant("max_pool2d", "the + 1 forgotten: one window short",
           replace=((_SIZES, "out_h, out_w = (height - size) // stride, (width - size) // stride"),),
           hint="one window short"),
    Mutant("max_pool2d", "output transposed", replace=((_MAX, "return np.max(windows, axis=0).T"),),
           hint="rows and columns were swapped"),
    Mutant("max_pool2d", "result as float64: the dtype is not kept",
           replace=((_MAX, "return np.max(np.array(windows, dtype=float), axis=0)"),), hint="keep its dtype"),
    Mutant("max_pool2d", "running maximum started from zeros",
           replace=((_MAX, "out = np.zeros((out_h, out_w), dtype=x.dtype)\n"
                           "    for window in windows:\n"
                           "        out = np.maximum(out, window)\n"
                           "    return out"),),
           hint="negative maxima became 0"),
    Mutant("max_pool2d", "the given argument check deleted",
           replace=(("x, size, stride = check_pool2d(x, size, stride)", "x, stride = np.asarray(x), stride or size"),),
           hint="keep that line"),
    # avg_pool2d
    Mutant("avg_pool2d", "mean truncated to integers",
           replace=((_MEAN, "return np.mean(windows, axis=0).astype(x.dtype)"),), hint="truncated"),
    Mutant("avg_pool2d", "mean floored (float result)",
           replace=((_MEAN, "return np.floor(np.mean(windows, axis=0))"),), hint="truncated"),
    Mutant("avg_pool2d", "sum instead of mean", replace=((_MEAN, "return np.sum(windows, axis=0) * 1.0"),), hint="summed"),
    Mutant("avg_pool2d", "divided by size, not size * size",
           replace=((_MEAN, "return np.sum(windows, axis=0) / size"),), hint="divided by size"),
    Mutant("avg_pool2d", "stride argument ignored", replace=_STRIDE_IGNORED, hint="stride argument was ignored"),
    Mutant("avg_pool2d", "size and stride swapped", replace=_SWAPPED, hint="size and stride were swapped"),
    Mutant("avg_pool2d", "columns counted from the height",
           replace=((_SIZES, "out_h, out_w = (height - size) // stride + 1, (height - size) // stride + 1"),),
           hint="computed from the height"),
    Mutant("avg_pool2d", "the sum kept in the input's dtype: uint8 overflows",
           replace=((_MEAN, "total = np.zeros((out_h, out_w), dtype=x.dtype)\n"
                            "    for window in windows:\n"
                            "        total += window\n"
                            "    return total / (size * size)"),),
           hint="overflowed"),
]

CORRECT = [
    Variant("max_pool2d", "vectorised: sliding_window_view and max over the window axes", source='''\
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d(x, size=2, stride=None):
    """Max pooling with a view of every window."""
    x, size, stride = check_pool2d(x, size, stride)  # given: refuses bad input with a ValueError
    return sliding_window_view(x, (size, size))[::stride, ::stride].max(axis=(2, 3))
'''),
    Variant("avg_pool2d", "loops over output positions into a float64 array", source='''\
def avg_pool2d(x, size=2, stride=None):
    """Mean pooling, one window at a time."""
    x, size, stride = check_pool2d(x, size, stride)  # given: refuses bad input with a ValueError
    height, width = x.shape
    out = np.zeros(((height - size) // stride + 1, (width - size) // stride + 1), dtype=np.float64)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].mean()
    return out
'''),
]
