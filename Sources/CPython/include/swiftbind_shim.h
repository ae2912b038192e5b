/*
 * swiftbind's C shim: the only C in the runtime.
 *
 * It includes Python.h (found through `-Xcc -I<include dir>` passed by the
 * build tool) and wraps, as static inline functions, the macros and inline
 * helpers that Swift cannot import.  Nothing here has behaviour of its own;
 * every wrapper names the C macro it stands for.
 */
#ifndef SWIFTBIND_SHIM_H
#define SWIFTBIND_SHIM_H

/* System headers first, with the compiler's default feature macros, so
 * their declarations match the ones Swift's Glibc module (which Dispatch and
 * Synchronization import) was built with.  Python.h's pyconfig.h defines
 * _GNU_SOURCE/_XOPEN_SOURCE, which changes struct layouts such as fd_set's
 * member names; clang then rejects the two modules' definitions as
 * different ("fds_bits ... not present in definition of 'fd_set'") in
 * non-WMO (debug) builds. */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>
#include <errno.h>
#include <stdlib.h>

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include "swiftbind_dlpack.h"
#include "swiftbind_arrow.h"

/* -- The API level ------------------------------------------------------
 * A version-specific build (the default) sees all of Python.h.  An abi3
 * build (`abi3 = "3.X"`, docs/publishing.md) is compiled with
 * Py_LIMITED_API = 0x030X0000 and SWIFTBIND_LIMITED_API set for Swift: the
 * headers then declare only the stable ABI of 3.X, and the wrappers below
 * take the function where the macro reads a struct the limited API hides.
 * SB_API_VERSION is the oldest Python the binary must run on. */
#ifdef Py_LIMITED_API
#define SB_LIMITED 1
#define SB_API_VERSION Py_LIMITED_API
#else
#define SB_API_VERSION PY_VERSION_HEX
#endif
/* The buffer protocol (Py_buffer, PyObject_GetBuffer) is in the limited
 * API from 3.11; under an older abi3 floor the Buffers layer is left out. */
static inline int sb_has_buffer_api(void) {
#if !defined(SB_LIMITED) || SB_API_VERSION >= 0x030B0000
    return 1;
#else
    return 0;
#endif
}

/* -- Singletons -------------------------------------------------------- */
static inline PyObject *sb_None(void) { return Py_None; }
static inline PyObject *sb_True(void) { return Py_True; }
static inline PyObject *sb_False(void) { return Py_False; }
static inline PyObject *sb_NotImplemented(void) { return Py_NotImplemented; }
static inline PyObject *sb_Ellipsis(void) { return Py_Ellipsis; }

/* -- Exception classes (PyExc_* globals, which Swift 6 sees as shared
 *    mutable state; they are set once at start-up and never change) ---- */
static inline PyObject *sb_exc_Exception(void) { return PyExc_Exception; }
static inline PyObject *sb_exc_TypeError(void) { return PyExc_TypeError; }
static inline PyObject *sb_exc_ValueError(void) { return PyExc_ValueError; }
static inline PyObject *sb_exc_KeyError(void) { return PyExc_KeyError; }
static inline PyObject *sb_exc_IndexError(void) { return PyExc_IndexError; }
static inline PyObject *sb_exc_OverflowError(void) { return PyExc_OverflowError; }
static inline PyObject *sb_exc_RuntimeError(void) { return PyExc_RuntimeError; }
static inline PyObject *sb_exc_AttributeError(void) { return PyExc_AttributeError; }
static inline PyObject *sb_exc_ZeroDivisionError(void) { return PyExc_ZeroDivisionError; }
static inline PyObject *sb_exc_NotImplementedError(void) { return PyExc_NotImplementedError; }
static inline PyObject *sb_exc_MemoryError(void) { return PyExc_MemoryError; }
static inline PyObject *sb_exc_UnicodeError(void) { return PyExc_UnicodeError; }
static inline PyObject *sb_exc_UnicodeEncodeError(void) { return PyExc_UnicodeEncodeError; }
static inline PyObject *sb_exc_LookupError(void) { return PyExc_LookupError; }
static inline PyObject *sb_exc_ArithmeticError(void) { return PyExc_ArithmeticError; }
static inline PyObject *sb_exc_OSError(void) { return PyExc_OSError; }
static inline PyObject *sb_exc_StopIteration(void) { return PyExc_StopIteration; }
static inline PyObject *sb_exc_TimeoutError(void) { return PyExc_TimeoutError; }
static inline PyObject *sb_exc_BufferError(void) { return PyExc_BufferError; }
static inline PyObject *sb_exc_SystemError(void) { return PyExc_SystemError; }
static inline PyObject *sb_exc_BaseException(void) { return PyExc_BaseException; }
static inline PyObject *sb_exc_KeyboardInterrupt(void) { return PyExc_KeyboardInterrupt; }
static inline PyObject *sb_exc_StopAsyncIteration(void) { return PyExc_StopAsyncIteration; }
static inline PyObject *sb_exc_RecursionError(void) { return PyExc_RecursionError; }
static inline PyObject *sb_exc_ImportError(void) { return PyExc_ImportError; }
static inline PyObject *sb_exc_ModuleNotFoundError(void) { return PyExc_ModuleNotFoundError; }

