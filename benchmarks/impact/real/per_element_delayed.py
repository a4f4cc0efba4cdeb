"""
Delayed, step by step
=====================

Wrap two tiny functions with ``delayed``, apply one to every element of a list, then
add the results up pairwise, as a tree, until one value is left.
"""

import hashlib

from dask import delayed


def inc(x):
    return x + 1


def add(x, y):
    return x + y


data = list(range(2048))

incremented = list(map(delayed(inc), data))

# Tree reduction: halve the list until one value is left
L = incremented
while len(L) > 1:
    new_L = []
    for i in range(0, len(L), 2):
        new_L.append(delayed(add)(L[i], L[i + 1]))
    L = new_L

total = L[0].compute()
print("total:", total)
print("checksum:", hashlib.sha256(repr(total).encode()).hexdigest()[:16])
