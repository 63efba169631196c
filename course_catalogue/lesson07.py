"""Wrong and correct implementations of lesson 07 (a fast convolution and a trained network)."""
from course_catalogue import Mutant, Variant

LESSON = "07_train_cnn"

_ROWS = "windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * H_out * W_out, HH * WW * C)"
_WINDOWS = "np.lib.stride_tricks.sliding_window_view(x_pad, (HH, WW), axis=(1, 2))[:, ::stride, ::stride]"
_COL2IM = "v:v + stride * W_out:stride, :] += dcols[:, :, :, u, v, :]"
_DOUT_ROWS = "dout_rows = dout.astype(dtype, copy=False).transpose(0, 2, 3, 1).reshape(-1, K)"
_DW = "dw = (cols.T @ dout_rows).T.reshape(K, HH, WW, C).transpose(0, 3, 1, 2)"
_REG_GRADS = 'for name in ("W1", "W2", "W3"):\n            grads[name] = grads[name] + self.reg * self.params[name]'

MUTANTS = [
    # im2col
    Mutant("im2col", "columns ordered (channel, row, column) like w[k].ravel()",
           replace=((_ROWS, "windows.reshape(N * H_out * W_out, HH * WW * C)"),), hint="channel last"),
    Mutant("im2col", "matrix transposed (one column per window)",
           replace=((_ROWS, _ROWS + ".T"),), hint="transposed"),
    Mutant("im2col", "rows ordered position first, then image",
           replace=((_ROWS, "windows.transpose(1, 2, 0, 4, 5, 3).reshape(N * H_out * W_out, HH * WW * C)"),),
           hint="position first"),
    Mutant("im2col", "padding forgotten",
           replace=(("((0, 0), (pad, pad), (pad, pad), (0, 0))", "((0, 0), (0, 0), (0, 0), (0, 0))"),
                    (_ROWS, "windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, HH * WW * C)")),
           hint="padding was not applied"),
    Mutant("im2col", "stride ignored",
           replace=(("axis=(1, 2))[:, ::stride, ::stride]", "axis=(1, 2))"),
                    (_ROWS, "windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, HH * WW * C)")), hint="stride was ignored"),
    Mutant("im2col", "stride applied along H only",
           replace=(("axis=(1, 2))[:, ::stride, ::stride]", "axis=(1, 2))[:, ::stride]"),
                    (_ROWS, "windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, HH * WW * C)")), hint="one axis only"),
    Mutant("im2col", "stride applied to the pixels instead of the window positions",
           replace=((_WINDOWS, "np.lib.stride_tricks.sliding_window_view(x_pad[:, ::stride, ::stride], (HH, WW), axis=(1, 2))"),
                    (_ROWS, "windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, HH * WW * C)")), hint="applied to the pixels"),
    Mutant("im2col", "HH and WW swapped in the window",
           replace=(("sliding_window_view(x_pad, (HH, WW), axis=(1, 2))", "sliding_window_view(x_pad, (WW, HH), axis=(1, 2))"),
                    (_ROWS, "windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, HH * WW * C)")), hint="HH and WW were swapped"),
    Mutant("im2col", "float32 input promoted to float64",
           replace=(("x.astype(np.result_type(x, np.float32), copy=False)", "x.astype(float)"),), hint="must stay float32"),
    Mutant("im2col", "integer input kept as integers",
           replace=(("x.astype(np.result_type(x, np.float32), copy=False).transpose(0, 2, 3, 1)", "x.transpose(0, 2, 3, 1)"),),
           hint="floating-point"),
    Mutant("im2col", "the given argument check deleted",
           replace=(("x, HH, WW, stride, pad = check_im2col(x, HH, WW, stride, pad)", "x = np.asarray(x)"),),
           hint="keep that line"),
    # conv_forward_fast
    Mutant("conv_forward_fast", "reshaped straight to (N, K, H_out, W_out)",
           replace=(("out = out.reshape(N, H_out, W_out, K).transpose(0, 3, 1, 2)", "out = out.reshape(N, K, H_out, W_out)"),),
           hint="reshaped straight"),
    Mutant("conv_forward_fast", "bias forgotten",
           replace=(("out = cols @ w_cols + b.astype(dtype, copy=False)", "out = cols @ w_cols"),), hint="bias is missing"),
    Mutant("conv_forward_fast", "filters flipped",
           replace=(("w.transpose(2, 3, 1, 0)", "w[:, :, ::-1, ::-1].transpose(2, 3, 1, 0)"),), hint="flipped"),
    Mutant("conv_forward_fast", "filters flattened channel first",
           replace=(("w.transpose(2, 3, 1, 0).reshape(-1, K)", "w.reshape(K, -1).T"),), hint="flattened channel first"),
    Mutant("conv_forward_fast", "float32 layer computed in float64",
           replace=(("dtype = np.result_type(x, w, b, np.float32)", "dtype = np.float64"),), hint="must stay float32"),
    Mutant("conv_forward_fast", "cols left out of the cache",
           replace=(("return out, (x, w, b, conv_param, cols)", "return out, (x, w, b, conv_param)"),), hint="keep cols"),
    Mutant("conv_forward_fast", "the given argument check deleted",
           replace=(("x, w, b, stride, pad = check_conv_forward(x, w, b, conv_param)",
                     'x, w, b = np.asarray(x), np.asarray(w), np.asarray(b)\n    stride, pad = conv_param["stride"], conv_param["pad"]'),),
           hint="keep that line"),
    # conv_backward_fast
    Mutant("conv_backward_fast", "db averaged",
           replace=(("db = dout_rows.sum(axis=0)", "db = dout_rows.mean(axis=0)"),), hint="db was averaged"),
    Mutant("conv_backward_fast", "col2im overwrites overlapping windows",
           replace=((_COL2IM, _COL2IM.replace("] += ", "] = ")),), hint="accumulate"),
    Mutant("conv_backward_fast", "padding not removed from dx",
           replace=(("dx = dx_pad[:, pad:pad + H, pad:pad + W, :].transpose(0, 3, 1, 2)", "dx = dx_pad.transpose(0, 3, 1, 2)"),),
           hint="padding was not removed"),
    Mutant("conv_backward_fast", "padding removed with pad:-pad (empty when pad = 0)",
           replace=(("dx_pad[:, pad:pad + H, pad:pad + W, :]", "dx_pad[:, pad:-pad, pad:-pad, :]"),), hint="dx is empty"),
    Mutant("conv_backward_fast", "filter offsets u and v swapped in col2im",
           replace=(("+= dcols[:, :, :, u, v, :]", "+= dcols[:, :, :, v, u, :]"),), hint="u and v were swapped"),
    Mutant("conv_backward_fast", "stride ignored in col2im",
           replace=(("dx_pad[:, u:u + stride * H_out:stride, v:v + stride * W_out:stride, :]", "dx_pad[:, u:u + H_out, v:v + W_out, :]"),),
           hint="stride in col2im"),
    Mutant("conv_backward_fast", "dout flattened without moving K last",
           replace=((_DOUT_ROWS, "dout_rows = dout.astype(dtype, copy=False).reshape(-1, K)"),), hint="without moving K last"),
    Mutant("conv_backward_fast", "dw not reshaped to w's shape",
           replace=((_DW, "dw = (cols.T @ dout_rows).T"),), hint="not reshaped"),
    Mutant("conv_backward_fast", "dw reshaped straight to w's shape",
           replace=((_DW, "dw = (cols.T @ dout_rows).T.reshape(w.shape)"),), hint="reshaped straight to w.shape"),
    Mutant("conv_backward_fast", "dx accumulated in float64 for a float32 layer",
           replace=(("dx_pad = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=dtype)",
                     "dx_pad = np.zeros((N, H + 2 * pad, W + 2 * pad, C))"),), hint="float32 in, float32 out"),
    # ThreeLayerConvNet
    Mutant("ThreeLayerConvNet", "no padding in the conv layer",
           replace=(('{"stride": 1, "pad": (filter_size - 1) // 2}', '{"stride": 1, "pad": 0}'),), hint="keep H and W"),
    Mutant("ThreeLayerConvNet", "L2 term without the factor 0.5",
           replace=(("0.5 * self.reg * sum(", "self.reg * sum("),), hint="factor 0.5"),
    Mutant("ThreeLayerConvNet", "regularization gradient forgotten",
           replace=(("grads[name] = grads[name] + self.reg * self.params[name]", "grads[name] = grads[name]"),),
           hint="reg * W"),
    Mutant("ThreeLayerConvNet", "biases regularized too, in the loss and in the gradients",
           replace=(("for W in (W1, W2, W3))", "for W in (W1, b1, W2, b2, W3, b3))"),
                    (_REG_GRADS, _REG_GRADS.replace('("W1", "W2", "W3")', '("W1", "b1", "W2", "b2", "W3", "b3")'))),
           hint="biases were regularized too"),
    Mutant("ThreeLayerConvNet", "bias gradients regularized",
           replace=((_REG_GRADS, _REG_GRADS.replace('("W1", "W2", "W3")', '("W1", "b1", "W2", "b2", "W3", "b3")')),),
           hint="biases are not regularized"),
    Mutant("ThreeLayerConvNet", "ReLU mask of the hidden layer forgotten",
           replace=(("affine_backward(drelu2 * (hidden > 0), hidden_cache)", "affine_backward(drelu2, hidden_cache)"),),
           hint="(hidden > 0)"),
    Mutant("ThreeLayerConvNet", "ReLU mask of the conv layer forgotten",
           replace=(("conv_backward_fast(drelu1 * (conv > 0), conv_cache)", "conv_backward_fast(drelu1, conv_cache)"),),
           hint="(conv > 0)"),
    Mutant("ThreeLayerConvNet", "random biases",
           replace=(('np.zeros(shape[0] if name == "W1" else shape[1], dtype=dtype)',
                     '(weight_scale * rng.standard_normal(shape[0] if name == "W1" else shape[1])).astype(dtype)'),),
           hint="biases start at zero"),
    Mutant("ThreeLayerConvNet", "weight_scale ignored",
           replace=(("(weight_scale * rng.standard_normal(shape))", "rng.standard_normal(shape)"),), hint="weight_scale"),
    Mutant("ThreeLayerConvNet", "dtype argument ignored",
           replace=(("rng.standard_normal(shape)).astype(dtype)", "rng.standard_normal(shape)).astype(np.float32)"),
                    ('else shape[1], dtype=dtype)', 'else shape[1], dtype=np.float32)')), hint="dtype argument"),
    Mutant("ThreeLayerConvNet", "seed ignored: an unseeded generator",
           replace=(("rng = np.random.default_rng(seed)", "rng = np.random.default_rng()"),), hint="default_rng(seed)"),
    Mutant("ThreeLayerConvNet", "seed ignored: always seed 0",
           replace=(("rng = np.random.default_rng(seed)", "rng = np.random.default_rng(0)"),), hint="seed argument was ignored"),
    Mutant("ThreeLayerConvNet", "X not converted to the model's dtype",
           replace=(("conv_forward_fast(X.astype(self.dtype, copy=False), W1, b1, self.conv_param)",
                     "conv_forward_fast(X, W1, b1, self.conv_param)"),), hint="X.astype(self.dtype)"),
    Mutant("ThreeLayerConvNet", "the given argument check deleted",
           replace=(("""        (C, H, W), num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype = check_three_layer_convnet(
            input_dim, num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype)""",
                     "        (C, H, W), dtype = input_dim, np.dtype(dtype)"),),
           hint="keep that line"),
]

