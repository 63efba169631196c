"""Wrong and correct implementations of lesson 03 (local connectivity and weight sharing)."""
from course_catalogue import Mutant, Variant

LESSON = "03_parameter_sharing"

_DENSE = "return (n_in + int(bias)) * n_out"
_CONV = "return (weights_per_filter + int(bias)) * K"
_LOCAL = "return out_h * out_w * K * (F * F * channels + int(bias))"
_POSITIONS = "out_h, out_w = (height - F + 2 * P) // S + 1, (width - F + 2 * P) // S + 1"

MUTANTS = [
    # dense_params
    Mutant("dense_params", "biases forgotten",
           replace=((_DENSE, "return n_in * n_out"),), hint="biases are missing"),
    Mutant("dense_params", "one bias for the whole layer",
           replace=((_DENSE, "return n_in * n_out + int(bias)"),), hint="not one for the whole layer"),
    Mutant("dense_params", "one bias per input",
           replace=((_DENSE, "return n_in * (n_out + int(bias))"),), hint="not per input"),
    Mutant("dense_params", "bias flag ignored",
           replace=((_DENSE, "return (n_in + 1) * n_out"),), hint="bias=False"),
    Mutant("dense_params", "float arithmetic",
           replace=((_DENSE, "return float(n_in + int(bias)) * n_out"),), hint="float"),
    Mutant("dense_params", "the given argument check deleted",
           replace=(("n_in, n_out, bias = check_dense_params(n_in, n_out, bias)", "pass"),), hint="keep that line"),
    # locally_connected_params
    Mutant("locally_connected_params", "one filter set per input pixel",
           replace=((_LOCAL, "return height * width * K * (F * F * channels + int(bias))"),),
           hint="not per input pixel"),
    Mutant("locally_connected_params", "shared count returned",
           replace=((_LOCAL, "return K * (F * F * channels + int(bias))"),), hint="shared"),
    Mutant("locally_connected_params", "padding ignored",
           replace=((_POSITIONS, "out_h, out_w = (height - F) // S + 1, (width - F) // S + 1"),),
           hint="padding was ignored"),
    Mutant("locally_connected_params", "padding on one side only",
           replace=((_POSITIONS, "out_h, out_w = (height - F + P) // S + 1, (width - F + P) // S + 1"),),
           hint="one side only"),
    Mutant("locally_connected_params", "stride ignored",
           replace=((_POSITIONS, "out_h, out_w = height - F + 2 * P + 1, width - F + 2 * P + 1"),),
           hint="stride was ignored"),
    Mutant("locally_connected_params", "the + 1 forgotten",
           replace=((_POSITIONS, "out_h, out_w = (height - F + 2 * P) // S, (width - F + 2 * P) // S"),),
           hint="+ 1 is missing"),
    Mutant("locally_connected_params", "biases forgotten",
           replace=((_LOCAL, "return out_h * out_w * K * F * F * channels"),), hint="biases are missing"),
    Mutant("locally_connected_params", "one bias per filter, shared by all positions",
           replace=((_LOCAL, "return out_h * out_w * K * F * F * channels + K * int(bias)"),),
           hint="not one per filter shared"),
    Mutant("locally_connected_params", "channels forgotten",
           replace=((_LOCAL, "return out_h * out_w * K * (F * F + int(bias))"),), hint="as deep as the input"),
    Mutant("locally_connected_params", "width computed from the height",
           replace=((_POSITIONS, "out_h = out_w = (height - F + 2 * P) // S + 1"),), hint="computed from the height"),
    # conv_params
    Mutant("conv_params", "biases forgotten",
           replace=((_CONV, "return weights_per_filter * K"),), hint="biases are missing"),
    Mutant("conv_params", "one bias for the whole layer",
           replace=((_CONV, "return weights_per_filter * K + int(bias)"),), hint="not one for the whole layer"),
    Mutant("conv_params", "one bias per channel of each filter",
           replace=((_CONV, "return (F * F + int(bias)) * C_in * K"),), hint="not one per channel"),
    Mutant("conv_params", "C_in and K swapped",
           replace=((_CONV, "return (F * F * K + int(bias)) * C_in"),), hint="swapped"),
    Mutant("conv_params", "input depth forgotten",
           replace=(("weights_per_filter = F * F * C_in", "weights_per_filter = F * F"),), hint="as deep as its input"),
    Mutant("conv_params", "F instead of F*F",
           replace=(("weights_per_filter = F * F * C_in", "weights_per_filter = F * C_in"),), hint="F x F"),
    Mutant("conv_params", "bias flag ignored",
           replace=((_CONV, "return (weights_per_filter + 1) * K"),), hint="bias=False"),
]

CORRECT = [
    Variant("conv_params", "NumPy arithmetic: np.prod of the filter shape, a NumPy int64 returned", source='''\
def conv_params(F, C_in, K, bias=True):
    """(F*F*C_in + bias) * K, with the filter's weights counted by np.prod."""
    F, C_in, K, bias = check_conv_params(F, C_in, K, bias)  # given: refuses bad input with a ValueError
    return (np.prod([F, F, C_in]) + (1 if bias else 0)) * K
'''),
    Variant("dense_params", "weights and biases added separately", source='''\
def dense_params(n_in, n_out, bias=True):
    """n_in * n_out weights and, with bias, n_out biases."""
    n_in, n_out, bias = check_dense_params(n_in, n_out, bias)  # given: refuses bad input with a ValueError
    biases = n_out if bias else 0
    return n_in * n_out + biases
'''),
    Variant("locally_connected_params", "a helper for the positions along one axis, math.prod", source='''\
import math


def _positions(size, F, S, P):
    return (size - F + 2 * P) // S + 1


def locally_connected_params(input_shape, F, K, S=1, P=0, bias=True):
    """One set of K filters (and biases) per output position."""
    input_shape, F, K, S, P, bias = check_locally_connected_params(input_shape, F, K, S, P, bias)  # given: refuses bad input with a ValueError
    C, H, W = input_shape
    per_position = K * (math.prod((F, F, C)) + int(bias))
    return _positions(H, F, S, P) * _positions(W, F, S, P) * per_position
'''),
]
