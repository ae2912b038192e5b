// The embed benchmark's `go` peer, the seed's design: `embedgo CASE N ITERS`.
//
// A Go program that embeds CPython through cgo, wraps a Go []float64 as a
// NumPy array without copying it (NumPy's C API, PyArray_SimpleNewFromData
// on the slice's memory), calls outliers.detect, and reads the int64 index
// array NumPy returns in place (unsafe.Slice over PyArray_DATA).  Every
// Python C API call is one cgo call, as in the seed.  The goroutine is
// locked to its OS thread, which holds the GIL throughout.  outliers.py
// comes from $OUTLIERS_MODULE_DIR, embed_target.py from PYTHONPATH.  Prints
// one JSON line: {"case", "n", "iters", "ns", "count", "checksum"}, ns being
// the fastest of 3 timed loops of ITERS calls (after up to 3 warm-up calls).
//
// Build (the harness sets these from sysconfig and numpy.get_include()):
//   CGO_CFLAGS="-I<python include> -I<numpy include>"
//   CGO_LDFLAGS="-L<libdir> -lpython3.X -Wl,-rpath,<libdir>" go build
//
// The slice's memory is handed to NumPy only for the length of one call
// and stays reachable from Go (runtime.KeepAlive), and Go's collector does
// not move heap objects; Go 1.21's runtime.Pinner would make that explicit,
// Debian's Go is 1.19.
package main

/*
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>
#include <stdlib.h>

// Wrappers for what cgo cannot call: macros and variadic functions.
static int init_numpy(void) { import_array1(-1); return 0; }
static PyObject *wrap_doubles(double *data, npy_intp n) {
    return PyArray_SimpleNewFromData(1, &n, NPY_DOUBLE, data);
}
static PyObject *call2(PyObject *f, PyObject *a, PyObject *b) {
    PyObject *args[2] = {a, b};
    return PyObject_Vectorcall(f, args, 2, NULL);
}
static PyObject *call0(PyObject *f) { return PyObject_CallNoArgs(f); }
static void decref(PyObject *o) { Py_DECREF(o); }
static int is_int64_array(PyObject *o) {
    return PyArray_Check(o) && PyArray_TYPE((PyArrayObject *)o) == NPY_INT64
        && PyArray_IS_C_CONTIGUOUS((PyArrayObject *)o);
}
static npy_intp array_size(PyObject *o) { return PyArray_SIZE((PyArrayObject *)o); }
static void *array_data(PyObject *o) { return PyArray_DATA((PyArrayObject *)o); }
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
	"unsafe"
)

const timedLoops = 3

func die(what string) {
	if C.PyErr_Occurred() != nil {
		C.PyErr_Print()
	}
	fmt.Fprintf(os.Stderr, "embedgo: %s\n", what)
	os.Exit(2)
}

func importAttr(module, name string) *C.PyObject {
	cm, cn := C.CString(module), C.CString(name)
	defer C.free(unsafe.Pointer(cm))
	defer C.free(unsafe.Pointer(cn))
	m := C.PyImport_ImportModule(cm)
	if m == nil {
		die("import " + module)
	}
	defer C.decref(m)
	f := C.PyObject_GetAttrString(m, cn)
	if f == nil {
		die(module + "." + name)
	}
	return f
}

// detectOnce runs outliers.detect on values' memory and sums the indices in place.
func detectOnce(detect, threshold *C.PyObject, values []float64) (int, int64) {
	var base *C.double
	if len(values) > 0 {
		base = (*C.double)(unsafe.Pointer(&values[0]))
	}
	array := C.wrap_doubles(base, C.npy_intp(len(values)))
	if array == nil {
		die("PyArray_SimpleNewFromData")
	}
	result := C.call2(detect, array, threshold)
	C.decref(array)
	runtime.KeepAlive(values)
	if result == nil {
		die("detect()")
	}
	defer C.decref(result)
	if C.is_int64_array(result) == 0 {
		die("detect() did not return a contiguous int64 array")
	}
	k := int(C.array_size(result))
	var sum int64
	if k > 0 {
		for _, i := range unsafe.Slice((*int64)(C.array_data(result)), k) {
			sum += i
		}
	}
	return k, sum
}

func main() {
	runtime.LockOSThread()
	if len(os.Args) != 4 {
		die("usage: embedgo call_noop|detect N ITERS")
	}
	mode := os.Args[1]
	n, err1 := strconv.Atoi(os.Args[2])
	iters, err2 := strconv.Atoi(os.Args[3])
	if err1 != nil || err2 != nil || n < 0 || iters <= 0 {
		die("N must be >= 0 and ITERS > 0")
	}
	if mode != "call_noop" && mode != "detect" {
		die("unknown case " + mode)
	}
	dir := os.Getenv("OUTLIERS_MODULE_DIR")
	if dir == "" {
		die("set OUTLIERS_MODULE_DIR to examples/outliers")
	}
	values := make([]float64, n)
	for i := range values {
		if i%997 == 0 {
			values[i] = 50.0
		} else {
			values[i] = float64((i*7919)%1000) / 1000.0
		}
	}

	C.Py_InitializeEx(0)
	if C.init_numpy() < 0 {
		die("import numpy")
	}
	cpath, cdir := C.CString("path"), C.CString(dir)
	path := C.PySys_GetObject(cpath) // borrowed
	d := C.PyUnicode_FromString(cdir)
	if path == nil || d == nil || C.PyList_Insert(path, 0, d) < 0 {
		die("sys.path")
	}
	C.decref(d)
	detect := importAttr("outliers", "detect")
	noop := importAttr("embed_target", "noop")
	threshold := C.PyFloat_FromDouble(3.0)

	count, checksum := 0, int64(0)
	step := func() {
		if mode == "call_noop" {
			r := C.call0(noop)
			if r == nil {
				die("noop()")
			}
			C.decref(r)
		} else {
			count, checksum = detectOnce(detect, threshold, values)
		}
	}
	warm := iters
	if warm > 3 {
		warm = 3
	}
	for i := 0; i < warm; i++ {
		step()
	}
	// The fastest of timedLoops loops counts (load only ever adds time).
	ns := int64(-1)
	for loop := 0; loop < timedLoops; loop++ {
		start := time.Now()
		for i := 0; i < iters; i++ {
			step()
		}
		if took := time.Since(start).Nanoseconds(); ns < 0 || took < ns {
			ns = took
		}
	}
	fmt.Printf("{\"case\": \"%s\", \"n\": %d, \"iters\": %d, \"ns\": %d, \"count\": %d, \"checksum\": %d}\n",
		mode, n, iters, ns, count, checksum)
	C.decref(threshold)
	C.decref(noop)
	C.decref(detect)
	C.Py_FinalizeEx()
}
