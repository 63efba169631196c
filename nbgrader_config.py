# nbgrader reads this file when its commands run from the repository root.
# The course's configuration lives in autograder/nbgrader_config.py.
c = get_config()  # noqa: F821
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821
