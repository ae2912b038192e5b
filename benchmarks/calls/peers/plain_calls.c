/* Plain C functions: the ctypes peer loads them from a shared library, the
 * cffi peer (API mode) compiles them into its generated module. */
#include <stdint.h>

#ifndef CALLS_API
#define CALLS_API __attribute__((visibility("default")))
#endif

CALLS_API void noop(void) {}
CALLS_API int64_t add(int64_t a, int64_t b) { return a + b; }
CALLS_API double scale(double x) { return x * 2.5; }
CALLS_API int64_t kw(int64_t a, int64_t b, int64_t c) { return a + b + c; }
