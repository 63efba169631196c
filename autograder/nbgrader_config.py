"""nbgrader configuration of the course.

``solutions/`` is nbgrader's source directory, ``lessons/`` its release directory.
The top-level ``nbgrader_config.py`` loads this file, so ``nbgrader`` commands run from the
repository root use it; ``python -m autograder`` passes the same values to nbgrader directly.
"""
import os

c = get_config()  # noqa: F821  (defined by traitlets when it loads a config file)

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.root = os.environ.get(
    "CNN_COURSE_ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "lessons"

# Per-cell time limit when nbgrader executes a notebook (autograde, validate). The longest
# cell of the course is the training loop of lesson 07 (about a minute on a 2-core laptop).
c.Execute.timeout = 180

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback shows the student's executed notebook; without this, the hidden tests that autograde
# restored into the test cells would be printed in it (nbgrader issue #917).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
