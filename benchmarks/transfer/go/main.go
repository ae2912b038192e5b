// The seed's Go design, reproduced: a cgo c-shared library called from
// Python through ctypes.
//
// Python passes a bytes object as pointer + length.  Process copies it into
// a Go []byte (C.GoBytes), processes it (every byte ^ 0x5A, the transform all
// variants of benchmarks/transfer share), and returns a C-malloc'd copy
// (C.CBytes).  Python turns that into bytes with ctypes.string_at and hands
// the pointer back to Free.
//
// Build: go build -buildmode=c-shared -o libxorgo.so .
package main

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

const xorKey = 0x5A

//export Process
func Process(data *C.char, n C.longlong) unsafe.Pointer {
	buf := C.GoBytes(unsafe.Pointer(data), C.int(n))
	for i := range buf {
		buf[i] ^= xorKey
	}
	return C.CBytes(buf)
}

//export Free
func Free(p unsafe.Pointer) {
	C.free(p)
}

func main() {}
