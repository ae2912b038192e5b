/* The shim is header-only but for the method slot table (see swiftbind_shim.h);
 * SwiftPM needs one source file in a C target anyway. */
#include "swiftbind_shim.h"

void **sb_method_slot_table = NULL;
