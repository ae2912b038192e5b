# cython: language_level=3
# Cython peer of the calls benchmark (typed arguments, default Cython 3 options).
from libc.stdint cimport int64_t

def noop():
    pass

def add(int64_t a, int64_t b):
    return a + b

def scale(double x):
    return x * 2.5

def kw(int64_t a, int64_t b=2, *, int64_t c=3):
    return a + b + c
