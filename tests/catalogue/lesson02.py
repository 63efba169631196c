"""Wrong implementations of lesson 02 (the output-size formula)."""
from tests.catalogue import Mutant

LESSON = "02_output_size"

_RESULT = "return span // S + 1"
_SPAN = "span = W - F + 2 * P"

MUTANTS = [
    # conv_output_size
    Mutant("conv_output_size", "the + 1 forgotten",
           replace=((_RESULT, "return span // S"),), hint="+ 1 is missing"),
    Mutant("conv_output_size", "padding on one side only",
           replace=((_SPAN, "span = W - F + P"),), hint="one side only"),
    Mutant("conv_output_size", "padding ignored",
           replace=((_SPAN, "span = W - F"),), hint="padding was ignored"),
    Mutant("conv_output_size", "stride ignored",
           replace=((_RESULT, "return span + 1"),), hint="stride was ignored"),
    Mutant("conv_output_size", "true division: a float result",
           replace=((_RESULT, "return span / S + 1"),), hint="float"),
    Mutant("conv_output_size", "non-strict rounds up",
           replace=((_RESULT, "return -(-span // S) + 1"),), hint="floor"),
    Mutant("conv_output_size", "non-strict rounds to the nearest",
           replace=((_RESULT, "return round(span / S) + 1"),), hint="floor"),
    Mutant("conv_output_size", "strict ignored: always floors",
           replace=(("if strict and span % S:", "if False:"),), hint="not a whole number"),
    Mutant("conv_output_size", "filter larger than the input accepted",
           replace=(("if span < 0:", "if False:"),), hint="larger than"),
    Mutant("conv_output_size", "arguments converted with int() instead of checked",
           replace=(('W, F = require_int(W, "W", 1), require_int(F, "F", 1)', "W, F = int(W), int(F)"),
                    ('S, P = require_int(S, "S", 1), require_int(P, "P", 0)', "S, P = int(S), int(P)")),
           hint="require_int"),
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
    # conv_output_shape
    Mutant("conv_output_shape", "depth kept instead of K",
           replace=(("return (num_filters, conv_output_size(height", "return (channels, conv_output_size(height"),),
           hint="number of filters"),
    Mutant("conv_output_shape", "channels last",
           replace=(("return (num_filters, conv_output_size(height, F, S, P), conv_output_size(width, F, S, P))",
                     "return (conv_output_size(height, F, S, P), conv_output_size(width, F, S, P), num_filters)"),),
           hint="channels come first"),
    Mutant("conv_output_shape", "height and width swapped",
           replace=(("channels, height, width = input_shape", "channels, width, height = input_shape"),),
           hint="swapped"),
    Mutant("conv_output_shape", "width computed from the height",
           replace=(("conv_output_size(width, F, S, P)", "conv_output_size(height, F, S, P)"),),
           hint="computed from the height"),
    Mutant("conv_output_shape", "floored instead of strict",
           replace=(("conv_output_size(width, F, S, P))", "conv_output_size(width, F, S, P, strict=False))"),),
           hint="not a whole number"),
    Mutant("conv_output_shape", "padding not passed on",
           replace=(("conv_output_size(height, F, S, P), conv_output_size(width, F, S, P)",
                     "conv_output_size(height, F, S), conv_output_size(width, F, S)"),),
           hint="padding P was not passed on"),
]
