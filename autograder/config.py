"""The course's nbgrader configuration, loaded from ``autograder/nbgrader_config.py``."""
from __future__ import annotations

from functools import cache

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .paths import NBGRADER_CONFIG


@cache
def course_config() -> Config:
    """Return the configuration nbgrader uses for this course; copy it before changing it."""
    return PyFileConfigLoader(NBGRADER_CONFIG.name, path=str(NBGRADER_CONFIG.parent)).load_config()
