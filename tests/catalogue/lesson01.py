"""Wrong implementations of lesson 01 (image convolution)."""
from tests.catalogue import Mutant

LESSON = "01_convolution"

_FLOAT_PAD = "pad2d(image.astype(np.result_type(image, kernel, np.float32)), pad)"
_SIZES = "out_h, out_w = (height - kh) // stride + 1, (width - kw) // stride + 1"
_WINDOW = "padded[m:m + stride * out_h:stride, n:n + stride * out_w:stride]"

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
]
