/* The shim is header-only but for a few things: the method slot table and
 * the current-call global (see swiftbind_shim.h), and functions that need feature macros set before any
 * system header (swiftbind_shim.h includes the system headers with the
 * compiler's defaults, see there), wrapped here in a translation unit of
 * their own. */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#include "swiftbind_shim.h"

void **sb_method_slot_table = NULL;
const char *sb_current_call __attribute__((visibility("hidden"))) = NULL;
Py_ssize_t sb_holder_payload_offset_value __attribute__((visibility("hidden"))) = 0;

int sb_cpu_count(void) {
#ifdef __linux__
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

#ifdef __linux__
long long sb_waker_open(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
int sb_waker_read_fd(long long waker) { return (int)waker; }
void sb_waker_signal(long long waker) { uint64_t one = 1; ssize_t r = write((int)waker, &one, sizeof one); (void)r; }
void sb_waker_clear(long long waker) { uint64_t n; ssize_t r = read((int)waker, &n, sizeof n); (void)r; }
void sb_waker_close(long long waker) { close((int)waker); }
#else
long long sb_waker_open(void) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    return ((long long)fds[1] << 32) | (unsigned)fds[0];
}
int sb_waker_read_fd(long long waker) { return (int)(waker & 0xffffffff); }
void sb_waker_signal(long long waker) { char b = 1; ssize_t r = write((int)(waker >> 32), &b, 1); (void)r; }
void sb_waker_clear(long long waker) { char buf[64]; while (read((int)(waker & 0xffffffff), buf, sizeof buf) > 0) {} }
void sb_waker_close(long long waker) { close((int)(waker & 0xffffffff)); close((int)(waker >> 32)); }
#endif

/* Every swiftbind extension carries its own copy of the runtime, and so its
 * own trap handler, chained to the one installed before it: a handler
 * reports only traps in its own library (same load base as this function). */
int sb_address_in_this_library(const void *address) {
    Dl_info here, there;
    if (!address || !dladdr((const void *)&sb_address_in_this_library, &here) || !dladdr(address, &there))
        return 0;
    return here.dli_fbase == there.dli_fbase;
}

sb_dump_traceback_fn sb_find_dump_traceback(void) {
    return (sb_dump_traceback_fn)dlsym(RTLD_DEFAULT, "_Py_DumpTraceback");
}

#ifdef SB_LIMITED
/* sb_thread_has_gil for an abi3 binary (see swiftbind_shim.h for the
 * version-specific one): the limited API cannot ask "does this thread have
 * a thread state?" without a fatal error, so the unchecked getter is looked
 * up in the running interpreter (PyThreadState_GetUnchecked from 3.13,
 * _PyThreadState_UncheckedGet before; every CPython 3.10+ exports one).
 * Before 3.12 it names the thread holding the GIL, whichever thread asks. */
typedef PyThreadState *(*sb_unchecked_get_fn)(void);
static sb_unchecked_get_fn sb_unchecked_get = NULL;
static int sb_unchecked_get_is_per_thread = 0;

static void sb_find_unchecked_get(void) {
    sb_unchecked_get_fn f = (sb_unchecked_get_fn)dlsym(RTLD_DEFAULT, "PyThreadState_GetUnchecked");
    if (!f) f = (sb_unchecked_get_fn)dlsym(RTLD_DEFAULT, "_PyThreadState_UncheckedGet");
    /* Py_GetVersion() starts with "3.X." */
    const char *v = Py_GetVersion();
    int minor = 0;
    if (v[0] == '3' && v[1] == '.')
        for (const char *p = v + 2; *p >= '0' && *p <= '9'; p++) minor = minor * 10 + (*p - '0');
    sb_unchecked_get_is_per_thread = minor >= 12;
    sb_unchecked_get = f;
}

int sb_thread_has_gil(void) {
    if (!sb_unchecked_get) {
        sb_find_unchecked_get();
        if (!sb_unchecked_get) return PyGILState_GetThisThreadState() != NULL;  /* not reached on CPython */
    }
    PyThreadState *holder = sb_unchecked_get();
    if (sb_unchecked_get_is_per_thread) return holder != NULL;
    return holder != NULL && holder == PyGILState_GetThisThreadState();
}
#endif