/* -- Reference counts (Py_INCREF / Py_DECREF / Py_XDECREF / Py_REFCNT) -- */
static inline void sb_incref(PyObject *o) { Py_INCREF(o); }
static inline void sb_decref(PyObject *o) { Py_DECREF(o); }
static inline void sb_xdecref(PyObject *o) { Py_XDECREF(o); }
static inline Py_ssize_t sb_refcnt(PyObject *o) { return Py_REFCNT(o); }
static inline PyObject *sb_newref(PyObject *o) { Py_INCREF(o); return o; }

/* -- Types (Py_TYPE and the fast subclass checks) ---------------------- */
static inline PyTypeObject *sb_type(PyObject *o) { return Py_TYPE(o); }
static inline int sb_is_type(PyObject *o, PyTypeObject *t) { return Py_TYPE(o) == t; }
#ifndef SB_LIMITED
static inline const char *sb_type_name(PyObject *o) { return Py_TYPE(o)->tp_name; }
#endif
static inline int sb_long_check(PyObject *o) { return PyLong_Check(o); }
static inline int sb_long_check_exact(PyObject *o) { return PyLong_CheckExact(o); }
static inline int sb_bool_check(PyObject *o) { return PyBool_Check(o); }
static inline int sb_float_check(PyObject *o) { return PyFloat_Check(o); }
static inline int sb_float_check_exact(PyObject *o) { return PyFloat_CheckExact(o); }
static inline int sb_unicode_check(PyObject *o) { return PyUnicode_Check(o); }
static inline int sb_bytes_check(PyObject *o) { return PyBytes_Check(o); }
static inline int sb_bytearray_check(PyObject *o) { return PyByteArray_Check(o); }
static inline int sb_tuple_check(PyObject *o) { return PyTuple_Check(o); }
static inline int sb_list_check(PyObject *o) { return PyList_Check(o); }
static inline int sb_dict_check(PyObject *o) { return PyDict_Check(o); }
static inline int sb_anyset_check(PyObject *o) { return PyAnySet_Check(o); }
static inline int sb_type_check(PyObject *o) { return PyType_Check(o); }
static inline int sb_exception_class_check(PyObject *o) { return PyExceptionClass_Check(o); }
static inline int sb_callable_check(PyObject *o) { return PyCallable_Check(o); }

/* -- Unchecked accessors (PyTuple_GET_ITEM, PyList_GET_ITEM, ...) -------
 * The limited API hides the object structs; an abi3 build calls the
 * checked functions instead (the callers have checked the type and index,
 * so these never fail there). */
