/* c-ext floor: a CPython extension that reads any contiguous buffer and
 * writes the transformed bytes straight into a new bytes object made with
 * PyBytes_FromStringAndSize(NULL, n) -- one read pass, one write pass, no
 * intermediate copy.  xor_inplace() is the in-place reference (what a
 * zero-copy binding can reach).  The GIL is released around the loops.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define XOR_KEY 0x5A

static PyObject *xor_copy(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, view.len);
    if (out) {
        const uint8_t *src = view.buf;
        uint8_t *dst = (uint8_t *)PyBytes_AS_STRING(out);
        Py_ssize_t n = view.len;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < n; i++)
            dst[i] = src[i] ^ XOR_KEY;
        Py_END_ALLOW_THREADS
    }
    PyBuffer_Release(&view);
    return out;
}

static PyObject *xor_inplace(PyObject *self, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_WRITABLE) < 0)
        return NULL;
    uint8_t *p = view.buf;
    Py_ssize_t n = view.len;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        p[i] ^= XOR_KEY;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"xor_copy", xor_copy, METH_O, "xor_copy(buffer) -> bytes: each byte ^ 0x5A, in a new bytes object"},
    {"xor_inplace", xor_inplace, METH_O, "xor_inplace(buffer): each byte ^= 0x5A, in place"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "xorext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_xorext(void) { return PyModule_Create(&moddef); }
