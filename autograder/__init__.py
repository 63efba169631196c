"""The course's grading package: build lessons from solutions, check them, grade notebooks.

Command line: ``python -m autograder {build,check,grade,progress}``; see ``python -m autograder -h``.
The notebooks' test cells import their helpers from :mod:`autograder.checks`; a lesson's last
cell grades the notebook itself with :func:`autograder.selfcheck.self_check`.
"""