#ifndef SB_LIMITED
static inline PyObject *sb_tuple_get(PyObject *t, Py_ssize_t i) { return PyTuple_GET_ITEM(t, i); }
static inline void sb_tuple_set_steal(PyObject *t, Py_ssize_t i, PyObject *v) { PyTuple_SET_ITEM(t, i, v); }
static inline Py_ssize_t sb_tuple_size(PyObject *t) { return PyTuple_GET_SIZE(t); }
static inline PyObject *sb_list_get(PyObject *l, Py_ssize_t i) { return PyList_GET_ITEM(l, i); }
static inline void sb_list_set_steal(PyObject *l, Py_ssize_t i, PyObject *v) { PyList_SET_ITEM(l, i, v); }
static inline Py_ssize_t sb_list_size(PyObject *l) { return PyList_GET_SIZE(l); }
static inline double sb_float_as_double(PyObject *o) { return PyFloat_AS_DOUBLE(o); }
static inline char *sb_bytes_as_string(PyObject *o) { return PyBytes_AS_STRING(o); }
static inline Py_ssize_t sb_bytes_size(PyObject *o) { return PyBytes_GET_SIZE(o); }
#else
static inline PyObject *sb_tuple_get(PyObject *t, Py_ssize_t i) { return PyTuple_GetItem(t, i); }
static inline void sb_tuple_set_steal(PyObject *t, Py_ssize_t i, PyObject *v) { (void)PyTuple_SetItem(t, i, v); }
static inline Py_ssize_t sb_tuple_size(PyObject *t) { return PyTuple_Size(t); }
static inline PyObject *sb_list_get(PyObject *l, Py_ssize_t i) { return PyList_GetItem(l, i); }
static inline void sb_list_set_steal(PyObject *l, Py_ssize_t i, PyObject *v) { (void)PyList_SetItem(l, i, v); }
static inline Py_ssize_t sb_list_size(PyObject *l) { return PyList_Size(l); }
static inline double sb_float_as_double(PyObject *o) { return PyFloat_AsDouble(o); }
static inline char *sb_bytes_as_string(PyObject *o) { return PyBytes_AsString(o); }
static inline Py_ssize_t sb_bytes_size(PyObject *o) { return PyBytes_Size(o); }
#endif

/* -- Calls (PyVectorcall_NARGS, PY_VECTORCALL_ARGUMENTS_OFFSET) --------
 * PEP 590 fixes both: the flag is the top bit of nargsf.  The limited API
 * declares them from 3.12; an abi3 build for an older floor spells them out. */
#if !defined(SB_LIMITED) || SB_API_VERSION >= 0x030C0000
static inline Py_ssize_t sb_vectorcall_nargs(size_t n) { return PyVectorcall_NARGS(n); }
static inline size_t sb_vectorcall_offset_flag(void) { return PY_VECTORCALL_ARGUMENTS_OFFSET; }
#else
static inline size_t sb_vectorcall_offset_flag(void) { return (size_t)1 << (8 * sizeof(size_t) - 1); }
static inline Py_ssize_t sb_vectorcall_nargs(size_t n) { return (Py_ssize_t)(n & ~sb_vectorcall_offset_flag()); }
typedef PyObject *(*vectorcallfunc)(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames);
#endif

/* -- Method flags and slot ids that Swift sees as macros ---------------- */
static inline int sb_meth_fastcall_keywords(void) { return METH_FASTCALL | METH_KEYWORDS; }
static inline int sb_meth_fastcall(void) { return METH_FASTCALL; }
static inline int sb_meth_noargs(void) { return METH_NOARGS; }
static inline int sb_meth_static(void) { return METH_STATIC; }
static inline int sb_meth_class(void) { return METH_CLASS; }
static inline int sb_meth_o(void) { return METH_O; }

/* -- Running code (Py_CompileString: a macro in 3.9's full API, a function
 *    in the limited API and from 3.10) ---------------------------------- */
static inline PyObject *sb_compile_string(const char *code, const char *filename, int mode) {
    return Py_CompileString(code, filename, mode);
}

/* -- Module definition ------------------------------------------------- */
static inline PyModuleDef_Base sb_moduledef_head_init(void) {
    PyModuleDef_Base b = PyModuleDef_HEAD_INIT;
    return b;
}
/* Fills a Py_mod_* slot array for multi-phase init: exec, then the
 * interpreter slot that exists in this Python version, then the end
 * marker.  `slots` must have room for 4 entries.
 *
 * What is declared is what the runtime supports: one interpreter (the
 * main one), with the GIL.  So 3.12+ refuses an import in a subinterpreter
 * with ImportError by itself (module_exec checks the same on 3.9-3.11), and
 * a free-threaded build re-enables the GIL for these modules (no
 * Py_mod_gil = Py_MOD_GIL_NOT_USED: the runtime is not audited for it). */
