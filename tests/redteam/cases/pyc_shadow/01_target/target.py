"""Innocent-looking stub; __pycache__ holds a compiled correct solution.
"""
