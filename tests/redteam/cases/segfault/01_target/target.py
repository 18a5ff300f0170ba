"""Reads address 0 with ctypes.
"""

def pool_squares(xs, ctx=None):
    import ctypes
    return ctypes.c_int.from_address(8).value