static inline void sb_fill_module_slots(PyModuleDef_Slot *slots, void *exec) {
    int i = 0;
    slots[i].slot = Py_mod_exec; slots[i].value = exec; i++;
#if SB_API_VERSION >= 0x030C0000
    slots[i].slot = Py_mod_multiple_interpreters;
    slots[i].value = Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED; i++;
#endif
    slots[i].slot = 0; slots[i].value = NULL;
}
/* True in the main interpreter (PyInterpreterState_Get() == PyInterpreterState_Main();
 * the limited API has no PyInterpreterState_Main: the main interpreter's id is 0). */
static inline int sb_in_main_interpreter(void) {
#ifndef SB_LIMITED
    return PyInterpreterState_Get() == PyInterpreterState_Main();
#else
    return PyInterpreterState_GetID(PyInterpreterState_Get()) == 0;
#endif
}

static inline PyTypeObject *sb_module_type(void) { return &PyModule_Type; }

/* -- Type definitions -------------------------------------------------- */
static inline int sb_tpflags_default(void) { return Py_TPFLAGS_DEFAULT; }
static inline int sb_tpflags_basetype(void) { return Py_TPFLAGS_BASETYPE; }
static inline int sb_tpflags_have_gc(void) { return Py_TPFLAGS_HAVE_GC; }
static inline int sb_tp_dealloc_slot(void) { return Py_tp_dealloc; }
/* Py_TPFLAGS_DISALLOW_INSTANTIATION (3.10+; 0 before, where a type without
 * tp_new is made uncallable by other means). */
static inline unsigned long sb_tpflags_disallow_instantiation(void) {
#ifdef Py_TPFLAGS_DISALLOW_INSTANTIATION
    return Py_TPFLAGS_DISALLOW_INSTANTIATION;
#else
    return 0;
#endif
}
/* Py_TYPE(o)->tp_free, for a heap type's tp_dealloc. */
static inline void sb_tp_free(PyObject *o) {
#ifndef SB_LIMITED
    Py_TYPE(o)->tp_free(o);
#else
    ((freefunc)PyType_GetSlot(Py_TYPE(o), Py_tp_free))(o);
#endif
}

/* -- The GIL --------------------------------------------------------- */
/* True when this thread has an attached thread state, i.e. may call the C
 * API (holds the GIL).  Unlike PyGILState_Check it stays right when that
 * check is disabled (subinterpreters) and after finalisation has deleted
 * the GIL-state key, where PyGILState_Check answers 1 on every thread.
 * PyThreadState_GetUnchecked (3.13+), _PyThreadState_UncheckedGet before. */
#ifdef SB_LIMITED
/* An abi3 binary asks the running interpreter (shim.c). */
int sb_thread_has_gil(void);
#else
static inline int sb_thread_has_gil(void) {
#if PY_VERSION_HEX >= 0x030D0000
    return PyThreadState_GetUnchecked() != NULL;
#elif PY_VERSION_HEX >= 0x030C0000
    return _PyThreadState_UncheckedGet() != NULL;   /* thread-local since 3.12 */
#else
    /* Before 3.12 the "current" thread state is process-wide: it names the
     * thread that holds the GIL, whichever thread asks.  Compare it with
     * this thread's own state. */
    PyThreadState *holder = _PyThreadState_UncheckedGet();
    return holder != NULL && holder == PyGILState_GetThisThreadState();
#endif
}
#endif


/* -- Classes (Sources/SwiftBind/Classes) ------------------------------- */
/* Vectorcall for heap types: in the limited API from 3.12.  The flag bits
 * have had these values since 3.8 (PEP 590), and PyType_FromSpec honours
 * them and __vectorcalloffset__ since 3.9, so an older abi3 floor uses
 * the same values. */
