"""A stub shipped with a .pth file.
"""
