/* The shim is header-only but for a few things: the method slot table and
 * the current-call global (see swiftbind_shim.h), and functions that need feature macros set before any
 * system header (swiftbind_shim.h includes the system headers with the
 * compiler's defaults, see there), wrapped here in a translation unit of
 * their own. */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
#include <dlfcn.h>

#include "swiftbind_shim.h"

void **sb_method_slot_table = NULL;
const char *sb_current_call __attribute__((visibility("hidden"))) = NULL;

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
