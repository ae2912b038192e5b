/* Hand-written C peer of the classes benchmark: a Counter type with an
 * int64 count, a METH_FASTCALL method, a getset property, and an iterator
 * type over range(count).  tp_new reads its one argument straight from the
 * tuple (no PyArg_Parse*); no tp_init. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD long long count; } CounterObject;
typedef struct { PyObject_HEAD long long i, n; } IterObject;

static PyTypeObject IterType;

static PyObject *Counter_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    if (kwds && PyDict_GET_SIZE(kwds)) { PyErr_SetString(PyExc_TypeError, "no keywords"); return NULL; }
    if (PyTuple_GET_SIZE(args) != 1) { PyErr_SetString(PyExc_TypeError, "Counter(count)"); return NULL; }
    long long v = PyLong_AsLongLong(PyTuple_GET_ITEM(args, 0));
    if (v == -1 && PyErr_Occurred()) return NULL;
    CounterObject *self = (CounterObject *)type->tp_alloc(type, 0);
    if (self) self->count = v;
    return (PyObject *)self;
}

static PyObject *Counter_bump(CounterObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1) { PyErr_SetString(PyExc_TypeError, "bump(by)"); return NULL; }
    long long by = PyLong_AsLongLong(args[0]);
    if (by == -1 && PyErr_Occurred()) return NULL;
    self->count += by;
    return PyLong_FromLongLong(self->count);
}

static PyObject *Counter_get_count(CounterObject *self, void *c) { return PyLong_FromLongLong(self->count); }
static int Counter_set_count(CounterObject *self, PyObject *v, void *c) {
    if (!v) { PyErr_SetString(PyExc_AttributeError, "cannot delete"); return -1; }
    long long x = PyLong_AsLongLong(v);
    if (x == -1 && PyErr_Occurred()) return -1;
    self->count = x;
    return 0;
}

static PyObject *Counter_iter(CounterObject *self) {
    IterObject *it = PyObject_New(IterObject, &IterType);
    if (it) { it->i = 0; it->n = self->count; }
    return (PyObject *)it;
}

static PyObject *Iter_next(IterObject *it) {
    if (it->i >= it->n) return NULL;
    return PyLong_FromLongLong(it->i++);
}

static PyMethodDef Counter_methods[] = {
    {"bump", (PyCFunction)(void (*)(void))Counter_bump, METH_FASTCALL, NULL}, {NULL}};
static PyGetSetDef Counter_getset[] = {
    {"count", (getter)Counter_get_count, (setter)Counter_set_count, NULL, NULL}, {NULL}};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_classes.Counter", .tp_basicsize = sizeof(CounterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT, .tp_new = Counter_new,
    .tp_methods = Counter_methods, .tp_getset = Counter_getset,
    .tp_iter = (getiterfunc)Counter_iter,
};
static PyTypeObject IterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_classes.CounterIterator", .tp_basicsize = sizeof(IterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT, .tp_dealloc = (destructor)PyObject_Del,
    .tp_iter = PyObject_SelfIter, .tp_iternext = (iternextfunc)Iter_next,
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "c_classes", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_c_classes(void) {
    if (PyType_Ready(&CounterType) < 0 || PyType_Ready(&IterType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&CounterType);
    PyModule_AddObject(m, "Counter", (PyObject *)&CounterType);
    return m;
}
