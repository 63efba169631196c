"""Wrong implementations of lesson 04 (pooling)."""
from tests.catalogue import Mutant

LESSON = "04_pooling"

_STRIDE = 'stride = size if stride is None else require_int(stride, "stride", 1)'
_SIZES = "out_h, out_w = (height - size) // stride + 1, (width - size) // stride + 1"
_FIT = "if (height - size) % stride or (width - size) % stride:"

MUTANTS = [
    # max_pool2d
    Mutant("max_pool2d", "minimum instead of maximum",
           replace=(("return np.max(windows, axis=0)", "return np.min(windows, axis=0)"),), hint="minimum"),
    Mutant("max_pool2d", "mean instead of maximum",
           replace=(("return np.max(windows, axis=0)", "return np.mean(windows, axis=0)"),), hint="mean"),
    Mutant("max_pool2d", "largest absolute value",
           replace=(("return np.max(windows, axis=0)", "return np.max(np.abs(windows), axis=0)"),), hint="absolute"),
    Mutant("max_pool2d", "stride=None taken as 1",
           replace=((_STRIDE, 'stride = 1 if stride is None else require_int(stride, "stride", 1)'),),
           hint="stride=None means stride = size"),
    Mutant("max_pool2d", "stride argument ignored",
           replace=((_STRIDE, "stride = size"),), hint="stride argument was ignored"),
    Mutant("max_pool2d", "columns counted from the height",
           replace=((_SIZES, "out_h, out_w = (height - size) // stride + 1, (height - size) // stride + 1"),),
           hint="computed from the height"),
    Mutant("max_pool2d", "windows that do not fit are floored",
           replace=((_FIT, "if False:"),), hint="instead of raising"),
    Mutant("max_pool2d", "output transposed",
           replace=(("return np.max(windows, axis=0)", "return np.max(windows, axis=0).T"),),
           hint="rows and columns were swapped"),
    # avg_pool2d
    Mutant("avg_pool2d", "mean truncated to integers",
           replace=(("return np.mean(windows, axis=0)", "return np.mean(windows, axis=0).astype(x.dtype)"),),
           hint="truncated"),
    Mutant("avg_pool2d", "mean floored (float result)",
           replace=(("return np.mean(windows, axis=0)", "return np.floor(np.mean(windows, axis=0))"),),
           hint="truncated"),
    Mutant("avg_pool2d", "sum instead of mean",
           replace=(("return np.mean(windows, axis=0)", "return np.sum(windows, axis=0) * 1.0"),), hint="summed"),
    Mutant("avg_pool2d", "divided by size, not size * size",
           replace=(("return np.mean(windows, axis=0)", "return np.sum(windows, axis=0) / size"),),
           hint="divided by size"),
    Mutant("avg_pool2d", "stride=None taken as 1",
           replace=((_STRIDE, 'stride = 1 if stride is None else require_int(stride, "stride", 1)'),),
           hint="stride=None means stride = size"),
    Mutant("avg_pool2d", "stride argument ignored",
           replace=((_STRIDE, "stride = size"),), hint="stride argument was ignored"),
    Mutant("avg_pool2d", "windows that do not fit are floored",
           replace=((_FIT, "if False:"),), hint="instead of raising"),
]
