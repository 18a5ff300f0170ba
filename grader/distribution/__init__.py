"""Shipping the course: the student repository, its workflow, a Gradescope zip, nbgrader assignments."""
