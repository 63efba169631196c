def random_conv_shapes(rng, trials):
    """Random shapes of a conv layer whose output size is a whole number, drawn from ``rng``.

    Yields ``(trial, n, c, f, hh, ww, s, p, h, wd)``: the trial's number, N, C, the number of filters,
    the filter's height and width, stride, pad, and the input's height and width, for each of
    ``trials`` draws whose output is at least 1x1. The caller draws its arrays between two yields.
    """
    for trial in range(trials):
        n, c, f = (int(v) for v in rng.integers(1, 4, 3))
        hh, ww = (int(v) for v in rng.integers(1, 5, 2))
        s, p = int(rng.integers(1, 4)), int(rng.integers(0, 3))
        h = hh - 2 * p + s * int(rng.integers(1, 5))
        wd = ww - 2 * p + s * int(rng.integers(1, 5))
        if h >= 1 and wd >= 1:
            yield trial, n, c, f, hh, ww, s, p, h, wd
