"""A production batch end to end: run a recipe on a line, record it, judge the electrode."""
