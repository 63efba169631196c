"""Wrong implementations of lesson 05 (backpropagation: affine, ReLU, softmax loss, numerical gradient)."""
from course_catalogue import Mutant, Variant

LESSON = "05_backprop"

_AFFINE_OUT = "out = x.reshape(x.shape[0], -1) @ w + b"
_SHIFT = "shifted = scores - scores.max(axis=1, keepdims=True)"
_PLUS = "plus = np.array(f(x), dtype=np.float64)"
_MINUS = "minus = np.array(f(x), dtype=np.float64)"

MUTANTS = [
    # affine_forward
    Mutant("affine_forward", "examples not flattened",
           replace=((_AFFINE_OUT, "out = x @ w + b"),), hint="flattened"),
    Mutant("affine_forward", "bias forgotten",
           replace=((_AFFINE_OUT, "out = x.reshape(x.shape[0], -1) @ w"),), hint="bias is missing"),
    Mutant("affine_forward", "flattened in the wrong order",
           replace=((_AFFINE_OUT, "out = x.reshape(-1, x.shape[0]).T @ w + b"),), hint="wrong order"),
    Mutant("affine_forward", "computed in float64 whatever the input",
           replace=((_AFFINE_OUT, "out = x.reshape(x.shape[0], -1).astype(float) @ w.astype(float) + b"),),
           hint="float32 output"),
    # affine_backward
    Mutant("affine_backward", "dx not reshaped",
           replace=(("dx = (dout @ w.T).reshape(x.shape)", "dx = dout @ w.T"),), hint="not reshaped"),
    Mutant("affine_backward", "dx without the transpose",
           replace=(("dx = (dout @ w.T).reshape(x.shape)", "dx = (dout @ w).reshape(x.shape)"),),
           hint="transpose is missing"),
    Mutant("affine_backward", "dw transposed",
           replace=(("dw = x_flat.T @ dout", "dw = dout.T @ x_flat"),), hint="dw is transposed"),
    Mutant("affine_backward", "db averaged",
           replace=(("db = dout.sum(axis=0)", "db = dout.mean(axis=0)"),), hint="averaged"),
    Mutant("affine_backward", "db keeps the summed axis",
           replace=(("db = dout.sum(axis=0)", "db = dout.sum(axis=0, keepdims=True)"),), hint="without keepdims"),
    Mutant("affine_backward", "dx written into an array of x's dtype (uint8 pixels truncate)",
           replace=(("dx = (dout @ w.T).reshape(x.shape)",
                     "dx = np.zeros_like(x)\n    dx[...] = (dout @ w.T).reshape(x.shape)"),),
           hint="floating-point"),
    # relu_forward
    Mutant("relu_forward", "np.minimum instead of np.maximum",
           replace=(("np.maximum(x, 0)", "np.minimum(x, 0)"),), hint="np.minimum"),
    Mutant("relu_forward", "absolute value",
           replace=(("np.maximum(x, 0)", "np.abs(x)"),), hint="abs(x)"),
    Mutant("relu_forward", "clipping in place",
           replace=(("out = np.maximum(x, 0)", "x[x < 0] = 0\n    out = x"),), hint="in place"),
    Mutant("relu_forward", "result always float64",
           replace=(("np.maximum(x, 0)", "np.maximum(x, 0).astype(float)"),), hint="dtype"),
    Mutant("relu_forward", "np.where with a float zero (integer input becomes float64)",
           replace=(("np.maximum(x, 0)", "np.where(x > 0, x, 0.0)"),), hint="np.where(x > 0, x, 0.0) does not"),
    # relu_backward
    Mutant("relu_backward", "gradient passed at x == 0",
           replace=(("np.where(x > 0, dout, 0)", "np.where(x >= 0, dout, 0)"),), hint="x >= 0"),
    Mutant("relu_backward", "dout returned unchanged",
           replace=(("np.where(x > 0, dout, 0)", "dout"),), hint="unchanged"),
    Mutant("relu_backward", "multiplied by the output instead of the mask",
           replace=(("np.where(x > 0, dout, 0)", "dout * np.maximum(x, 0)"),), hint="instead of by the mask"),
    Mutant("relu_backward", "dout zeroed in place",
           replace=(("return np.where(x > 0, dout, 0)", "dout[x <= 0] = 0\n    return dout"),), hint="in place"),
    Mutant("relu_backward", "mask made float64 (float32 gradients become float64)",
           replace=(("np.where(x > 0, dout, 0)", "dout * (x > 0).astype(float)"),), hint="dtype of dout"),
    # softmax_loss
    Mutant("softmax_loss", "no max subtraction (overflow)",
           replace=((_SHIFT, "shifted = scores"),), hint="subtract each row's max"),
    Mutant("softmax_loss", "the batch's maximum instead of each row's",
           replace=((_SHIFT, "shifted = scores - scores.max()"),), hint="each row's own maximum"),
    Mutant("softmax_loss", "row maxima subtracted without keepdims",
           replace=((_SHIFT, "shifted = scores - scores.max(axis=1)"),), hint="without keepdims"),
    Mutant("softmax_loss", "scores shifted in place",
           replace=((_SHIFT, "scores -= scores.max(axis=1, keepdims=True)\n    shifted = scores"),), hint="in place"),
    Mutant("softmax_loss", "scores converted to float64 (float32 gradients become float64)",
           replace=((_SHIFT, "shifted = scores.astype(np.float64) - scores.max(axis=1, keepdims=True)"),),
           hint="keep the scores' dtype"),
    Mutant("softmax_loss", "gradient not divided by N",
           replace=(("    dscores /= N\n", ""),), hint="not divided by N"),
    Mutant("softmax_loss", "loss summed instead of averaged",
           replace=(("-log_probs[np.arange(N), y].mean()", "-log_probs[np.arange(N), y].sum()"),), hint="summed"),
    Mutant("softmax_loss", "1 not subtracted at the true class",
           replace=(("    dscores[np.arange(N), y] -= 1\n", ""),), hint="1 was not subtracted"),
    Mutant("softmax_loss", "the given argument check deleted",
           replace=(("scores, y = check_softmax_loss(scores, y)", "scores, y = np.asarray(scores), np.asarray(y)"),),
           hint="keep that line"),
    # numerical_gradient
    Mutant("numerical_gradient", "dout ignored",
           replace=(("np.sum((plus - minus) * dout)", "np.sum(plus - minus)"),), hint="dout was ignored"),
    Mutant("numerical_gradient", "divided by h instead of 2h",
           replace=(("/ (2 * h)", "/ h"),), hint="2h"),
    Mutant("numerical_gradient", "one-sided difference",
           replace=(("x[index] = original - h\n        " + _MINUS + "\n        x[index] = original",
                     "x[index] = original\n        " + _MINUS),
                    ("/ (2 * h)", "/ h")),
           hint="one-sided"),
    Mutant("numerical_gradient", "entry not restored",
           replace=(("        x[index] = original\n        grad", "        grad"),), hint="not restored"),
    Mutant("numerical_gradient", "nudged in the input's own dtype",
           replace=(("x = np.array(x, dtype=np.float64)", "x = np.array(x)"),), hint="float64"),
    Mutant("numerical_gradient", "the step h ignored",
           replace=(("x[index] = original + h", "x[index] = original + 1e-5"),
                    ("x[index] = original - h", "x[index] = original - 1e-5"),
                    ("/ (2 * h)", "/ (2 * 1e-5)")),
           hint="h was ignored"),
    Mutant("numerical_gradient", "outputs kept without a copy",
           replace=((_PLUS, "plus = f(x)"), (_MINUS, "minus = f(x)")), hint="keep a copy of each output"),
]

