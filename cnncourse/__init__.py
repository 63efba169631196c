"""Helpers for the lessons: sample data, figures and interactive widgets.

Nothing here is graded and nothing here implements a graded function: the lessons call the
students' own functions and use these helpers only to load data and to show results.
"""
