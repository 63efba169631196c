"""Wrong implementations of lesson 03 (local connectivity and weight sharing)."""
from tests.catalogue import Mutant

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
