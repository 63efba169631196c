"""Correct implementations of lesson 02 (the output-size formula), in several students' styles.

The students check their arguments themselves here (``require_int`` is imported by the lesson).
"""
from tests.correct_variants import Implementation

LESSON = "02_output_size"

CONV_OUTPUT_SIZE = [
    Implementation("""\
    W = require_int(W, "W", 1)
    F = require_int(F, "F", 1)
    S = require_int(S, "S", 1)
    P = require_int(P, "P", 0)
    span = W + 2 * P - F
    if span < 0:
        raise ValueError(f"the filter ({F}) is larger than the padded input ({W + 2 * P})")
    if strict and span % S != 0:
        raise ValueError(f"({W} - {F} + 2*{P})/{S} + 1 is not a whole number")
    return span // S + 1
"""),
    Implementation(helpers='''\
def whole_number(value, name, low):
    """value as an int, or ValueError if it is not an integer >= low."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)
''', body="""\
    W, F = whole_number(W, "W", 1), whole_number(F, "F", 1)
    S, P = whole_number(S, "S", 1), whole_number(P, "P", 0)
    if F > W + 2 * P:
        raise ValueError(f"filter {F} does not fit the padded input {W + 2 * P}")
    steps, leftover = divmod(W - F + 2 * P, S)
    if leftover and strict:
        raise ValueError(f"({W} - {F} + 2*{P})/{S} + 1 is not a whole number")
    return steps + 1
"""),
    Implementation("""\
    import math

    sizes = {}
    for name, value, low in (("W", W, 1), ("F", F, 1), ("S", S, 1), ("P", P, 0)):
        sizes[name] = require_int(value, name, low)
    exact = (sizes["W"] - sizes["F"] + 2 * sizes["P"]) / sizes["S"] + 1
    if exact < 1:
        raise ValueError("the filter is larger than the padded input")
    if strict and not float(exact).is_integer():
        raise ValueError(f"the output size {exact} is not a whole number")
    return int(math.floor(exact))
"""),
    Implementation("""\
    W, F, S, P = (require_int(W, "W", 1), require_int(F, "F", 1), require_int(S, "S", 1),
                  require_int(P, "P", 0))
    padded = W + 2 * P
    if F > padded:
        raise ValueError(f"no window fits: F = {F} > W + 2P = {padded}")
    starts = range(0, padded - F + 1, S)
    if strict and starts[-1] + F != padded:
        raise ValueError("the last window does not end at the edge: (W - F + 2P)/S + 1 is not whole")
    return len(starts)
"""),
    Implementation("""\
    W, F, S, P = (require_int(v, n, m) for v, n, m in ((W, "W", 1), (F, "F", 1), (S, "S", 1), (P, "P", 0)))
    padded = W + 2 * P
    if padded < F:
        raise ValueError(f"F={F} does not fit in W + 2P = {padded}")
    quotient = (padded - F) // S
    if strict and quotient * S != padded - F:
        raise ValueError(f"({W} - {F} + 2*{P}) / {S} + 1 is not a whole number")
    return quotient + 1
"""),
    Implementation("""\
    from fractions import Fraction

    W = require_int(W, "W", 1)
    F = require_int(F, "F", 1)
    S = require_int(S, "S", 1)
    P = require_int(P, "P", 0)
    size = Fraction(W - F + 2 * P, S) + 1
    if size < 1:
        raise ValueError("the filter is larger than the padded input")
    if strict and size.denominator != 1:
        raise ValueError(f"the output size {float(size)} is not a whole number")
    return int(size)
"""),
    Implementation("""\
    W, F = require_int(W, "W", 1), require_int(F, "F", 1)
    S, P = require_int(S, "S", 1), require_int(P, "P", 0)
    end = W + 2 * P
    if F > end:
        raise ValueError(f"the {F}-wide filter does not fit in {end}")
    count, start = 0, 0
    while start + F <= end:
        count += 1
        start += S
    if strict and start - S + F != end:
        raise ValueError("the windows do not end at the edge of the padded input")
    return count
"""),
    Implementation("""\
    import math

    P = require_int(P, "P", 0)
    S = require_int(S, "S", 1)
    F = require_int(F, "F", 1)
    W = require_int(W, "W", 1)
    numerator = W - F + 2 * P
    if numerator < 0:
        raise ValueError("F is larger than W + 2P")
    if strict and numerator % S:
        raise ValueError(f"{numerator}/{S} is not a whole number")
    return math.floor(numerator / S) + 1
"""),
    Implementation("""\
    W, F, S, P = [require_int(value, name, low) for value, name, low in zip((W, F, S, P), "WFSP", (1, 1, 1, 0))]
    if W + 2 * P - F < 0:
        raise ValueError(f"F = {F} is wider than W + 2P = {W + 2 * P}")
    positions = (W + 2 * P - F) / S
    if strict and positions % 1:
        raise ValueError(f"{positions} + 1 positions is not a whole number")
    return int(positions // 1) + 1
"""),
]

