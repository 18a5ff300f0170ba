"""A stub; the ini files next to it would make pytest collect and run nothing.
"""
