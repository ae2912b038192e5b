/* c peer of benchmarks/stats: mean / population variance / population std
 * written the way a C extension author would, two passes.
 *
 * Lists (any sequence): PySequence_Fast, then PyFloat_AS_DOUBLE for exact
 * floats, PyLong_AsDouble for exact ints, PyFloat_AsDouble for the rest.
 * Buffers: any C-contiguous buffer of doubles (format "d"), plain scalar
 * loops (no -ffast-math, so the compiler keeps the additions in order).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

static inline double item_as_double(PyObject *o)
{
    if (PyFloat_CheckExact(o))
        return PyFloat_AS_DOUBLE(o);
    if (PyLong_CheckExact(o))
        return PyLong_AsDouble(o);
    return PyFloat_AsDouble(o);
}

/* returns 0 on success, -1 with an exception set */
static int seq_moments(PyObject *arg, double *mean_out, double *var_out)
{
    PyObject *seq = PySequence_Fast(arg, "expected a sequence of numbers");
    if (!seq)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n == 0) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "need at least one data point");
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    double sum = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = item_as_double(items[i]);
        if (x == -1.0 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return -1;
        }
        sum += x;
    }
    double mean = sum / (double)n, ss = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double d = item_as_double(items[i]) - mean;  /* cannot fail: pass 1 succeeded */
        ss += d * d;
    }
    Py_DECREF(seq);
    *mean_out = mean;
    *var_out = ss / (double)n;
    return 0;
}

static int buffer_moments(PyObject *arg, double *mean_out, double *var_out)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (view.itemsize != sizeof(double) || !view.format || strcmp(view.format, "d") != 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_TypeError, "expected a contiguous buffer of float64 ('d')");
        return -1;
    }
    Py_ssize_t n = view.len / (Py_ssize_t)sizeof(double);
    if (n == 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "need at least one data point");
        return -1;
    }
    const double *x = view.buf;
    double sum = 0.0, ss = 0.0, mean;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        sum += x[i];
    mean = sum / (double)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        double d = x[i] - mean;
        ss += d * d;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    *mean_out = mean;
    *var_out = ss / (double)n;
    return 0;
}

static PyObject *py_mean(PyObject *self, PyObject *arg)
{
    double m, v;
    if (seq_moments(arg, &m, &v) < 0) return NULL;
    return PyFloat_FromDouble(m);
}

static PyObject *py_var(PyObject *self, PyObject *arg)
{
    double m, v;
    if (seq_moments(arg, &m, &v) < 0) return NULL;
    return PyFloat_FromDouble(v);
}

static PyObject *py_std(PyObject *self, PyObject *arg)
{
    double m, v;
    if (seq_moments(arg, &m, &v) < 0) return NULL;
    return PyFloat_FromDouble(sqrt(v));
}

static PyObject *py_std_buffer(PyObject *self, PyObject *arg)
{
    double m, v;
    if (buffer_moments(arg, &m, &v) < 0) return NULL;
    return PyFloat_FromDouble(sqrt(v));
}

static PyMethodDef methods[] = {
    {"mean", py_mean, METH_O, "mean(seq) -> float"},
    {"var", py_var, METH_O, "var(seq) -> float: population variance, two passes"},
    {"std", py_std, METH_O, "std(seq) -> float: population standard deviation, two passes"},
    {"std_buffer", py_std_buffer, METH_O, "std_buffer(float64 buffer) -> float: population std"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "cstats", NULL, -1, methods};

PyMODINIT_FUNC PyInit_cstats(void) { return PyModule_Create(&moddef); }
