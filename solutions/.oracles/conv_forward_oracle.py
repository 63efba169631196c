import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_forward_oracle(x, w, b, s, p):
    """The forward pass of a conv layer (cross-correlation plus bias) in float64, by sliding_window_view and einsum."""
    xp = np.pad(x.astype(float), ((0, 0), (0, 0), (p, p), (p, p)))
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::s, ::s]
    return np.einsum("ncijkl,fckl->nfij", windows, w.astype(float)) + b.reshape(1, -1, 1, 1)
