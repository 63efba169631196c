"""Argument checks of lesson 01's functions: padding and 2-D/3-D cross-correlation."""
from __future__ import annotations

import numpy as np

from cnncourse.validation import require_int


def check_pad2d(image: object, pad: object) -> tuple[np.ndarray, int]:
    """Check the arguments of ``pad2d(image, pad)``.

    Parameters
    ----------
    image : (H, W) array_like
        The image to pad.
    pad : int
        Rows/columns of zeros added on each side, >= 0.

    Returns
    -------
    image : numpy.ndarray
        ``np.asarray(image)``.
    pad : int

    Raises
    ------
    ValueError
        If ``image`` is not 2-D or ``pad`` is not an integer >= 0.
    """
    image = np.asarray(image)
    if image.ndim != 2:
        raise ValueError(f"image must be a 2-D array (H, W), got shape {image.shape}")
    return image, require_int(pad, "pad", 0)


def check_correlate2d(image: object, kernel: object, stride: object, pad: object) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Check the arguments of ``correlate2d`` and ``convolve2d``.

    Parameters
    ----------
    image : (H, W) array_like
    kernel : (HH, WW) array_like
    stride : int
        >= 1.
    pad : int
        >= 0.

    Returns
    -------
    image, kernel : numpy.ndarray
        As arrays, dtypes unchanged.
    stride, pad : int

    Raises
    ------
    ValueError
        If the image or the kernel is not 2-D or is empty, ``stride < 1``, ``pad < 0``, the
        kernel is larger than the padded image, or ``(H - HH + 2*pad) / stride + 1`` (or the same
        for the columns) is not a whole number.
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"image and kernel must be 2-D, got shapes {image.shape} and {kernel.shape}")
    if image.size == 0 or kernel.size == 0:
        raise ValueError(f"image and kernel must not be empty, got shapes {image.shape} and {kernel.shape}")
    stride, pad = require_int(stride, "stride", 1), require_int(pad, "pad", 0)
    _check_windows_fit(image.shape, kernel.shape, stride, pad)
    return image, kernel, stride, pad


def check_correlate3d(
    volume: object, kernel: object, bias: object, stride: object, pad: object
) -> tuple[np.ndarray, np.ndarray, float, int, int]:
    """Check the arguments of ``correlate3d``.

    Parameters
    ----------
    volume : (C, H, W) array_like
    kernel : (C, HH, WW) array_like
        One filter, as deep as the volume.
    bias : float
        A single real number.
    stride, pad : int

    Returns
    -------
    volume, kernel : numpy.ndarray
    bias : float
    stride, pad : int

    Raises
    ------
    ValueError
        If the volume or the kernel is not 3-D or is empty, their depths differ, the bias is not
        a single real number, or the stride, padding or sizes are invalid as in
        :func:`check_correlate2d`.
    """
    volume, kernel = np.asarray(volume), np.asarray(kernel)
    if volume.ndim != 3 or kernel.ndim != 3:
        raise ValueError(f"volume and kernel must be 3-D (C, H, W), got shapes {volume.shape} and {kernel.shape}")
    if volume.size == 0 or kernel.size == 0:
        raise ValueError(f"volume and kernel must not be empty, got shapes {volume.shape} and {kernel.shape}")
    if volume.shape[0] != kernel.shape[0]:
        raise ValueError(f"filter depth {kernel.shape[0]} does not match input depth {volume.shape[0]}")
    if np.ndim(bias) != 0 or not np.issubdtype(np.asarray(bias).dtype, np.number) or np.iscomplexobj(bias):
        raise ValueError(f"bias must be a single real number, got {bias!r}")
    stride, pad = require_int(stride, "stride", 1), require_int(pad, "pad", 0)
    _check_windows_fit(volume.shape[1:], kernel.shape[1:], stride, pad)
    return volume, kernel, float(bias), stride, pad


def _check_windows_fit(image_shape: tuple[int, ...], kernel_shape: tuple[int, ...], stride: int, pad: int) -> None:
    """Raise ValueError unless the kernel fits the padded image a whole number of times."""
    (height, width), (kh, kw) = (h + 2 * pad for h in image_shape), kernel_shape
    if kh > height or kw > width:
        raise ValueError(f"kernel {kh}x{kw} is larger than the padded image {height}x{width}")
    if (height - kh) % stride or (width - kw) % stride:
        raise ValueError(
            f"output size is not a whole number: ({height} - {kh}) / {stride} + 1 rows and "
            f"({width} - {kw}) / {stride} + 1 columns (image {tuple(image_shape)}, pad {pad})")
