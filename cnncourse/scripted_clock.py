"""A clock that moves only when told, and a stand-in network that moves it (lesson 09).

Lesson 09's ``benchmark`` times a network with ``time.perf_counter()``. Timing a real network,
or a stand-in that sleeps, gives numbers that depend on how busy the machine is: a 1 ms sleep
measured 44-99 ms on a loaded machine. To show and to test what ``benchmark`` promises (the
first call timed apart, the median of the repeats, milliseconds, images per second) the lesson
replaces the clock instead:

- :class:`ScriptedClock` stands in for ``time.perf_counter`` and ``time.perf_counter_ns``
  while :meth:`ScriptedClock.installed` is active; it only moves when :meth:`~ScriptedClock.advance`
  is called;
- :class:`ScriptedNet` stands in for a ``cv2.dnn.Net``: each ``forward()`` advances the clock by
  a scripted duration (a slow first call for every new input shape, then a repeating pattern
  with one slow outlier), and records the blob it was given.

Whatever the machine's load, ``benchmark(ScriptedNet(clock), ...)`` then measures exactly the
scripted durations. Nothing here implements ``benchmark``.
"""
from __future__ import annotations

import contextlib
import sys
import time
import timeit
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

#: The clock functions a benchmark may call, by the name they are bound to.
CLOCK_NAMES = ("perf_counter", "perf_counter_ns", "default_timer")

#: The functions of the ``time`` module that :class:`ScriptedClock` replaces.
_REPLACED = ("perf_counter", "perf_counter_ns")


class ScriptedClock:
    """A stand-in for ``time.perf_counter`` that moves only when :meth:`advance` is called.

    Parameters
    ----------
    start : float
        The time it reads at first, in seconds.

    Attributes
    ----------
    now : float
        The time it reads, in seconds.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = float(start)

    def perf_counter(self) -> float:
        """Return :attr:`now`, as ``time.perf_counter()`` returns seconds."""
        return self.now

    def perf_counter_ns(self) -> int:
        """Return :attr:`now` in whole nanoseconds, as ``time.perf_counter_ns()`` does."""
        return round(self.now * 1e9)

    def advance(self, seconds: float) -> None:
        """Move the clock forward.

        Raises
        ------
        ValueError
            If ``seconds`` is negative: a clock for timing never goes back.
        """
        if not seconds >= 0:
            raise ValueError(f"the clock only moves forward, got {seconds!r} s")
        self.now += float(seconds)

    @contextlib.contextmanager
    def installed(self, *namespaces: Any) -> Iterator[ScriptedClock]:
        """Make ``time.perf_counter`` and ``time.perf_counter_ns`` read this clock inside a ``with`` block.

        In each namespace, every name of :data:`CLOCK_NAMES` bound to the ``time`` module's
        ``perf_counter`` or ``perf_counter_ns`` is replaced, so that ``time.perf_counter()``,
        ``timeit.default_timer()`` and a name bound by ``from time import perf_counter`` all read
        this clock. Everything is put back on exit.

        Parameters
        ----------
        *namespaces : module
            The ``time`` module first, then the other namespaces to search (modules, or proxies of
            another process's modules); by default ``time``, ``timeit`` and the notebook's
            namespace (``__main__``) of this process.

        Yields
        ------
        ScriptedClock
            This clock.
        """
        if not namespaces:
            namespaces = (time, timeit, sys.modules["__main__"])
        # The functions are told apart by identity, which also holds for proxies of another
        # process's objects (one proxy per object).
        originals = [(getattr(namespaces[0], name), getattr(self, name)) for name in _REPLACED]
        replaced: list[tuple[Any, str, Any]] = []
        try:
            for namespace in namespaces:
                for name in CLOCK_NAMES:
                    value = getattr(namespace, name, None)
                    fake = next((fake for original, fake in originals if value is original), None)
                    if fake is not None:
                        setattr(namespace, name, fake)
                        replaced.append((namespace, name, value))
            yield self
        finally:
            for namespace, name, value in reversed(replaced):
                setattr(namespace, name, value)


class ScriptedNet:
    """A stand-in for a ``cv2.dnn.Net`` whose ``forward()`` advances a :class:`ScriptedClock`.

    The first ``forward()`` of each input shape takes ``first_ms``; the ``k``-th later one
    (``k`` = 0, 1, ... for that shape) takes ``pattern_ms[k % len(pattern_ms)] + per_image_ms * N``
    for a blob of ``N`` images. ``setInput`` takes no time.

    Parameters
    ----------
    clock : ScriptedClock
        The clock to advance.
    first_ms : float
        Duration of the first call with a new input shape, in milliseconds.
    pattern_ms : sequence of float
        Durations of the later calls, repeated, before the per-image part.
    per_image_ms : float
        Added to every later call for each image of the batch.
    classes : int
        Columns of the (zero) output.

    Attributes
    ----------
    calls : list of tuple
        ``(shape, dtype name)`` of the blob of every ``forward()`` call, in order.
    """

    def __init__(self, clock: ScriptedClock, *, first_ms: float = 300.0,
                 pattern_ms: Sequence[float] = (2.0, 3.0, 40.0, 2.5, 1.5), per_image_ms: float = 0.5,
                 classes: int = 10) -> None:
        durations = [float(first_ms), float(per_image_ms), *(float(d) for d in pattern_ms)]
        if not pattern_ms or min(durations) < 0:
            raise ValueError("the scripted durations must be non-negative, with at least one in pattern_ms")
        self.clock = clock
        self.first_ms, self.pattern_ms, self.per_image_ms = durations[0], tuple(durations[2:]), durations[1]
        self.classes = int(classes)
        self.calls: list[tuple[tuple[int, ...], str]] = []
        self._blob: np.ndarray | None = None
        self._later: dict[tuple[int, ...], int] = {}

    def duration_ms(self, batch_size: int, k: int | None) -> float:
        """Return the scripted duration of a call: the first one (``k=None``) or the ``k``-th later one."""
        if k is None:
            return self.first_ms
        return self.pattern_ms[k % len(self.pattern_ms)] + self.per_image_ms * batch_size

    def setInput(self, blob: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N802  (OpenCV's name)
        """Keep the blob for the next ``forward()``, as ``cv2.dnn.Net.setInput`` does."""
        self._blob = np.asarray(blob)

    def forward(self, *args: Any) -> np.ndarray:
        """Advance the clock by the scripted duration and return zeros of shape ``(N, classes)``.

        Raises
        ------
        ValueError
            If ``setInput`` was never called.
        """
        if self._blob is None:
            raise ValueError("forward() before setInput(): give the network a blob first")
        shape = tuple(int(n) for n in self._blob.shape)
        batch = shape[0] if shape else 1
        k = self._later.get(shape)
        self.clock.advance(self.duration_ms(batch, k) / 1000)
        self._later[shape] = 0 if k is None else k + 1
        self.calls.append((shape, self._blob.dtype.name))
        return np.zeros((batch, self.classes), dtype=np.float32)
