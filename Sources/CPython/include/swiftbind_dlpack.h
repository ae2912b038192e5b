/*
 * The DLPack C ABI (https://github.com/dmlc/dlpack, v0.8 "legacy" tensor),
 * declared here because no system header provides it.  These are the
 * exchange structs of `__dlpack__` capsules named "dltensor"; swiftbind only
 * produces CPU tensors.  Field order and types follow dlpack.h exactly.
 */
#ifndef SWIFTBIND_DLPACK_H
#define SWIFTBIND_DLPACK_H

/* int32_t etc. come from Python.h (pyport.h includes <stdint.h>). */

typedef enum { sb_kDLCPU = 1 } sb_DLDeviceType;

typedef enum {
    sb_kDLInt = 0U,
    sb_kDLUInt = 1U,
    sb_kDLFloat = 2U,
    sb_kDLBool = 6U,
} sb_DLDataTypeCode;

typedef struct {
    int32_t device_type;
    int32_t device_id;
} sb_DLDevice;

typedef struct {
    uint8_t code;
    uint8_t bits;
    uint16_t lanes;
} sb_DLDataType;

typedef struct {
    void *data;
    sb_DLDevice device;
    int32_t ndim;
    sb_DLDataType dtype;
    int64_t *shape;
    int64_t *strides;   /* in elements; NULL means C-contiguous */
    uint64_t byte_offset;
} sb_DLTensor;

typedef struct sb_DLManagedTensor {
    sb_DLTensor dl_tensor;
    void *manager_ctx;
    void (*deleter)(struct sb_DLManagedTensor *self);
} sb_DLManagedTensor;

#endif /* SWIFTBIND_DLPACK_H */
