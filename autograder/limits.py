"""Every limit of the isolated grader, declared once as configurable traits (nbgrader-style).

The defaults are here. The course's nbgrader configuration (``autograder/nbgrader_config.py``)
may change them (``c.Autograder.test_timeout = 30``), and ``python -m autograder grade``
overrides them on its command line (``--test-timeout 30``: one option per trait, see
:data:`OPTIONS`). Each must be positive; a bad value raises :class:`traitlets.TraitError`
saying which limit and why. One :class:`Autograder` object is passed from the command line down
to the sandbox.

Why the defaults are what they are (measured on a 2-core machine, ``benchmarks/README.md``):

- ``cell_timeout``: the longest cell of the course (lesson 07's training) runs about a minute;
  nbgrader's ``Execute.timeout`` is set to the same value, so both graders agree.
- ``test_timeout``: the slowest tests of a correct notebook (lesson 07's gradient checks, each
  a few hundred calls across the process boundary) take about 4 s on a lightly loaded 2-core
  machine and more than 15 s at a load of 15; a test that hangs costs this much, once.
- ``hung_timeout``: a function that ran past a limit has an endless loop; a test that calls it
  again (directly, or through the student's other functions) gets this much, and a function
  that never returns costs one test limit, then this much per test that calls it.
- ``notebook_timeout``: the slowest correct notebook (the capstone lesson, demonstrations
  included) takes about a minute on a loaded machine; after this much time the remaining tests
  are not run.

``demonstrations`` is not a limit but says which cells run: the lesson's demonstration cells
(figures, timings, lesson 07's training) earn no points and no test depends on them, but they
are most of the time a notebook takes; by default only those whose names a later cell uses run.
"""
from __future__ import annotations

from traitlets import Enum, Float, Int, TraitError, validate
from traitlets.config import Config, Configurable


class Autograder(Configurable):
    """The grader's limits (time per cell, per test and per notebook; memory; sizes) and which cells run."""

    cell_timeout = Float(
        180.0, help="Seconds a cell outside the tests (setup, solution, demonstration) may run."
    ).tag(config=True)
    test_timeout = Float(60.0, help="Seconds a test cell may run.").tag(config=True)
    hung_timeout = Float(
        5.0, help="Seconds a test may run when it calls a graded function that has already run past a time limit."
    ).tag(config=True)
    notebook_timeout = Float(
        600.0, help="Seconds a whole notebook may take; after that, the remaining tests are not run."
    ).tag(config=True)
    start_timeout = Float(120.0, help="Seconds the student's process may take to start.").tag(config=True)
    memory = Int(4096, help="Memory (address space) of the student's process, in MiB.").tag(config=True)
    file_size = Int(2048, help="Largest file the student's code may write, in MiB.").tag(config=True)
    result_size = Int(256, help="Largest result one call of the student's code may send back, in MiB.").tag(config=True)
    printed_output = Int(
        100_000, help="Characters of printed output one call of the student's code may send back."
    ).tag(config=True)

    demonstrations = Enum(
        ["needed", "all"], "needed",
        help="Which of the lesson's demonstration cells run: those that define a name a later cell uses "
             "('needed'), or all of them, as nbgrader does ('all'). No test depends on them.",
    ).tag(config=True)

    @validate("cell_timeout", "test_timeout", "hung_timeout", "notebook_timeout", "start_timeout", "memory", "file_size",
              "result_size", "printed_output")
    def _positive(self, proposal: dict) -> float:
        value = proposal["value"]
        if not value > 0:
            raise TraitError(f"must be positive, got {value:g}")
        return value

    @property
    def memory_bytes(self) -> int:
        """:attr:`memory` in bytes."""
        return self.memory << 20

    @property
    def file_bytes(self) -> int:
        """:attr:`file_size` in bytes."""
        return self.file_size << 20

    @property
    def result_bytes(self) -> int:
        """:attr:`result_size` in bytes."""
        return self.result_size << 20


#: The command-line option of each limit (``python -m autograder grade``).
OPTIONS = {name: "--" + name.replace("_", "-") for name in Autograder.class_own_traits(config=True)}


def limits(config: Config | None = None, **overrides: float) -> Autograder:
    """Return the limits of the course's configuration (or ``config``), with ``overrides`` applied.

    Raises
    ------
    traitlets.TraitError
        When a value is not positive (the message names the limit).
    """
    if config is None:
        from .config import course_config

        config = course_config()
    settings = Autograder(config=config)
    for name, value in overrides.items():
        if name not in OPTIONS:
            raise TraitError(f"unknown setting {name!r}; the settings are: {', '.join(OPTIONS)}")
        try:
            setattr(settings, name, value)
        except TraitError as error:
            raise TraitError(f"{name} {error}") from None
    return settings