SAME_PADDING = [
    Implementation("""\
    F = require_int(F, "F", 1)
    if F % 2 == 0:
        raise ValueError(f"an even filter ({F}) has no centre")
    return (F - 1) // 2
"""),
    Implementation("""\
    if isinstance(F, bool) or not isinstance(F, (int, np.integer)) or F < 1:
        raise ValueError(f"F must be a positive integer, got {F!r}")
    if not F & 1:
        raise ValueError("same padding needs an odd filter size")
    return int(F // 2)
"""),
    Implementation("""\
    half, odd = divmod(require_int(F, "F", 1), 2)
    if not odd:
        raise ValueError("F must be odd")
    return half
"""),
    Implementation("""\
    F = require_int(F, "F", 1)
    padding = (F - 1) / 2
    if padding != int(padding):
        raise ValueError(f"(F - 1)/2 = {padding} is not a whole number")
    return int(padding)
"""),
    Implementation("""\
    if not isinstance(F, (int, np.integer)) or isinstance(F, bool):
        raise ValueError("F must be an integer")
    if F < 1 or F % 2 == 0:
        raise ValueError(f"F must be odd and at least 1, got {F}")
    return int((F - 1) // 2)
"""),
    Implementation("""\
    size = require_int(F, "F", 1)
    if size % 2 != 1:
        raise ValueError("the filter size must be odd for same padding")
    return size // 2
"""),
    Implementation("""\
    F = require_int(F, "F", 1)
    for p in range(F):
        if 2 * p + 1 == F:
            return p
    raise ValueError(f"no padding keeps the size for an even filter F={F}")
"""),
    Implementation("""\
    try:
        F = require_int(F, "F", 1)
    except ValueError as error:
        raise ValueError(f"same_padding: {error}") from None
    if (F - 1) % 2:
        raise ValueError("an even F cannot be centred")
    return (F - 1) // 2
"""),
    Implementation("""\
    F = require_int(F, "F", 1)
    pad, remainder = (F - 1) // 2, (F - 1) % 2
    if remainder != 0:
        raise ValueError(f"(F - 1)/2 is not whole for F = {F}")
    return pad
"""),
]

CONV_OUTPUT_SHAPE = [
    Implementation("""\
    try:
        C, H, W = input_shape
    except (TypeError, ValueError):
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}") from None
    require_int(C, "C", 1)
    K = require_int(num_filters, "num_filters", 1)
    return (K, conv_output_size(H, F, S, P), conv_output_size(W, F, S, P))
"""),
    Implementation("""\
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError("input_shape must be a (C, H, W) tuple")
    channels, height, width = input_shape
    if require_int(channels, "channels", 1) < 1:
        raise ValueError("at least one channel")
    filters = require_int(num_filters, "num_filters", 1)
    new_h, new_w = (conv_output_size(n, F, S, P) for n in (height, width))
    return filters, new_h, new_w
"""),
    Implementation("""\
    dims = np.atleast_1d(np.asarray(input_shape, dtype=object))
    if dims.ndim != 1 or len(dims) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {input_shape!r}")
    depth, rows, cols = dims.tolist()
    require_int(depth, "depth", 1)
    k = require_int(num_filters, "K", 1)
    return k, conv_output_size(rows, F, S, P), conv_output_size(cols, F, S, P)
"""),
    Implementation("""\
    if not hasattr(input_shape, "__len__") or len(input_shape) != 3:
        raise ValueError("input_shape needs three numbers: C, H and W")
    C, H, W = (input_shape[i] for i in range(3))
    require_int(C, "C", 1)
    out = [require_int(num_filters, "num_filters", 1)]
    for size in (H, W):
        out.append(conv_output_size(size, F, S, P))
    return tuple(out)
"""),
    Implementation("""\
    shape = list(input_shape) if isinstance(input_shape, (list, tuple)) else None
    if shape is None or len(shape) != 3:
        raise ValueError(f"expected (C, H, W), got {input_shape!r}")
    require_int(shape[0], "channels", 1)
    filters = require_int(num_filters, "num_filters", 1)
    height, width = [conv_output_size(n, F, S, P) for n in shape[1:]]
    return filters, height, width
"""),
    Implementation("""\
    try:
        channels, *spatial = input_shape
    except TypeError:
        raise ValueError("input_shape must be a sequence (C, H, W)") from None
    if len(spatial) != 2:
        raise ValueError(f"input_shape must have 3 entries, got {len(spatial) + 1}")
    require_int(channels, "C", 1)
    return (require_int(num_filters, "num_filters", 1),) + tuple(conv_output_size(n, F, S, P) for n in spatial)
"""),
    Implementation("""\
    if not isinstance(input_shape, (tuple, list)):
        raise ValueError(f"input_shape must be a tuple, got {type(input_shape).__name__}")
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (C, H, W), got {len(input_shape)} numbers")
    c, h, w = input_shape
    if require_int(c, "C", 1) and require_int(num_filters, "num_filters", 1):
        return (int(num_filters), conv_output_size(h, F, S, P), conv_output_size(w, F, S, P))
"""),
    Implementation("""\
    shape = tuple(input_shape) if hasattr(input_shape, "__iter__") else (input_shape,)
    if len(shape) != 3:
        raise ValueError(f"expected three sizes (C, H, W), got {shape}")
    sizes = dict(zip("CHW", shape))
    require_int(sizes["C"], "C", 1)
    K = require_int(num_filters, "num_filters", 1)
    return K, conv_output_size(sizes["H"], F, S, P), conv_output_size(sizes["W"], F, S, P)
"""),
    Implementation("""\
    import numbers

    if (not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3
            or not all(isinstance(v, numbers.Integral) for v in input_shape)):
        raise ValueError("input_shape must be three integers (C, H, W)")
    if input_shape[0] < 1:
        raise ValueError("C must be at least 1")
    K = require_int(num_filters, "num_filters", 1)
    H2 = conv_output_size(input_shape[1], F, S, P)
    W2 = conv_output_size(input_shape[2], F, S, P)
    return (K, H2, W2)
"""),
]

IMPLEMENTATIONS = {"conv_output_size": CONV_OUTPUT_SIZE, "same_padding": SAME_PADDING,
                   "conv_output_shape": CONV_OUTPUT_SHAPE}