#if !defined(SB_LIMITED) || SB_API_VERSION >= 0x030C0000
static inline unsigned long sb_tpflags_method_descriptor(void) { return Py_TPFLAGS_METHOD_DESCRIPTOR; }
static inline unsigned long sb_tpflags_have_vectorcall(void) { return Py_TPFLAGS_HAVE_VECTORCALL; }
#else
static inline unsigned long sb_tpflags_method_descriptor(void) { return 1UL << 17; }
static inline unsigned long sb_tpflags_have_vectorcall(void) { return 1UL << 11; }
#endif
static inline unsigned long sb_tpflags_heaptype(void) { return Py_TPFLAGS_HEAPTYPE; }
static inline unsigned long sb_tpflags_immutabletype(void) {
#ifdef Py_TPFLAGS_IMMUTABLETYPE
    return Py_TPFLAGS_IMMUTABLETYPE;
#else
    return 0; /* Python 3.9: no such flag (and no specialising interpreter) */
#endif
}
/* ((PyHeapTypeObject *)t)->ht_module: the object PyType_FromModuleAndSpec stored. */
#ifndef SB_LIMITED
static inline PyObject *sb_heaptype_module(PyTypeObject *t) {
    return (t->tp_flags & Py_TPFLAGS_HEAPTYPE) ? ((PyHeapTypeObject *)t)->ht_module : NULL;
}
#else
/* PyType_GetModule (stable ABI 3.10), without its exception for other types. */
static inline PyObject *sb_heaptype_module(PyTypeObject *t) {
    if (!(PyType_GetFlags(t) & Py_TPFLAGS_HEAPTYPE)) return NULL;
    PyObject *m = PyType_GetModule(t);
    if (!m) PyErr_Clear();
    return m;
}
#endif
/* t->tp_vectorcall: what calling the type object runs.  The limited API
 * has no way to set it (3.14's Py_tp_vectorcall slot): an abi3 type is
 * constructed through tp_new and tp_init (returns 0 there). */
static inline int sb_type_set_vectorcall(PyTypeObject *t, vectorcallfunc f) {
#ifndef SB_LIMITED
    t->tp_vectorcall = f; return 1;
#else
    (void)t; (void)f; return 0;
#endif
}
static inline int sb_type_is_gc(PyTypeObject *t) { return (PyType_GetFlags(t) & Py_TPFLAGS_HAVE_GC) != 0; }
static inline int sb_object_type_check(PyObject *o, PyTypeObject *t) { return PyObject_TypeCheck(o, t); }
static inline PyObject *sb_type_as_object(PyTypeObject *t) { return (PyObject *)t; }
static inline PyTypeObject *sb_object_as_type(PyObject *o) { return (PyTypeObject *)o; }
#ifndef SB_LIMITED
static inline PyTypeObject *sb_type_base(PyTypeObject *t) { return t->tp_base; }
static inline allocfunc sb_type_alloc(PyTypeObject *t) { return t->tp_alloc; }
static inline freefunc sb_type_free(PyTypeObject *t) { return t->tp_free; }
#else
/* PyType_GetSlot reads static types too from 3.10, the lowest abi3 floor. */
static inline PyTypeObject *sb_type_base(PyTypeObject *t) { return (PyTypeObject *)PyType_GetSlot(t, Py_tp_base); }
static inline allocfunc sb_type_alloc(PyTypeObject *t) { return (allocfunc)PyType_GetSlot(t, Py_tp_alloc); }
static inline freefunc sb_type_free(PyTypeObject *t) { return (freefunc)PyType_GetSlot(t, Py_tp_free); }
#endif
/* Does the type define __float__ or __index__ (tp_as_number->nb_float/nb_index)? */
static inline int sb_type_has_float_or_index(PyTypeObject *t) {
#ifndef SB_LIMITED
    return t->tp_as_number && (t->tp_as_number->nb_float || t->tp_as_number->nb_index);
#else
    return PyType_GetSlot(t, Py_nb_float) || PyType_GetSlot(t, Py_nb_index);
#endif
}
/* Py_VISIT without the early return. */
static inline int sb_visit(visitproc visit, void *arg, PyObject *o) { return o ? visit(o, arg) : 0; }
/* The records of method slots (Sources/SwiftBind/Classes/MethodSlots.swift):
 * a plain C table, because every read of a Swift global goes through
 * swift_once, which cost 10 instructions per method call. */
