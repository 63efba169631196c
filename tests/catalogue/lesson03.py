"""Wrong implementations of lesson 03 (local connectivity and weight sharing)."""
from tests.catalogue import Mutant

LESSON = "03_parameter_sharing"

_DENSE = "return (n_in + int(bias)) * n_out"
_CONV = "return (weights_per_filter + int(bias)) * K"
_LOCAL = "return out_h * out_w * K * (F * F * channels + int(bias))"

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
    # locally_connected_params
    Mutant("locally_connected_params", "one filter set per input pixel",
           replace=((_LOCAL, "return height * width * K * (F * F * channels + int(bias))"),),
           hint="not per input pixel"),
    Mutant("locally_connected_params", "shared count returned",
           replace=((_LOCAL, "return K * (F * F * channels + int(bias))"),), hint="shared"),
    Mutant("locally_connected_params", "padding ignored",
           replace=(("span = size - F + 2 * P", "span = size - F"),), hint="padding was ignored"),
    Mutant("locally_connected_params", "stride ignored",
           replace=(("positions.append(span // S + 1)", "positions.append(span + 1)"),), hint="stride was ignored"),
    Mutant("locally_connected_params", "biases forgotten",
           replace=((_LOCAL, "return out_h * out_w * K * F * F * channels"),), hint="biases are missing"),
    Mutant("locally_connected_params", "channels forgotten",
           replace=((_LOCAL, "return out_h * out_w * K * (F * F + int(bias))"),), hint="as deep as the input"),
    Mutant("locally_connected_params", "floors instead of raising",
           replace=(("if span % S:", "if False:"),), hint="not a whole number"),
    Mutant("locally_connected_params", "width computed from the height",
           replace=(("out_h, out_w = positions", "out_h = out_w = positions[0]"),), hint="computed from the height"),
    # conv_params
    Mutant("conv_params", "biases forgotten",
           replace=((_CONV, "return weights_per_filter * K"),), hint="biases are missing"),
    Mutant("conv_params", "one bias for the whole layer",
           replace=((_CONV, "return weights_per_filter * K + int(bias)"),), hint="not one for the whole layer"),
    Mutant("conv_params", "input depth forgotten",
           replace=(("weights_per_filter = F * F * C_in", "weights_per_filter = F * F"),), hint="as deep as its input"),
    Mutant("conv_params", "F instead of F*F",
           replace=(("weights_per_filter = F * F * C_in", "weights_per_filter = F * C_in"),), hint="F x F"),
    Mutant("conv_params", "bias flag ignored",
           replace=((_CONV, "return (weights_per_filter + 1) * K"),), hint="bias=False"),
]
