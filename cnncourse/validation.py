"""Argument checks the lessons' functions share, so that bad input gets a clear ValueError."""
from __future__ import annotations

import numbers


def require_int(value: object, name: str, minimum: int) -> int:
    """Return ``value`` as an int, or raise ValueError if it is not an integer >= ``minimum``.

    Parameters
    ----------
    value : object
        The argument to check. ``True``/``False`` and floats such as ``2.0`` are rejected.
    name : str
        The argument's name, for the message.
    minimum : int
        The smallest value allowed.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        ``"stride must be an integer >= 1, got 0"`` and the like.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)
