"""Wrong and correct implementations of lesson 02 (the output-size formula)."""
from course_catalogue import Mutant, Variant

LESSON = "02_output_size"

_RESULT = "return span // S + 1"
_SPAN = "span = W - F + 2 * P"
_FIT = "if strict and span % S:"
_SHAPE = "return (num_filters, conv_output_size(height, F, S, P), conv_output_size(width, F, S, P))"

MUTANTS = [
    # conv_output_size
    Mutant("conv_output_size", "the + 1 forgotten",
           replace=((_RESULT, "return span // S"),), hint="+ 1 is missing"),
    Mutant("conv_output_size", "padding on one side only",
           replace=((_SPAN, "span = W - F + P"),), hint="one side only"),
    Mutant("conv_output_size", "padding ignored",
           replace=((_SPAN, "span = W - F"),), hint="padding was ignored"),
    Mutant("conv_output_size", "padding ignored, seen from conv_output_shape's test",
           replace=((_SPAN, "span = W - F"),), hint="conv_output_shape relies on it"),
    Mutant("conv_output_size", "stride ignored",
           replace=((_RESULT, "return span + 1"),), hint="stride was ignored"),
    Mutant("conv_output_size", "true division: a float result",
           replace=((_RESULT, "return span / S + 1"),), hint="float"),
    Mutant("conv_output_size", "non-strict rounds up (ceil, like Caffe's pooling)",
           replace=((_RESULT, "return -(-span // S) + 1"),), hint="rounded up"),
    Mutant("conv_output_size", "non-strict rounds to the nearest",
           replace=((_RESULT, "return round(span / S) + 1"),), hint="rounded to the nearest"),
    Mutant("conv_output_size", "non-strict rounds half up with int(x + 0.5)",
           replace=((_RESULT, "return int(span / S + 0.5) + 1"),), hint="rounded to the nearest"),
    Mutant("conv_output_size", "strict ignored: always floors",
           replace=((_FIT, "if False:"),), hint="not a whole number"),
    Mutant("conv_output_size", "strict=False ignored: always refuses",
           replace=((_FIT, "if span % S:"),), hint="not refuse it"),
    Mutant("conv_output_size", "the fit test forgets the padding",
           replace=((_FIT, "if strict and (W - F) % S:"),), hint="padded span W - F + 2P"),
    Mutant("conv_output_size", "the given argument check deleted",
           replace=(("W, F, S, P, strict = check_conv_output_size(W, F, S, P, strict)", "pass"),),
           hint="keep that line"),
    # same_padding
    Mutant("same_padding", "F - 1: both sides' padding",
           replace=(("return (F - 1) // 2", "return F - 1"),), hint="both sides"),
    Mutant("same_padding", "true division: a float result",
           replace=(("return (F - 1) // 2", "return (F - 1) / 2"),), hint="float"),
    Mutant("same_padding", "(F + 1) / 2",
           replace=(("return (F - 1) // 2", "return (F + 1) // 2"),), hint="one too many"),
    Mutant("same_padding", "even filters accepted (F // 2)",
           replace=(("if F % 2 == 0:", "if False:"), ("return (F - 1) // 2", "return F // 2")),
           hint="no centre"),
    Mutant("same_padding", "even filters floored: (F - 1) // 2 without the parity test",
           replace=(("if F % 2 == 0:", "if False:"),), hint="no centre"),
    # conv_output_shape
    Mutant("conv_output_shape", "depth kept instead of K",
           replace=(("_, height, width = input_shape", "channels, height, width = input_shape"),
                    ("return (num_filters, conv_output_size(height", "return (channels, conv_output_size(height")),
           hint="number of filters"),
    Mutant("conv_output_shape", "channels last",
           replace=((_SHAPE, "return (conv_output_size(height, F, S, P), conv_output_size(width, F, S, P), num_filters)"),),
           hint="channels come first"),
    Mutant("conv_output_shape", "height and width swapped",
           replace=(("_, height, width = input_shape", "_, width, height = input_shape"),), hint="swapped"),
    Mutant("conv_output_shape", "width computed from the height",
           replace=(("conv_output_size(width, F, S, P)", "conv_output_size(height, F, S, P)"),),
           hint="computed from the height"),
    Mutant("conv_output_shape", "width floored instead of strict",
           replace=(("conv_output_size(width, F, S, P))", "conv_output_size(width, F, S, P, strict=False))"),),
           hint="columns is not a whole number"),
    Mutant("conv_output_shape", "height floored instead of strict: the fit checked on one axis only",
           replace=(("conv_output_size(height, F, S, P)", "conv_output_size(height, F, S, P, strict=False)"),),
           hint="rows is not a whole number"),
    Mutant("conv_output_shape", "padding not passed on",
           replace=(("conv_output_size(height, F, S, P), conv_output_size(width, F, S, P)",
                     "conv_output_size(height, F, S), conv_output_size(width, F, S)"),),
           hint="padding was not used"),
    Mutant("conv_output_shape", "a list instead of a tuple",
           replace=((_SHAPE, "return [num_filters, conv_output_size(height, F, S, P), conv_output_size(width, F, S, P)]"),),
           hint="return a tuple"),
]

CORRECT = [
    Variant("conv_output_size", "NumPy integers: np.divmod, a NumPy int64 returned", source='''\
def conv_output_size(W, F, S=1, P=0, *, strict=True):
    """(W - F + 2P) / S + 1 with NumPy's integer division."""
    W, F, S, P, strict = check_conv_output_size(W, F, S, P, strict)  # given: refuses bad input with a ValueError
    steps, rest = np.divmod(np.int64(W - F + 2 * P), np.int64(S))
    if strict and rest:
        raise ValueError(f"({W} - {F} + 2*{P})/{S} + 1 is not a whole number")
    return steps + 1
'''),
    Variant("same_padding", "F // 2 after the odd check", source='''\
def same_padding(F):
    """The padding that keeps the size at stride 1."""
    F = check_same_padding(F)  # given: refuses bad input with a ValueError
    if F % 2 != 1:
        raise ValueError(f"F={F} is even: (F - 1)/2 is not a whole number")
    return F // 2
'''),
    Variant("conv_output_shape", "a helper per axis and a tuple built from a generator", source='''\
def conv_output_shape(input_shape, num_filters, F, S=1, P=0):
    """(C, H, W) in, (K, H2, W2) out."""
    input_shape, num_filters, F, S, P = check_conv_output_shape(input_shape, num_filters, F, S, P)  # given: refuses bad input with a ValueError

    def axis(size):
        return conv_output_size(size, F, S, P)

    return (num_filters,) + tuple(axis(size) for size in input_shape[1:])
'''),
]
