/* The shim is header-only but for this one variable (see swiftbind_shim.h). */
#include "swiftbind_shim.h"

Py_ssize_t sb_holder_offset = 0;
void **sb_method_slot_table = NULL;
