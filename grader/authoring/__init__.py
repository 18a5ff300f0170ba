"""The course author's tools: stubs from solutions (sync), the course check (validate), perturbations."""
