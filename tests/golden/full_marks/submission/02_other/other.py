"""Mini exercise two."""


def double(x):
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION
