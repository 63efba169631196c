"""nbgrader configuration of the course.

``solutions/`` is nbgrader's source directory, ``lessons/`` its release directory.
The top-level ``nbgrader_config.py`` loads this file, so ``nbgrader`` commands run from the
repository root use it; ``python -m autograder`` passes the same values to nbgrader directly.
"""
import os

from autograder.limits import Autograder
from autograder.selfcheck import NBGRADER_KERNEL_ARGUMENT

c = get_config()  # noqa: F821  (defined by traitlets when it loads a config file)

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.root = os.environ.get(
    "CNN_COURSE_ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"
# nbgrader's defaults, plus the network lesson 07 saves next to its notebook
# (cnncourse.digits.STUDENT_WEIGHTS): a run of the solution must not ship the instructor's
# network to the students as theirs.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "my_digits_cnn.npz*"]

# The isolated grader's limits (time per cell, per test and per notebook, memory, sizes) are
# declared in autograder/limits.py; set c.Autograder.<limit> here to change one for the course.
# nbgrader executes a notebook (autograde, validate) with the same time limit per cell.
c.Execute.timeout = int(Autograder(config=c).cell_timeout)

# A kernel started by nbgrader (autograde, validate, the Validate button) carries this argument:
# a lesson's self-check cell then does nothing, so grading never grades again from inside.
c.Execute.extra_arguments = [NBGRADER_KERNEL_ARGUMENT]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback shows the student's executed notebook; without this, the hidden tests that autograde
# restored into the test cells would be printed in it (nbgrader issue #917).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
