# cython: language_level=3
# Cython peer of the classes benchmark: a cdef class.
from libc.stdint cimport int64_t

cdef class Counter:
    cdef public int64_t count

    def __init__(self, int64_t count):
        self.count = count

    def bump(self, int64_t by):
        self.count += by
        return self.count

    def __iter__(self):
        cdef int64_t i
        for i in range(self.count):
            yield i
