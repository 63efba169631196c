"""How the grader words things: the hint prefix, first lines, and calls in short form."""
from __future__ import annotations

from typing import Any

import numpy as np

from .wire import ByReference

#: Starts the line of a failure message that names the likely mistake.
LIKELY_MISTAKE = "Likely mistake: "

#: Characters of a value's repr shown in a call in short form.
MAX_SHORT = 40


def first_line(text: str) -> str:
    """The first line of ``text`` that is not blank, stripped ("" when there is none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def likely_mistake(text: str) -> str | None:
    """The hint of a failure message (what follows :data:`LIKELY_MISTAKE`), or None."""
    return next((line.removeprefix(LIKELY_MISTAKE) for line in text.splitlines()
                 if line.startswith(LIKELY_MISTAKE)), None)


def short_call(name: str, args: tuple | list, kwargs: dict) -> str:
    """A call as a student would recognise it, e.g. ``correlate2d(<6x6 int64 array>, pad=1)``."""
    shown = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def short(value: Any) -> str:
    """A value in a few characters: arrays by shape and dtype, containers by length, numbers as they are."""
    if issubclass(type(value), ByReference):  # an object of the other process: never asked anything
        return f"<{value.short_type()}>"
    if type(value) is np.ndarray:
        shape = "x".join(map(str, value.shape)) if value.ndim else "0-d"
        return f"<{shape} {value.dtype} array>"
    if type(value) in (list, tuple, dict):
        text = repr_of(value) if len(value) <= MAX_SHORT // 4 else ""
        return text if text and len(text) <= MAX_SHORT else f"<{type(value).__name__} of {len(value)}>"
    if callable(value) and hasattr(value, "__name__"):
        return f"<function {value.__name__}>"
    text = repr_of(value)
    return text if len(text) <= MAX_SHORT else f"<{type(value).__name__}>"


def repr_of(value: Any) -> str:
    """``repr(value)``, or a placeholder when its ``__repr__`` fails (a hostile object)."""
    try:
        return repr(value)
    except Exception:  # noqa: BLE001  (a hostile __repr__)
        return f"<{type(value).__name__}>"
