/* The embed benchmark's `c` peer, the floor: `embed_c CASE N ITERS`.
 *
 * A C program on the CPython C API and NumPy's C API doing what every peer
 * does: embed_target.noop() (call_noop), or outliers.detect on N doubles
 * (detect): the C array wrapped as a NumPy array without a copy
 * (PyArray_SimpleNewFromData), the returned int64 index array read in place
 * (PyArray_DATA).  The GIL is held throughout.  outliers.py comes from
 * $OUTLIERS_MODULE_DIR, embed_target.py from PYTHONPATH.  Prints one JSON
 * line: {"case", "n", "iters", "ns", "count", "checksum"}, ns being the
 * fastest of 3 timed loops of ITERS calls (after up to 3 warm-up calls).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The timed loop runs this many times; the fastest counts (load on a
 * shared machine only ever adds time). */
#define TIMED_LOOPS 3

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void die(const char *what) {
    if (PyErr_Occurred()) PyErr_Print();
    fprintf(stderr, "embed_c: %s\n", what);
    exit(2);
}

static int init_numpy(void) {
    import_array1(-1);
    return 0;
}

/* One detection: returns 0 and sets count/checksum, or -1 with an exception. */
static int detect_once(PyObject *detect, double *values, npy_intp n, PyObject *threshold,
                       long long *count, long long *checksum) {
    PyObject *array = PyArray_SimpleNewFromData(1, &n, NPY_DOUBLE, values);
    if (array == NULL) return -1;
    PyObject *args[2] = {array, threshold};
    PyObject *result = PyObject_Vectorcall(detect, args, 2, NULL);
    Py_DECREF(array);
    if (result == NULL) return -1;
    if (!PyArray_Check(result) || PyArray_TYPE((PyArrayObject *)result) != NPY_INT64 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError, "detect() did not return a contiguous int64 array");
        return -1;
    }
    npy_intp k = PyArray_SIZE((PyArrayObject *)result);
    const int64_t *indices = (const int64_t *)PyArray_DATA((PyArrayObject *)result);
    long long sum = 0;
    for (npy_intp i = 0; i < k; i++) sum += indices[i];
    *count = k;
    *checksum = sum;
    Py_DECREF(result);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) die("usage: embed_c call_noop|detect N ITERS");
    const char *mode = argv[1];
    long long n = atoll(argv[2]), iters = atoll(argv[3]);
    if (n < 0 || iters <= 0) die("N must be >= 0 and ITERS > 0");
    const char *dir = getenv("OUTLIERS_MODULE_DIR");
    if (dir == NULL) die("set OUTLIERS_MODULE_DIR to examples/outliers");

    double *values = malloc((size_t)(n ? n : 1) * sizeof(double));
    if (values == NULL) die("out of memory");
    for (long long i = 0; i < n; i++)
        values[i] = i % 997 == 0 ? 50.0 : (double)((i * 7919) % 1000) / 1000.0;

    Py_InitializeEx(0);
    if (init_numpy() < 0) die("import numpy");
    PyObject *sys_path = PySys_GetObject("path");  /* borrowed */
    PyObject *d = PyUnicode_FromString(dir);
    if (sys_path == NULL || d == NULL || PyList_Insert(sys_path, 0, d) < 0) die("sys.path");
    Py_DECREF(d);
    PyObject *outliers = PyImport_ImportModule("outliers");
    PyObject *target = PyImport_ImportModule("embed_target");
    if (outliers == NULL || target == NULL) die("import outliers / embed_target");
    PyObject *detect = PyObject_GetAttrString(outliers, "detect");
    PyObject *noop = PyObject_GetAttrString(target, "noop");
    PyObject *threshold = PyFloat_FromDouble(3.0);
    if (detect == NULL || noop == NULL || threshold == NULL) die("detect / noop");

    long long count = 0, checksum = 0;
    int is_noop = strcmp(mode, "call_noop") == 0;
    if (!is_noop && strcmp(mode, "detect") != 0) die("unknown case");
    int64_t ns = -1;
    for (int pass = 0; pass <= TIMED_LOOPS; pass++) {   /* pass 0: warm-up */
        long long reps = pass == 0 ? (iters < 3 ? iters : 3) : iters;
        int64_t start = now_ns();
        for (long long r = 0; r < reps; r++) {
            if (is_noop) {
                PyObject *res = PyObject_CallNoArgs(noop);
                if (res == NULL) die("noop()");
                Py_DECREF(res);
            } else if (detect_once(detect, values, (npy_intp)n, threshold, &count, &checksum) < 0) {
                die("detect()");
            }
        }
        int64_t took = now_ns() - start;
        if (pass > 0 && (ns < 0 || took < ns)) ns = took;
    }
    printf("{\"case\": \"%s\", \"n\": %lld, \"iters\": %lld, \"ns\": %lld, \"count\": %lld, \"checksum\": %lld}\n",
           mode, n, iters, (long long)ns, count, checksum);
    Py_DECREF(threshold);
    Py_DECREF(noop);
    Py_DECREF(detect);
    Py_DECREF(target);
    Py_DECREF(outliers);
    if (Py_FinalizeEx() < 0) return 1;
    free(values);
    return 0;
}
