"""Wrong implementations of lesson 07 (a fast convolution and a trained network)."""
from course_catalogue import Mutant

LESSON = "07_train_cnn"

_ROWS = "windows.transpose(0, 1, 2, 4, 5, 3).reshape(N * H_out * W_out, HH * WW * C)"
_COL2IM = "l:l + stride * W_out:stride, :] += dcols[:, :, :, k, l, :]"
_DOUT_ROWS = "dout_rows = dout.astype(cols.dtype, copy=False).transpose(0, 2, 3, 1).reshape(-1, F)"

MUTANTS = [
    # im2col
    Mutant("im2col", "columns ordered (channel, row, column) like w[f].ravel()",
           replace=((_ROWS, "windows.reshape(N * H_out * W_out, HH * WW * C)"),), hint="channel last"),
    Mutant("im2col", "matrix transposed (one column per window)",
           replace=((_ROWS, _ROWS + ".T"),), hint="transposed"),
    Mutant("im2col", "rows ordered position first, then image",
           replace=((_ROWS, "windows.transpose(1, 2, 0, 4, 5, 3).reshape(N * H_out * W_out, HH * WW * C)"),),
           hint="position first"),
    Mutant("im2col", "padding forgotten",
           replace=(("((0, 0), (pad, pad), (pad, pad), (0, 0))", "((0, 0), (0, 0), (0, 0), (0, 0))"),),
           hint="padding was not applied"),
    Mutant("im2col", "stride ignored",
           replace=(("axis=(1, 2))[:, ::stride, ::stride]", "axis=(1, 2))"),), hint="stride was ignored"),
    # conv_forward_fast
    Mutant("conv_forward_fast", "reshaped straight to (N, F, H_out, W_out)",
           replace=(("out.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)", "out.reshape(N, F, H_out, W_out)"),),
           hint="reshaped straight"),
    Mutant("conv_forward_fast", "bias forgotten",
           replace=(("    out += b.astype(dtype, copy=False)\n", ""),), hint="bias is missing"),
    Mutant("conv_forward_fast", "filters flipped",
           replace=(("w.transpose(2, 3, 1, 0)", "w[:, :, ::-1, ::-1].transpose(2, 3, 1, 0)"),), hint="flipped"),
    Mutant("conv_forward_fast", "filters flattened channel first",
           replace=(("w.transpose(2, 3, 1, 0).reshape(-1, F)", "w.reshape(F, -1).T"),), hint="flattened channel first"),
    Mutant("conv_forward_fast", "conv_param keys not checked",
           replace=(('if not isinstance(conv_param, dict) or "stride" not in conv_param or "pad" not in conv_param:',
                     "if not isinstance(conv_param, dict):"),),
           hint="KeyError"),
    # conv_backward_fast
    Mutant("conv_backward_fast", "db averaged",
           replace=(("db = dout_rows.sum(axis=0)", "db = dout_rows.mean(axis=0)"),), hint="db was averaged"),
    Mutant("conv_backward_fast", "col2im overwrites overlapping windows",
           replace=((_COL2IM, _COL2IM.replace("] += ", "] = ")),), hint="accumulate"),
    Mutant("conv_backward_fast", "padding not removed from dx",
           replace=(("dx = dx_pad[:, pad:pad + H, pad:pad + W, :].transpose(0, 3, 1, 2)", "dx = dx_pad.transpose(0, 3, 1, 2)"),),
           hint="padding was not removed"),
    Mutant("conv_backward_fast", "filter offsets k and l swapped in col2im",
           replace=(("+= dcols[:, :, :, k, l, :]", "+= dcols[:, :, :, l, k, :]"),), hint="k and l were swapped"),
    Mutant("conv_backward_fast", "dout flattened without moving F last",
           replace=((_DOUT_ROWS, "dout_rows = dout.astype(cols.dtype, copy=False).reshape(-1, F)"),),
           hint="without moving F last"),
    Mutant("conv_backward_fast", "dw not reshaped to w's shape",
           replace=(("dw = dw_rows.reshape(F, HH, WW, C).transpose(0, 3, 1, 2)", "dw = dw_rows"),), hint="not reshaped"),
    Mutant("conv_backward_fast", "dw reshaped straight to w's shape",
           replace=(("dw_rows.reshape(F, HH, WW, C).transpose(0, 3, 1, 2)", "dw_rows.reshape(w.shape)"),),
           hint="reshaped straight to w.shape"),
    # ThreeLayerConvNet
    Mutant("ThreeLayerConvNet", "no padding in the conv layer",
           replace=(('{"stride": 1, "pad": (filter_size - 1) // 2}', '{"stride": 1, "pad": 0}'),), hint="keep H and W"),
    Mutant("ThreeLayerConvNet", "L2 term without the factor 0.5",
           replace=(("0.5 * self.reg * sum(", "self.reg * sum("),), hint="factor 0.5"),
    Mutant("ThreeLayerConvNet", "regularization gradient forgotten",
           replace=(("grads[name] = grads[name] + self.reg * self.params[name]", "grads[name] = grads[name]"),),
           hint="reg * W"),
    Mutant("ThreeLayerConvNet", "ReLU mask of the hidden layer forgotten",
           replace=(("affine_backward(drelu2 * (hidden > 0), hidden_cache)", "affine_backward(drelu2, hidden_cache)"),),
           hint="(hidden > 0)"),
    Mutant("ThreeLayerConvNet", "random biases",
           replace=(("np.zeros(shape[0] if name == \"W1\" else shape[1], dtype=self.dtype)",
                     "(weight_scale * rng.standard_normal(shape[0] if name == \"W1\" else shape[1])).astype(self.dtype)"),),
           hint="biases start at zero"),
    Mutant("ThreeLayerConvNet", "weight_scale ignored",
           replace=(("(weight_scale * rng.standard_normal(shape))", "rng.standard_normal(shape)"),), hint="weight_scale"),
    Mutant("ThreeLayerConvNet", "dtype argument ignored",
           replace=(("self.dtype = np.dtype(dtype)", "self.dtype = np.dtype(np.float32)"),), hint="dtype argument"),
]
