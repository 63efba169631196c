"""Wrong implementations of lesson 05 (backpropagation: affine, ReLU, softmax loss, numerical gradient)."""
from tests.catalogue import Mutant

LESSON = "05_backprop"

MUTANTS = [
    # affine_forward
    Mutant("affine_forward", "examples not flattened",
           replace=(("out = x.reshape(x.shape[0], D) @ w + b", "out = x @ w + b"),), hint="flattened"),
    Mutant("affine_forward", "bias forgotten",
           replace=(("out = x.reshape(x.shape[0], D) @ w + b", "out = x.reshape(x.shape[0], D) @ w"),),
           hint="bias is missing"),
    Mutant("affine_forward", "flattened in the wrong order",
           replace=(("out = x.reshape(x.shape[0], D) @ w + b", "out = x.reshape(D, x.shape[0]).T @ w + b"),),
           hint="wrong order"),
    # affine_backward
    Mutant("affine_backward", "dx not reshaped",
           replace=(("dx = (dout @ w.T).reshape(x.shape)", "dx = dout @ w.T"),), hint="not reshaped"),
    Mutant("affine_backward", "dw transposed",
           replace=(("dw = x.reshape(x.shape[0], -1).T @ dout", "dw = dout.T @ x.reshape(x.shape[0], -1)"),),
           hint="dw is transposed"),
    Mutant("affine_backward", "db averaged",
           replace=(("db = dout.sum(axis=0)", "db = dout.mean(axis=0)"),), hint="averaged"),
    # softmax_loss
    Mutant("softmax_loss", "no max subtraction (overflow)",
           replace=(("shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores"),),
           hint="subtract each row's max"),
    Mutant("softmax_loss", "gradient not divided by N",
           replace=(("return loss, dscores / N", "return loss, dscores"),), hint="not divided by N"),
    Mutant("softmax_loss", "loss summed instead of averaged",
           replace=(("-log_probs[np.arange(N), y].mean()", "-log_probs[np.arange(N), y].sum()"),), hint="summed"),
    Mutant("softmax_loss", "1 not subtracted at the true class",
           replace=(("    dscores[np.arange(N), y] -= 1\n", ""),), hint="1 was not subtracted"),
    # relu_forward
    Mutant("relu_forward", "np.minimum instead of np.maximum",
           replace=(("np.maximum(x, 0)", "np.minimum(x, 0)"),), hint="np.minimum"),
    Mutant("relu_forward", "absolute value",
           replace=(("np.maximum(x, 0)", "np.abs(x)"),), hint="abs(x)"),
    Mutant("relu_forward", "clipping in place",
           replace=(("out = np.maximum(x, 0).astype(x.dtype, copy=False)", "x[x < 0] = 0\n    out = x"),),
           hint="in place"),
    Mutant("relu_forward", "result always float64",
           replace=(("np.maximum(x, 0).astype(x.dtype, copy=False)", "np.maximum(x, 0).astype(float)"),),
           hint="dtype"),
    # relu_backward
    Mutant("relu_backward", "gradient passed at x == 0",
           replace=(("np.where(x > 0, dout, 0)", "np.where(x >= 0, dout, 0)"),), hint="x >= 0"),
    Mutant("relu_backward", "dout returned unchanged",
           replace=(("np.where(x > 0, dout, 0)", "dout"),), hint="unchanged"),
    Mutant("relu_backward", "multiplied by the output instead of the mask",
           replace=(("np.where(x > 0, dout, 0)", "dout * np.maximum(x, 0)"),), hint="instead of by the mask"),
    # numerical_gradient
    Mutant("numerical_gradient", "dout ignored",
           replace=(("np.sum((plus - minus) * dout)", "np.sum(plus - minus)"),), hint="dout was ignored"),
    Mutant("numerical_gradient", "divided by h instead of 2h",
           replace=(("/ (2 * h)", "/ h"),), hint="2h"),
    Mutant("numerical_gradient", "one-sided difference",
           replace=(("x[index] = original - h\n        minus = np.array(f(x), dtype=np.float64)\n        x[index] = original",
                     "x[index] = original\n        minus = np.array(f(x), dtype=np.float64)"),
                    ("/ (2 * h)", "/ h")),
           hint="one-sided"),
    Mutant("numerical_gradient", "entry not restored",
           replace=(("        x[index] = original\n        grad", "        grad"),), hint="not restored"),
    Mutant("numerical_gradient", "nudged in the input's own dtype",
           replace=(("x = np.array(x, dtype=np.float64)", "x = np.array(x)"),), hint="float64"),
]