CORRECT = [
    Variant("affine_forward", "np.dot on rows of an explicit length", source='''\
def affine_forward(x, w, b):
    """Forward pass of a fully connected layer, with np.dot."""
    x, w, b = check_affine_forward(x, w, b)  # given: refuses bad input with a ValueError
    rows = x.reshape(len(x), int(np.prod(x.shape[1:])))
    return np.dot(rows, w) + b, (x, w, b)
'''),
    Variant("affine_forward", "einsum with named axes", source='''\
def affine_forward(x, w, b):
    """Forward pass of a fully connected layer, with einsum."""
    x, w, b = check_affine_forward(x, w, b)  # given: refuses bad input with a ValueError
    out = np.einsum("nr,rm->nm", x.reshape(x.shape[0], -1), w) + b
    return out, (x, w, b)
'''),
    Variant("affine_backward", "dw accumulated example by example with np.outer, dx by einsum", source='''\
def affine_backward(dout, cache):
    """Backward pass of a fully connected layer, one example at a time for dw."""
    dout, x, w, b = check_affine_backward(dout, cache)  # given: refuses bad input with a ValueError
    x_flat = x.reshape(x.shape[0], -1)
    dw = np.zeros(w.shape, dtype=np.result_type(x, dout))
    for n in range(x.shape[0]):
        dw += np.outer(x_flat[n], dout[n])
    dx = np.einsum("nm,rm->nr", dout, w).reshape(x.shape)
    db = np.sum(dout, axis=0)
    return dx, dw, db
'''),
    Variant("affine_backward", "np.tensordot over named axes", source='''\
def affine_backward(dout, cache):
    """Backward pass of a fully connected layer, with tensordot."""
    dout, x, w, b = check_affine_backward(dout, cache)  # given: refuses bad input with a ValueError
    dx = np.tensordot(dout, w, axes=(1, 1)).reshape(x.shape)
    dw = np.tensordot(x.reshape(len(x), -1), dout, axes=(0, 0))
    return dx, dw, dout.sum(0)
'''),
    Variant("relu_forward", "x.clip(min=0)", source='''\
def relu_forward(x):
    """ReLU by clipping."""
    x = check_relu_forward(x)  # given: refuses bad input with a ValueError
    return x.clip(min=0), x
'''),
    Variant("relu_forward", "multiplied by the mask", source='''\
def relu_forward(x):
    """ReLU as x times its mask."""
    x = check_relu_forward(x)  # given: refuses bad input with a ValueError
    return x * (x > 0), x
'''),
    Variant("relu_backward", "a copy of dout with the blocked entries zeroed", source='''\
def relu_backward(dout, cache):
    """ReLU backward on a copy of dout."""
    dout, x = check_relu_backward(dout, cache)  # given: refuses bad input with a ValueError
    dx = dout.copy()
    dx[x <= 0] = 0
    return dx
'''),
    Variant("relu_backward", "dout times the boolean mask", source='''\
def relu_backward(dout, cache):
    """ReLU backward as dout times the mask."""
    dout, x = check_relu_backward(dout, cache)  # given: refuses bad input with a ValueError
    return dout * (x > 0)
'''),
    Variant("softmax_loss", "log-sum-exp with the maximum added back, np.eye one-hot, NumPy float loss", source='''\
def softmax_loss(scores, y):
    """Softmax loss through a stable log-sum-exp."""
    scores, y = check_softmax_loss(scores, y)  # given: refuses bad input with a ValueError
    N, M = scores.shape
    row_max = np.max(scores, axis=1, keepdims=True)
    log_norm = row_max + np.log(np.sum(np.exp(scores - row_max), axis=1, keepdims=True))
    log_probs = scores - log_norm
    loss = -np.mean(log_probs[np.arange(N), y])
    one_hot = np.eye(M, dtype=log_probs.dtype)[y]
    return loss, (np.exp(log_probs) - one_hot) / N
'''),
    Variant("softmax_loss", "one example at a time", source='''\
def softmax_loss(scores, y):
    """Softmax loss, row by row."""
    scores, y = check_softmax_loss(scores, y)  # given: refuses bad input with a ValueError
    N = len(scores)
    loss = 0.0
    dscores = np.empty(scores.shape, dtype=np.result_type(scores, np.float32))
    for n in range(N):
        shifted = scores[n] - scores[n].max()
        total = np.exp(shifted).sum()
        loss -= (shifted[y[n]] - np.log(total)) / N
        dscores[n] = np.exp(shifted) / total
        dscores[n, y[n]] -= 1
    return loss, dscores / N
'''),
    Variant("numerical_gradient", "np.nditer over a float64 copy (cs231n style)", source='''\
def numerical_gradient(f, x, dout, h=1e-5):
    """Centred differences with np.nditer."""
    f, x, dout, h = check_numerical_gradient(f, x, dout, h)  # given: refuses bad input with a ValueError
    x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        pos = np.copy(f(x)).astype(np.float64)
        x[i] = old - h
        neg = np.copy(f(x)).astype(np.float64)
        x[i] = old
        grad[i] = np.sum((pos - neg) * dout) / (2 * h)
        it.iternext()
    return grad
'''),
    Variant("numerical_gradient", "a flat view and a helper function", source='''\
def _centred_change(f, x, flat, i, h):
    saved = flat[i]
    flat[i] = saved + h
    plus = np.array(f(x), dtype=np.float64)
    flat[i] = saved - h
    minus = np.array(f(x), dtype=np.float64)
    flat[i] = saved
    return plus - minus


def numerical_gradient(f, x, dout, h=1e-5):
    """Centred differences through a flat view of a float64 copy."""
    f, x, dout, h = check_numerical_gradient(f, x, dout, h)  # given: refuses bad input with a ValueError
    x = np.array(x, dtype=np.float64)
    flat = x.reshape(-1)
    grad = np.empty(x.size)
    for i in range(x.size):
        grad[i] = np.sum(_centred_change(f, x, flat, i, h) * dout) / (2 * h)
    return grad.reshape(x.shape)
'''),
]
