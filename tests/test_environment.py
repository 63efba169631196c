"""The pip requirements and the conda environment install the same packages."""
from __future__ import annotations

import re
import tomllib

import yaml

from autograder.paths import COURSE_ROOT


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (COURSE_ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            pins[_canonical(name)] = version
    return pins


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_pins_the_same_packages_as_requirements():
    env = yaml.safe_load((COURSE_ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    conda_pins = {}
    for entry in pip_sections[0]:
        if entry.startswith("-e"):
            continue
        name, _, version = entry.partition("==")
        conda_pins[_canonical(name)] = version
    requirements = _requirements()
    assert conda_pins == requirements, (
        f"only in requirements.txt: {sorted(set(requirements.items()) - set(conda_pins.items()))}; "
        f"only in environment.yml: {sorted(set(conda_pins.items()) - set(requirements.items()))}"
    )
    assert "-e ." in pip_sections[0], "environment.yml must install the course package (-e .)"


def test_environment_yml_python_satisfies_pyproject():
    env = yaml.safe_load((COURSE_ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    major, minor = (int(part) for part in python.split("=")[1].split(".")[:2])
    required = tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    req_major, req_minor = (int(part) for part in required.lstrip(">=").split(".")[:2])
    assert (major, minor) >= (req_major, req_minor), f"environment.yml has {python}, pyproject wants {required}"