CORRECT = [
    Variant("im2col", "loops over the filter offsets, np.promote_types, a preallocated 6-D array", source='''def im2col(x, HH, WW, stride, pad):
    """Every receptive field of the batch as one row, channels last within a row."""
    x, HH, WW, stride, pad = check_im2col(x, HH, WW, stride, pad)
    N, C, H, W = x.shape
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).astype(np.promote_types(x.dtype, np.float32))
    cols = np.empty((N, H_out, W_out, HH, WW, C), dtype=x_pad.dtype)
    for k in range(HH):
        for l in range(WW):
            cols[:, :, :, k, l, :] = x_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride].transpose(0, 2, 3, 1)
    return cols.reshape(N * H_out * W_out, -1)
'''),
    Variant("conv_forward_fast", "einsum and np.moveaxis, with a helper for the filter matrix", source='''def _filters_as_columns(w):
    """The filters in the order of im2col's columns, one filter per column: (R, K)."""
    return np.moveaxis(w, 1, -1).reshape(w.shape[0], -1).T


def conv_forward_fast(x, w, b, conv_param):
    """A conv layer as one product of im2col's matrix with the filters."""
    x, w, b, stride, pad = check_conv_forward(x, w, b, conv_param)
    dtype = np.result_type(x, w, b, np.float32)
    N, _, H, W = x.shape
    K, _, HH, WW = w.shape
    cols = im2col(x.astype(dtype), HH, WW, stride, pad)
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    out = np.einsum("rc,ck->rk", cols, _filters_as_columns(w).astype(dtype)) + b.astype(dtype)
    return np.ascontiguousarray(np.moveaxis(out.reshape(N, H_out, W_out, K), 3, 1)), (x, w, b, conv_param, cols)
'''),
    Variant("conv_backward_fast", "col2im with np.add.at on index arrays, cols read as the cache's last item", source='''def conv_backward_fast(dout, cache):
    """Gradients of conv_forward_fast; col2im scatters every window value with np.add.at."""
    dout, x, w, stride, pad = check_conv_backward(dout, cache)
    cols = cache[-1]
    N, C, H, W = x.shape
    K, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    dtype = np.result_type(cols, dout)
    dout_rows = np.moveaxis(dout, 1, -1).reshape(-1, K).astype(dtype)
    db = np.sum(dout_rows, axis=0)
    dw = np.moveaxis((dout_rows.T @ cols).reshape(K, HH, WW, C), -1, 1)
    dcols = (dout_rows @ np.moveaxis(w, 1, -1).reshape(K, -1).astype(dtype)).reshape(N, H_out, W_out, HH, WW, C)
    rows = (np.arange(H_out) * stride)[:, None] + np.arange(HH)[None, :]      # (H_out, HH): padded row of each value
    columns = (np.arange(W_out) * stride)[:, None] + np.arange(WW)[None, :]   # (W_out, WW)
    dx_pad = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=dtype)
    np.add.at(dx_pad, (slice(None), rows[:, None, :, None], columns[None, :, None, :]), dcols)
    return dx_pad[:, pad:pad + H, pad:pad + W].transpose(0, 3, 1, 2), dw, db
'''),
    Variant("ThreeLayerConvNet", "weights drawn last layer first with rng.normal, reg a NumPy float, np.where for the ReLUs",
            source='''class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax."""

    def __init__(self, input_dim=(1, 8, 8), num_filters=16, filter_size=3, hidden_dim=64, num_classes=10,
                 weight_scale=1e-2, reg=0.0, dtype=np.float32, seed=0):
        (C, H, W), num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype = check_three_layer_convnet(
            input_dim, num_filters, filter_size, hidden_dim, num_classes, weight_scale, reg, dtype)
        self.reg, self.dtype, self.input_dim = np.float64(reg), dtype, (C, H, W)
        self.conv_param = dict(stride=1, pad=filter_size // 2)
        rng = np.random.default_rng(seed)
        W3 = rng.normal(0.0, weight_scale, (hidden_dim, num_classes))
        W2 = rng.normal(0.0, weight_scale, (num_filters * H * W // 4, hidden_dim))
        W1 = rng.normal(0.0, weight_scale, (num_filters, C, filter_size, filter_size))
        params = dict(W1=W1, b1=np.zeros(num_filters), W2=W2, b2=np.zeros(hidden_dim), W3=W3, b3=np.zeros(num_classes))
        self.params = {name: value.astype(dtype) for name, value in params.items()}

    def loss(self, X, y=None):
        """Scores without labels; the loss and the gradients with them."""
        X = check_convnet_input(X, self.input_dim)
        p = self.params
        conv, conv_cache = conv_forward_fast(np.asarray(X, dtype=self.dtype), p["W1"], p["b1"], self.conv_param)
        pooled, pool_cache = max_pool_2x2_forward(np.where(conv > 0, conv, 0))
        hidden, hidden_cache = affine_forward(pooled, p["W2"], p["b2"])
        scores, scores_cache = affine_forward(np.where(hidden > 0, hidden, 0), p["W3"], p["b3"])
        if y is None:
            return scores
        data_loss, dscores = softmax_loss(scores, y)
        loss = data_loss + self.reg / 2 * sum(np.vdot(p[name], p[name]) for name in ("W1", "W2", "W3"))
        dhidden, dW3, db3 = affine_backward(dscores, scores_cache)
        dpooled, dW2, db2 = affine_backward(np.where(hidden > 0, dhidden, 0), hidden_cache)
        dconv = max_pool_2x2_backward(dpooled, pool_cache)
        _, dW1, db1 = conv_backward_fast(np.where(conv > 0, dconv, 0), conv_cache)
        grads = dict(W1=dW1 + self.reg * p["W1"], b1=db1, W2=dW2 + self.reg * p["W2"], b2=db2,
                     W3=dW3 + self.reg * p["W3"], b3=db3)
        return loss, {name: np.asarray(grad, dtype=self.dtype) for name, grad in grads.items()}
'''),
]
