"""Every limit is declared once (autograder.limits), set by the course's configuration, overridden on
the command line, and refused there when it is not positive."""
from __future__ import annotations

import pytest
from traitlets import TraitError
from traitlets.config import Config

from autograder import paths
from autograder.config import course_config
from autograder.limits import OPTIONS, Autograder, limits
from tests.test_cli import LESSON, run_cli


def test_the_course_configuration_sets_the_limits_and_nbgrader_follows_it():
    assert limits().test_timeout < limits().cell_timeout < limits().notebook_timeout
    assert course_config().Execute.timeout == limits().cell_timeout  # nbgrader's per-cell limit is the grader's
    assert limits(Config({"Autograder": {"test_timeout": 30}})).test_timeout == 30
    assert limits(Config(), memory=512).memory_bytes == 512 << 20


@pytest.mark.parametrize("name", [name for name in OPTIONS if name != "demonstrations"])
def test_a_limit_must_be_positive(name):
    with pytest.raises(TraitError, match=f"{name} must be positive, got 0"):
        limits(Config(), **{name: 0})


def test_which_demonstrations_run_is_one_of_two_choices():
    assert limits(Config(), demonstrations="all").demonstrations == "all"
    with pytest.raises(TraitError, match="demonstrations"):
        limits(Config(), demonstrations="some")


def test_every_limit_has_its_option_and_help():
    assert set(OPTIONS) == set(Autograder.class_own_traits(config=True))
    assert all(Autograder.class_traits()[name].help for name in OPTIONS)


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--test-timeout", "-1"), ("--notebook-timeout", "0"),
                                           ("--memory", "0"), ("--result-size", "-5"), ("-j", "0"),
                                           ("--demonstrations", "some")])
def test_the_command_line_refuses_a_limit_that_is_not_positive(option, value):
    result = run_cli("grade", str(paths.lesson_notebook(LESSON)), option, value)
    assert result.returncode == 2
    assert f"{option}" in result.stderr.splitlines()[-1] and value in result.stderr.splitlines()[-1], result.stderr
