"""Correct implementations of lesson 02 (the output-size formula), in several students' styles.

The lesson gives the argument checks (``check_conv_output_size``, ...): a body starts after
them, with whole numbers it can trust and a filter that fits the padded input.
"""
from tests.correct_variants import Implementation

LESSON = "02_output_size"

CONV_OUTPUT_SIZE = [
    Implementation("""\
    span = W + 2 * P - F
    if strict and span % S != 0:
        raise ValueError(f"({W} - {F} + 2*{P})/{S} + 1 is not a whole number")
    return span // S + 1
"""),
    Implementation("""\
    steps, leftover = divmod(W - F + 2 * P, S)
    if leftover and strict:
        raise ValueError(f"{leftover} pixels are left over: (W - F + 2P)/S + 1 is not whole")
    return steps + 1
"""),
    Implementation("""\
    exact = (W - F + 2 * P) / S + 1
    if strict and not float(exact).is_integer():
        raise ValueError(f"the output size {exact} is not a whole number")
    return math.floor(exact)
"""),
    Implementation("""\
    padded = W + 2 * P
    starts = range(0, padded - F + 1, S)
    if strict and starts[-1] + F != padded:
        raise ValueError("the last window does not end at the edge: (W - F + 2P)/S + 1 is not whole")
    return len(starts)
"""),
    Implementation("""\
    from fractions import Fraction

    size = Fraction(W - F + 2 * P, S) + 1
    if strict and size.denominator != 1:
        raise ValueError(f"the output size {float(size)} is not a whole number")
    return int(size)
"""),
    Implementation("""\
    end, count, start = W + 2 * P, 0, 0
    while start + F <= end:
        count += 1
        start += S
    if strict and start - S + F != end:
        raise ValueError("the windows do not end at the edge of the padded input")
    return count
"""),
    Implementation("""\
    numerator = np.int64(W - F + 2 * P)
    if strict and np.mod(numerator, S):
        raise ValueError(f"{numerator}/{S} is not a whole number")
    return int(np.floor_divide(numerator, S)) + 1
"""),
    Implementation("""\
    quotient = (W + 2 * P - F) // S
    exact = quotient * S == W + 2 * P - F
    if not exact and strict:
        raise ValueError(f"({W} - {F} + 2*{P}) / {S} + 1 is not a whole number")
    return quotient + 1
"""),
    Implementation("""\
    floor_size = math.floor((W - F + 2 * P) / S) + 1
    ceil_size = math.ceil((W - F + 2 * P) / S) + 1
    if strict and floor_size != ceil_size:
        raise ValueError(f"the size would be between {floor_size} and {ceil_size}: not a whole number")
    return floor_size
"""),
]

SAME_PADDING = [
    Implementation("""\
    if F % 2 == 0:
        raise ValueError(f"an even filter ({F}) has no centre")
    return (F - 1) // 2
"""),
    Implementation("""\
    if not F & 1:
        raise ValueError("same padding needs an odd filter size")
    return F // 2
"""),
    Implementation("""\
    half, odd = divmod(F, 2)
    if not odd:
        raise ValueError("F must be odd")
    return half
"""),
    Implementation("""\
    padding = (F - 1) / 2
    if padding != int(padding):
        raise ValueError(f"(F - 1)/2 = {padding} is not a whole number")
    return int(padding)
"""),
    Implementation("""\
    for p in range(F):
        if 2 * p + 1 == F:
            return p
    raise ValueError(f"no padding keeps the size for an even filter F={F}")
"""),
    Implementation("""\
    if (F - 1) % 2:
        raise ValueError("an even F cannot be centred")
    return (F - 1) // 2
"""),
    Implementation("""\
    pad, remainder = (F - 1) // 2, (F - 1) % 2
    if remainder != 0:
        raise ValueError(f"(F - 1)/2 is not whole for F = {F}")
    return pad
"""),
    Implementation("""\
    is_even = F % 2 == 0
    if is_even:
        raise ValueError(f"F = {F} is even: the filter has no middle pixel")
    padding = F // 2
    return padding
"""),
    Implementation("""\
    matches = [P for P in range(F) if conv_output_size(F, F, 1, P) == F]
    if not matches:
        raise ValueError(f"no padding keeps the size of an even filter (F={F})")
    return matches[0]
"""),
]

CONV_OUTPUT_SHAPE = [
    Implementation("""\
    height, width = input_shape[1], input_shape[2]
    out_height = conv_output_size(height, F, S, P)
    return (num_filters, out_height, conv_output_size(width, F, S, P))
"""),
    Implementation("""\
    channels, rows, cols = input_shape
    new_rows = conv_output_size(rows, F, S, P)
    new_cols = conv_output_size(cols, F, S, P)
    return num_filters, new_rows, new_cols
"""),
    Implementation("""\
    return (num_filters,) + tuple(conv_output_size(n, F, S, P) for n in input_shape[1:])
"""),
    Implementation("""\
    sizes = [conv_output_size(size, F, S, P) for size in input_shape[1:]]
    return tuple([num_filters] + sizes)
"""),
    Implementation("""\
    out = [num_filters]
    for size in input_shape[1:]:
        out.append(conv_output_size(size, F, S, P))
    return tuple(out)
"""),
    Implementation("""\
    C, H, W = input_shape
    H2, W2 = map(lambda n: conv_output_size(n, F, S, P), (H, W))
    return (num_filters, H2, W2)
"""),
    Implementation("""\
    spatial = np.array(input_shape[1:])
    out = [conv_output_size(int(n), F, S, P) for n in spatial]
    return (int(num_filters), out[0], out[1])
"""),
    Implementation(helpers='''\
def shrink(size, F, S, P):
    """One spatial size after the layer."""
    return conv_output_size(size, F, S, P)
''', body="""\
    return num_filters, shrink(input_shape[1], F, S, P), shrink(input_shape[2], F, S, P)
"""),
    Implementation("""\
    dims = dict(zip(("C", "H", "W"), input_shape))
    dims["H"], dims["W"] = (conv_output_size(dims[k], F, S, P) for k in ("H", "W"))
    return num_filters, dims["H"], dims["W"]
"""),
]

IMPLEMENTATIONS = {"conv_output_size": CONV_OUTPUT_SIZE, "same_padding": SAME_PADDING,
                   "conv_output_shape": CONV_OUTPUT_SHAPE}

#: Answers to the written question, as different students word them.
WRITTEN_ANSWERS = [
    "Flooring drops the last column and row when the windows do not fit; ceiling pads one more. "
    "Frameworks floor by default, Caffe and GoogLeNet's pooling used ceil.",
    "Floor loses a few input pixels at the border, ceil keeps them by padding. The sizes differ by one.",
    "With floor the output is smaller; with ceil the last window hangs over the edge and sees padding.",
]
