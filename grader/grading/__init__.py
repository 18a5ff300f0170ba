"""Grading: intake, the named steps per topic, the scheduler of topic jobs, scoring and diagnosis."""
