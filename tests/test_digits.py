"""Which trained network a lesson loads (the student's from lesson 07, else the course's), and how
it is saved."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from autograder.build import is_ignored
from autograder.config import course_config
from cnncourse import digits

ARCHITECTURE = {"input_dim": (1, 8, 8), "num_filters": 2, "filter_size": 3, "hidden_dim": 4, "num_classes": 10}


def _tiny_network(value: float) -> dict[str, np.ndarray]:
    shapes = {"W1": (2, 1, 3, 3), "b1": (2,), "W2": (32, 4), "b2": (4,), "W3": (4, 10), "b3": (10,)}
    return {name: np.full(shape, value, dtype=np.float32) for name, shape in shapes.items()}


@pytest.fixture
def lessons(tmp_path, monkeypatch):
    """A release folder with lessons 07 and 09 side by side; the kernel runs in lesson 09's."""
    for lesson in (digits.TRAINING_LESSON, "09_opencv_dnn"):
        (tmp_path / lesson).mkdir()
    monkeypatch.chdir(tmp_path / "09_opencv_dnn")
    return tmp_path


def test_without_a_student_network_the_course_network_is_loaded(lessons):
    assert digits.locate_weights() == digits.weights_path()
    assert "the course's network" in digits.which_weights()
    params, architecture, _ = digits.load_weights()
    assert set(params) == set(digits.PARAM_KEYS)
    assert architecture["input_dim"] == (1, 8, 8)


def test_the_network_saved_by_lesson_07_is_found_from_lesson_09(lessons):
    saved = digits.save_weights(_tiny_network(0.5), ARCHITECTURE, path=lessons / digits.TRAINING_LESSON / digits.STUDENT_WEIGHTS)
    assert digits.locate_weights() == saved
    assert digits.which_weights() == f"your network from lesson 07 ({saved})"
    params, architecture, _ = digits.load_weights()
    assert np.all(params["W2"] == 0.5) and architecture["hidden_dim"] == 4


def test_a_network_next_to_the_notebook_comes_first(lessons):
    digits.save_weights(_tiny_network(0.5), ARCHITECTURE, path=lessons / digits.TRAINING_LESSON / digits.STUDENT_WEIGHTS)
    here = digits.save_weights(_tiny_network(0.25), ARCHITECTURE)  # the default: next to the notebook
    assert here == lessons / "09_opencv_dnn" / digits.STUDENT_WEIGHTS
    assert digits.locate_weights() == here
    assert np.all(digits.load_weights()[0]["W1"] == 0.25)


def test_saving_never_writes_the_course_network(lessons):
    shipped = digits.weights_path().read_bytes()
    path = digits.save_weights(_tiny_network(1.0), ARCHITECTURE, history={"loss": np.arange(3.0)})
    assert path == digits.student_weights_path() and path.parent == lessons / "09_opencv_dnn"
    assert digits.weights_path().read_bytes() == shipped
    assert sorted(p.name for p in path.parent.iterdir()) == [digits.STUDENT_WEIGHTS]  # no partial file left
    assert np.array_equal(digits.load_weights(path)[2]["loss"], np.arange(3.0))


def test_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="run lesson 07"):
        digits.load_weights(tmp_path / "nothing.npz")


def test_a_network_with_a_missing_weight_is_not_saved(lessons):
    params = _tiny_network(1.0)
    del params["b2"]
    with pytest.raises(ValueError, match="missing b2"):
        digits.save_weights(params, ARCHITECTURE)
    assert not digits.student_weights_path().exists()


def test_nbgrader_never_releases_a_student_network():
    """A run of lesson 07's solution leaves my_digits_cnn.npz in solutions/: generate_assignment must not copy it,
    and the one a student's run leaves in lessons/ is not drift between lessons/ and solutions/."""
    assert f"{digits.STUDENT_WEIGHTS}*" in course_config().CourseDirectory.ignore
    assert is_ignored(Path(digits.STUDENT_WEIGHTS)) and is_ignored(Path(digits.STUDENT_WEIGHTS + ".partial"))
    assert is_ignored(Path(".ipynb_checkpoints") / "07_train_cnn-checkpoint.ipynb")
    assert not is_ignored(Path("07_train_cnn.ipynb"))
