/* Hand-written CPython extension: the baseline of the calls benchmark.
 * METH_FASTCALL everywhere (METH_FASTCALL|METH_KEYWORDS for kw); arguments
 * are checked and converted by hand, no PyArg_Parse* in the hot path. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
noop(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self; (void)args;
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError, "noop() takes no arguments (%zd given)", nargs);
        return NULL;
    }
    Py_RETURN_NONE;
}

static int
as_int64(PyObject *o, long long *out)
{
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    *out = v;
    return 0;
}

static PyObject *
add(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    long long a, b;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "add() takes exactly 2 arguments (%zd given)", nargs);
        return NULL;
    }
    if (as_int64(args[0], &a) < 0 || as_int64(args[1], &b) < 0)
        return NULL;
    return PyLong_FromLongLong(a + b);
}

static PyObject *
scale(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 1) {
        PyErr_Format(PyExc_TypeError, "scale() takes exactly 1 argument (%zd given)", nargs);
        return NULL;
    }
    double x = PyFloat_AsDouble(args[0]);
    if (x == -1.0 && PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(x * 2.5);
}

/* kw(a, b=2, *, c=3): a and b positional or keyword, c keyword-only. */
static PyObject *str_a, *str_b, *str_c;

/* Index of a keyword name (0, 1, 2 for a, b, c) or -1.  Call sites pass
 * interned names, so try identity first and compare text only if that fails. */
static int
kw_index(PyObject *name)
{
    if (name == str_a) return 0;
    if (name == str_b) return 1;
    if (name == str_c) return 2;
    if (!PyUnicode_Check(name)) return -1;
    if (PyUnicode_Compare(name, str_a) == 0) return 0;
    if (PyUnicode_Compare(name, str_b) == 0) return 1;
    if (PyUnicode_Compare(name, str_c) == 0) return 2;
    return -1;
}

static PyObject *
kw(PyObject *self, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    (void)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *slot[3] = {NULL, NULL, NULL};
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError,
                     "kw() takes from 1 to 2 positional arguments but %zd were given", nargs);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        slot[i] = args[i];
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t i = 0; i < nkw; i++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, i);
            int k = kw_index(name);
            if (k < 0) {
                PyErr_Format(PyExc_TypeError, "kw() got an unexpected keyword argument '%U'", name);
                return NULL;
            }
            if (slot[k] != NULL) {
                PyErr_Format(PyExc_TypeError, "kw() got multiple values for argument '%U'", name);
                return NULL;
            }
            slot[k] = args[nargs + i];
        }
    }
    if (slot[0] == NULL) {
        PyErr_SetString(PyExc_TypeError, "kw() missing required argument 'a'");
        return NULL;
    }
    long long a, b = 2, c = 3;
    if (as_int64(slot[0], &a) < 0)
        return NULL;
    if (slot[1] != NULL && as_int64(slot[1], &b) < 0)
        return NULL;
    if (slot[2] != NULL && as_int64(slot[2], &c) < 0)
        return NULL;
    return PyLong_FromLongLong(a + b + c);
}

static PyMethodDef methods[] = {
    {"noop", (PyCFunction)(void (*)(void))noop, METH_FASTCALL, "noop()"},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, "add(a, b)"},
    {"scale", (PyCFunction)(void (*)(void))scale, METH_FASTCALL, "scale(x)"},
    {"kw", (PyCFunction)(void (*)(void))kw, METH_FASTCALL | METH_KEYWORDS, "kw(a, b=2, *, c=3)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "c_calls", "Hand-written METH_FASTCALL baseline.", -1, methods,
};

PyMODINIT_FUNC
PyInit_c_calls(void)
{
    str_a = PyUnicode_InternFromString("a");
    str_b = PyUnicode_InternFromString("b");
    str_c = PyUnicode_InternFromString("c");
    if (!str_a || !str_b || !str_c)
        return NULL;
    return PyModule_Create(&module);
}