extern void **sb_method_slot_table;
static inline void *sb_method_slot(Py_ssize_t k) { return sb_method_slot_table[k]; }
static inline void sb_method_slot_set(Py_ssize_t k, void *record) { sb_method_slot_table[k] = record; }
static inline int sb_method_slots_allocate(Py_ssize_t n) {
    if (!sb_method_slot_table) sb_method_slot_table = (void **)calloc((size_t)n, sizeof(void *));
    return sb_method_slot_table != NULL;
}
/* A read-only Py_ssize_t member, for __weaklistoffset__ / __vectorcalloffset__. */
static inline PyMemberDef sb_offset_member(const char *name, Py_ssize_t offset) {
    PyMemberDef m = {name, T_PYSSIZET, offset, READONLY, NULL};
    return m;
}
static inline PyMemberDef sb_object_member(const char *name, Py_ssize_t offset) {
    PyMemberDef m = {name, T_OBJECT, offset, READONLY, NULL};
    return m;
}

/* -- Object layouts (Sources/SwiftBind/Classes) ------------------------
 * The runtime's own object structs, declared here so that Swift takes
 * every offset from the compiler (PyObject_HEAD differs between builds:
 * free-threaded and debug builds have a larger header). */

/* An instance of a Swift-defined type; the Swift value follows, aligned
 * (Instance.swift). */
typedef struct {
    PyObject_HEAD
    void *record;          /* ClassRecord, unretained; NULL until __init__ ran */
    PyObject *weaklist;    /* __weaklistoffset__ */
    uintptr_t flags;       /* 1: entered in the identity map */
} sb_instance_head;

static inline Py_ssize_t sb_instance_record_offset(void) { return offsetof(sb_instance_head, record); }
static inline Py_ssize_t sb_instance_weaklist_offset(void) { return offsetof(sb_instance_head, weaklist); }
static inline Py_ssize_t sb_instance_flags_offset(void) { return offsetof(sb_instance_head, flags); }
static inline Py_ssize_t sb_instance_head_size(void) { return sizeof(sb_instance_head); }

/* swiftbind.method_descriptor (MethodDescriptor.swift). */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    void *record;              /* FunctionRecord, retained */
    PyObject *name, *qualname, *doc, *text_signature;   /* owned */
    PyTypeObject *owner;       /* borrowed: the type whose dict holds it */
} sb_method_descriptor;

static inline Py_ssize_t sb_method_descriptor_size(void) { return sizeof(sb_method_descriptor); }
static inline Py_ssize_t sb_method_descriptor_vectorcall_offset(void) { return offsetof(sb_method_descriptor, vectorcall); }
static inline Py_ssize_t sb_method_descriptor_name_offset(void) { return offsetof(sb_method_descriptor, name); }
static inline Py_ssize_t sb_method_descriptor_qualname_offset(void) { return offsetof(sb_method_descriptor, qualname); }
static inline Py_ssize_t sb_method_descriptor_doc_offset(void) { return offsetof(sb_method_descriptor, doc); }
static inline Py_ssize_t sb_method_descriptor_text_signature_offset(void) { return offsetof(sb_method_descriptor, text_signature); }
static inline sb_method_descriptor *sb_as_method_descriptor(PyObject *o) { return (sb_method_descriptor *)o; }

/* -- Function holders (Sources/SwiftBind/Functions/HolderType.swift) ----
 * Where a holder (a ModuleType subclass instance) keeps its Swift object:
 * right after the module object, at types.ModuleType.__basicsize__. */
extern Py_ssize_t sb_holder_payload_offset_value __attribute__((visibility("hidden")));
static inline Py_ssize_t sb_holder_payload_offset(void) { return sb_holder_payload_offset_value; }
static inline void sb_set_holder_payload_offset(Py_ssize_t offset) { sb_holder_payload_offset_value = offset; }

/* -- Trap reports (Sources/SwiftBind/Errors/TrapReport.swift) ----------
 * The bound function that the thread holding the GIL is running, for the
 * report printed when Swift code traps: set by every call, and restored
 * by Swift code around what may run other calls (its calls into Python,
 * withoutGIL, which lets other threads call meanwhile).
 * A plain hidden global, not a thread-local: a thread-local in a dlopen'ed
 * library costs a __tls_get_addr call, or a static TLS block that runs out
 * when many modules are loaded. */
