/*
 * The Arrow C data interface and C stream interface
 * (https://arrow.apache.org/docs/format/CDataInterface.html and
 * CStreamInterface.html), declared here because no system header provides
 * them.  These are the structs that `__arrow_c_schema__`,
 * `__arrow_c_array__` and `__arrow_c_stream__` capsules carry ("arrow_schema",
 * "arrow_array", "arrow_array_stream").  Field order and types follow the
 * spec exactly; the guard macros are the spec's own, so a translation unit
 * that also includes Arrow's abi.h sees one definition.
 */
#ifndef SWIFTBIND_ARROW_H
#define SWIFTBIND_ARROW_H

/* int64_t etc. come from <stdint.h>, included by the shim first. */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;
    void (*release)(struct ArrowSchema *);
    void *private_data;
};

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);
    void (*release)(struct ArrowArrayStream *);
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

#endif /* SWIFTBIND_ARROW_H */
