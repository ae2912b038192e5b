/* ctypes-c peer: the seed's Go design, written in C.
 *
 * The seed passed a Python bytes object to a native function through ctypes
 * (pointer + length); the function copied it into memory it owns (Go:
 * C.GoBytes), processed that copy, and returned a second, malloc'd copy
 * (Go: C.CBytes) that Python turned into bytes with ctypes.string_at and then
 * released with another exported function.  This library mirrors that API
 * step by step with malloc, so that it measures the design, not Go.
 *
 * copy_bytes() is the memcpy limit (one read pass + one write pass).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define XOR_KEY 0x5A

__attribute__((visibility("default")))
uint8_t *xor_process(const uint8_t *data, size_t n)
{
    uint8_t *mine = malloc(n ? n : 1);          /* copy in  (C.GoBytes) */
    if (!mine) return NULL;
    memcpy(mine, data, n);
    for (size_t i = 0; i < n; i++)               /* process */
        mine[i] ^= XOR_KEY;
    uint8_t *out = malloc(n ? n : 1);           /* copy out (C.CBytes)  */
    if (out) memcpy(out, mine, n);
    free(mine);
    return out;
}

__attribute__((visibility("default")))
void xor_free(void *p)
{
    free(p);
}

__attribute__((visibility("default")))
void copy_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
}