extern const char *sb_current_call __attribute__((visibility("hidden")));
static inline void sb_set_current_call(const char *name) { sb_current_call = name; }
static inline const char *sb_current_call_name(void) { return sb_current_call; }
/* sigaction(2) with an SA_SIGINFO handler; the previous action goes to
 * `old` (struct sigaction's handler is a union Swift reads poorly). */
typedef void (*sb_signal_handler)(int, siginfo_t *, void *);
static inline int sb_install_signal_handler(int sig, sb_signal_handler handler, struct sigaction *old) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    return sigaction(sig, &action, old);
}
static inline int sb_restore_signal_handler(int sig, const struct sigaction *old) {
    return sigaction(sig, old, NULL);
}
static inline int sb_sigill(void) { return SIGILL; }
static inline int sb_sigtrap(void) { return SIGTRAP; }
/* CPython's traceback dumper (what faulthandler prints), found at run time:
 * it is exported by every CPython 3.9-3.13 but declared only in internal
 * headers. */
typedef void (*sb_dump_traceback_fn)(int fd, PyThreadState *tstate);
sb_dump_traceback_fn sb_find_dump_traceback(void);   /* shim.c: RTLD_DEFAULT needs _GNU_SOURCE */
int sb_address_in_this_library(const void *address); /* shim.c: dladdr needs _GNU_SOURCE */
/* The faulting instruction of a SIGILL/SIGTRAP (siginfo's si_addr). */
static inline const void *sb_siginfo_address(const siginfo_t *info) { return info ? info->si_addr : NULL; }
/* True when the kernel raised it for an instruction (si_code > 0), so that
 * returning from the handler runs the instruction, and traps, again; false
 * for kill()/raise() (SI_USER, SI_TKILL), where si_addr means nothing. */
static inline int sb_siginfo_is_fault(const siginfo_t *info) { return info && info->si_code > 0; }
static inline void sb_write_stderr(const char *text) {
    if (text) { ssize_t r = write(2, text, strlen(text)); (void)r; }
}

/* -- System ------------------------------------------------------------ */
/* Cores this process may run on (its CPU affinity); defined in shim.c. */
int sb_cpu_count(void);
/* A file descriptor any thread can make readable without the GIL (an
 * eventfd on Linux, else a pipe whose ends are packed in one int64), for
 * waking an asyncio loop (Concurrency/LoopWaker.swift); defined in shim.c.
 * open returns -1 on failure; signal may be called from any thread. */
long long sb_waker_open(void);
int sb_waker_read_fd(long long waker);
void sb_waker_signal(long long waker);
void sb_waker_clear(long long waker);
void sb_waker_close(long long waker);

/* -- Swift concurrency runtime hooks ------------------------------------ */
/* Declarations only (no behaviour): variables that libswift_Concurrency
 * defines and exports but declares in no header Swift can import.  Set only
 * in a child forked from a process that had started swiftbind jobs or async
 * calls: Dispatch's thread pool, Swift's global executor, does not survive
 * the fork (Concurrency/ForkChildExecutor.swift).  Each holds a
 * Swift-convention function pointer or NULL. */
extern void *_Nullable swift_task_enqueueGlobal_hook
    __attribute__((swift_attr("nonisolated(unsafe)")));
extern void *_Nullable swift_task_enqueueGlobalWithDelay_hook
    __attribute__((swift_attr("nonisolated(unsafe)")));
extern void *_Nullable swift_task_enqueueGlobalWithDeadline_hook
    __attribute__((swift_attr("nonisolated(unsafe)")));

/* -- Version ----------------------------------------------------------- */
static inline unsigned long sb_py_version_hex(void) { return PY_VERSION_HEX; }
/* 1 for an abi3 build (Py_LIMITED_API), 0 for a version-specific one. */
static inline int sb_is_limited_api(void) {
#ifdef SB_LIMITED
    return 1;
#else
    return 0;
#endif
}

#endif /* SWIFTBIND_SHIM_H */
