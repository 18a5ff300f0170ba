"""Renderers: pure functions from a GradeResult to text, one small module per format."""
