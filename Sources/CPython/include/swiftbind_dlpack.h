/*
 * The DLPack C ABI (https://github.com/dmlc/dlpack), declared here because
 * no system header provides it: the legacy (v0.8, unversioned) tensor of
 * capsules named "dltensor" and the versioned one (DLPack 1.0+) of capsules
 * named "dltensor_versioned".  swiftbind produces and consumes CPU tensors
 * only.  Field order and types follow dlpack.h exactly.
 */
#ifndef SWIFTBIND_DLPACK_H
#define SWIFTBIND_DLPACK_H

/* int32_t etc. come from Python.h (pyport.h includes <stdint.h>). */

typedef enum { sb_kDLCPU = 1 } sb_DLDeviceType;

/* The DLPack version swiftbind writes into versioned tensors. */
#define SB_DLPACK_MAJOR_VERSION 1
#define SB_DLPACK_MINOR_VERSION 0

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

/* DLPack 1.0: the version a versioned tensor was written for. */
typedef struct {
    uint32_t major;
    uint32_t minor;
} sb_DLPackVersion;

/* The memory must not be written through this tensor. */
#define SB_DLPACK_FLAG_BITMASK_READ_ONLY 1ULL  /* 1 << 0 */
/* The producer copied the data for this export (`copy=True`). */
#define SB_DLPACK_FLAG_BITMASK_IS_COPIED 2ULL  /* 1 << 1 */

/* DLPack 1.0's versioned tensor: `version` comes first so that a consumer
 * can check the major version before reading anything else. */
typedef struct sb_DLManagedTensorVersioned {
    sb_DLPackVersion version;
    void *manager_ctx;
    void (*deleter)(struct sb_DLManagedTensorVersioned *self);
    uint64_t flags;
    sb_DLTensor dl_tensor;
} sb_DLManagedTensorVersioned;

#endif /* SWIFTBIND_DLPACK_H */
