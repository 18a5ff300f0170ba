"""The student's commands: check, watch, hint and status, and the progress kept between runs."""
