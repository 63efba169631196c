"""The scripted clock and stand-in network of lesson 09's benchmark tests."""
from __future__ import annotations

import time
import timeit
import types

import numpy as np
import pytest

from cnncourse.scripted_clock import ScriptedClock, ScriptedNet


def test_installed_replaces_every_binding_of_perf_counter_and_puts_it_back():
    namespace = types.SimpleNamespace(perf_counter=time.perf_counter, default_timer=timeit.default_timer,
                                      perf_counter_ns=time.perf_counter_ns, unrelated=time.monotonic)
    clock = ScriptedClock(start=5.0)
    with clock.installed(time, timeit, namespace):
        clock.advance(0.25)
        assert time.perf_counter() == 5.25
        assert time.perf_counter_ns() == 5_250_000_000
        assert timeit.default_timer() == 5.25
        assert namespace.perf_counter() == namespace.default_timer() == 5.25
        assert namespace.perf_counter_ns() == 5_250_000_000
        assert namespace.unrelated is time.monotonic
    assert time.perf_counter is not clock.perf_counter and time.perf_counter() != 5.25
    assert timeit.default_timer is time.perf_counter
    assert namespace.perf_counter is time.perf_counter and namespace.perf_counter_ns is time.perf_counter_ns


def test_installed_puts_the_clock_back_after_an_error():
    clock = ScriptedClock()
    with pytest.raises(RuntimeError), clock.installed(time):
        raise RuntimeError("inside")
    assert time.perf_counter is not clock.perf_counter
    assert time.perf_counter() != clock.now


def test_the_clock_never_goes_back():
    with pytest.raises(ValueError, match="only moves forward"):
        ScriptedClock().advance(-1e-3)


def test_scripted_net_advances_the_clock_by_its_script():
    clock = ScriptedClock(start=0.0)
    net = ScriptedNet(clock, first_ms=300.0, pattern_ms=(2.0, 40.0), per_image_ms=0.5)
    one, four = np.zeros((1, 1, 8, 8), np.float32), np.zeros((4, 1, 8, 8))
    steps = []
    for blob in (one, one, one, four, four, one):
        before = clock.now
        net.setInput(blob)
        assert net.forward().shape == (len(blob), 10)
        steps.append(round((clock.now - before) * 1000, 9))
    assert steps == [300.0, 2.5, 40.5, 300.0, 4.0, 2.5]
    assert net.calls[3] == ((4, 1, 8, 8), "float64")
    assert net.duration_ms(4, None) == 300.0 and net.duration_ms(4, 3) == 42.0


def test_scripted_net_refuses_what_a_network_would():
    with pytest.raises(ValueError, match="setInput"):
        ScriptedNet(ScriptedClock()).forward()
    with pytest.raises(ValueError, match="non-negative"):
        ScriptedNet(ScriptedClock(), pattern_ms=())
