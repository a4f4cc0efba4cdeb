"""
Tutorial, part 3: processes for pure-Python work
================================================

Counting primes is pure Python and holds the GIL, so the default threaded scheduler
cannot run the chunks side by side. Here we switch to processes for that part with
``dask.config.set``.
"""

import hashlib

import dask
from dask import delayed


def is_prime(n):
    if n < 2:
        return False
    i = 2
    while i * i <= n:
        if n % i == 0:
            return False
        i += 1
    return True


def count_primes(lo, hi):
    return sum(1 for n in range(lo, hi) if is_prime(n))


step = 25_000
ranges = [(i * step, (i + 1) * step) for i in range(6)]
counts = [delayed(count_primes)(lo, hi) for lo, hi in ranges]
total = delayed(sum)(counts)

with dask.config.set(scheduler="processes"):
    n_primes = total.compute()

print("primes below", ranges[-1][1], ":", n_primes)


# Twin primes: pairs (p, p + 2) that are both prime
def count_twins(lo, hi):
    return sum(1 for n in range(lo, hi) if is_prime(n) and is_prime(n + 2))


twins = delayed(sum)([delayed(count_twins)(lo, hi) for lo, hi in ranges[:2]]).compute()
print("twin primes below", ranges[1][1], ":", twins)

print("checksum:", hashlib.sha256(repr((n_primes, twins)).encode()).hexdigest()[:16])
